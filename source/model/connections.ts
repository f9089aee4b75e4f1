// Connection rows: the server's fields plus what we derive (rates keyed by cid, pending as a
// share of max_pending, resolved host), and the local filter/sort for what the server can't do.
import type {ConnInfo, Connz, ConnzSortKey} from '../sources/types.js';
import {connRates, connzElapsedMs, type ConnRates} from './rates.js';
import {SORT_DIRECTION} from './capabilities.js';
import {parseDuration} from './format.js';
import type {SeenConnections} from './seen.js';

export type ConnRow = {
	/** `${serverId}:${cid}`: unique across a cluster. */
	key: string;
	serverId: string;
	serverName: string;
	conn: ConnInfo;
	rates?: ConnRates;
	/** Pending bytes as a share (0..100) of the server's max_pending. */
	pendingPct?: number;
	/** ip:port, or name:port once reverse DNS answered. */
	host: string;
};

export type ConnRowsArgs = {
	connz: Connz;
	prev?: Connz;
	/** Earlier samples of each connection; when given, rates use these instead of `prev`. */
	seen?: SeenConnections;
	maxPending?: number;
	serverName?: string;
	resolveHost?: (ip: string) => string | undefined;
};

export function buildConnRows(args: ConnRowsArgs): ConnRow[] {
	return args.connz.connections.map(connRowMaker(args));
}

/** The row of one connection of `args.connz`, for building only the rows that are shown. */
export function connRowMaker(args: ConnRowsArgs): (conn: ConnInfo) => ConnRow {
	const {connz, prev, maxPending, seen} = args;
	const elapsed = connzElapsedMs(prev, connz);
	const before = new Map<number, ConnInfo>();
	// With earlier samples at hand the previous answer is not looked at: no map of its rows.
	if (!seen && prev && elapsed !== undefined) for (const conn of prev.connections) before.set(conn.cid, conn);
	const serverName = args.serverName ?? '';
	// The row closure must not hold `args`: args.prev is the previous answer, and the rows cache
	// of this answer would then keep every earlier answer alive through it.
	const resolveHost = args.resolveHost;
	const ratesOf = (conn: ConnInfo): ConnRates | undefined => {
		if (seen) {
			const earlier = seen.before(connz.server_id, conn.cid, connz.now_ms);
			return earlier ? connRates(earlier.conn, conn, connz.now_ms - earlier.nowMs) : undefined;
		}
		return elapsed === undefined ? undefined : connRates(before.get(conn.cid), conn, elapsed);
	};
	return conn => {
		const name = resolveHost?.(conn.ip);
		return {
			key: `${connz.server_id}:${conn.cid}`,
			serverId: connz.server_id,
			serverName,
			conn,
			rates: ratesOf(conn),
			pendingPct:
				maxPending !== undefined && maxPending > 0 ? Math.min(100, Math.max(0, (conn.pending_bytes / maxPending) * 100)) : undefined,
			host: `${name ?? conn.ip}:${conn.port}`,
		};
	};
}

/** Case-insensitive substring over the fields people search by. */
export function filterRows(rows: ConnRow[], text: string): ConnRow[] {
	const needle = text.trim().toLowerCase();
	if (needle === '') return rows;
	return rows.filter(row => {
		const c = row.conn;
		return [c.name, c.ip, row.host, c.account, c.lang, c.version, c.authorized_user, String(c.cid)].some(field =>
			field.toLowerCase().includes(needle),
		);
	});
}

/** Epoch ms of an RFC 3339 time; undefined for '' (e.g. stop on an open connection) or garbage. */
function time(text: string): number | undefined {
	if (text === '' || text.startsWith('0001-01-01')) return undefined;
	const ms = Date.parse(text.replace(/(\.\d{3})\d+/, '$1'));
	return Number.isNaN(ms) ? undefined : ms;
}

/**
 * The value each key orders by, ascending; SORT_DIRECTION turns it round where the server does.
 * undefined (no rtt measured yet, no stop time) always sorts after every known value.
 */
function sortValue(row: ConnRow, key: ConnzSortKey): number | string | undefined {
	const c = row.conn;
	switch (key) {
		case 'cid':
			return c.cid;
		case 'start':
			return time(c.start);
		case 'subs':
			return c.subscriptions;
		case 'pending':
			return c.pending_bytes;
		case 'msgs_to':
			return c.out_msgs;
		case 'msgs_from':
			return c.in_msgs;
		case 'bytes_to':
			return c.out_bytes;
		case 'bytes_from':
			return c.in_bytes;
		case 'last':
			return time(c.last_activity);
		case 'idle':
			return parseDuration(c.idle);
		case 'uptime':
			return parseDuration(c.uptime);
		case 'rtt':
			return parseDuration(c.rtt);
		case 'stop':
			return time(c.stop);
		case 'reason':
			return c.reason;
	}
}

/** Code-point order, as Go compares strings (not the locale's collation). */
function compareText(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/** The server's order for `key`; ties by cid ascending, then server id. */
export function compareRows(key: ConnzSortKey): (a: ConnRow, b: ConnRow) => number {
	const sign = SORT_DIRECTION[key] === 'desc' ? -1 : 1;
	return (a, b) => {
		const va = sortValue(a, key);
		const vb = sortValue(b, key);
		let order = 0;
		if (va === undefined || vb === undefined) {
			order = va === vb ? 0 : va === undefined ? 1 : -1; // unknown last, whatever the direction
		} else if (typeof va === 'string' || typeof vb === 'string') {
			order = sign * compareText(String(va), String(vb));
		} else if (va !== vb) {
			order = sign * (va < vb ? -1 : 1);
		}
		if (order !== 0) return order;
		return a.conn.cid - b.conn.cid || compareText(a.serverId, b.serverId);
	};
}

/** Ordered as the server would order them for `key` (stable, ties by cid). */
export function sortRowsLocally(rows: readonly ConnRow[], key: ConnzSortKey): ConnRow[] {
	return [...rows].sort(compareRows(key));
}

/** Merge per-server lists, each already in order, into the first n of the combined order. */
export function mergeTopN(lists: ReadonlyArray<readonly ConnRow[]>, key: ConnzSortKey, n: number): ConnRow[] {
	const compare = compareRows(key);
	const heads = lists.map(() => 0);
	const out: ConnRow[] = [];
	while (out.length < n) {
		let best = -1;
		for (let i = 0; i < lists.length; i++) {
			const candidate = lists[i]![heads[i]!];
			if (candidate === undefined) continue;
			if (best < 0 || compare(candidate, lists[best]![heads[best]!]!) < 0) best = i;
		}
		if (best < 0) break;
		out.push(lists[best]![heads[best]!]!);
		heads[best] = heads[best]! + 1;
	}
	return out;
}
