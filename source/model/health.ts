// /healthz of every server, three ways: plain, js-enabled-only (is JetStream on?) and
// js-server-only (JetStream on and the meta leader reachable). Errors are shown in full,
// wrapped, under their server.
import type {Healthz, HealthzQuery, Reply, ServerFailure} from '../sources/types.js';
import {displayWidth} from './format.js';
import {clampSelected, matchesFilter, repliesOf, serverLabel, waitingText, type PanelContext, type PanelLine, type PanelModel} from './panel.js';
import {layoutTable, type Column} from './table.js';

export const HEALTH_VARIANTS = [
	{id: 'healthz', label: 'plain', title: 'HEALTHZ', query: undefined as HealthzQuery | undefined},
	{id: 'healthz-js-enabled', label: 'js-enabled-only', title: 'JS-ENABLED', query: {'js-enabled-only': true} as HealthzQuery},
	{id: 'healthz-js-server', label: 'js-server-only', title: 'JS-SERVER', query: {'js-server-only': true} as HealthzQuery},
] as const;

export const HEALTH_SORT_KEYS = ['status', 'name'] as const;

type Cell = {healthz?: Healthz; failure?: ServerFailure};

type HealthRow = {id: string; name: string; cells: Cell[]; bad: number};

/** Split text into lines of at most `width` cells, at spaces where possible. */
export function wrap(text: string, width: number): string[] {
	const limit = Math.max(10, width);
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(/\s+/).filter(Boolean)) {
		const candidate = line ? `${line} ${word}` : word;
		if (displayWidth(candidate) <= limit) {
			line = candidate;
			continue;
		}
		if (line) lines.push(line);
		let rest = word;
		while (displayWidth(rest) > limit) {
			lines.push(rest.slice(0, limit));
			rest = rest.slice(limit);
		}
		line = rest;
	}
	if (line) lines.push(line);
	return lines;
}

function cellText(cell: Cell, loaded: boolean): string {
	if (cell.healthz) return cell.healthz.status === 'ok' ? 'ok' : cell.healthz.status || 'unhealthy';
	if (cell.failure) return 'no answer';
	return loaded ? '—' : '…';
}

function isBad(cell: Cell): boolean {
	return Boolean(cell.failure) || (cell.healthz !== undefined && cell.healthz.status !== 'ok');
}

function problems(cell: Cell): string[] {
	if (cell.failure) return [cell.failure.error.message + (cell.failure.error.hint ? ` (${cell.failure.error.hint})` : '')];
	const h = cell.healthz;
	if (!h || h.status === 'ok') return [];
	const list = h.errors?.length ? h.errors.map(e => [e.type, e.account, e.stream, e.consumer].filter(Boolean).join(' ') + (e.error ? `: ${e.error}` : '')) : [h.error || '(no error text)'];
	return list.map(text => `${h.status}${h.http_status ? ` (HTTP ${h.http_status})` : ''} — ${text}`);
}

export function buildHealthModel(ctx: PanelContext): PanelModel {
	const rows = new Map<string, HealthRow>();
	const row = (id: string, name: string): HealthRow => {
		let r = rows.get(id);
		if (!r) {
			r = {id, name, cells: HEALTH_VARIANTS.map(() => ({})), bad: 0};
			rows.set(id, r);
		}
		if (name && (!r.name || r.name === r.id)) r.name = name;
		return r;
	};
	HEALTH_VARIANTS.forEach((variant, index) => {
		for (const reply of repliesOf<'healthz'>(ctx, variant.id) as Array<Reply<'healthz'>>) row(reply.server.id, serverLabel(ctx, reply)).cells[index]!.healthz = reply.data;
		const status = ctx.needs.get(variant.id);
		for (const failure of status?.partialFailures ?? []) {
			const id = failure.server?.id || failure.address;
			if (ctx.focusId && id !== ctx.focusId) continue;
			row(id, failure.server?.name || ctx.serverNames.get(id) || failure.address).cells[index]!.failure = failure;
		}
	});
	for (const r of rows.values()) r.bad = r.cells.filter(isBad).length;
	const loaded = HEALTH_VARIANTS.map(v => Boolean(ctx.needs.get(v.id)?.current));
	const all = [...rows.values()];
	const filtered = all.filter(r => matchesFilter(ctx.panel.filter, r.name, r.id));
	const sort = ctx.panel.sort || 'status';
	const sorted = [...filtered].sort((a, b) => (sort === 'name' ? 0 : b.bad - a.bad) || a.name.localeCompare(b.name));
	const list = ctx.panel.reverse ? sorted.reverse() : sorted;
	const columns: Array<Column<HealthRow>> = [
		{id: 'name', title: 'SERVER', width: 16, grow: 16, align: 'left', priority: 0, cell: r => r.name},
		...HEALTH_VARIANTS.map(
			(v, i): Column<HealthRow> => ({id: v.id, title: v.title, width: 12, align: 'left', priority: 1, cell: r => cellText(r.cells[i]!, loaded[i]!)}),
		),
		{id: 'id', title: 'SERVER_ID', width: 12, align: 'left', priority: 5, cell: r => r.id.slice(0, 12)},
	];
	const table = layoutTable(columns, ctx.width, {id: sort === 'name' ? 'name' : 'healthz', arrow: ''});
	const lines: PanelLine[] = [];
	list.forEach((r, index) => {
		lines.push({text: table.row(r), row: index, tone: r.bad > 0 ? 'error' : 'ok'});
		r.cells.forEach((cell, i) => {
			for (const problem of problems(cell)) {
				const prefix = `   ${HEALTH_VARIANTS[i]!.label}: `;
				wrap(problem, ctx.width - prefix.length).forEach((part, n) => {
					lines.push({text: `${n === 0 ? prefix : ' '.repeat(prefix.length)}${part}`, row: index, tone: 'error'});
				});
			}
		});
	});
	const notes: string[] = [];
	HEALTH_VARIANTS.forEach(v => {
		const error = ctx.needs.get(v.id)?.error;
		if (error) notes.push(`${v.label}: ${error.message}`);
	});
	if (ctx.panel.filter) notes.push(`filter "${ctx.panel.filter}" is local`);
	const unhealthy = all.filter(r => r.bad > 0).length;
	const record = (r: HealthRow) => ({
		server_name: r.name,
		server_id: r.id,
		...Object.fromEntries(
			HEALTH_VARIANTS.map((v, i) => {
				const cell = r.cells[i]!;
				return [
					v.label,
					cell.healthz
						? {status: cell.healthz.status, error: cell.healthz.error || null, http_status: cell.healthz.http_status || null, errors: cell.healthz.errors ?? null}
						: cell.failure
							? {status: 'no answer', error: cell.failure.error.message}
							: null,
				];
			}),
		),
	});
	return {
		summary: `${all.length} server${all.length === 1 ? '' : 's'}${unhealthy ? `, ${unhealthy} unhealthy` : ', all healthy'} · /healthz plain, js-enabled-only, js-server-only`,
		sections: [
			{
				header: table.header,
				lines,
				empty: loaded.some(Boolean) ? 'no server matches the filter' : waitingText(ctx, HEALTH_VARIANTS[0].id, '/healthz'),
			},
		],
		total: list.length,
		selected: clampSelected(ctx.panel.selected, list.length),
		notes,
		json: {servers: list.map(record)},
		records: list.map(r => {
			const rec = record(r) as Record<string, unknown>;
			const flat: Record<string, unknown> = {server_name: rec['server_name'], server_id: rec['server_id']};
			for (const v of HEALTH_VARIANTS) {
				const cell = rec[v.label] as {status: string; error: string | null} | null;
				flat[`${v.label}`] = cell?.status ?? '';
				flat[`${v.label}_error`] = cell?.error ?? '';
			}
			return flat;
		}),
	};
}

