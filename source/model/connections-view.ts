// From a /connz answer to the lines of the connections table: rows with rates, local
// filter/sort where the plan says so, the window on screen, and what the status line says.
import type {ConnInfo, Connz, ConnzSortKey, ConnState} from '../sources/types.js';
import {
	connRowMaker,
	filterRows,
	sortRowsLocally,
	mergeTopN,
	type ConnRow,
} from './connections.js';
import {fitColumns, formatHeaderLine, formatRowLine, sortKeyColumns, type ColumnLayout, type ColumnsOptions} from './columns.js';
import {connMatchesSubject} from './subject.js';
import {MERGE_MAX_ROWS, windowStart, type ConnectionsPlan} from './plan.js';
import {SORT_DIRECTION} from './capabilities.js';
import {fitToWidth} from './format.js';
import {groupDigits} from './digits.js';
import type {SeenConnections} from './seen.js';

export type ConnectionsAnswer = {
	/** One /connz per server that answered. */
	connz: Connz[];
	previous: Connz[];
	/** Server id → name, for the SERVER column and row keys. */
	serverNames: ReadonlyMap<string, string>;
	/** Server id → varz max_pending, for PENDING %. */
	maxPending: ReadonlyMap<string, number>;
	/** Earlier samples of every connection, for rates of rows absent from `previous`. */
	seen?: SeenConnections;
};

export type ConnectionsViewInput = {
	answer?: ConnectionsAnswer;
	plan: ConnectionsPlan;
	sort: ConnzSortKey;
	reverse: boolean;
	state: ConnState;
	filter: string;
	subject?: string;
	scrollTop: number;
	pageSize: number;
	selected: number;
	width: number;
	mode: 'rates' | 'totals';
	showSubs: boolean;
	raw: boolean;
	resolveHost?: (ip: string) => string | undefined;
};

export type RowRef = {serverId: string; cid: number};

export type ConnectionsModel = {
	headerLine: string;
	lines: string[];
	/** Index into `lines` of the selected row, if on screen and loaded. */
	selectedLine?: number;
	selectedRow?: RowRef;
	/** Length of the list the user scrolls. */
	total: number;
	/** "1–17 of 3,214" */
	showing: string;
	sortLabel: string;
	notes: string[];
	empty?: string;
	sortKeys: ConnzSortKey[];
	/** Rows on screen, for one-shot outputs. */
	rows: ConnRow[];
};

/**
 * The rows of one answer, each built when first asked for: a page of 1,024 fetched rows shows
 * about 40, and only those need rates, hosts and lines while the server does the sorting.
 */
class AnswerRows {
	private readonly built: Array<ConnRow | undefined>;

	constructor(
		private readonly connz: Connz,
		private readonly make: (conn: ConnInfo) => ConnRow,
	) {
		this.built = new Array<ConnRow | undefined>(connz.connections.length);
	}

	get length(): number {
		return this.connz.connections.length;
	}

	at(index: number): ConnRow | undefined {
		if (index < 0 || index >= this.length) return undefined;
		return (this.built[index] ??= this.make(this.connz.connections[index]!));
	}

	all(): ConnRow[] {
		for (let i = 0; i < this.length; i++) this.at(i);
		return this.built as ConnRow[];
	}
}

const rowsCache = new WeakMap<Connz, {key: string; rows: AnswerRows}>();

/** Rows once per answer (and per DNS/max-pending change), not once per frame. */
function rowsFor(connz: Connz, previous: Connz | undefined, answer: ConnectionsAnswer, resolveHost?: (ip: string) => string | undefined): AnswerRows {
	const key = `${previous?.now ?? ''}|${resolveHost ? 'dns' : ''}`;
	const cached = rowsCache.get(connz);
	if (cached && cached.key === key && !resolveHost) return cached.rows;
	const rows = new AnswerRows(
		connz,
		connRowMaker({
			connz,
			prev: previous,
			seen: answer.seen,
			maxPending: answer.maxPending.get(connz.server_id),
			serverName: answer.serverNames.get(connz.server_id),
			resolveHost,
		}),
	);
	rowsCache.set(connz, {key, rows});
	return rows;
}

const fmt = groupDigits;

const linesCache = new WeakMap<ConnRow, {layout: ColumnLayout; raw: boolean; line: string}>();

/** A row's line is formatted once per sample (rows are rebuilt per answer), not once per frame. */
function lineFor(layout: ColumnLayout, row: ConnRow, raw: boolean): string {
	const cached = linesCache.get(row);
	if (cached && cached.layout === layout && cached.raw === raw) return cached.line;
	const line = formatRowLine(layout, row, {raw});
	linesCache.set(row, {layout, raw, line});
	return line;
}

let last: {input: ConnectionsViewInput; model: ConnectionsModel} | undefined;

function sameInput(a: ConnectionsViewInput, b: ConnectionsViewInput): boolean {
	const keys = Object.keys(a) as Array<keyof ConnectionsViewInput>;
	return keys.length === Object.keys(b).length && keys.every(key => a[key] === b[key]);
}

/**
 * The connections table for this input. The app renders for many reasons (a clock tick, a
 * /varz answer, a key elsewhere); asked again with the same input, it hands back the same model,
 * so the view below it can skip the frame's work.
 */
/** Rows of a merged answer that are certain: the fewest any cut-off server sent (below the cap). */
function exactMergedRows(connz: readonly Connz[]): number {
	let exact = Number.POSITIVE_INFINITY;
	for (const c of connz) {
		const sent = c.connections.length;
		if (sent < c.total && sent < MERGE_MAX_ROWS) exact = Math.min(exact, sent);
	}
	return exact;
}

export function buildConnectionsModel(input: ConnectionsViewInput): ConnectionsModel {
	if (last && sameInput(last.input, input)) return last.model;
	const model = computeConnectionsModel(input);
	last = {input, model};
	return model;
}

function computeConnectionsModel(input: ConnectionsViewInput): ConnectionsModel {
	const columnsOptions: ColumnsOptions = {
		mode: input.mode,
		state: input.state,
		showSubs: input.showSubs,
		multiServer: (input.answer?.connz.length ?? 0) > 1,
	};
	const layout = fitColumns(columnsOptions, input.width);
	const arrow = (SORT_DIRECTION[input.sort] === 'desc') !== input.reverse ? '▼' : '▲';
	const sortLabel = `sort ${input.sort} ${arrow}${input.plan.localSort ? ' (local)' : ''}`;
	const base = {
		headerLine: formatHeaderLine(layout, {key: input.sort, reverse: input.reverse}),
		sortLabel,
		notes: input.plan.notes,
		sortKeys: sortKeyColumns(columnsOptions, input.width),
	};

	if (!input.answer) {
		return {...base, lines: [], total: 0, showing: '', rows: []};
	}

	const {answer, plan} = input;
	const lists = answer.connz.map(connz =>
		rowsFor(
			connz,
			answer.previous.find(p => p.server_id === connz.server_id),
			answer,
			input.resolveHost,
		),
	);

	let rowAt: (index: number) => ConnRow | undefined;
	let start = 0; // list index of the first row `rowAt` knows
	let total: number;
	if (plan.mode === 'window' && lists.length === 1) {
		const connz = answer.connz[0]!;
		const rows = lists[0]!;
		rowAt = input.reverse ? index => rows.at(rows.length - 1 - index) : index => rows.at(index);
		total = connz.total;
		start = windowStart(connz.offset, connz.connections.length, connz.total, input.reverse);
	} else if (lists.length === 1 && plan.mode !== 'merge' && !plan.localSort && input.filter.trim() === '' && !(input.subject && plan.mode === 'local')) {
		// The server's order as fetched (-n N, or everything): nothing to sort or filter here.
		const rows = lists[0]!;
		const count = plan.mode === 'top' && plan.query.limit !== undefined ? Math.min(rows.length, plan.query.limit) : rows.length;
		const inRange = (index: number) => index >= 0 && index < count;
		rowAt = plan.localReverse ? index => (inRange(index) ? rows.at(count - 1 - index) : undefined) : index => (inRange(index) ? rows.at(index) : undefined);
		total = count;
	} else {
		// Each server orders ties its own way: put every list in one order before merging.
		const key = plan.localSort ?? input.sort;
		const all = lists.map(rows => rows.all());
		let list = all.length === 1 ? all[0]! : mergeTopN(all.map(l => sortRowsLocally(l, key)), key, Number.POSITIVE_INFINITY);
		if (input.subject && plan.mode === 'local') list = list.filter(r => connMatchesSubject(r.conn, input.subject!));
		list = filterRows(list, input.filter);
		if (plan.localSort && lists.length === 1) list = sortRowsLocally(list, plan.localSort);
		if (plan.mode === 'top' && plan.query.limit !== undefined) list = list.slice(0, plan.query.limit);
		if (plan.localReverse) list = [...list].reverse();
		total = plan.mode === 'merge' ? answer.connz.reduce((sum, c) => sum + c.total, 0) : list.length;
		const ordered = list;
		// Merged, the first k rows are exact when every server sent its first k or all it has;
		// past the shortest cut-off another server's unsent rows may belong, so they show as
		// not loaded until the answer to the new window arrives (the answer on screen can be the
		// last window's). MERGE_MAX_ROWS cuts are said on the status line instead.
		const exact = plan.mode === 'merge' ? exactMergedRows(answer.connz) : Number.POSITIVE_INFINITY;
		rowAt = index => (index < exact ? ordered[index] : undefined);
	}

	const lines: string[] = [];
	const rows: ConnRow[] = [];
	let selectedLine: number | undefined;
	let selectedRow: RowRef | undefined;
	const end = Math.min(total, input.scrollTop + input.pageSize);
	for (let index = input.scrollTop; index < end; index++) {
		const row = rowAt(index - start);
		if (!row) {
			lines.push(fitToWidth('…', layout.width, 'left'));
			continue;
		}
		if (index === input.selected) {
			selectedLine = lines.length;
			selectedRow = {serverId: row.serverId, cid: row.conn.cid};
		}
		rows.push(row);
		lines.push(lineFor(layout, row, input.raw));
	}

	const first = total === 0 ? 0 : input.scrollTop + 1;
	// -n N fetched the first N of the server's order: say of how many, or "of 5" reads as all there is.
	const serverTotal = answer.connz.reduce((sum, c) => sum + c.total, 0);
	const ofWhat = plan.mode === 'top' && input.filter.trim() === '' && serverTotal > total ? `the first ${fmt(total)} of ${fmt(serverTotal)}` : fmt(total);
	const showing = `${fmt(first)}–${fmt(end)} of ${ofWhat}`;
	let empty: string | undefined;
	if (total === 0) {
		if (input.filter) empty = `no fetched connection matches "${input.filter}"`;
		else if (input.subject) empty = `no connection is subscribed to ${input.subject}`;
		else empty = input.state === 'closed' ? 'no closed connections' : 'no connections';
	}
	return {...base, lines, selectedLine, selectedRow, total, showing, empty, rows};
}
