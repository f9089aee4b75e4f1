// JetStream as the views show it: per-server usage and the meta group (JetStream view), streams
// with their replicas as the stream leader sees them (streams view), mirrors and sources, and
// the consumers of one stream. Replica state only means something in the leader's reply: every
// server answers for the streams it hosts, and followers know nothing current about each other.
import type {ConsumerDetail, Jsz, PeerInfo, Reply, StreamDetail, StreamSourceInfo} from '../sources/types.js';
import {displayWidth, fitToWidth, formatBytes, formatCount, formatDuration, formatRate} from './format.js';
import {lagSparkline, originKey, replicaKey, TREND_MARK, type LagLevel, type LagObservation, type LagState, type LagTracker} from './lag.js';
import type {Tone} from './overview.js';
import {clampSelected, matchesFilter, repliesOf, serverLabel, waitingText, type PanelContext, type PanelLine, type PanelModel} from './panel.js';
import {layoutTable, type Column} from './table.js';

/** Accounts asked for per /jsz page (the server pages over accounts, sorted by name). */
export const JSZ_ACCOUNTS_PAGE = 100;

export const NEED_JSZ = 'jsz';
export const NEED_JSZ_STREAMS = 'jsz-streams';
export const NEED_JSZ_CONSUMERS = 'jsz-consumers';

export const STREAM_SORT_KEYS = ['lag', 'messages', 'name', 'bytes', 'consumers'] as const;
export const CONSUMER_SORT_KEYS = ['pending', 'ack_pending', 'redelivered', 'name'] as const;
export const JETSTREAM_SORT_KEYS = ['name', 'storage', 'memory', 'messages', 'api'] as const;

/** Nanoseconds (as the server sends durations in /jsz) as a compact duration. */
export function nsText(ns: number): string {
	if (ns < 0) return 'never';
	return formatDuration(ns / 1e6);
}

function arrow(descending: boolean, reverse: boolean): string {
	return descending !== reverse ? '▼' : '▲';
}

// --- leader's view ------------------------------------------------------------------------------

export type StreamView = {
	account: string;
	name: string;
	/** Name of the stream leader ('' when unknown). */
	leader: string;
	/** `detail` is the leader's own answer (replica state is meaningful). */
	fromLeader: boolean;
	/** The server whose answer `detail` is. */
	server: string;
	serverId: string;
	detail: StreamDetail;
	/** Followers as the leader sees them ([] unless fromLeader). */
	replicas: PeerInfo[];
	/** Replica count from the config, else what the cluster info shows. */
	replicaCount: number;
	/** Every server that answered for this stream. */
	hosts: string[];
};

type Candidate = {server: string; serverId: string; detail: StreamDetail};

function majority(values: string[]): string {
	const counts = new Map<string, number>();
	for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
	let best = '';
	let bestCount = 0;
	for (const [v, c] of counts) {
		if (c > bestCount) {
			best = v;
			bestCount = c;
		}
	}
	return best;
}

/**
 * One row per stream across every server's /jsz answer, each from its leader's reply when that
 * arrived (a server that names itself leader wins; otherwise the leader most servers name).
 */
export function leaderViews(replies: ReadonlyArray<Reply<'jsz'>>, label: (reply: Reply<'jsz'>) => string): StreamView[] {
	const byStream = new Map<string, {account: string; candidates: Candidate[]}>();
	for (const reply of replies) {
		const server = label(reply);
		for (const account of reply.data.account_details) {
			for (const detail of account.stream_detail) {
				const key = `${account.name}\u0000${detail.name}`;
				let entry = byStream.get(key);
				if (!entry) {
					entry = {account: account.name, candidates: []};
					byStream.set(key, entry);
				}
				entry.candidates.push({server, serverId: reply.server.id, detail});
			}
		}
	}
	const views: StreamView[] = [];
	for (const {account, candidates} of byStream.values()) {
		const selfLed = candidates.find(c => c.detail.cluster?.leader === c.server);
		const unclustered = candidates.length === 1 && !candidates[0]!.detail.cluster?.leader ? candidates[0] : undefined;
		const leader = selfLed?.server ?? unclustered?.server ?? majority(candidates.map(c => c.detail.cluster?.leader ?? ''));
		const chosen = selfLed ?? unclustered ?? [...candidates].sort((a, b) => b.detail.state.last_seq - a.detail.state.last_seq)[0]!;
		const fromLeader = chosen === selfLed || chosen === unclustered;
		const replicas = fromLeader ? (chosen.detail.cluster?.replicas ?? []) : [];
		const clusterCount = (chosen.detail.cluster?.replicas.length ?? 0) + 1;
		views.push({
			account,
			name: chosen.detail.name,
			leader,
			fromLeader,
			server: chosen.server,
			serverId: chosen.serverId,
			detail: chosen.detail,
			replicas,
			replicaCount: chosen.detail.config?.num_replicas || clusterCount,
			hosts: candidates.map(c => c.server),
		});
	}
	return views;
}

/**
 * How far a mirror or source is behind its origin. The server's own figure (2.9.10 reports 0 even
 * while a mirror is thousands of messages behind); for a mirror of a stream in the same account
 * that answered too, also the origin's last sequence minus the mirror's (a mirror keeps the
 * origin's sequence numbers), whichever is larger.
 */
export function originBehind(view: StreamView, kind: 'mirror' | 'source', info: StreamSourceInfo, byName: ReadonlyMap<string, StreamView>): number {
	if (kind !== 'mirror' || info.external) return info.lag;
	const origin = byName.get(`${view.account}\u0000${info.name}`);
	if (!origin) return info.lag;
	return Math.max(info.lag, origin.detail.state.last_seq - view.detail.state.last_seq);
}

function byStreamName(views: readonly StreamView[]): Map<string, StreamView> {
	return new Map(views.map(v => [`${v.account}\u0000${v.name}`, v]));
}

/** What this refresh says about each replica and each mirror / source, for the lag tracker. */
export function lagObservations(views: readonly StreamView[]): {observations: Map<string, LagObservation>; keep: (key: string) => boolean} {
	const observations = new Map<string, LagObservation>();
	const unknown = new Set<string>();
	const byName = byStreamName(views);
	for (const view of views) {
		if (view.fromLeader) {
			for (const peer of view.replicas) {
				observations.set(replicaKey(view.account, view.name, peer.name), {current: peer.current, lag: peer.lag, offline: peer.offline});
			}
		} else {
			unknown.add(`r\u0000${view.account}\u0000${view.name}\u0000`);
		}
		const origins: Array<['mirror' | 'source', StreamSourceInfo]> = [
			...(view.detail.mirror ? [['mirror', view.detail.mirror] as ['mirror', StreamSourceInfo]] : []),
			...view.detail.sources.map(s => ['source', s] as ['source', StreamSourceInfo]),
		];
		for (const [kind, origin] of origins) {
			const lag = originBehind(view, kind, origin, byName);
			observations.set(originKey(view.account, view.name, kind, origin.name), {current: lag === 0, lag, offline: false, error: origin.error || undefined});
		}
	}
	return {observations, keep: key => [...unknown].some(prefix => key.startsWith(prefix))};
}

/**
 * One lag-tracker refresh from one streams answer (the app, --once and the tests call this once
 * per new answer). `names` maps server_id to server_name for replies that carry no name.
 */
export function trackLag(lag: LagTracker, replies: ReadonlyArray<Reply<'jsz'>>, names: ReadonlyMap<string, string> = new Map()): StreamView[] {
	const views = leaderViews(replies, r => r.server.name || names.get(r.server.id) || r.server.id);
	const {observations, keep} = lagObservations(views);
	lag.update(observations, keep);
	return views;
}

// --- streams view -------------------------------------------------------------------------------

const LEVEL_RANK: Record<LagLevel, number> = {critical: 3, warning: 2, behind: 1, ok: 0};

type ReplicaRow = {peer: PeerInfo; state?: LagState};

type StreamRow = {
	view: StreamView;
	replicas: ReplicaRow[];
	worstLevel: LagLevel;
	worstLag: number;
	/** `lag`: messages behind as natscope shows it (see originBehind). */
	origins: Array<{kind: 'mirror' | 'source'; info: StreamSourceInfo; lag: number; state?: LagState}>;
};

function streamRows(ctx: PanelContext, views: readonly StreamView[]): StreamRow[] {
	const byName = byStreamName(views);
	return views.map(view => {
		const replicas = view.replicas.map(peer => ({peer, state: ctx.lag.get(replicaKey(view.account, view.name, peer.name))}));
		const origins = [
			...(view.detail.mirror ? [{kind: 'mirror' as const, info: view.detail.mirror}] : []),
			...view.detail.sources.map(info => ({kind: 'source' as const, info})),
		].map(o => ({...o, lag: originBehind(view, o.kind, o.info, byName), state: ctx.lag.get(originKey(view.account, view.name, o.kind, o.info.name))}));
		const levels = [...replicas, ...origins].map(r => r.state?.level ?? 'ok');
		const worstLevel = levels.reduce<LagLevel>((w, l) => (LEVEL_RANK[l] > LEVEL_RANK[w] ? l : w), 'ok');
		const worstLag = Math.max(0, ...replicas.map(r => r.peer.lag), ...origins.map(o => o.lag));
		return {view, replicas, worstLevel, worstLag, origins};
	});
}

function sortStreams(rows: StreamRow[], sort: string, reverse: boolean): StreamRow[] {
	const byName = (a: StreamRow, b: StreamRow) => a.view.name.localeCompare(b.view.name) || a.view.account.localeCompare(b.view.account);
	const compare = (a: StreamRow, b: StreamRow): number => {
		switch (sort) {
			case 'name':
				return byName(a, b);
			case 'messages':
				return b.view.detail.state.messages - a.view.detail.state.messages || byName(a, b);
			case 'bytes':
				return b.view.detail.state.bytes - a.view.detail.state.bytes || byName(a, b);
			case 'consumers':
				return b.view.detail.state.consumer_count - a.view.detail.state.consumer_count || byName(a, b);
			default:
				return LEVEL_RANK[b.worstLevel] - LEVEL_RANK[a.worstLevel] || b.worstLag - a.worstLag || byName(a, b);
		}
	};
	const sorted = [...rows].sort(compare);
	return reverse ? sorted.reverse() : sorted;
}

export const LEVEL_TONE: Record<LagLevel, Tone | undefined> = {ok: undefined, behind: 'info', warning: 'warn', critical: 'error'};

function replicaMark(replica: ReplicaRow): string {
	if (replica.peer.offline) return '✖';
	const level = replica.state?.level;
	if (level === 'warning' || level === 'critical') return '!';
	if (!replica.peer.current || replica.peer.lag > 0) return '~';
	return '';
}

function replicasCell(row: StreamRow): string {
	const v = row.view;
	if (!v.fromLeader && v.replicaCount > 1) return `${v.leader || '?'}* (no leader view)`;
	return [`${v.leader || v.server}*`, ...row.replicas.map(r => `${r.peer.name}${replicaMark(r)}`)].join(' ');
}

function lagCell(row: StreamRow): string {
	if (!row.view.fromLeader && row.view.replicaCount > 1 && row.origins.length === 0) return '?';
	if (row.worstLevel === 'ok' && row.worstLag === 0) return '0';
	const lagging = [...row.replicas, ...row.origins.map(o => ({state: o.state}))].find(r => r.state && r.state.level !== 'ok');
	const trend = lagging?.state ? TREND_MARK[lagging.state.trend] : '';
	const flag = row.worstLevel === 'critical' ? '✖' : row.worstLevel === 'warning' ? '⚠' : '';
	return `${flag}${formatCount(row.worstLag, false)}${trend}`;
}

function streamColumns(ctx: PanelContext): Array<Column<StreamRow>> {
	const raw = ctx.raw;
	return [
		{id: 'name', title: 'STREAM', width: 14, grow: 10, align: 'left', priority: 0, cell: r => r.view.name},
		{id: 'account', title: 'ACCOUNT', width: 8, grow: 8, align: 'left', priority: 4, cell: r => r.view.account},
		{id: 'storage', title: 'STORE', width: 5, align: 'left', priority: 9, cell: r => (r.view.detail.config?.storage === 'memory' ? 'mem' : r.view.detail.config?.storage || '—')},
		{id: 'r', title: 'R', width: 2, align: 'right', priority: 7, cell: r => String(r.view.replicaCount)},
		{id: 'messages', title: 'MSGS', width: 7, align: 'right', priority: 3, cell: r => formatCount(r.view.detail.state.messages, raw)},
		{id: 'bytes', title: 'BYTES', width: 8, align: 'right', priority: 6, cell: r => formatBytes(r.view.detail.state.bytes, raw)},
		{id: 'first', title: 'FIRST', width: 9, align: 'right', priority: 10, cell: r => String(r.view.detail.state.first_seq)},
		{id: 'last', title: 'LAST', width: 9, align: 'right', priority: 8, cell: r => String(r.view.detail.state.last_seq)},
		{id: 'consumers', title: 'CONS', width: 4, align: 'right', priority: 5, cell: r => String(r.view.detail.state.consumer_count)},
		{id: 'lag', title: 'LAG', width: 8, align: 'right', priority: 1, cell: lagCell},
		{id: 'replicas', title: 'REPLICAS (*leader)', width: 20, grow: 40, align: 'left', priority: 2, cell: replicasCell},
	];
}

function replicaLine(ctx: PanelContext, replica: ReplicaRow): PanelLine {
	const {peer, state} = replica;
	const status = peer.offline ? 'OFFLINE' : peer.current ? 'current' : 'not current';
	// Below 90 columns: a narrower name and a shorter flag, so the line keeps to the width.
	const narrow = ctx.width < 90;
	const flag = state?.level === 'warning' ? `⚠ ${narrow ? '' : 'behind '}${state.behindFor} refreshes` : state?.level === 'critical' ? '✖ offline' : '';
	const lagging = peer.lag > 0 || (state?.history.some(l => l > 0) ?? false);
	const trend = state && lagging ? ` ${TREND_MARK[state.trend]}` : '';
	const base = `   └ ${fitToWidth(peer.name, narrow ? 12 : 16, 'left')} ${fitToWidth(status, 11, 'left')} active ${fitToWidth(nsText(peer.active_ns), 7, 'right')}  lag ${fitToWidth(formatCount(peer.lag, ctx.raw), 7, 'right')}${trend}`;
	// The sparkline takes what the flag leaves of the width (at most 20 cells, one per refresh).
	const room = ctx.width - displayWidth(base) - (flag ? displayWidth(flag) + 2 : 0) - 1;
	const sparkWidth = lagging ? Math.min(20, state?.history.length ?? 0, room) : 0;
	const spark = sparkWidth >= 3 ? ` ${lagSparkline(state, sparkWidth)}` : '';
	const text = `${base}${spark}${flag ? `  ${flag}` : ''}`;
	return {text, tone: LEVEL_TONE[state?.level ?? 'ok'] ?? (peer.current ? 'dim' : 'info')};
}

function originLine(ctx: PanelContext, row: StreamRow, origin: StreamRow['origins'][number]): string {
	const state = origin.state;
	const trend = state && origin.lag > 0 ? TREND_MARK[state.trend] : '';
	const flag = state?.level === 'warning' ? `⚠ behind ${state.behindFor} refreshes` : '';
	return [
		fitToWidth(row.view.name, 14, 'left'),
		fitToWidth(origin.kind, 6, 'left'),
		fitToWidth(`${origin.info.name}${origin.info.external ? ` (${origin.info.external})` : ''}`, 16, 'left'),
		fitToWidth(`${formatCount(origin.lag, ctx.raw)}${trend}`, 8, 'right'),
		fitToWidth(nsText(origin.info.active_ns), 8, 'right'),
		origin.info.error ? `✖ ${origin.info.error}` : flag,
	].join(' ');
}

export function streamRecord(row: StreamRow): Record<string, unknown> {
	const v = row.view;
	const s = v.detail.state;
	return {
		account: v.account,
		stream: v.name,
		storage: v.detail.config?.storage ?? null,
		replicas: v.replicaCount,
		leader: v.leader,
		from_leader: v.fromLeader,
		answered_by: v.server,
		messages: s.messages,
		bytes: s.bytes,
		first_seq: s.first_seq,
		last_seq: s.last_seq,
		consumers: s.consumer_count,
		worst_lag: row.worstLag,
		level: row.worstLevel,
	};
}

function peerRecord(replica: ReplicaRow): Record<string, unknown> {
	return {
		name: replica.peer.name,
		current: replica.peer.current,
		offline: replica.peer.offline,
		active_ns: replica.peer.active_ns,
		lag: replica.peer.lag,
		level: replica.state?.level ?? 'ok',
		behind_refreshes: replica.state?.behindFor ?? 0,
		trend: replica.state?.trend ?? 'steady',
	};
}

function originRecord(origin: StreamRow['origins'][number]): Record<string, unknown> {
	return {
		kind: origin.kind,
		name: origin.info.name,
		external: origin.info.external || null,
		lag: origin.lag,
		server_lag: origin.info.lag,
		active_ns: origin.info.active_ns,
		error: origin.info.error || null,
		level: origin.state?.level ?? 'ok',
		behind_refreshes: origin.state?.behindFor ?? 0,
		trend: origin.state?.trend ?? 'steady',
	};
}

/** The tracker's counts for --json, in the same snake_case as the rest of the document. */
function lagJson(lag: LagTracker): Record<string, unknown> {
	const s = lag.summary();
	return {replicas_lagging: s.replicasLagging, replicas_offline: s.replicasOffline, origins_lagging: s.originsLagging, origins_failing: s.originsFailing, behind: s.behind, text: s.text, warn_after_refreshes: lag.warnAfter};
}

/** The header's lag flag from the tracker ('' fields when nothing is flagged). */
export function lagAlert(lag: LagTracker): PanelModel['alert'] {
	const summary = lag.summary();
	if (!summary.text) return undefined;
	return {text: `⚠ ${summary.text}`, tone: summary.tone === 'error' ? 'error' : 'warn'};
}

export function buildStreamsModel(ctx: PanelContext): PanelModel {
	const replies = repliesOf<'jsz'>(ctx, NEED_JSZ_STREAMS);
	const views = leaderViews(replies, r => serverLabel(ctx, r));
	const all = streamRows(ctx, views);
	const filtered = all.filter(r => matchesFilter(ctx.panel.filter, r.view.name, r.view.account, r.view.leader, ...(r.view.detail.config?.subjects ?? [])));
	const sort = ctx.panel.sort || 'lag';
	const rows = sortStreams(filtered, sort, ctx.panel.reverse);
	const selected = clampSelected(ctx.panel.selected, rows.length);
	const table = layoutTable(streamColumns(ctx), ctx.width, {id: sort, arrow: arrow(sort !== 'name', ctx.panel.reverse)});
	const lines: PanelLine[] = [];
	rows.forEach((row, index) => {
		lines.push({text: table.row(row), row: index, tone: LEVEL_TONE[row.worstLevel]});
		const showReplicas = ctx.expanded || row.replicas.some(r => (r.state?.level ?? 'ok') !== 'ok' || !r.peer.current || r.peer.lag > 0 || r.peer.offline);
		if (showReplicas) for (const replica of row.replicas) lines.push({...replicaLine(ctx, replica), row: index});
	});
	const originRows = rows.flatMap(row => row.origins.map(origin => ({row, origin, index: rows.indexOf(row)})));
	const originLines: PanelLine[] = originRows.map(({row, origin, index}) => ({text: originLine(ctx, row, origin), tone: origin.info.error ? 'error' : LEVEL_TONE[origin.state?.level ?? 'ok'], row: index}));

	const notes: string[] = [];
	const clustered = views.filter(v => v.replicaCount > 1);
	const blind = clustered.filter(v => !v.fromLeader);
	if (blind.length > 0) {
		const leaders = [...new Set(blind.map(v => v.leader).filter(Boolean))].slice(0, 3).join(', ');
		notes.push(`${blind.length} stream${blind.length === 1 ? '' : 's'} without the leader's reply: replica state needs ${leaders ? `the leader (${leaders})` : 'the leader'}`);
	}
	if (ctx.panel.filter) notes.push(`filter "${ctx.panel.filter}" is local`);
	const totalAccounts = Math.max(0, ...replies.map(r => r.data.accounts));
	const offset = ctx.panel.offset;
	const paged = totalAccounts > JSZ_ACCOUNTS_PAGE || offset > 0;
	if (paged) notes.push(`accounts ${offset + 1}–${Math.min(totalAccounts, offset + JSZ_ACCOUNTS_PAGE)} of ${totalAccounts} ([ ] pages)`);
	const status = ctx.needs.get(NEED_JSZ_STREAMS);
	const loaded = Boolean(status?.current);
	const summary = `${rows.length}${filtered.length !== all.length ? ` of ${all.length}` : ''} stream${all.length === 1 ? '' : 's'} · sort ${sort} ${arrow(sort !== 'name', ctx.panel.reverse)} · replica state from each stream leader`;
	const selectedRow = rows[selected];
	return {
		summary,
		sections: [
			{header: table.header, lines, empty: loaded ? (all.length === 0 ? 'no streams' : 'no stream matches the filter') : waitingText(ctx, NEED_JSZ_STREAMS, '/jsz with streams')},
			...(originLines.length > 0 ? [{title: 'Mirrors and sources (lag = messages behind the origin)', header: `${fitToWidth('STREAM', 14, 'left')} ${fitToWidth('KIND', 6, 'left')} ${fitToWidth('ORIGIN', 16, 'left')} ${fitToWidth('LAG', 8, 'right')} ${fitToWidth('ACTIVE', 8, 'right')} STATUS`, lines: originLines}] : []),
		],
		total: rows.length,
		selected,
		notes,
		alert: lagAlert(ctx.lag),
		json: {
			streams: rows.map(row => ({...streamRecord(row), replica_state: row.replicas.map(peerRecord), origins: row.origins.map(originRecord)})),
			lag: lagJson(ctx.lag),
			accounts: {offset, limit: JSZ_ACCOUNTS_PAGE, total: totalAccounts},
		},
		records: rows.map(streamRecord),
		selection: selectedRow ? {account: selectedRow.view.account, stream: selectedRow.view.name} : undefined,
	};
}

// --- JetStream view -----------------------------------------------------------------------------

type ServerRow = {name: string; id: string; jsz: Jsz; previous?: Jsz; metaLeader: boolean};

function perSecond(previous: number | undefined, current: number, elapsedMs: number | undefined): number | undefined {
	if (previous === undefined || elapsedMs === undefined || !(elapsedMs > 0) || current < previous) return undefined;
	return ((current - previous) * 1000) / elapsedMs;
}

function elapsed(previous: Jsz | undefined, current: Jsz): number | undefined {
	if (!previous || previous.server_id !== current.server_id) return undefined;
	const ms = current.now_ms - previous.now_ms;
	return ms > 0 ? ms : undefined;
}

function usage(used: number, reserved: number, max: number, raw: boolean): string {
	return `${formatBytes(used, raw)}/${formatBytes(reserved, raw)}/${formatBytes(max, raw)}`;
}

function sortJetStream(rows: ServerRow[], sort: string, reverse: boolean): ServerRow[] {
	const value = (r: ServerRow): number => {
		switch (sort) {
			case 'storage':
				return r.jsz.storage;
			case 'memory':
				return r.jsz.memory;
			case 'messages':
				return r.jsz.messages;
			case 'api':
				return r.jsz.api.total;
			default:
				return 0;
		}
	};
	const sorted = [...rows].sort((a, b) => (sort === 'name' || !sort ? a.name.localeCompare(b.name) : value(b) - value(a) || a.name.localeCompare(b.name)));
	return reverse ? sorted.reverse() : sorted;
}

function peerLine(peer: PeerInfo, leader: boolean, raw: boolean): PanelLine {
	const status = leader ? 'leader' : peer.offline ? 'OFFLINE' : peer.current ? 'current' : 'not current';
	const text = [
		fitToWidth(peer.name, 16, 'left'),
		fitToWidth(status, 11, 'left'),
		fitToWidth(leader ? '—' : nsText(peer.active_ns), 8, 'right'),
		fitToWidth(leader ? '—' : formatCount(peer.lag, raw), 8, 'right'),
		fitToWidth(peer.peer, 10, 'left'),
	].join(' ');
	return {text, tone: peer.offline ? 'error' : !leader && !peer.current ? 'warn' : undefined};
}

export function buildJetStreamModel(ctx: PanelContext): PanelModel {
	const replies = repliesOf<'jsz'>(ctx, NEED_JSZ);
	const previous = new Map(repliesOf<'jsz'>(ctx, NEED_JSZ, 'previous').map(r => [r.server.id, r.data]));
	const all: ServerRow[] = replies.map(r => {
		const name = serverLabel(ctx, r);
		return {name, id: r.server.id, jsz: r.data, previous: previous.get(r.server.id), metaLeader: Boolean(r.data.meta_cluster?.leader) && r.data.meta_cluster?.leader === name};
	});
	const filtered = all.filter(r => matchesFilter(ctx.panel.filter, r.name));
	const sort = ctx.panel.sort || 'name';
	const rows = sortJetStream(filtered, sort, ctx.panel.reverse);
	const selected = clampSelected(ctx.panel.selected, rows.length);
	const raw = ctx.raw;
	const columns: Array<Column<ServerRow>> = [
		{id: 'name', title: 'SERVER', width: 12, grow: 12, align: 'left', priority: 0, cell: r => `${r.name}${r.metaLeader ? '*' : ''}`},
		{id: 'memory', title: 'MEMORY used/res/max', width: 20, align: 'left', priority: 3, cell: r => (r.jsz.disabled ? 'JetStream off' : usage(r.jsz.memory, r.jsz.reserved_memory, r.jsz.config.max_memory, raw))},
		{id: 'storage', title: 'STORAGE used/res/max', width: 21, align: 'left', priority: 1, cell: r => (r.jsz.disabled ? '' : usage(r.jsz.storage, r.jsz.reserved_storage, r.jsz.config.max_storage, raw))},
		{id: 'streams', title: 'STRMS', width: 5, align: 'right', priority: 2, cell: r => formatCount(r.jsz.streams, raw)},
		{id: 'consumers', title: 'CONS', width: 5, align: 'right', priority: 4, cell: r => formatCount(r.jsz.consumers, raw)},
		{id: 'messages', title: 'MSGS', width: 7, align: 'right', priority: 5, cell: r => formatCount(r.jsz.messages, raw)},
		{id: 'bytes', title: 'BYTES', width: 8, align: 'right', priority: 9, cell: r => formatBytes(r.jsz.bytes, raw)},
		{id: 'api', title: 'API', width: 7, align: 'right', priority: 7, cell: r => formatCount(r.jsz.api.total, raw)},
		{id: 'api_rate', title: 'API/s', width: 7, align: 'right', priority: 6, cell: r => formatRate(perSecond(r.previous?.api.total, r.jsz.api.total, elapsed(r.previous, r.jsz)), 'msgs', raw)},
		{id: 'errors', title: 'ERR', width: 5, align: 'right', priority: 8, cell: r => formatCount(r.jsz.api.errors, raw)},
		{id: 'err_rate', title: 'ERR/s', width: 6, align: 'right', priority: 10, cell: r => formatRate(perSecond(r.previous?.api.errors, r.jsz.api.errors, elapsed(r.previous, r.jsz)), 'msgs', raw)},
		{id: 'ha', title: 'HA', width: 4, align: 'right', priority: 11, cell: r => formatCount(r.jsz.ha_assets, raw)},
	];
	const table = layoutTable(columns, ctx.width, {id: sort, arrow: arrow(sort !== 'name', ctx.panel.reverse)});
	const lines: PanelLine[] = rows.map((row, index) => ({text: table.row(row), row: index, tone: row.jsz.disabled ? 'dim' : row.jsz.api.errors > (row.previous?.api.errors ?? row.jsz.api.errors) ? 'warn' : undefined}));

	// The meta group: peer state from the meta leader's own reply.
	const meta = replies.map(r => ({name: serverLabel(ctx, r), meta: r.data.meta_cluster})).filter((m): m is {name: string; meta: NonNullable<Jsz['meta_cluster']>} => m.meta !== undefined);
	const leaderName = majority(meta.map(m => m.meta.leader));
	const fromLeader = meta.find(m => m.name === leaderName && m.meta.leader === m.name);
	const metaLines: PanelLine[] = [];
	let metaEmpty = '';
	let metaTitle = 'Meta group';
	if (meta.length === 0) {
		metaEmpty = replies.length === 0 ? '' : replies.every(r => r.data.disabled) ? 'JetStream is off on every server that answered' : 'not clustered: no meta group';
	} else {
		const first = meta[0]!.meta;
		metaTitle = `Meta group ${first.name} · ${first.cluster_size} peers · leader ${leaderName || 'none'}`;
		if (fromLeader) {
			metaLines.push(peerLine({name: fromLeader.name, current: true, offline: false, active_ns: 0, lag: 0, peer: fromLeader.meta.peer}, true, raw));
			for (const peer of [...fromLeader.meta.replicas].sort((a, b) => a.name.localeCompare(b.name))) metaLines.push(peerLine(peer, false, raw));
		} else {
			metaEmpty = leaderName ? `peer state needs the meta leader's reply (${leaderName} did not answer)` : 'no meta leader: the group has no quorum';
		}
	}
	const metaHeader = [fitToWidth('PEER', 16, 'left'), fitToWidth('STATE', 11, 'left'), fitToWidth('ACTIVE', 8, 'right'), fitToWidth('LAG', 8, 'right'), fitToWidth('ID', 10, 'left')].join(' ');
	const loaded = Boolean(ctx.needs.get(NEED_JSZ)?.current);
	const total = (f: (j: Jsz) => number) => all.reduce((sum, r) => sum + f(r.jsz), 0);
	return {
		summary: `${all.length} server${all.length === 1 ? '' : 's'} · ${formatCount(total(j => j.streams), raw)} streams · ${formatCount(total(j => j.consumers), raw)} consumers (replicas counted on each server) · * meta leader`,
		sections: [
			{header: table.header, lines, empty: loaded ? 'no server matches the filter' : waitingText(ctx, NEED_JSZ, '/jsz')},
			{title: metaTitle, header: metaLines.length > 0 ? metaHeader : undefined, lines: metaLines, empty: metaEmpty || undefined},
		],
		total: rows.length,
		selected,
		notes: ctx.panel.filter ? [`filter "${ctx.panel.filter}" is local`] : [],
		alert: lagAlert(ctx.lag),
		json: {
			servers: rows.map(jetstreamRecord),
			meta: fromLeader
				? {name: fromLeader.meta.name, leader: leaderName, cluster_size: fromLeader.meta.cluster_size, peers: fromLeader.meta.replicas}
				: meta[0]
					? {name: meta[0].meta.name, leader: leaderName || null, cluster_size: meta[0].meta.cluster_size, peers: null}
					: null,
		},
		records: rows.map(jetstreamRecord),
	};
}

function jetstreamRecord(r: ServerRow): Record<string, unknown> {
	const j = r.jsz;
	const ms = elapsed(r.previous, j);
	const round = (v: number | undefined) => (v === undefined ? null : Math.round(v * 1000) / 1000);
	return {
		server_name: r.name,
		server_id: r.id,
		disabled: j.disabled,
		meta_leader: r.metaLeader,
		memory: j.memory,
		reserved_memory: j.reserved_memory,
		max_memory: j.config.max_memory,
		storage: j.storage,
		reserved_storage: j.reserved_storage,
		max_storage: j.config.max_storage,
		streams: j.streams,
		consumers: j.consumers,
		messages: j.messages,
		bytes: j.bytes,
		api_total: j.api.total,
		api_errors: j.api.errors,
		api_per_sec: round(perSecond(r.previous?.api.total, j.api.total, ms)),
		api_errors_per_sec: round(perSecond(r.previous?.api.errors, j.api.errors, ms)),
		ha_assets: j.ha_assets,
	};
}

// --- consumers of one stream ---------------------------------------------------------------------

type ConsumerRow = {
	consumer: ConsumerDetail;
	server: string;
	fromLeader: boolean;
	leader: string;
	deliveredRate?: number;
	ackRate?: number;
};

function consumerRows(ctx: PanelContext, account: string, stream: string): ConsumerRow[] {
	const replies = repliesOf<'jsz'>(ctx, NEED_JSZ_CONSUMERS);
	const previous = new Map(repliesOf<'jsz'>(ctx, NEED_JSZ_CONSUMERS, 'previous').map(r => [r.server.id, r.data]));
	const candidates = new Map<string, Array<{server: string; consumer: ConsumerDetail; previous?: ConsumerDetail; elapsedMs?: number}>>();
	for (const reply of replies) {
		const server = serverLabel(ctx, reply);
		const before = previous.get(reply.server.id);
		const ms = elapsed(before, reply.data);
		const prevStream = before?.account_details.find(a => a.name === account)?.stream_detail.find(s => s.name === stream);
		const detail = reply.data.account_details.find(a => a.name === account)?.stream_detail.find(s => s.name === stream);
		for (const consumer of detail?.consumer_detail ?? []) {
			const list = candidates.get(consumer.name) ?? [];
			list.push({server, consumer, previous: prevStream?.consumer_detail.find(c => c.name === consumer.name), elapsedMs: ms});
			candidates.set(consumer.name, list);
		}
	}
	const rows: ConsumerRow[] = [];
	for (const list of candidates.values()) {
		const selfLed = list.find(c => c.consumer.cluster?.leader === c.server);
		const single = list.length === 1 && !list[0]!.consumer.cluster?.leader ? list[0] : undefined;
		const chosen = selfLed ?? single ?? list[0]!;
		const c = chosen.consumer;
		const p = chosen.previous;
		rows.push({
			consumer: c,
			server: chosen.server,
			fromLeader: chosen === selfLed || chosen === single,
			leader: c.cluster?.leader ?? chosen.server,
			deliveredRate: p ? perSecond(p.delivered.stream_seq, c.delivered.stream_seq, chosen.elapsedMs) : undefined,
			ackRate: p ? perSecond(p.ack_floor.stream_seq, c.ack_floor.stream_seq, chosen.elapsedMs) : undefined,
		});
	}
	return rows;
}

function sortConsumers(rows: ConsumerRow[], sort: string, reverse: boolean): ConsumerRow[] {
	const byName = (a: ConsumerRow, b: ConsumerRow) => a.consumer.name.localeCompare(b.consumer.name);
	const sorted = [...rows].sort((a, b) => {
		switch (sort) {
			case 'name':
				return byName(a, b);
			case 'ack_pending':
				return b.consumer.num_ack_pending - a.consumer.num_ack_pending || byName(a, b);
			case 'redelivered':
				return b.consumer.num_redelivered - a.consumer.num_redelivered || byName(a, b);
			default:
				return b.consumer.num_pending - a.consumer.num_pending || byName(a, b);
		}
	});
	return reverse ? sorted.reverse() : sorted;
}

function consumerRecord(r: ConsumerRow): Record<string, unknown> {
	const c = r.consumer;
	const round = (v: number | undefined) => (v === undefined ? null : Math.round(v * 1000) / 1000);
	return {
		stream: c.stream_name,
		consumer: c.name,
		durable: Boolean(c.durable_name),
		ack_policy: c.ack_policy,
		num_pending: c.num_pending,
		num_ack_pending: c.num_ack_pending,
		num_redelivered: c.num_redelivered,
		num_waiting: c.num_waiting,
		delivered_stream_seq: c.delivered.stream_seq,
		delivered_consumer_seq: c.delivered.consumer_seq,
		ack_floor_stream_seq: c.ack_floor.stream_seq,
		ack_floor_consumer_seq: c.ack_floor.consumer_seq,
		delivered_per_sec: round(r.deliveredRate),
		acked_per_sec: round(r.ackRate),
		leader: r.leader,
		from_leader: r.fromLeader,
	};
}

export function buildConsumersModel(ctx: PanelContext): PanelModel {
	const target = ctx.stream;
	const raw = ctx.raw;
	if (!target) {
		return {summary: 'consumers', sections: [{lines: [], empty: 'select a stream in the streams view and press Enter'}], total: 0, selected: 0, notes: [], json: {consumers: []}, records: []};
	}
	const all = consumerRows(ctx, target.account, target.name);
	const filtered = all.filter(r => matchesFilter(ctx.panel.filter, r.consumer.name, r.consumer.filter_subject));
	const sort = ctx.panel.sort || 'pending';
	const rows = sortConsumers(filtered, sort, ctx.panel.reverse);
	const selected = clampSelected(ctx.panel.selected, rows.length);
	const columns: Array<Column<ConsumerRow>> = [
		{id: 'name', title: 'CONSUMER', width: 14, grow: 14, align: 'left', priority: 0, cell: r => r.consumer.name},
		{id: 'pending', title: 'PENDING', width: 8, align: 'right', priority: 1, cell: r => formatCount(r.consumer.num_pending, raw)},
		{id: 'ack_pending', title: 'ACK_PEND', width: 8, align: 'right', priority: 2, cell: r => formatCount(r.consumer.num_ack_pending, raw)},
		{id: 'redelivered', title: 'REDELIV', width: 7, align: 'right', priority: 3, cell: r => formatCount(r.consumer.num_redelivered, raw)},
		{id: 'waiting', title: 'WAITING', width: 7, align: 'right', priority: 6, cell: r => formatCount(r.consumer.num_waiting, raw)},
		{id: 'delivered', title: 'DELIVERED', width: 9, align: 'right', priority: 4, cell: r => String(r.consumer.delivered.stream_seq)},
		{id: 'ack_floor', title: 'ACK_FLOOR', width: 9, align: 'right', priority: 5, cell: r => String(r.consumer.ack_floor.stream_seq)},
		{id: 'delivered_rate', title: 'DELIV/s', width: 8, align: 'right', priority: 7, cell: r => formatRate(r.deliveredRate, 'msgs', raw)},
		{id: 'ack_rate', title: 'ACK/s', width: 8, align: 'right', priority: 8, cell: r => formatRate(r.ackRate, 'msgs', raw)},
		{id: 'leader', title: 'LEADER', width: 10, grow: 6, align: 'left', priority: 9, cell: r => `${r.leader}${r.fromLeader ? '' : '?'}`},
		{id: 'ack', title: 'ACK', width: 8, align: 'left', priority: 10, cell: r => r.consumer.ack_policy},
	];
	const table = layoutTable(columns, ctx.width, {id: sort, arrow: arrow(sort !== 'name', ctx.panel.reverse)});
	const lines = rows.map((row, index): PanelLine => ({text: table.row(row), row: index, tone: row.consumer.num_redelivered > 0 ? 'warn' : undefined}));
	const loaded = Boolean(ctx.needs.get(NEED_JSZ_CONSUMERS)?.current);
	const notes = rows.some(r => !r.fromLeader) ? ['some consumers without their leader\'s reply (LEADER marked ?): figures from a replica'] : [];
	if (ctx.panel.filter) notes.push(`filter "${ctx.panel.filter}" is local`);
	return {
		summary: `consumers of ${target.name} (account ${target.account}) · ${rows.length} · sort ${sort} · from each consumer's leader · Esc back`,
		sections: [{header: table.header, lines, empty: loaded ? (all.length === 0 ? `stream ${target.name} has no consumers` : 'no consumer matches the filter') : waitingText(ctx, NEED_JSZ_CONSUMERS, '/jsz with consumers')}],
		total: rows.length,
		selected,
		notes,
		alert: lagAlert(ctx.lag),
		json: {account: target.account, stream: target.name, consumers: rows.map(consumerRecord)},
		records: rows.map(consumerRecord),
	};
}
