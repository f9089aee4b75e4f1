// The live events feed: a bounded buffer (the oldest lines go first, and are counted), and one
// line per event, worded by its type. Pure; the app pushes events from the source.
import type {SysEvent} from '../sources/types.js';
import type {Tone} from './overview.js';
import {formatBytes, formatCount, formatTimestamp} from './format.js';
import {clampSelected, matchesFilter, type PanelContext, type PanelModel} from './panel.js';

/** The subjects the events view listens on (as a system-account user). */
export const EVENT_SUBJECTS = ['$SYS.ACCOUNT.*.CONNECT', '$SYS.ACCOUNT.*.DISCONNECT', '$SYS.SERVER.*.CLIENT.AUTH.ERR', '$JS.EVENT.ADVISORY.>'] as const;

export const EVENT_BUFFER_LINES = 1000;

export type BufferedEvent = {seq: number; event: SysEvent};

export class EventBuffer {
	private items: BufferedEvent[] = [];
	/** Events that fell off the front of the buffer. */
	dropped = 0;
	/** Every event pushed since the start (or the last clear). */
	received = 0;
	/** Changes with every push or clear (for memoizing). */
	version = 0;

	constructor(readonly capacity = EVENT_BUFFER_LINES) {}

	push(event: SysEvent): void {
		this.received++;
		this.items.push({seq: this.received, event});
		this.version++;
		if (this.items.length > this.capacity) {
			// Trim in chunks so a flood is not an O(n) shift per event.
			const excess = this.items.length - this.capacity;
			this.items = this.items.slice(excess);
			this.dropped += excess;
		}
	}

	/** Oldest first; `seq` numbers every event received (1, 2, …). */
	entries(): readonly BufferedEvent[] {
		return this.items;
	}

	get size(): number {
		return this.items.length;
	}

	clear(): void {
		this.items = [];
		this.dropped = 0;
		this.received = 0;
		this.version++;
	}
}

export type EventLine = {time: string; label: string; text: string; tone?: Tone};

const ACTIONS: Record<string, string> = {create: 'CREATED', delete: 'DELETED', modify: 'UPDATED'};

function clientText(e: SysEvent): string {
	const c = e.client;
	if (!c) return '';
	return [
		c.id ? `cid ${c.id}` : '',
		c.name ? `"${c.name}"` : '',
		c.user ? `user ${c.user}` : '',
		c.acc ? `acc ${c.acc}` : '',
		c.host,
		[c.lang, c.ver].filter(Boolean).join(' '),
		c.kind && c.kind !== 'Client' ? c.kind.toLowerCase() : '',
	]
		.filter(Boolean)
		.join(' ');
}

function on(e: SysEvent): string {
	return e.server ? `on ${e.server}` : '';
}

function asset(e: SysEvent): string {
	return e.consumer ? `${e.stream} > ${e.consumer}` : e.stream;
}

function join(...parts: string[]): string {
	return parts.filter(Boolean).join(' ');
}

function typeSuffix(type: string): string {
	return type.slice(type.lastIndexOf('.') + 1);
}

/** One event → its line: UTC time, a short label, and the details that matter for its kind. */
export function eventLine(e: SysEvent): EventLine {
	const ms = e.timestamp ? Date.parse(e.timestamp.replace(/(\.\d{3})\d+/, '$1')) : Number.NaN;
	const time = formatTimestamp(new Date(Number.isNaN(ms) ? e.receivedAt : ms).toISOString()).slice(11);
	switch (e.kind) {
		case 'connect':
			return {time, label: 'CONNECT', text: join(clientText(e), on(e)), tone: 'ok'};
		case 'disconnect': {
			const traffic = e.sent && e.received ? `sent ${formatCount(e.sent.msgs, false)} msgs/${formatBytes(e.sent.bytes, false)} recv ${formatCount(e.received.msgs, false)} msgs/${formatBytes(e.received.bytes, false)}` : '';
			return {time, label: 'DISCONNECT', text: join(clientText(e), e.reason ? `reason "${e.reason}"` : '', traffic, on(e))};
		}
		case 'auth-error':
			return {time, label: 'AUTH ERROR', text: join(clientText(e), e.reason ? `reason "${e.reason}"` : '', on(e)), tone: 'error'};
		case 'account-conns':
			return {time, label: 'ACCOUNT', text: join(e.account, e.detail, on(e))};
		case 'stream-action':
			return {time, label: `STREAM ${ACTIONS[e.action] ?? e.action.toUpperCase()}`, text: join(e.stream, e.account ? `acc ${e.account}` : ''), tone: e.action === 'delete' ? 'warn' : 'info'};
		case 'consumer-action':
			return {time, label: `CONSUMER ${ACTIONS[e.action] ?? e.action.toUpperCase()}`, text: join(asset(e), e.account ? `acc ${e.account}` : ''), tone: e.action === 'delete' ? 'warn' : 'info'};
		case 'stream-leader-elected':
		case 'consumer-leader-elected':
			return {time, label: 'LEADER', text: join(e.kind === 'stream-leader-elected' ? 'stream' : 'consumer', asset(e), `leader ${e.leader || '?'}`, e.replicas.length > 0 ? `replicas ${e.replicas.join(' ')}` : ''), tone: 'info'};
		case 'stream-quorum-lost':
		case 'consumer-quorum-lost':
			return {time, label: 'QUORUM LOST', text: join(e.kind === 'stream-quorum-lost' ? 'stream' : 'consumer', asset(e), e.replicas.length > 0 ? `replicas ${e.replicas.join(' ')}` : ''), tone: 'error'};
		case 'max-deliveries':
			return {time, label: 'MAX DELIVER', text: join(asset(e), `seq ${e.stream_seq}`, `after ${e.deliveries} deliveries`), tone: 'warn'};
		case 'nak':
			return {time, label: 'NAK', text: join(asset(e), `seq ${e.stream_seq}`, `delivery ${e.deliveries}`)};
		case 'terminated':
			return {time, label: 'TERMINATED', text: join(asset(e), `seq ${e.stream_seq}`, `delivery ${e.deliveries}`, e.reason ? `reason "${e.reason}"` : ''), tone: 'warn'};
		case 'api-audit':
			return {time, label: 'API', text: join(e.api_subject, e.account ? `acc ${e.account}` : '', e.api_error ? `error: ${e.api_error}` : '', on(e)), tone: e.api_error ? 'warn' : 'dim'};
		case 'snapshot':
		case 'restore':
			return {time, label: e.kind === 'snapshot' ? 'SNAPSHOT' : 'RESTORE', text: join(e.stream, typeSuffix(e.type).replace(/^(snapshot|restore)_/, ''))};
		case 'out-of-storage':
			return {time, label: 'OUT OF SPACE', text: join(e.stream, e.detail, on(e)), tone: 'error'};
		case 'server-removed':
			return {time, label: 'PEER REMOVED', text: join(e.server, e.detail), tone: 'warn'};
		case 'server-shutdown':
			return {time, label: /LAMEDUCK$/.test(e.subject) ? 'LAME DUCK' : 'SHUTDOWN', text: join(e.server || e.subject), tone: 'warn'};
		case 'other':
			return {time, label: typeSuffix(e.type).toUpperCase().slice(0, 12) || 'EVENT', text: join(e.subject, e.detail)};
	}
}

/** The whole line as printed: time, label padded to 13, details. */
export function eventText(line: EventLine): string {
	return `${line.time} ${line.label.padEnd(13)} ${line.text}`;
}

/** The events view: the buffer, filtered, oldest at the top; frozen while paused. */
export function buildEventsModel(ctx: PanelContext): PanelModel {
	if (!ctx.events) {
		const message = 'The events view needs the NATS transport: connect natscope to a nats:// address as a system-account user (monitoring HTTP has no events).';
		return {summary: 'events: not available over HTTP', sections: [{lines: [], empty: message}], total: 0, selected: 0, notes: [], json: {events: [], error: message}, records: []};
	}
	const buffer = ctx.events;
	const frozen = ctx.paused && ctx.eventsFrozenAt !== undefined ? ctx.eventsFrozenAt : undefined;
	const visible = buffer.entries().filter(e => frozen === undefined || e.seq <= frozen);
	const lines = visible.map(e => ({entry: e, line: eventLine(e.event)})).filter(({line}) => matchesFilter(ctx.panel.filter, line.label, line.text));
	const total = lines.length;
	const selected = ctx.panel.follow ? Math.max(0, total - 1) : clampSelected(ctx.panel.selected, total);
	const held = frozen === undefined ? 0 : buffer.received - frozen;
	const parts = [`${total} event${total === 1 ? '' : 's'}${lines.length !== visible.length ? ` of ${visible.length}` : ''}`, `${buffer.received} received`, `${buffer.dropped} dropped (buffer ${buffer.capacity})`];
	if (frozen !== undefined) parts.push(`paused: ${held} new held`);
	else if (!ctx.panel.follow) parts.push('scrolled (End follows)');
	const notes = ctx.panel.filter ? [`filter "${ctx.panel.filter}"`] : [];
	if (ctx.eventsError) notes.unshift(ctx.eventsError);
	return {
		summary: parts.join(' · '),
		sections: [
			{
				lines: lines.map(({line}, index) => ({text: eventText(line), tone: line.tone, row: index})),
				empty: buffer.received === 0 ? `listening on ${EVENT_SUBJECTS.join(', ')}…` : 'no event matches the filter',
			},
		],
		total,
		selected,
		notes,
		json: {
			received: buffer.received,
			dropped: buffer.dropped,
			events: lines.map(({entry, line}) => ({time: line.time, label: line.label, text: line.text, subject: entry.event.subject, type: entry.event.type, kind: entry.event.kind})),
		},
		records: lines.map(({entry, line}) => ({time: line.time, label: line.label, text: line.text, subject: entry.event.subject})),
	};
}
