// The connections table's columns: what each shows, how wide it may be, and which ones give
// way first when the terminal is narrow.
import type {ConnState, ConnzSortKey} from '../sources/types.js';
import type {ConnRow} from './connections.js';
import {SORT_DIRECTION, SORT_KEYS} from './capabilities.js';
import {fitToWidth, formatBytes, formatCount, formatDuration, formatRate, formatTimestamp, parseDuration} from './format.js';

export type ColumnId =
	| 'server'
	| 'cid'
	| 'name'
	| 'host'
	| 'account'
	| 'subs'
	| 'pending'
	| 'msgs_to'
	| 'msgs_from'
	| 'bytes_to'
	| 'bytes_from'
	| 'lang'
	| 'version'
	| 'rtt'
	| 'uptime'
	| 'idle'
	| 'last'
	| 'start'
	| 'stop'
	| 'reason'
	| 'subjects';

export type Mode = 'rates' | 'totals';

export type ColumnSpec = {
	id: ColumnId;
	title: string;
	align: 'left' | 'right';
	minWidth: number;
	/** Flexible columns grow up to this with the room left over. */
	maxWidth?: number;
	sortKey?: ConnzSortKey;
	/** Lower = kept longer when the terminal is narrow. */
	priority: number;
	format(row: ConnRow, options: {raw: boolean; mode: Mode}): string;
};

function pending(row: ConnRow, raw: boolean): string {
	const bytes = formatBytes(row.conn.pending_bytes, raw);
	if (row.pendingPct === undefined || row.conn.pending_bytes <= 0) return bytes;
	const pct = row.pendingPct;
	if (!(pct > 0)) return bytes;
	return `${bytes} ${pct < 1 ? '<1' : Math.round(pct)}%`;
}

/**
 * Table cells spell microseconds "us": a row with one non-ASCII character makes Ink measure the
 * whole row through string-width's grapheme segmenter (about 0.2 ms a row, twice a frame),
 * while an ASCII row measures by its length. The detail view keeps "µs".
 */
function duration(text: string): string {
	const ms = parseDuration(text);
	return ms === undefined ? text : formatDuration(ms).replace('µs', 'us');
}

function traffic(total: number, rate: number | undefined, unit: 'msgs' | 'bytes', options: {raw: boolean; mode: Mode}): string {
	if (options.mode === 'rates') return formatRate(rate, unit, options.raw);
	return unit === 'msgs' ? formatCount(total, options.raw) : formatBytes(total, options.raw);
}

/** Kept longest first: what identifies a row and what people sort by outlive the rest. */
const PRIORITY: readonly ColumnId[] = [
	'cid',
	'server',
	'name',
	// only shown for closed connections, where they are the point
	'reason',
	'stop',
	'pending',
	'msgs_to',
	'msgs_from',
	'subs',
	'host',
	'bytes_to',
	'bytes_from',
	'account',
	'rtt',
	'idle',
	'uptime',
	'lang',
	'version',
	'last',
	'start',
	'subjects',
];

/** In display order. */
const COLUMNS: ReadonlyArray<Omit<ColumnSpec, 'priority'>> = [
	{id: 'server', title: 'SERVER', align: 'left', minWidth: 8, maxWidth: 16, format: r => r.serverName || r.serverId.slice(0, 8)},
	{id: 'cid', title: 'CID', align: 'right', minWidth: 6, sortKey: 'cid', format: r => String(r.conn.cid)},
	{id: 'name', title: 'NAME', align: 'left', minWidth: 16, maxWidth: 32, format: r => r.conn.name},
	{id: 'host', title: 'HOST', align: 'left', minWidth: 15, maxWidth: 40, format: r => r.host},
	{id: 'account', title: 'ACCOUNT', align: 'left', minWidth: 8, maxWidth: 20, format: r => r.conn.account},
	{id: 'subs', title: 'SUBS', align: 'right', minWidth: 5, sortKey: 'subs', format: (r, o) => formatCount(r.conn.subscriptions, o.raw)},
	{id: 'pending', title: 'PENDING', align: 'right', minWidth: 12, sortKey: 'pending', format: (r, o) => pending(r, o.raw)},
	{id: 'msgs_to', title: 'MSGS_TO', align: 'right', minWidth: 9, sortKey: 'msgs_to', format: (r, o) => traffic(r.conn.out_msgs, r.rates?.msgsTo, 'msgs', o)},
	{id: 'msgs_from', title: 'MSGS_FROM', align: 'right', minWidth: 10, sortKey: 'msgs_from', format: (r, o) => traffic(r.conn.in_msgs, r.rates?.msgsFrom, 'msgs', o)},
	{id: 'bytes_to', title: 'BYTES_TO', align: 'right', minWidth: 11, sortKey: 'bytes_to', format: (r, o) => traffic(r.conn.out_bytes, r.rates?.bytesTo, 'bytes', o)},
	{id: 'bytes_from', title: 'BYTES_FROM', align: 'right', minWidth: 11, sortKey: 'bytes_from', format: (r, o) => traffic(r.conn.in_bytes, r.rates?.bytesFrom, 'bytes', o)},
	{id: 'lang', title: 'LANG', align: 'left', minWidth: 7, format: r => r.conn.lang},
	{id: 'version', title: 'VERSION', align: 'left', minWidth: 8, format: r => r.conn.version},
	{id: 'rtt', title: 'RTT', align: 'right', minWidth: 7, sortKey: 'rtt', format: r => duration(r.conn.rtt)},
	{id: 'uptime', title: 'UPTIME', align: 'right', minWidth: 7, sortKey: 'uptime', format: r => duration(r.conn.uptime)},
	{id: 'idle', title: 'IDLE', align: 'right', minWidth: 7, sortKey: 'idle', format: r => duration(r.conn.idle)},
	{id: 'last', title: 'LAST', align: 'left', minWidth: 19, sortKey: 'last', format: r => formatTimestamp(r.conn.last_activity)},
	{id: 'start', title: 'START', align: 'left', minWidth: 19, sortKey: 'start', format: r => formatTimestamp(r.conn.start)},
	{id: 'stop', title: 'STOP', align: 'left', minWidth: 19, sortKey: 'stop', format: r => formatTimestamp(r.conn.stop)},
	{id: 'reason', title: 'REASON', align: 'left', minWidth: 16, maxWidth: 28, sortKey: 'reason', format: r => r.conn.reason},
	{id: 'subjects', title: 'SUBSCRIPTIONS', align: 'left', minWidth: 14, maxWidth: 80, format: r => subjects(r)},
];

export const CONNECTION_COLUMNS: readonly ColumnSpec[] = COLUMNS.map(spec => ({...spec, priority: columnPriority(spec.id)}));

function subjects(row: ConnRow): string {
	const list = row.conn.subscriptions_list.length > 0 ? row.conn.subscriptions_list : row.conn.subscriptions_list_detail.map(s => s.subject);
	return list.join(',');
}

export function columnPriority(id: ColumnId): number {
	const index = PRIORITY.indexOf(id);
	return index < 0 ? PRIORITY.length : index;
}

export type ColumnsOptions = {mode: Mode; state: ConnState; showSubs: boolean; multiServer: boolean};

export type ColumnLayout = {
	columns: Array<{spec: ColumnSpec; width: number}>;
	/** Total cells including one-space separators. */
	width: number;
	mode: Mode;
};

function wanted(options: ColumnsOptions): ColumnSpec[] {
	return CONNECTION_COLUMNS.filter(spec => {
		if (spec.id === 'server') return options.multiServer;
		if (spec.id === 'stop' || spec.id === 'reason') return options.state !== 'open';
		if (spec.id === 'subjects') return options.showSubs;
		return true;
	});
}

const layoutCache = new Map<string, ColumnLayout>();

export function fitColumns(options: ColumnsOptions, width: number): ColumnLayout {
	const cacheKey = `${options.mode}|${options.state}|${options.showSubs}|${options.multiServer}|${width}`;
	const cached = layoutCache.get(cacheKey);
	if (cached) return cached;

	let specs = wanted(options);
	const needed = (list: ColumnSpec[]) => list.reduce((sum, s) => sum + s.minWidth, 0) + Math.max(0, list.length - 1);
	while (specs.length > 1 && needed(specs) > width) {
		const drop = specs.reduce((worst, s) => (columnPriority(s.id) > columnPriority(worst.id) ? s : worst));
		specs = specs.filter(s => s !== drop);
	}
	const columns = specs.map(spec => ({spec, width: spec.minWidth}));
	let spare = width - needed(specs);
	// Hand the room left over to the text columns, a cell at a time, so they grow evenly.
	while (spare > 0) {
		const growing = columns.filter(c => c.spec.maxWidth !== undefined && c.width < c.spec.maxWidth);
		if (growing.length === 0) break;
		for (const column of growing) {
			if (spare === 0) break;
			column.width++;
			spare--;
		}
	}
	if (columns.length === 1) columns[0]!.width = Math.max(0, Math.min(columns[0]!.width, Math.floor(width)));
	const layout: ColumnLayout = {
		columns,
		width: columns.reduce((sum, c) => sum + c.width, 0) + Math.max(0, columns.length - 1),
		mode: options.mode,
	};
	if (layoutCache.size > 200) layoutCache.clear();
	layoutCache.set(cacheKey, layout);
	return layout;
}

export function formatHeaderLine(layout: ColumnLayout, sort: {key: ConnzSortKey; reverse: boolean}): string {
	const descending = (SORT_DIRECTION[sort.key] === 'desc') !== sort.reverse;
	return layout.columns
		.map(({spec, width}) => {
			if (spec.sortKey !== sort.key) return fitToWidth(spec.title, width, spec.align);
			// The marker survives a narrow column: the title gives way, not the arrow.
			const marker = descending ? '▼' : '▲';
			const title = spec.title.length + 1 <= width ? spec.title : spec.title.slice(0, Math.max(0, width - 1));
			return fitToWidth(`${title}${marker}`, width, spec.align);
		})
		.join(' ');
}

export function formatRowLine(layout: ColumnLayout, row: ConnRow, options: {raw: boolean; mode?: Mode}): string {
	const cellOptions = {raw: options.raw, mode: options.mode ?? layout.mode};
	let line = '';
	for (let i = 0; i < layout.columns.length; i++) {
		const {spec, width} = layout.columns[i]!;
		if (i > 0) line += ' ';
		line += fitToWidth(spec.format(row, cellOptions), width, spec.align);
	}
	return line;
}

/** Sort keys for < and >: visible columns in display order, then the rest. */
export function sortKeyColumns(options: ColumnsOptions, width: number): ConnzSortKey[] {
	const visible = fitColumns(options, width)
		.columns.map(c => c.spec.sortKey)
		.filter((k): k is ConnzSortKey => k !== undefined);
	const allowed = (k: ConnzSortKey) => options.state !== 'open' || (k !== 'stop' && k !== 'reason');
	const rest = SORT_KEYS.filter(k => !visible.includes(k) && allowed(k));
	return [...visible.filter(allowed), ...rest];
}
