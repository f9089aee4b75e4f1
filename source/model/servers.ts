// The servers view: one row per server we know of, answering or not, with mismatches marked.
import type {Healthz, Reply, Varz} from '../sources/types.js';
import {varzRates} from './rates.js';
import {fitToWidth, formatBytes, formatCount, formatDuration, formatPercent, formatRate, parseDuration} from './format.js';

export type ServerEntry = {
	id: string;
	name: string;
	cluster: string;
	address: string;
	varz: Varz;
	previousVarz?: Varz;
	rttMs: number;
	/** Local ms of the last answer. */
	seenAt: number;
	/** Local ms since when it has not answered (undefined = answering). */
	missingSince?: number;
};

/**
 * Every server seen, kept when it stops answering so it is listed as missing instead of
 * vanishing. Forgets one that has been missing for `forgetAfterMs`.
 */
export class ServerRoster {
	private readonly entries = new Map<string, ServerEntry>();

	constructor(private readonly forgetAfterMs = 60 * 60_000) {}

	update(replies: ReadonlyArray<Reply<'varz'>>, now: number): void {
		const answered = new Set<string>();
		for (const reply of replies) {
			// A restarted server has a new server_id; its configured name is what stays.
			const key = reply.data.server_name || reply.data.server_id || reply.server.id;
			const id = reply.data.server_id || reply.server.id;
			answered.add(key);
			const before = this.entries.get(key);
			this.entries.set(key, {
				id,
				name: reply.data.server_name || reply.server.name || id,
				cluster: reply.data.cluster,
				address: reply.server.address,
				varz: reply.data,
				previousVarz: before?.id === id ? before.varz : undefined,
				rttMs: reply.rttMs,
				seenAt: now,
			});
		}
		for (const [key, entry] of this.entries) {
			if (answered.has(key)) continue;
			if (entry.missingSince === undefined) this.entries.set(key, {...entry, missingSince: entry.seenAt});
			else if (now - entry.missingSince > this.forgetAfterMs) this.entries.delete(key);
		}
	}

	list(): ServerEntry[] {
		return [...this.entries.values()];
	}

	get size(): number {
		return this.entries.size;
	}
}

export type ServersSortKey = 'name' | 'cluster' | 'version' | 'uptime' | 'conns' | 'subs' | 'routes' | 'cpu' | 'mem' | 'slow' | 'in' | 'out' | 'rtt';

export const SERVERS_SORT_KEYS: readonly ServersSortKey[] = ['name', 'cluster', 'version', 'uptime', 'conns', 'subs', 'routes', 'cpu', 'mem', 'slow', 'in', 'out', 'rtt'];

type Column = {
	id: ServersSortKey | 'gw' | 'leafs' | 'js' | 'health';
	title: string;
	width: number;
	align: 'left' | 'right';
	/** Lower = kept longer on narrow terminals. */
	priority: number;
};

const COLUMNS: readonly Column[] = [
	{id: 'name', title: 'SERVER', width: 16, align: 'left', priority: 0},
	{id: 'cluster', title: 'CLUSTER', width: 10, align: 'left', priority: 8},
	{id: 'version', title: 'VERSION', width: 9, align: 'left', priority: 4},
	{id: 'uptime', title: 'UPTIME', width: 7, align: 'right', priority: 7},
	{id: 'conns', title: 'CONNS', width: 7, align: 'right', priority: 2},
	{id: 'subs', title: 'SUBS', width: 7, align: 'right', priority: 9},
	{id: 'routes', title: 'ROUTES', width: 7, align: 'right', priority: 5},
	{id: 'gw', title: 'GW', width: 3, align: 'right', priority: 13},
	{id: 'leafs', title: 'LEAFS', width: 5, align: 'right', priority: 12},
	{id: 'cpu', title: 'CPU', width: 6, align: 'right', priority: 6},
	{id: 'mem', title: 'MEM', width: 8, align: 'right', priority: 10},
	{id: 'slow', title: 'SLOW', width: 5, align: 'right', priority: 3},
	{id: 'in', title: 'MSGS_IN', width: 9, align: 'right', priority: 1},
	{id: 'out', title: 'MSGS_OUT', width: 9, align: 'right', priority: 1},
	{id: 'rtt', title: 'RTT', width: 7, align: 'right', priority: 11},
	{id: 'js', title: 'JS', width: 3, align: 'left', priority: 14},
	{id: 'health', title: 'HEALTH', width: 10, align: 'left', priority: 2},
];

export type ServerRow = {
	id: string;
	name: string;
	missing: boolean;
	/** Cells by column id, formatted. */
	cells: Record<Column['id'], string>;
	/** Columns whose value disagrees with the rest of the cluster. */
	mismatched: ReadonlySet<Column['id']>;
};

export type ServersModel = {
	headerLine: string;
	lines: string[];
	rows: ServerRow[];
	/** Per line: a missing server, something mismatched, or nothing to flag. */
	tones: Array<'missing' | 'alert' | undefined>;
	selectedLine?: number;
	selectedId?: string;
	summary: string;
};

function mostCommon(values: string[]): string | undefined {
	const counts = new Map<string, number>();
	for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
	let best: string | undefined;
	let bestCount = 0;
	for (const [value, count] of counts) {
		if (count > bestCount) {
			best = value;
			bestCount = count;
		}
	}
	return best;
}

function sortValue(entry: ServerEntry, key: ServersSortKey): number | string {
	const v = entry.varz;
	const rates = varzRates(entry.previousVarz, v);
	switch (key) {
		case 'name':
			return entry.name;
		case 'cluster':
			return entry.cluster;
		case 'version':
			return v.version;
		case 'uptime':
			return parseDuration(v.uptime) ?? 0;
		case 'conns':
			return v.connections;
		case 'subs':
			return v.subscriptions;
		case 'routes':
			return v.routes;
		case 'cpu':
			return v.cpu;
		case 'mem':
			return v.mem;
		case 'slow':
			return v.slow_consumers;
		case 'in':
			return rates?.inMsgs ?? -1;
		case 'out':
			return rates?.outMsgs ?? -1;
		case 'rtt':
			return entry.rttMs;
	}
}

/** Text keys ascend; figures descend (the busiest first), as in the connections view. */
export function sortServers(entries: readonly ServerEntry[], key: ServersSortKey, reverse: boolean): ServerEntry[] {
	return [...entries].sort((a, b) => {
		const va = sortValue(a, key);
		const vb = sortValue(b, key);
		let order = typeof va === 'string' || typeof vb === 'string' ? String(va).localeCompare(String(vb)) : vb - va;
		if (order === 0) order = a.name.localeCompare(b.name);
		return reverse ? -order : order;
	});
}

export function buildServersModel(input: {
	entries: readonly ServerEntry[];
	health: ReadonlyMap<string, Healthz>;
	sort: ServersSortKey;
	reverse: boolean;
	selected: number;
	scrollTop: number;
	pageSize: number;
	width: number;
	raw: boolean;
	now: number;
}): ServersModel {
	const sorted = sortServers(input.entries, input.sort, input.reverse);
	const answering = sorted.filter(e => e.missingSince === undefined);
	const commonVersion = mostCommon(answering.map(e => e.varz.version));
	const perCluster = new Map<string, number>();
	for (const e of input.entries) perCluster.set(e.cluster, (perCluster.get(e.cluster) ?? 0) + 1);

	const rows: ServerRow[] = sorted.map(entry => {
		const v = entry.varz;
		const rates = varzRates(entry.previousVarz, v);
		const missing = entry.missingSince !== undefined;
		const health = input.health.get(entry.id);
		const mismatched = new Set<Column['id']>();
		if (commonVersion && v.version !== commonVersion) mismatched.add('version');
		const expectedRoutes = entry.cluster ? (perCluster.get(entry.cluster) ?? 1) - 1 : 0;
		if (!missing && v.routes < expectedRoutes) mismatched.add('routes');
		if (v.slow_consumers > 0) mismatched.add('slow');
		const uptimeMs = parseDuration(v.uptime);
		const cells: ServerRow['cells'] = {
			name: entry.name,
			cluster: entry.cluster || '—',
			version: `${v.version}${mismatched.has('version') ? '≠' : ''}`,
			uptime: uptimeMs === undefined ? v.uptime : formatDuration(uptimeMs),
			conns: formatCount(v.connections, input.raw),
			subs: formatCount(v.subscriptions, input.raw),
			routes: `${v.routes}${mismatched.has('routes') ? `/${expectedRoutes}` : ''}`,
			gw: String(v.gateways),
			leafs: String(v.leafnodes),
			cpu: formatPercent(v.cpu),
			mem: formatBytes(v.mem, input.raw),
			slow: formatCount(v.slow_consumers, input.raw),
			in: formatRate(rates?.inMsgs, 'msgs', input.raw),
			out: formatRate(rates?.outMsgs, 'msgs', input.raw),
			rtt: formatDuration(entry.rttMs),
			js: v.jetstream ? 'on' : 'off',
			health: missing
				? `missing ${formatDuration(Math.round((input.now - entry.missingSince!) / 1000) * 1000)}`
				: !health
					? '…'
					: health.status === 'ok'
						? 'ok'
						: health.status || 'unhealthy',
		};
		if (missing || (health && health.status !== 'ok')) mismatched.add('health');
		return {id: entry.id, name: entry.name, missing, cells, mismatched};
	});

	// Keep the columns that fit, by priority, in display order.
	let columns = [...COLUMNS];
	const used = (list: Column[]) => list.reduce((sum, c) => sum + c.width, 0) + list.length - 1;
	while (columns.length > 1 && used(columns) > input.width) {
		const drop = columns.reduce((worst, c) => (c.priority > worst.priority ? c : worst));
		columns = columns.filter(c => c !== drop);
	}
	const spare = Math.max(0, input.width - used(columns));
	const widthOf = (c: Column) => (c.id === 'name' ? c.width + Math.min(spare, 16) : c.width);
	const arrow = (key: ServersSortKey) => {
		const text = key === 'name' || key === 'cluster' || key === 'version';
		return text !== input.reverse ? '▲' : '▼';
	};
	const headerLine = columns
		.map(c => fitToWidth(c.id === input.sort ? `${c.title}${arrow(input.sort)}` : c.title, widthOf(c), c.align))
		.join(' ');
	const lines: string[] = [];
	const tones: ServersModel['tones'] = [];
	let selectedLine: number | undefined;
	const end = Math.min(rows.length, input.scrollTop + input.pageSize);
	for (let i = input.scrollTop; i < end; i++) {
		const row = rows[i]!;
		if (i === input.selected) selectedLine = lines.length;
		lines.push(columns.map(c => fitToWidth(row.cells[c.id], widthOf(c), c.align)).join(' '));
		tones.push(row.missing ? 'missing' : row.mismatched.size > 0 ? 'alert' : undefined);
	}
	const missingCount = rows.filter(r => r.missing).length;
	const summary = `${rows.length} server${rows.length === 1 ? '' : 's'}${missingCount ? `, ${missingCount} missing` : ''} · sort ${input.sort} ${arrow(input.sort)}`;
	return {headerLine, lines, rows, tones, selectedLine, selectedId: rows[input.selected]?.id, summary};
}
