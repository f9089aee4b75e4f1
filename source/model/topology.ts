// How servers are joined: routes inside a cluster, gateways between clusters, leafnode links.
// One row per link on every server that answered, with per-second rates between two answers
// of the same server (the server's own clock).
import type {GatewayLink, LeafInfo, LinkCounters, Reply, RouteInfo} from '../sources/types.js';
import {formatBytes, formatCount, formatDuration, formatRate, parseDuration} from './format.js';
import {clampSelected, matchesFilter, repliesOf, serverLabel, waitingText, type PanelContext, type PanelLine, type PanelModel} from './panel.js';
import {layoutTable, type Column} from './table.js';

export const NEED_ROUTEZ = 'routez';
export const NEED_GATEWAYZ = 'gatewayz';
export const NEED_LEAFZ = 'leafz';

export const ROUTE_SORT_KEYS = ['server', 'rtt', 'pending', 'msgs_in', 'msgs_out'] as const;
export const GATEWAY_SORT_KEYS = ['server', 'gateway', 'rtt', 'msgs_in', 'msgs_out'] as const;
export const LEAF_SORT_KEYS = ['server', 'rtt', 'msgs_in', 'msgs_out', 'account'] as const;

export type LinkRates = {inMsgs: number; outMsgs: number; inBytes: number; outBytes: number};

function rate(prev: number, cur: number, ms: number): number | undefined {
	return cur >= prev ? ((cur - prev) * 1000) / ms : undefined;
}

/** Rates between two samples of one link; undefined on the first sample or a counter reset. */
export function linkRates(prev: LinkCounters | undefined, cur: LinkCounters, elapsedMs: number | undefined): LinkRates | undefined {
	if (!prev || elapsedMs === undefined || !(elapsedMs > 0)) return undefined;
	const inMsgs = rate(prev.in_msgs, cur.in_msgs, elapsedMs);
	const outMsgs = rate(prev.out_msgs, cur.out_msgs, elapsedMs);
	const inBytes = rate(prev.in_bytes, cur.in_bytes, elapsedMs);
	const outBytes = rate(prev.out_bytes, cur.out_bytes, elapsedMs);
	if (inMsgs === undefined || outMsgs === undefined || inBytes === undefined || outBytes === undefined) return undefined;
	return {inMsgs, outMsgs, inBytes, outBytes};
}

type Linked<T> = {server: string; serverId: string; link: T; rates?: LinkRates};

/** Every link of every current reply, each with its previous sample matched by `key`. */
function linked<K extends 'routez' | 'gatewayz' | 'leafz', T>(ctx: PanelContext, need: string, links: (data: Reply<K>['data']) => T[], key: (link: T) => string, counters: (link: T) => LinkCounters | undefined): Array<Linked<T>> {
	const previous = new Map(repliesOf<K>(ctx, need, 'previous').map(r => [r.server.id, r.data]));
	const rows: Array<Linked<T>> = [];
	for (const reply of repliesOf<K>(ctx, need)) {
		const before = previous.get(reply.server.id);
		const data = reply.data as Reply<K>['data'] & {now_ms: number};
		const elapsedMs = before ? data.now_ms - (before as {now_ms: number}).now_ms : undefined;
		const earlier = new Map(before ? links(before).map(l => [key(l), l]) : []);
		for (const link of links(reply.data)) {
			const cur = counters(link);
			const prev = earlier.get(key(link));
			rows.push({server: serverLabel(ctx, reply), serverId: reply.server.id, link, rates: cur && prev ? linkRates(counters(prev), cur, elapsedMs) : undefined});
		}
	}
	return rows;
}

function rttMs(text: string | undefined): number {
	return text ? (parseDuration(text) ?? -1) : -1;
}

function arrow(descending: boolean, reverse: boolean): string {
	return descending !== reverse ? '▼' : '▲';
}

/** Text keys ascend, figures descend (the busiest first). */
function sortRows<T>(rows: T[], value: (row: T) => string | number, reverse: boolean, tie: (row: T) => string): T[] {
	const sorted = [...rows].sort((a, b) => {
		const va = value(a);
		const vb = value(b);
		const order = typeof va === 'string' || typeof vb === 'string' ? String(va).localeCompare(String(vb)) : vb - va;
		return order || tie(a).localeCompare(tie(b));
	});
	return reverse ? sorted.reverse() : sorted;
}

function trafficColumns<R>(ctx: PanelContext, counters: (r: R) => LinkCounters | undefined, rates: (r: R) => LinkRates | undefined, basePriority: number): Array<Column<R>> {
	const raw = ctx.raw;
	const totals = ctx.mode === 'totals';
	return [
		{id: 'msgs_in', title: totals ? 'MSGS_IN' : 'MSGS_IN/s', width: 9, align: 'right', priority: basePriority, cell: r => (totals ? formatCount(counters(r)?.in_msgs ?? 0, raw) : formatRate(rates(r)?.inMsgs, 'msgs', raw))},
		{id: 'msgs_out', title: totals ? 'MSGS_OUT' : 'MSGS_OUT/s', width: 10, align: 'right', priority: basePriority, cell: r => (totals ? formatCount(counters(r)?.out_msgs ?? 0, raw) : formatRate(rates(r)?.outMsgs, 'msgs', raw))},
		{id: 'bytes_in', title: totals ? 'BYTES_IN' : 'BYTES_IN/s', width: 10, align: 'right', priority: basePriority + 4, cell: r => (totals ? formatBytes(counters(r)?.in_bytes ?? 0, raw) : formatRate(rates(r)?.inBytes, 'bytes', raw))},
		{id: 'bytes_out', title: totals ? 'BYTES_OUT' : 'BYTES_OUT/s', width: 11, align: 'right', priority: basePriority + 4, cell: r => (totals ? formatBytes(counters(r)?.out_bytes ?? 0, raw) : formatRate(rates(r)?.outBytes, 'bytes', raw))},
	];
}

function roundRates(r: LinkRates | undefined): Record<string, number | null> {
	const round = (v: number | undefined) => (v === undefined ? null : Math.round(v * 1000) / 1000);
	return {msgs_in_per_sec: round(r?.inMsgs), msgs_out_per_sec: round(r?.outMsgs), bytes_in_per_sec: round(r?.inBytes), bytes_out_per_sec: round(r?.outBytes)};
}

function shortId(id: string): string {
	return id.slice(0, 8);
}

// --- routes -------------------------------------------------------------------------------------

export function buildRoutesModel(ctx: PanelContext): PanelModel {
	const all = linked<'routez', RouteInfo>(ctx, NEED_ROUTEZ, d => d.routes, r => `${r.rid}/${r.remote_id}`, r => r);
	const remote = (r: Linked<RouteInfo>) => r.link.remote_name || ctx.serverNames.get(r.link.remote_id) || shortId(r.link.remote_id);
	const filtered = all.filter(r => matchesFilter(ctx.panel.filter, r.server, remote(r), r.link.remote_id, r.link.ip));
	const sort = ctx.panel.sort || 'server';
	const value = (r: Linked<RouteInfo>): string | number => {
		switch (sort) {
			case 'rtt':
				return rttMs(r.link.rtt);
			case 'pending':
				return r.link.pending_size;
			case 'msgs_in':
				return r.rates?.inMsgs ?? r.link.in_msgs;
			case 'msgs_out':
				return r.rates?.outMsgs ?? r.link.out_msgs;
			default:
				return `${r.server}\u0000${remote(r)}`;
		}
	};
	const rows = sortRows(filtered, value, ctx.panel.reverse, r => `${r.server}\u0000${r.link.rid}`);
	const raw = ctx.raw;
	const columns: Array<Column<Linked<RouteInfo>>> = [
		{id: 'server', title: 'SERVER', width: 12, grow: 8, align: 'left', priority: 0, cell: r => r.server},
		{id: 'remote', title: 'REMOTE', width: 12, grow: 8, align: 'left', priority: 0, cell: remote},
		{id: 'remote_id', title: 'REMOTE_ID', width: 9, align: 'left', priority: 9, cell: r => shortId(r.link.remote_id)},
		{id: 'address', title: 'IP:PORT', width: 21, align: 'left', priority: 6, cell: r => `${r.link.ip}:${r.link.port}`},
		{id: 'rtt', title: 'RTT', width: 7, align: 'right', priority: 1, cell: r => (r.link.rtt ? formatDuration(rttMs(r.link.rtt)) : '—')},
		{id: 'pending', title: 'PENDING', width: 7, align: 'right', priority: 2, cell: r => formatBytes(r.link.pending_size, raw)},
		{id: 'subs', title: 'SUBS', width: 6, align: 'right', priority: 5, cell: r => formatCount(r.link.subscriptions, raw)},
		...trafficColumns<Linked<RouteInfo>>(ctx, r => r.link, r => r.rates, 3),
		{id: 'uptime', title: 'UPTIME', width: 7, align: 'right', priority: 10, cell: r => r.link.uptime},
		{id: 'solicited', title: 'DIR', width: 4, align: 'left', priority: 11, cell: r => (r.link.did_solicit ? 'out' : 'in')},
	];
	const table = layoutTable(columns, ctx.width, {id: sort === 'server' ? 'server' : sort, arrow: arrow(sort !== 'server', ctx.panel.reverse)});
	const lines = rows.map((row, index): PanelLine => ({text: table.row(row), row: index, tone: row.link.pending_size > 0 ? 'warn' : undefined}));
	const perServer = new Map<string, number>();
	for (const reply of repliesOf<'routez'>(ctx, NEED_ROUTEZ)) perServer.set(serverLabel(ctx, reply), reply.data.routes.length);
	const servers = perServer.size;
	const counts = [...new Set(perServer.values())];
	const notes: string[] = [];
	if (servers > 1 && counts.length > 1) {
		const fewest = Math.min(...counts);
		const short = [...perServer].filter(([, n]) => n === fewest).map(([name]) => name);
		notes.push(`routes differ between servers: ${short.join(', ')} ${short.length === 1 ? 'has' : 'have'} ${fewest}`);
	}
	if (ctx.panel.filter) notes.push(`filter "${ctx.panel.filter}" is local`);
	const loaded = Boolean(ctx.needs.get(NEED_ROUTEZ)?.current);
	const record = (r: Linked<RouteInfo>) => ({
		server_name: r.server,
		server_id: r.serverId,
		remote_name: remote(r),
		remote_id: r.link.remote_id,
		ip: r.link.ip,
		port: r.link.port,
		rtt: r.link.rtt,
		pending_size: r.link.pending_size,
		subscriptions: r.link.subscriptions,
		in_msgs: r.link.in_msgs,
		out_msgs: r.link.out_msgs,
		in_bytes: r.link.in_bytes,
		out_bytes: r.link.out_bytes,
		...roundRates(r.rates),
		did_solicit: r.link.did_solicit,
		uptime: r.link.uptime,
	});
	return {
		summary: `${all.length} route${all.length === 1 ? '' : 's'} on ${servers} server${servers === 1 ? '' : 's'} · ${[...perServer].map(([n, c]) => `${n} ${c}`).join(', ') || '—'} · sort ${sort}`,
		sections: [{header: table.header, lines, empty: loaded ? (all.length === 0 ? 'no routes: the server is not part of a cluster' : 'no route matches the filter') : waitingText(ctx, NEED_ROUTEZ, '/routez')}],
		total: rows.length,
		selected: clampSelected(ctx.panel.selected, rows.length),
		notes,
		json: {routes: rows.map(record), per_server: Object.fromEntries(perServer)},
		records: rows.map(record),
	};
}

// --- gateways -----------------------------------------------------------------------------------

export function buildGatewaysModel(ctx: PanelContext): PanelModel {
	const all = linked<'gatewayz', GatewayLink>(ctx, NEED_GATEWAYZ, d => d.links, l => `${l.direction}/${l.gateway}/${l.connection?.cid ?? ''}`, l => l.connection);
	const local = new Map(repliesOf<'gatewayz'>(ctx, NEED_GATEWAYZ).map(r => [r.server.id, r.data.name]));
	const filtered = all.filter(r => matchesFilter(ctx.panel.filter, r.server, r.link.gateway, local.get(r.serverId) ?? ''));
	const sort = ctx.panel.sort || 'server';
	const value = (r: Linked<GatewayLink>): string | number => {
		switch (sort) {
			case 'gateway':
				return `${r.link.gateway}\u0000${r.server}`;
			case 'rtt':
				return rttMs(r.link.connection?.rtt);
			case 'msgs_in':
				return r.rates?.inMsgs ?? r.link.connection?.in_msgs ?? 0;
			case 'msgs_out':
				return r.rates?.outMsgs ?? r.link.connection?.out_msgs ?? 0;
			default:
				return `${r.server}\u0000${r.link.direction}\u0000${r.link.gateway}`;
		}
	};
	const rows = sortRows(filtered, value, ctx.panel.reverse, r => `${r.server}\u0000${r.link.direction}\u0000${r.link.gateway}`);
	const raw = ctx.raw;
	const columns: Array<Column<Linked<GatewayLink>>> = [
		{id: 'server', title: 'SERVER', width: 12, grow: 8, align: 'left', priority: 0, cell: r => `${r.server}${local.get(r.serverId) ? ` (${local.get(r.serverId)})` : ''}`},
		{id: 'direction', title: 'DIR', width: 3, align: 'left', priority: 0, cell: r => (r.link.direction === 'outbound' ? 'out' : 'in')},
		{id: 'gateway', title: 'GATEWAY', width: 12, grow: 8, align: 'left', priority: 0, cell: r => r.link.gateway},
		{id: 'state', title: 'STATE', width: 10, align: 'left', priority: 1, cell: r => (r.link.connection ? 'connected' : 'down')},
		{id: 'configured', title: 'CONF', width: 4, align: 'left', priority: 8, cell: r => (r.link.configured ? 'yes' : 'no')},
		{id: 'address', title: 'IP:PORT', width: 21, align: 'left', priority: 6, cell: r => (r.link.connection ? `${r.link.connection.ip}:${r.link.connection.port}` : '—')},
		{id: 'rtt', title: 'RTT', width: 7, align: 'right', priority: 2, cell: r => (r.link.connection?.rtt ? formatDuration(rttMs(r.link.connection.rtt)) : '—')},
		{id: 'subs', title: 'SUBS', width: 6, align: 'right', priority: 7, cell: r => formatCount(r.link.connection?.subscriptions ?? 0, raw)},
		...trafficColumns<Linked<GatewayLink>>(ctx, r => r.link.connection, r => r.rates, 3),
	];
	const table = layoutTable(columns, ctx.width, {id: sort, arrow: arrow(sort === 'rtt' || sort.startsWith('msgs'), ctx.panel.reverse)});
	const lines = rows.map((row, index): PanelLine => ({text: table.row(row), row: index, tone: row.link.connection ? undefined : 'error'}));
	const loaded = Boolean(ctx.needs.get(NEED_GATEWAYZ)?.current);
	const record = (r: Linked<GatewayLink>) => ({
		server_name: r.server,
		server_id: r.serverId,
		local_gateway: local.get(r.serverId) ?? '',
		direction: r.link.direction,
		gateway: r.link.gateway,
		configured: r.link.configured,
		connected: Boolean(r.link.connection),
		ip: r.link.connection?.ip ?? null,
		port: r.link.connection?.port ?? null,
		rtt: r.link.connection?.rtt ?? null,
		subscriptions: r.link.connection?.subscriptions ?? null,
		in_msgs: r.link.connection?.in_msgs ?? null,
		out_msgs: r.link.connection?.out_msgs ?? null,
		...roundRates(r.rates),
	});
	const down = all.filter(r => !r.link.connection).length;
	return {
		summary: `${all.length} gateway link${all.length === 1 ? '' : 's'} (${all.filter(r => r.link.direction === 'outbound').length} out, ${all.filter(r => r.link.direction === 'inbound').length} in)${down ? `, ${down} down` : ''} · sort ${sort}`,
		sections: [{header: table.header, lines, empty: loaded ? (all.length === 0 ? 'no gateways: the server is not part of a super-cluster' : 'no gateway matches the filter') : waitingText(ctx, NEED_GATEWAYZ, '/gatewayz')}],
		total: rows.length,
		selected: clampSelected(ctx.panel.selected, rows.length),
		notes: ctx.panel.filter ? [`filter "${ctx.panel.filter}" is local`] : [],
		json: {gateways: rows.map(record)},
		records: rows.map(record),
	};
}

// --- leafnodes ----------------------------------------------------------------------------------

export function buildLeafnodesModel(ctx: PanelContext): PanelModel {
	// /leafz has no connection id: a link is its address and account.
	const all = linked<'leafz', LeafInfo>(ctx, NEED_LEAFZ, d => d.leafs, l => `${l.ip}:${l.port}/${l.account}`, l => l);
	const filtered = all.filter(r => matchesFilter(ctx.panel.filter, r.server, r.link.name, r.link.account, r.link.ip));
	const sort = ctx.panel.sort || 'server';
	const value = (r: Linked<LeafInfo>): string | number => {
		switch (sort) {
			case 'rtt':
				return rttMs(r.link.rtt);
			case 'msgs_in':
				return r.rates?.inMsgs ?? r.link.in_msgs;
			case 'msgs_out':
				return r.rates?.outMsgs ?? r.link.out_msgs;
			case 'account':
				return `${r.link.account}\u0000${r.server}`;
			default:
				return `${r.server}\u0000${r.link.name}\u0000${r.link.ip}:${r.link.port}`;
		}
	};
	const rows = sortRows(filtered, value, ctx.panel.reverse, r => `${r.server}\u0000${r.link.ip}:${r.link.port}`);
	const raw = ctx.raw;
	const columns: Array<Column<Linked<LeafInfo>>> = [
		{id: 'server', title: 'SERVER', width: 12, grow: 8, align: 'left', priority: 0, cell: r => r.server},
		{id: 'name', title: 'REMOTE', width: 12, grow: 8, align: 'left', priority: 1, cell: r => r.link.name || '—'},
		{id: 'account', title: 'ACCOUNT', width: 10, grow: 6, align: 'left', priority: 2, cell: r => r.link.account},
		{id: 'address', title: 'IP:PORT', width: 21, align: 'left', priority: 3, cell: r => `${r.link.ip}:${r.link.port}`},
		{id: 'rtt', title: 'RTT', width: 7, align: 'right', priority: 4, cell: r => (r.link.rtt ? formatDuration(rttMs(r.link.rtt)) : '—')},
		{id: 'subs', title: 'SUBS', width: 6, align: 'right', priority: 6, cell: r => formatCount(r.link.subscriptions, raw)},
		...trafficColumns<Linked<LeafInfo>>(ctx, r => r.link, r => r.rates, 5),
		{id: 'spoke', title: 'SPOKE', width: 5, align: 'left', priority: 12, cell: r => (r.link.is_spoke ? 'yes' : '')},
	];
	const table = layoutTable(columns, ctx.width, {id: sort === 'server' ? 'server' : sort, arrow: arrow(sort === 'rtt' || sort.startsWith('msgs'), ctx.panel.reverse)});
	const lines = rows.map((row, index): PanelLine => ({text: table.row(row), row: index}));
	const loaded = Boolean(ctx.needs.get(NEED_LEAFZ)?.current);
	const record = (r: Linked<LeafInfo>) => ({
		server_name: r.server,
		server_id: r.serverId,
		name: r.link.name,
		account: r.link.account,
		ip: r.link.ip,
		port: r.link.port,
		rtt: r.link.rtt,
		subscriptions: r.link.subscriptions,
		in_msgs: r.link.in_msgs,
		out_msgs: r.link.out_msgs,
		in_bytes: r.link.in_bytes,
		out_bytes: r.link.out_bytes,
		...roundRates(r.rates),
		is_spoke: r.link.is_spoke,
	});
	return {
		summary: `${all.length} leafnode connection${all.length === 1 ? '' : 's'} · sort ${sort}`,
		sections: [{header: table.header, lines, empty: loaded ? (all.length === 0 ? 'no leafnode connections' : 'no leafnode matches the filter') : waitingText(ctx, NEED_LEAFZ, '/leafz')}],
		total: rows.length,
		selected: clampSelected(ctx.panel.selected, rows.length),
		notes: ctx.panel.filter ? [`filter "${ctx.panel.filter}" is local`] : [],
		json: {leafnodes: rows.map(record)},
		records: rows.map(record),
	};
}
