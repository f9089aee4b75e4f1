// Raw JSON → the typed, sanitized shapes of types.ts. Tolerant of missing or ill-typed fields
// (defaults), strict about the top level. Every string passes sanitizeText here, once.
import {sanitizeText} from '../model/sanitize.js';
import {
	SourceError,
	type AccountDetail,
	type ClusterInfo,
	type ConnInfo,
	type Connz,
	type ConsumerDetail,
	type EventClient,
	type EventKind,
	type GatewayConnection,
	type GatewayLink,
	type Gatewayz,
	type Healthz,
	type HealthzError,
	type Jsz,
	type LeafInfo,
	type Leafz,
	type LinkCounters,
	type MetaCluster,
	type PeerInfo,
	type RouteInfo,
	type Routez,
	type SequenceInfo,
	type StreamDetail,
	type StreamSourceInfo,
	type SubDetail,
	type SysEvent,
	type Varz,
} from './types.js';

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
	if (typeof value !== 'number' || !Number.isFinite(value)) return 0;
	// Counters are Go (u)int64: past ±2^53 precision is gone anyway, and a double up to 1e308 (a
	// broken server or proxy) would overflow differences and per-second rates to Infinity.
	return Math.max(-Number.MAX_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, value));
}

function isObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sub(o: Json, key: string): Json {
	const value = o[key];
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

// One shared list for the usual absent or empty arrays: a page of 1,024 connections otherwise
// allocates four empty arrays per connection on every refresh. Frozen, so nothing can add to it.
const NO_STRINGS = Object.freeze([]) as unknown as string[];
const NO_SUBS = Object.freeze([]) as unknown as SubDetail[];

function strings(o: Json, key: string): string[] {
	const value = o[key];
	if (!Array.isArray(value) || value.length === 0) return NO_STRINGS;
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
	const details = o['subscriptions_list_detail'];
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
		subscriptions_list_detail:
			Array.isArray(details) && details.length > 0 ? details.map(decodeSubDetail).filter((d): d is SubDetail => d !== undefined) : NO_SUBS,
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

function bool(o: Json, key: string): boolean {
	return o[key] === true;
}

function list(o: Json, key: string): Json[] {
	const value = o[key];
	return Array.isArray(value) ? value.filter(isObject) : [];
}

export function decodeHealthz(json: unknown, httpStatus: number): Healthz {
	const o = object(json, '/healthz');
	const healthz: Healthz = {status: str(o, 'status', 64), error: str(o, 'error', 2048), http_status: httpStatus};
	const errors = list(o, 'errors');
	if (errors.length > 0) {
		healthz.errors = errors.map(
			(e): HealthzError => ({type: str(e, 'type', 64), account: str(e, 'account'), stream: str(e, 'stream'), consumer: str(e, 'consumer'), error: str(e, 'error', 2048)}),
		);
	}
	return healthz;
}

// --- /jsz -----------------------------------------------------------------------------------------

function decodePeer(o: Json): PeerInfo {
	return {
		name: str(o, 'name'),
		current: bool(o, 'current'),
		offline: bool(o, 'offline'),
		active_ns: num(o, 'active'),
		lag: num(o, 'lag'),
		peer: str(o, 'peer', 64),
	};
}

function decodeCluster(value: unknown): ClusterInfo | undefined {
	if (!isObject(value)) return undefined;
	return {name: str(value, 'name'), leader: str(value, 'leader'), replicas: list(value, 'replicas').map(decodePeer)};
}

function decodeSource(o: Json): StreamSourceInfo {
	return {
		name: str(o, 'name'),
		external: str(sub(o, 'external'), 'api'),
		lag: num(o, 'lag'),
		// The server sends -1 for "never"; a missing field means the same.
		active_ns: typeof o['active'] === 'number' ? num(o, 'active') : -1,
		error: isObject(o['error']) ? str(o['error'], 'description', 2048) || str(o['error'], 'err_code') : str(o, 'error', 2048),
	};
}

function decodeSequence(o: Json): SequenceInfo {
	return {consumer_seq: num(o, 'consumer_seq'), stream_seq: num(o, 'stream_seq'), last_active: str(o, 'last_active')};
}

function decodeConsumer(o: Json): ConsumerDetail {
	const config = sub(o, 'config');
	return {
		stream_name: str(o, 'stream_name'),
		name: str(o, 'name'),
		created: str(o, 'created'),
		durable_name: str(config, 'durable_name'),
		ack_policy: str(config, 'ack_policy', 32),
		deliver_policy: str(config, 'deliver_policy', 32),
		filter_subject: str(config, 'filter_subject'),
		num_replicas: num(config, 'num_replicas'),
		max_deliver: num(config, 'max_deliver'),
		max_ack_pending: num(config, 'max_ack_pending'),
		delivered: decodeSequence(sub(o, 'delivered')),
		ack_floor: decodeSequence(sub(o, 'ack_floor')),
		num_ack_pending: num(o, 'num_ack_pending'),
		num_redelivered: num(o, 'num_redelivered'),
		num_waiting: num(o, 'num_waiting'),
		num_pending: num(o, 'num_pending'),
		cluster: decodeCluster(o['cluster']),
		push_bound: bool(o, 'push_bound'),
	};
}

function decodeStream(o: Json): StreamDetail {
	const state = sub(o, 'state');
	const config = isObject(o['config']) ? o['config'] : undefined;
	const mirror = isObject(o['mirror']) ? decodeSource(o['mirror']) : undefined;
	return {
		name: str(o, 'name'),
		created: str(o, 'created'),
		cluster: decodeCluster(o['cluster']),
		config: config && {
			subjects: strings(config, 'subjects'),
			storage: str(config, 'storage', 16),
			num_replicas: num(config, 'num_replicas'),
			retention: str(config, 'retention', 32),
			mirror: str(sub(config, 'mirror'), 'name'),
			sources: list(config, 'sources').map(s => str(s, 'name')),
		},
		state: {
			messages: num(state, 'messages'),
			bytes: num(state, 'bytes'),
			first_seq: num(state, 'first_seq'),
			first_ts: str(state, 'first_ts'),
			last_seq: num(state, 'last_seq'),
			last_ts: str(state, 'last_ts'),
			num_subjects: num(state, 'num_subjects'),
			num_deleted: num(state, 'num_deleted'),
			consumer_count: num(state, 'consumer_count'),
		},
		mirror,
		sources: list(o, 'sources').map(decodeSource),
		consumer_detail: list(o, 'consumer_detail').map(decodeConsumer),
	};
}

function decodeAccount(o: Json): AccountDetail {
	const api = sub(o, 'api');
	return {
		name: str(o, 'name'),
		id: str(o, 'id'),
		memory: num(o, 'memory'),
		storage: num(o, 'storage'),
		api: {total: num(api, 'total'), errors: num(api, 'errors')},
		stream_detail: list(o, 'stream_detail').map(decodeStream),
	};
}

function decodeMeta(value: unknown): MetaCluster | undefined {
	if (!isObject(value)) return undefined;
	return {
		name: str(value, 'name'),
		leader: str(value, 'leader'),
		peer: str(value, 'peer', 64),
		cluster_size: num(value, 'cluster_size'),
		replicas: list(value, 'replicas').map(decodePeer),
	};
}

export function decodeJsz(json: unknown): Jsz {
	const o = object(json, '/jsz');
	const now = str(o, 'now');
	const config = sub(o, 'config');
	const api = sub(o, 'api');
	return {
		server_id: str(o, 'server_id'),
		now,
		now_ms: timeMs(now),
		disabled: bool(o, 'disabled'),
		config: {max_memory: num(config, 'max_memory'), max_storage: num(config, 'max_storage'), store_dir: str(config, 'store_dir'), domain: str(config, 'domain')},
		memory: num(o, 'memory'),
		storage: num(o, 'storage'),
		reserved_memory: num(o, 'reserved_memory'),
		reserved_storage: num(o, 'reserved_storage'),
		accounts: num(o, 'accounts'),
		ha_assets: num(o, 'ha_assets'),
		api: {total: num(api, 'total'), errors: num(api, 'errors')},
		streams: num(o, 'streams'),
		consumers: num(o, 'consumers'),
		messages: num(o, 'messages'),
		bytes: num(o, 'bytes'),
		meta_cluster: decodeMeta(o['meta_cluster']),
		account_details: list(o, 'account_details').map(decodeAccount),
	};
}

// --- /routez, /gatewayz, /leafz -------------------------------------------------------------------

function counters(o: Json): LinkCounters {
	return {in_msgs: num(o, 'in_msgs'), out_msgs: num(o, 'out_msgs'), in_bytes: num(o, 'in_bytes'), out_bytes: num(o, 'out_bytes')};
}

function decodeRoute(o: Json): RouteInfo {
	return {
		...counters(o),
		rid: num(o, 'rid'),
		remote_id: str(o, 'remote_id', 100),
		remote_name: str(o, 'remote_name'),
		did_solicit: bool(o, 'did_solicit'),
		is_configured: bool(o, 'is_configured'),
		ip: str(o, 'ip'),
		port: num(o, 'port'),
		start: str(o, 'start'),
		last_activity: str(o, 'last_activity'),
		rtt: str(o, 'rtt', 64),
		uptime: str(o, 'uptime', 64),
		idle: str(o, 'idle', 64),
		pending_size: num(o, 'pending_size'),
		subscriptions: num(o, 'subscriptions'),
		account: str(o, 'account'),
	};
}

export function decodeRoutez(json: unknown): Routez {
	const o = object(json, '/routez');
	const now = str(o, 'now');
	return {
		server_id: str(o, 'server_id'),
		server_name: str(o, 'server_name'),
		now,
		now_ms: timeMs(now),
		num_routes: num(o, 'num_routes'),
		routes: list(o, 'routes').map(decodeRoute),
	};
}

function decodeGatewayConnection(value: unknown): GatewayConnection | undefined {
	if (!isObject(value)) return undefined;
	return {
		...counters(value),
		cid: num(value, 'cid'),
		ip: str(value, 'ip'),
		port: num(value, 'port'),
		start: str(value, 'start'),
		last_activity: str(value, 'last_activity'),
		rtt: str(value, 'rtt', 64),
		uptime: str(value, 'uptime', 64),
		idle: str(value, 'idle', 64),
		pending_bytes: num(value, 'pending_bytes'),
		subscriptions: num(value, 'subscriptions'),
		name: str(value, 'name'),
	};
}

export function decodeGatewayz(json: unknown): Gatewayz {
	const o = object(json, '/gatewayz');
	const now = str(o, 'now');
	const links: GatewayLink[] = [];
	for (const [gateway, value] of Object.entries(sub(o, 'outbound_gateways')).sort(([a], [b]) => a.localeCompare(b))) {
		if (!isObject(value)) continue;
		links.push({gateway: sanitizeText(gateway, 256), direction: 'outbound', configured: bool(value, 'configured'), connection: decodeGatewayConnection(value['connection'])});
	}
	for (const [gateway, value] of Object.entries(sub(o, 'inbound_gateways')).sort(([a], [b]) => a.localeCompare(b))) {
		const entries = Array.isArray(value) ? value.filter(isObject) : [];
		for (const entry of entries) {
			links.push({gateway: sanitizeText(gateway, 256), direction: 'inbound', configured: bool(entry, 'configured'), connection: decodeGatewayConnection(entry['connection'])});
		}
	}
	return {server_id: str(o, 'server_id'), now, now_ms: timeMs(now), name: str(o, 'name'), host: str(o, 'host'), port: num(o, 'port'), links};
}

function decodeLeaf(o: Json): LeafInfo {
	return {
		...counters(o),
		name: str(o, 'name'),
		is_spoke: bool(o, 'is_spoke'),
		account: str(o, 'account'),
		ip: str(o, 'ip'),
		port: num(o, 'port'),
		rtt: str(o, 'rtt', 64),
		subscriptions: num(o, 'subscriptions'),
	};
}

export function decodeLeafz(json: unknown): Leafz {
	const o = object(json, '/leafz');
	const now = str(o, 'now');
	return {server_id: str(o, 'server_id'), now, now_ms: timeMs(now), leafnodes: num(o, 'leafnodes'), leafs: list(o, 'leafs').map(decodeLeaf)};
}

// --- events ---------------------------------------------------------------------------------------

const EVENT_KINDS: Record<string, EventKind> = {
	'io.nats.server.advisory.v1.client_connect': 'connect',
	'io.nats.server.advisory.v1.client_disconnect': 'disconnect',
	'io.nats.server.advisory.v1.account_connections': 'account-conns',
	'io.nats.jetstream.advisory.v1.stream_action': 'stream-action',
	'io.nats.jetstream.advisory.v1.consumer_action': 'consumer-action',
	'io.nats.jetstream.advisory.v1.stream_leader_elected': 'stream-leader-elected',
	'io.nats.jetstream.advisory.v1.stream_quorum_lost': 'stream-quorum-lost',
	'io.nats.jetstream.advisory.v1.consumer_leader_elected': 'consumer-leader-elected',
	'io.nats.jetstream.advisory.v1.consumer_quorum_lost': 'consumer-quorum-lost',
	'io.nats.jetstream.advisory.v1.max_deliver': 'max-deliveries',
	'io.nats.jetstream.advisory.v1.nak': 'nak',
	'io.nats.jetstream.advisory.v1.terminated': 'terminated',
	'io.nats.jetstream.advisory.v1.api_audit': 'api-audit',
	'io.nats.jetstream.advisory.v1.snapshot_create': 'snapshot',
	'io.nats.jetstream.advisory.v1.snapshot_complete': 'snapshot',
	'io.nats.jetstream.advisory.v1.restore_create': 'restore',
	'io.nats.jetstream.advisory.v1.restore_complete': 'restore',
	'io.nats.jetstream.advisory.v1.server_out_of_space': 'out-of-storage',
	'io.nats.jetstream.advisory.v1.server_removed': 'server-removed',
};

function kindOf(type: string, subject: string): EventKind {
	if (/\.CLIENT\.AUTH\.ERR$/.test(subject)) return 'auth-error';
	if (/^\$SYS\.SERVER\.[^.]+\.(SHUTDOWN|LAMEDUCK)$/.test(subject)) return 'server-shutdown';
	return EVENT_KINDS[type] ?? 'other';
}

/** The error text inside an API response (api_audit carries the response as a JSON string). */
function apiError(response: string): string {
	if (!response.includes('"error"')) return '';
	try {
		const parsed = JSON.parse(response) as unknown;
		if (!isObject(parsed) || !isObject(parsed['error'])) return '';
		return str(parsed['error'], 'description', 300);
	} catch {
		return '';
	}
}

function names(value: unknown): string[] {
	if (!Array.isArray(value)) return [];
	return value.map(v => (isObject(v) ? str(v, 'name') : typeof v === 'string' ? sanitizeText(v, 256) : '')).filter(Boolean);
}

/**
 * One event payload → a SysEvent. Tolerant: a payload that is not JSON becomes an 'other' event
 * with its (sanitized) start as the detail, never an exception.
 */
export function decodeEvent(subject: string, payload: string, receivedAt: number): SysEvent {
	let o: Json = {};
	let detail = '';
	try {
		const parsed = JSON.parse(payload) as unknown;
		if (isObject(parsed)) o = parsed;
		else detail = sanitizeText(payload.slice(0, 200).replace(/\s+/g, ' '), 200);
	} catch {
		detail = sanitizeText(payload.slice(0, 200).replace(/\s+/g, ' '), 200);
	}
	const type = str(o, 'type', 200);
	const server = isObject(o['server']) ? str(o['server'], 'name') || str(o['server'], 'id') : str(o, 'server');
	const clientJson = isObject(o['client']) ? o['client'] : undefined;
	const client: EventClient | undefined = clientJson && {
		id: num(clientJson, 'id'),
		acc: str(clientJson, 'acc'),
		user: str(clientJson, 'user'),
		name: str(clientJson, 'name', 256),
		host: str(clientJson, 'host'),
		lang: str(clientJson, 'lang', 64),
		ver: str(clientJson, 'ver', 64),
		kind: str(clientJson, 'kind', 32),
		rtt_ns: num(clientJson, 'rtt'),
	};
	const counts = (key: string) => (isObject(o[key]) ? {msgs: num(o[key] as Json, 'msgs'), bytes: num(o[key] as Json, 'bytes')} : undefined);
	const kind = kindOf(type, subject);
	const response = str(o, 'response', 100_000);
	if (!detail && kind === 'other') detail = sanitizeText(Object.keys(o).join(','), 200);
	if (kind === 'account-conns') detail = `conns ${num(o, 'conns')} leafnodes ${num(o, 'leafnodes')} subs ${num(o, 'num_subscriptions')}`;
	if (kind === 'out-of-storage' || kind === 'server-removed') detail = str(o, 'domain') ? `domain ${str(o, 'domain')}` : '';
	return {
		subject: sanitizeText(subject, 512),
		kind,
		type,
		timestamp: str(o, 'timestamp', 64),
		receivedAt,
		server,
		client,
		reason: str(o, 'reason', 512),
		sent: counts('sent'),
		received: counts('received'),
		account: str(o, 'account') || str(o, 'acc') || client?.acc || '',
		stream: str(o, 'stream'),
		consumer: str(o, 'consumer'),
		action: str(o, 'action', 32),
		leader: str(o, 'leader'),
		replicas: names(o['replicas']),
		stream_seq: num(o, 'stream_seq'),
		deliveries: num(o, 'deliveries'),
		api_subject: kind === 'api-audit' ? str(o, 'subject', 512) : '',
		api_error: kind === 'api-audit' ? apiError(response) : '',
		detail,
	};
}
