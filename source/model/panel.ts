// What every table view (JetStream, streams, consumers, routes, gateways, leafnodes, health,
// events, and later panels) hands to the screen and to --once / --json: sections of plain lines,
// the selectable rows among them, and the same figures as data. Pure types and helpers.
import type {NeedStatus} from '../poll/poller.js';
import type {Gathered, Kind, Reply, Source} from '../sources/types.js';
import type {LagTracker} from './lag.js';
import type {EventBuffer} from './events.js';
import type {Tone} from './overview.js';

/** A view's own arrangement: selection, order, local filter, page of accounts. */
export type PanelState = {
	selected: number;
	sort: string;
	reverse: boolean;
	filter: string;
	/** /jsz paging: index of the first account asked for. */
	offset: number;
	/** Rows the view has (set from each model, so the selection stays inside). */
	total: number;
	/** Keep the selection on the last row as rows arrive (a log such as events). */
	follow: boolean;
};

export const EMPTY_PANEL: PanelState = {selected: 0, sort: '', reverse: false, filter: '', offset: 0, total: 0, follow: false};

export type PanelLine = {
	text: string;
	tone?: Tone;
	bold?: boolean;
	dim?: boolean;
	/** Index of the selectable row this line belongs to (its first line and any detail lines under it). */
	row?: number;
};

export type PanelSection = {
	title?: string;
	/** The column header line. */
	header?: string;
	lines: PanelLine[];
	/** Shown instead of lines when there are none. */
	empty?: string;
};

export type PanelModel = {
	/** The status line: what the view shows and how it is ordered. */
	summary: string;
	sections: PanelSection[];
	/** Selectable rows (0 = nothing to select). */
	total: number;
	/** The selected row after clamping. */
	selected: number;
	/** Shown on the freshness line (local filtering, missing leaders, …). */
	notes: string[];
	/** A flag for the header (replication lag), when there is one. */
	alert?: {text: string; tone: Tone};
	/** The view as data for --json (raw numbers). */
	json: Record<string, unknown>;
	/** The main table as flat records for --delimiter. */
	records: Array<Record<string, unknown>>;
	/** What Enter acts on (the selected stream, …). */
	selection?: {account: string; stream: string};
};

/** Everything a view's model may read; no I/O, no React. */
export type PanelContext = {
	needs: ReadonlyMap<string, NeedStatus>;
	panel: PanelState;
	width: number;
	raw: boolean;
	mode: 'rates' | 'totals';
	now: number;
	paused: boolean;
	transport: Source['transport'];
	/** server_id → server_name, from /varz. */
	serverNames: ReadonlyMap<string, string>;
	/** Only this server (the servers view's focus). */
	focusId?: string;
	lag: LagTracker;
	events?: EventBuffer;
	/** While paused, the events view shows events up to this sequence number. */
	eventsFrozenAt?: number;
	/** Why events are not arriving (no permission, …). */
	eventsError?: string;
	/** The stream whose consumers are shown. */
	stream?: {account: string; name: string};
	/** Show every replica under its stream, not only those behind. */
	expanded: boolean;
};

/** The replies of a need's current answer (or previous), limited to the focused server. */
export function repliesOf<K extends Kind>(ctx: PanelContext, id: string, which: 'current' | 'previous' = 'current'): Array<Reply<K>> {
	const gathered = ctx.needs.get(id)?.[which] as Gathered<K> | undefined;
	const replies = gathered?.replies ?? [];
	return ctx.focusId ? replies.filter(r => r.server.id === ctx.focusId) : replies;
}

/** The name to show for a server: its name from the reply, from /varz, or its id. */
export function serverLabel(ctx: PanelContext, reply: {server: {id: string; name: string}}): string {
	return reply.server.name || ctx.serverNames.get(reply.server.id) || reply.server.id;
}

/** The text filter applied to one row's searchable text (case-insensitive substring). */
export function matchesFilter(filter: string, ...texts: string[]): boolean {
	const needle = filter.trim().toLowerCase();
	if (!needle) return true;
	return texts.some(t => t.toLowerCase().includes(needle));
}

/** A waiting / failing message for a need that has no answer yet. */
export function waitingText(ctx: PanelContext, id: string, what: string): string {
	const status = ctx.needs.get(id);
	if (status?.error) return `✖ ${status.error.message}${status.error.hint ? ` — ${status.error.hint}` : ''}`;
	return `waiting for ${what}…`;
}

export function clampSelected(selected: number, total: number): number {
	return Math.max(0, Math.min(selected, total - 1));
}

/** The sections as plain text lines (for --once): titles, headers, rows, empty messages. */
export function panelText(model: PanelModel): string[] {
	const lines: string[] = [];
	for (const section of model.sections) {
		if (lines.length > 0) lines.push('');
		if (section.title) lines.push(section.title);
		if (section.header) lines.push(section.header);
		if (section.lines.length === 0 && section.empty) lines.push(section.empty);
		for (const line of section.lines) lines.push(line.text);
	}
	return lines.map(l => l.replace(/\s+$/u, ''));
}
