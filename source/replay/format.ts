// The recording file: NDJSON, one JSON object per line, optionally gzip-compressed. The first
// line is a header; then answers, request errors, live events and link changes in the order they
// happened. Bodies are the replies as the source decoded and sanitized them (the Source interface
// hands out nothing rawer), which is exactly what the views consume, so a replay draws the same
// screen. Nothing in a line comes from the configuration except the sanitized description.
import {gunzipSync, constants as zlibConstants} from 'node:zlib';
import {sanitizeText} from '../model/sanitize.js';
import {
	SourceError,
	type Gathered,
	type Kind,
	type LinkState,
	type Reply,
	type ServerFailure,
	type ServerRef,
	type SourceErrorCode,
	type SourceRequest,
	type SysEvent,
} from '../sources/types.js';

export const RECORDING_FORMAT = 'natscope-recording';
export const RECORDING_VERSION = 1;

export type HeaderLine = {
	t: 'header';
	format: typeof RECORDING_FORMAT;
	version: number;
	/** The natscope that recorded. */
	natscope: string;
	/** The transport that was recorded ('http' or 'nats'). */
	transport: string;
	/** The source's description, credentials removed. */
	description: string;
	/** Local epoch ms and ISO time when the recording started. */
	started: number;
	startedIso: string;
	/** Free text (e.g. what the demo shows). */
	note?: string;
};

export type RecordedError = {code: SourceErrorCode; message: string; hint: string};

export type RecordedReply = {
	server: ServerRef;
	/** The server's own clock (data.now) when it has one, for people reading the file. */
	now?: string;
	/** Local epoch ms when this reply arrived. */
	at: number;
	rtt: number;
	data: unknown;
};

export type RecordedFailure = {address: string; server?: ServerRef} & RecordedError;

/** A request that got at least an answer (replies and/or per-server failures). */
export type AnswerLine = {
	t: 'answer';
	/** Local epoch ms when the answer was complete. */
	at: number;
	rtt: number;
	kind: Kind;
	request: SourceRequest;
	replies: RecordedReply[];
	failures: RecordedFailure[];
};

/** A request that failed as a whole. */
export type ErrorLine = {t: 'error'; at: number; rtt: number; kind: Kind; request: SourceRequest} & RecordedError;

export type EventLine = {t: 'event'; at: number; event: SysEvent};
export type LinkLine = {t: 'link'; at: number; state: LinkState};
/** Entries the recorder had to drop because the disk could not keep up. */
export type GapLine = {t: 'gap'; at: number; dropped: number; since: number};

export type RecordLine = AnswerLine | ErrorLine | EventLine | LinkLine | GapLine;

export const KINDS: readonly Kind[] = ['varz', 'connz', 'healthz', 'jsz', 'routez', 'gatewayz', 'leafz'];
const ERROR_CODES: ReadonlySet<string> = new Set<SourceErrorCode>([
	'refused',
	'dns',
	'timeout',
	'tls',
	'wrong-port',
	'http-status',
	'malformed',
	'too-large',
	'decode',
	'reset',
	'aborted',
	'no-responders',
	'permission',
	'auth',
	'unknown',
]);

/** JSON of a request with object keys sorted and undefined dropped: one question, one key. */
export function requestKey(request: SourceRequest): string {
	return JSON.stringify(request, (_key, value: unknown) => {
		if (value && typeof value === 'object' && !Array.isArray(value)) {
			const sorted: Record<string, unknown> = {};
			for (const key of Object.keys(value).sort()) sorted[key] = (value as Record<string, unknown>)[key];
			return sorted;
		}
		return value;
	});
}

export function errorOf(error: SourceError): RecordedError {
	return {code: error.code, message: error.message, hint: error.hint};
}

export function answerLine(request: SourceRequest, gathered: Gathered, started: number, at: number): AnswerLine {
	return {
		t: 'answer',
		at,
		rtt: at - started,
		kind: request.kind,
		request,
		replies: gathered.replies.map(reply => recordedReply(reply)),
		failures: gathered.failures.map(failure => ({address: failure.address, ...(failure.server ? {server: failure.server} : {}), ...errorOf(failure.error)})),
	};
}

function recordedReply(reply: Reply): RecordedReply {
	const data = reply.data as unknown as Record<string, unknown>;
	const now = typeof data['now'] === 'string' ? data['now'] : undefined;
	return {server: reply.server, ...(now ? {now} : {}), at: reply.receivedAt, rtt: reply.rttMs, data: reply.data};
}

// --- reading -------------------------------------------------------------------------------

/** A problem in the file: which line, and what is wrong with it. */
export class RecordingError extends Error {
	constructor(
		readonly line: number,
		message: string,
	) {
		super(message);
		this.name = 'RecordingError';
	}
}

export type ParsedRecording = {
	header: HeaderLine;
	lines: RecordLine[];
	/** Source line number of each entry in `lines` (1-based, the header is line 1). */
	lineNumbers: number[];
	/** The first bad line, if any: everything before it was read. */
	problem?: RecordingError;
};

const MAX_TEXT = 4096;

/**
 * Whatever a recording holds goes through the sanitizer again: a recording is a file someone
 * handed over, and nothing in it may reach the terminal unsanitized.
 */
export function sanitizeDeep(value: unknown, depth = 0): unknown {
	if (depth > 32) return undefined;
	if (typeof value === 'string') return sanitizeText(value, MAX_TEXT);
	if (typeof value === 'number') return Number.isFinite(value) ? value : 0;
	if (typeof value === 'boolean' || value === null) return value;
	if (Array.isArray(value)) return value.map(item => sanitizeDeep(item, depth + 1));
	if (typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
			if (key === '__proto__') continue;
			out[sanitizeText(key, 200)] = sanitizeDeep(item, depth + 1);
		}
		return out;
	}
	return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function num(value: unknown): value is number {
	return typeof value === 'number' && Number.isFinite(value);
}

function serverRef(value: unknown): ServerRef | undefined {
	if (!isObject(value) || typeof value['id'] !== 'string') return undefined;
	return {id: value['id'], name: typeof value['name'] === 'string' ? value['name'] : '', address: typeof value['address'] === 'string' ? value['address'] : ''};
}

function recordedError(value: Record<string, unknown>): RecordedError {
	const code = typeof value['code'] === 'string' && ERROR_CODES.has(value['code']) ? (value['code'] as SourceErrorCode) : 'unknown';
	return {code, message: typeof value['message'] === 'string' ? value['message'] : 'failed', hint: typeof value['hint'] === 'string' ? value['hint'] : ''};
}

/** The minimum each kind's data needs for the views not to trip over it. */
function dataLooksRight(kind: Kind, data: unknown): boolean {
	if (!isObject(data)) return false;
	switch (kind) {
		case 'varz':
			return typeof data['server_id'] === 'string' && num(data['now_ms']);
		case 'connz':
			return typeof data['server_id'] === 'string' && num(data['now_ms']) && Array.isArray(data['connections']) && data['connections'].every(isObject);
		case 'healthz':
			return typeof data['status'] === 'string';
		case 'jsz':
			return typeof data['server_id'] === 'string' && Array.isArray(data['account_details']);
		case 'routez':
			return typeof data['server_id'] === 'string' && Array.isArray(data['routes']);
		case 'gatewayz':
			return typeof data['server_id'] === 'string' && Array.isArray(data['links']);
		case 'leafz':
			return typeof data['server_id'] === 'string' && Array.isArray(data['leafs']);
	}
}

function parseRequest(value: unknown): SourceRequest | undefined {
	if (!isObject(value) || typeof value['kind'] !== 'string' || !KINDS.includes(value['kind'] as Kind)) return undefined;
	if ('query' in value && value['query'] !== undefined && !isObject(value['query'])) return undefined;
	return value as SourceRequest;
}

/** One line, checked and sanitized; throws a plain message saying what is wrong. */
function parseLine(text: string): RecordLine | undefined {
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		throw new Error('not valid JSON (the file may be cut off or damaged here)');
	}
	const value = sanitizeDeep(json);
	if (!isObject(value)) throw new Error('not a JSON object');
	const type = value['t'];
	if (!num(value['at'])) throw new Error('has no time ("at")');
	const at = value['at'];
	switch (type) {
		case 'answer': {
			const request = parseRequest(value['request']);
			if (!request) throw new Error('an answer without a valid request');
			if (!Array.isArray(value['replies']) || !Array.isArray(value['failures'])) throw new Error('an answer without replies/failures lists');
			const replies: RecordedReply[] = [];
			for (const reply of value['replies']) {
				const server = isObject(reply) ? serverRef(reply['server']) : undefined;
				if (!isObject(reply) || !server || !dataLooksRight(request.kind, reply['data'])) throw new Error(`a ${request.kind} reply that does not look like one`);
				replies.push({server, at: num(reply['at']) ? reply['at'] : at, rtt: num(reply['rtt']) ? reply['rtt'] : 0, data: reply['data']});
			}
			const failures: RecordedFailure[] = value['failures'].filter(isObject).map(f => {
				const server = serverRef(f['server']);
				return {address: typeof f['address'] === 'string' ? f['address'] : '', ...(server ? {server} : {}), ...recordedError(f)};
			});
			return {t: 'answer', at, rtt: num(value['rtt']) ? value['rtt'] : 0, kind: request.kind, request, replies, failures};
		}
		case 'error': {
			const request = parseRequest(value['request']);
			if (!request) throw new Error('an error without a valid request');
			return {t: 'error', at, rtt: num(value['rtt']) ? value['rtt'] : 0, kind: request.kind, request, ...recordedError(value)};
		}
		case 'event': {
			const event = value['event'];
			if (!isObject(event) || typeof event['subject'] !== 'string') throw new Error('an event without a subject');
			return {t: 'event', at, event: event as SysEvent};
		}
		case 'link': {
			const state = value['state'];
			if (state !== 'connecting' && state !== 'connected' && state !== 'reconnecting' && state !== 'closed') throw new Error('a link change with an unknown state');
			return {t: 'link', at, state};
		}
		case 'gap':
			return {t: 'gap', at, dropped: num(value['dropped']) ? value['dropped'] : 0, since: num(value['since']) ? value['since'] : at};
		default:
			// A later format version may add line types: skip what we don't know.
			return undefined;
	}
}

function parseHeader(text: string): HeaderLine {
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		throw new RecordingError(1, 'line 1: not a natscope recording (the first line is not JSON)');
	}
	const value = sanitizeDeep(json);
	if (!isObject(value) || value['t'] !== 'header' || value['format'] !== RECORDING_FORMAT) {
		throw new RecordingError(1, 'line 1: not a natscope recording (no natscope-recording header)');
	}
	const version = value['version'];
	if (!num(version) || version < 1) throw new RecordingError(1, 'line 1: the header has no format version');
	if (version > RECORDING_VERSION) {
		throw new RecordingError(1, `line 1: recorded in format ${version} by a newer natscope; this one reads format ${RECORDING_VERSION} (upgrade natscope)`);
	}
	const started = num(value['started']) ? value['started'] : 0;
	return {
		t: 'header',
		format: RECORDING_FORMAT,
		version,
		natscope: typeof value['natscope'] === 'string' ? value['natscope'] : 'unknown',
		transport: typeof value['transport'] === 'string' ? value['transport'] : 'http',
		description: typeof value['description'] === 'string' ? value['description'] : '',
		started,
		startedIso: typeof value['startedIso'] === 'string' ? value['startedIso'] : new Date(started).toISOString(),
		...(typeof value['note'] === 'string' ? {note: value['note']} : {}),
	};
}

/** gunzip what is there, also when the end is missing (a recorder killed mid-write). */
export function decompress(bytes: Buffer): {text: string; cut: boolean} {
	if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return {text: bytes.toString('utf8'), cut: false};
	try {
		return {text: gunzipSync(bytes).toString('utf8'), cut: false};
	} catch {
		// Z_SYNC_FLUSH as the final flush returns what decompressed so far instead of failing.
		try {
			return {text: gunzipSync(bytes, {finishFlush: zlibConstants.Z_SYNC_FLUSH}).toString('utf8'), cut: true};
		} catch {
			throw new RecordingError(1, 'the gzip data is damaged from the start');
		}
	}
}

/**
 * Read a whole recording. The header must be right (else RecordingError); after it, the first
 * bad line stops reading and is reported in `problem`, and every line before it is kept.
 */
export function parseRecording(bytes: Buffer): ParsedRecording {
	const {text, cut} = decompress(bytes);
	const rows = text.split('\n');
	const endsClean = text.endsWith('\n');
	if (endsClean) rows.pop();
	if (rows.length === 0 || rows[0]!.trim() === '') throw new RecordingError(1, 'the recording is empty');
	const header = parseHeader(rows[0]!);
	const lines: RecordLine[] = [];
	const lineNumbers: number[] = [];
	let problem: RecordingError | undefined;
	for (let i = 1; i < rows.length; i++) {
		const row = rows[i]!;
		if (row.trim() === '') continue;
		const last = i === rows.length - 1;
		try {
			const line = parseLine(row);
			if (line) {
				lines.push(line);
				lineNumbers.push(i + 1);
			}
		} catch (error) {
			const cutOff = last && (!endsClean || cut);
			const why = cutOff ? 'cut off (the recording ended mid-line)' : (error as Error).message;
			problem = new RecordingError(i + 1, `line ${i + 1}: ${why}; replaying the ${lines.length} entries before it`);
			break;
		}
	}
	if (!problem && cut) problem = new RecordingError(rows.length, `the gzip stream ends early after line ${rows.length}; replaying what was read`);
	return {header, lines, lineNumbers, ...(problem ? {problem} : {})};
}

/** Back from the file: replies with a fresh arrival time, failures as SourceErrors. */
export function toGathered(line: AnswerLine, receivedAt: number): Gathered {
	const replies: Reply[] = line.replies.map(reply => ({
		kind: line.kind,
		server: reply.server,
		data: reply.data as Reply['data'],
		receivedAt,
		rttMs: reply.rtt,
	}));
	const failures: ServerFailure[] = line.failures.map(f => ({
		address: f.address,
		...(f.server ? {server: f.server} : {}),
		error: new SourceError(f.code, f.message, f.hint),
	}));
	return {replies, failures};
}
