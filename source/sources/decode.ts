// Raw JSON → the typed, sanitized shapes of types.ts. Tolerant of missing or ill-typed fields
// (defaults), strict about the top level. Every string passes sanitizeText here, once.
import {sanitizeText} from '../model/sanitize.js';
import {SourceError, type ConnInfo, type Connz, type Healthz, type SubDetail, type Varz} from './types.js';

type Json = Record<string, unknown>;

/** JSON.parse that fails with SourceError('malformed') and a short, sanitized excerpt. */
export function parseJson(text: string, what = 'the reply'): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		const excerpt = sanitizeText(text.slice(0, 60).replace(/\s+/g, ' '), 60);
		return fail('malformed', `${what} is not valid JSON${excerpt ? ` (starts "${excerpt}")` : ' (empty body)'}`);
	}
}

function fail(code: 'malformed' | 'decode', message: string): never {
	throw new SourceError(code, message, 'is this a nats-server monitoring endpoint?');
}

function object(value: unknown, what: string): Json {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('decode', `${what} is not a JSON object`);
	return value as Json;
}

function str(o: Json, key: string, max = 1024): string {
	const value = o[key];
	if (typeof value === 'string') return sanitizeText(value, max);
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return '';
}

function num(o: Json, key: string): number {
	const value = o[key];
	return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function isObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sub(o: Json, key: string): Json {
	const value = o[key];
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function strings(o: Json, key: string): string[] {
	const value = o[key];
	if (!Array.isArray(value)) return [];
	return value.filter((v): v is string => typeof v === 'string').map(v => sanitizeText(v, 512));
}

/** Go's RFC 3339 with nanoseconds → epoch ms (Date.parse takes at most milliseconds). */
export function timeMs(text: string): number {
	// Date.parse is lenient ("12" is a year): insist on an RFC 3339 date and time.
	if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) return 0;
	const ms = Date.parse(text.replace(/(\.\d{3})\d+/, '$1'));
	return Number.isNaN(ms) ? 0 : ms;
}

export function decodeVarz(json: unknown): Varz {
	const o = object(json, '/varz');
	const now = str(o, 'now');
	return {
		server_id: str(o, 'server_id'),
		server_name: str(o, 'server_name'),
		version: str(o, 'version', 64),
		host: str(o, 'host'),
		port: num(o, 'port'),
		cluster: str(sub(o, 'cluster'), 'name'),
		start: str(o, 'start'),
		now,
		now_ms: timeMs(now),
		uptime: str(o, 'uptime'),
		cpu: num(o, 'cpu'),
		mem: num(o, 'mem'),
		cores: num(o, 'cores'),
		connections: num(o, 'connections'),
		total_connections: num(o, 'total_connections'),
		subscriptions: num(o, 'subscriptions'),
		slow_consumers: num(o, 'slow_consumers'),
		in_msgs: num(o, 'in_msgs'),
		out_msgs: num(o, 'out_msgs'),
		in_bytes: num(o, 'in_bytes'),
		out_bytes: num(o, 'out_bytes'),
		max_pending: num(o, 'max_pending'),
		max_payload: num(o, 'max_payload'),
		max_connections: num(o, 'max_connections'),
		routes: num(o, 'routes'),
		remotes: num(o, 'remotes'),
		leafnodes: num(o, 'leafnodes'),
		gateways: Array.isArray(sub(o, 'gateway')['gateways']) ? (sub(o, 'gateway')['gateways'] as unknown[]).length : 0,
		tags: strings(o, 'tags'),
		config_load_time: str(o, 'config_load_time'),
		http_port: num(o, 'http_port'),
		jetstream: isObject(sub(o, 'jetstream')['config']),
	};
}

function decodeSubDetail(value: unknown): SubDetail | undefined {
	if (!isObject(value)) return undefined;
	const o = value;
	return {
		account: str(o, 'account'),
		subject: str(o, 'subject'),
		qgroup: str(o, 'qgroup'),
		sid: str(o, 'sid'),
		msgs: num(o, 'msgs'),
		max: num(o, 'max'),
		cid: num(o, 'cid'),
	};
}

function decodeConn(value: unknown): ConnInfo | undefined {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
	const o = value as Json;
	const details = Array.isArray(o['subscriptions_list_detail']) ? (o['subscriptions_list_detail'] as unknown[]) : [];
	return {
		cid: num(o, 'cid'),
		kind: str(o, 'kind'),
		type: str(o, 'type'),
		ip: str(o, 'ip'),
		port: num(o, 'port'),
		start: str(o, 'start'),
		last_activity: str(o, 'last_activity'),
		stop: str(o, 'stop'),
		reason: str(o, 'reason'),
		rtt: str(o, 'rtt'),
		uptime: str(o, 'uptime'),
		idle: str(o, 'idle'),
		pending_bytes: num(o, 'pending_bytes'),
		in_msgs: num(o, 'in_msgs'),
		out_msgs: num(o, 'out_msgs'),
		in_bytes: num(o, 'in_bytes'),
		out_bytes: num(o, 'out_bytes'),
		subscriptions: num(o, 'subscriptions'),
		name: str(o, 'name', 256),
		lang: str(o, 'lang', 64),
		version: str(o, 'version', 64),
		tls_version: str(o, 'tls_version'),
		tls_cipher_suite: str(o, 'tls_cipher_suite'),
		authorized_user: str(o, 'authorized_user'),
		account: str(o, 'account'),
		jwt: str(o, 'jwt', 8192),
		issuer_key: str(o, 'issuer_key'),
		name_tag: str(o, 'name_tag'),
		tags: strings(o, 'tags'),
		mqtt_client: str(o, 'mqtt_client'),
		subscriptions_list: strings(o, 'subscriptions_list'),
		subscriptions_list_detail: details.map(decodeSubDetail).filter((d): d is SubDetail => d !== undefined),
	};
}

export function decodeConnz(json: unknown): Connz {
	const o = object(json, '/connz');
	const now = str(o, 'now');
	const list = Array.isArray(o['connections']) ? (o['connections'] as unknown[]) : [];
	return {
		server_id: str(o, 'server_id'),
		now,
		now_ms: timeMs(now),
		num_connections: num(o, 'num_connections'),
		total: num(o, 'total'),
		offset: num(o, 'offset'),
		limit: num(o, 'limit'),
		connections: list.map(decodeConn).filter((c): c is ConnInfo => c !== undefined),
	};
}

export function decodeHealthz(json: unknown, httpStatus: number): Healthz {
	const o = object(json, '/healthz');
	return {status: str(o, 'status', 64), error: str(o, 'error', 2048), http_status: httpStatus};
}
