// What crosses the source boundary. Field names are the server's own (snake_case) so that
// the API reference, recordings and --json output all speak one vocabulary. Every string in
// these types has already been through model/sanitize by the decoder.

/** The endpoints natscope asks for. */
export type Kind = 'varz' | 'connz' | 'healthz' | 'jsz' | 'routez' | 'gatewayz' | 'leafz';

export type ConnState = 'open' | 'closed' | 'all';

/** Sort keys /connz accepts (rtt only from 2.9.17; stop and reason only with state=closed). */
export type ConnzSortKey =
	| 'cid'
	| 'start'
	| 'subs'
	| 'pending'
	| 'msgs_to'
	| 'msgs_from'
	| 'bytes_to'
	| 'bytes_from'
	| 'last'
	| 'idle'
	| 'uptime'
	| 'rtt'
	| 'stop'
	| 'reason';

export type ConnzQuery = {
	sort?: ConnzSortKey;
	offset?: number;
	limit?: number;
	state?: ConnState;
	/** true → subscriptions_list, 'detail' → subscriptions_list_detail */
	subs?: boolean | 'detail';
	auth?: boolean;
	cid?: number;
	user?: string;
	acc?: string;
	/** Only honoured by the server over $SYS (with acc); HTTP sources filter locally. */
	filter_subject?: string;
};

export type HealthzQuery = {
	'js-enabled-only'?: boolean;
	'js-server-only'?: boolean;
};

/**
 * /jsz options. consumers implies streams; streams without acc implies accounts; offset and
 * limit page over accounts (sorted by name), not over streams.
 */
export type JszQuery = {
	acc?: string;
	accounts?: boolean;
	streams?: boolean;
	consumers?: boolean;
	config?: boolean;
	offset?: number;
	limit?: number;
	/** Only the meta leader answers (others: HTTP 400 "not leader", silence over $SYS). */
	leader_only?: boolean;
};

export type RoutezQuery = {subs?: boolean};
export type GatewayzQuery = {accs?: boolean; gw_name?: string};
export type LeafzQuery = {subs?: boolean; acc?: string};

export type SourceRequest =
	| {kind: 'varz'}
	| {kind: 'connz'; query: ConnzQuery}
	| {kind: 'healthz'; query?: HealthzQuery}
	| {kind: 'jsz'; query: JszQuery}
	| {kind: 'routez'; query?: RoutezQuery}
	| {kind: 'gatewayz'; query?: GatewayzQuery}
	| {kind: 'leafz'; query?: LeafzQuery};

export type Varz = {
	server_id: string;
	server_name: string;
	version: string;
	host: string;
	port: number;
	/** Cluster name, from cluster.name ('' when not clustered). */
	cluster: string;
	start: string;
	now: string;
	/** `now` as epoch milliseconds (the clock for rates). */
	now_ms: number;
	uptime: string;
	cpu: number;
	mem: number;
	cores: number;
	connections: number;
	total_connections: number;
	subscriptions: number;
	slow_consumers: number;
	in_msgs: number;
	out_msgs: number;
	in_bytes: number;
	out_bytes: number;
	max_pending: number;
	max_payload: number;
	max_connections: number;
	routes: number;
	remotes: number;
	leafnodes: number;
	/** Remote gateways configured (gateway.gateways), 0 without a super-cluster. */
	gateways: number;
	/** Server tags (varz.tags). */
	tags: string[];
	config_load_time: string;
	http_port: number;
	/** True when the server has JetStream enabled (jetstream.config present). */
	jetstream: boolean;
};

export type SubDetail = {
	account: string;
	subject: string;
	qgroup: string;
	sid: string;
	msgs: number;
	max: number;
	cid: number;
};

export type ConnInfo = {
	cid: number;
	kind: string;
	type: string;
	ip: string;
	port: number;
	start: string;
	last_activity: string;
	stop: string;
	reason: string;
	/** Go duration strings as the server sends them ('1.2ms', '1h2m3s'); '' when absent. */
	rtt: string;
	uptime: string;
	idle: string;
	pending_bytes: number;
	in_msgs: number;
	out_msgs: number;
	in_bytes: number;
	out_bytes: number;
	subscriptions: number;
	name: string;
	lang: string;
	version: string;
	tls_version: string;
	tls_cipher_suite: string;
	authorized_user: string;
	account: string;
	jwt: string;
	issuer_key: string;
	name_tag: string;
	tags: string[];
	mqtt_client: string;
	subscriptions_list: string[];
	subscriptions_list_detail: SubDetail[];
};

export type Connz = {
	server_id: string;
	now: string;
	now_ms: number;
	num_connections: number;
	total: number;
	offset: number;
	limit: number;
	connections: ConnInfo[];
};

export type HealthzError = {type: string; account: string; stream: string; consumer: string; error: string};

export type Healthz = {
	status: string;
	error: string;
	/** HTTP status code of the reply (503 when unhealthy), 0 over NATS. */
	http_status: number;
	/** 2.10+ with details=true: every problem found. */
	errors?: HealthzError[];
};

// --- JetStream (/jsz) ---------------------------------------------------------------------------

/** One member of a Raft group as the answering server sees it (the answering server is left out). */
export type PeerInfo = {
	name: string;
	current: boolean;
	offline: boolean;
	/** Nanoseconds since the leader last heard from this peer (a duration, not a time). */
	active_ns: number;
	/** Entries behind the leader (0 when the server omits it). */
	lag: number;
	peer: string;
};

export type ClusterInfo = {name: string; leader: string; replicas: PeerInfo[]};

export type StreamSourceInfo = {
	name: string;
	/** external.api of a cross-domain or cross-account origin, '' when local. */
	external: string;
	/** Messages behind the origin. */
	lag: number;
	/** Nanoseconds since the last activity; -1 = never. */
	active_ns: number;
	error: string;
};

export type StreamState = {
	messages: number;
	bytes: number;
	first_seq: number;
	first_ts: string;
	last_seq: number;
	last_ts: string;
	num_subjects: number;
	num_deleted: number;
	consumer_count: number;
};

/** The parts of a stream's config natscope shows (config=true). */
export type StreamConfig = {
	subjects: string[];
	/** 'file' or 'memory'. */
	storage: string;
	num_replicas: number;
	retention: string;
	/** Name of the mirrored stream, '' when not a mirror. */
	mirror: string;
	sources: string[];
};

export type SequenceInfo = {consumer_seq: number; stream_seq: number; last_active: string};

export type ConsumerDetail = {
	stream_name: string;
	name: string;
	created: string;
	/** From config (config=true): durable name, ack and deliver policy, filter, replicas. */
	durable_name: string;
	ack_policy: string;
	deliver_policy: string;
	filter_subject: string;
	num_replicas: number;
	max_deliver: number;
	max_ack_pending: number;
	delivered: SequenceInfo;
	ack_floor: SequenceInfo;
	num_ack_pending: number;
	num_redelivered: number;
	num_waiting: number;
	num_pending: number;
	cluster?: ClusterInfo;
	push_bound: boolean;
};

export type StreamDetail = {
	name: string;
	created: string;
	cluster?: ClusterInfo;
	config?: StreamConfig;
	state: StreamState;
	mirror?: StreamSourceInfo;
	sources: StreamSourceInfo[];
	consumer_detail: ConsumerDetail[];
};

export type AccountDetail = {
	name: string;
	id: string;
	memory: number;
	storage: number;
	api: {total: number; errors: number};
	stream_detail: StreamDetail[];
};

export type MetaCluster = {name: string; leader: string; peer: string; cluster_size: number; replicas: PeerInfo[]};

export type Jsz = {
	server_id: string;
	now: string;
	now_ms: number;
	/** JetStream is off on this server. */
	disabled: boolean;
	config: {max_memory: number; max_storage: number; store_dir: string; domain: string};
	memory: number;
	storage: number;
	reserved_memory: number;
	reserved_storage: number;
	accounts: number;
	ha_assets: number;
	api: {total: number; errors: number};
	streams: number;
	consumers: number;
	messages: number;
	bytes: number;
	meta_cluster?: MetaCluster;
	account_details: AccountDetail[];
};

// --- routes, gateways, leafnodes ----------------------------------------------------------------

/** Traffic counters shared by routes, gateway and leafnode connections. */
export type LinkCounters = {in_msgs: number; out_msgs: number; in_bytes: number; out_bytes: number};

export type RouteInfo = LinkCounters & {
	rid: number;
	remote_id: string;
	/** 2.9.16+; '' before. */
	remote_name: string;
	did_solicit: boolean;
	is_configured: boolean;
	ip: string;
	port: number;
	start: string;
	last_activity: string;
	/** Go duration strings. */
	rtt: string;
	uptime: string;
	idle: string;
	pending_size: number;
	subscriptions: number;
	/** 2.10+ pinned account, '' otherwise. */
	account: string;
};

export type Routez = {server_id: string; server_name: string; now: string; now_ms: number; num_routes: number; routes: RouteInfo[]};

export type GatewayConnection = LinkCounters & {
	cid: number;
	ip: string;
	port: number;
	start: string;
	last_activity: string;
	rtt: string;
	uptime: string;
	idle: string;
	pending_bytes: number;
	subscriptions: number;
	/** The remote server's id. */
	name: string;
};

export type GatewayLink = {
	/** The remote gateway (cluster) name. */
	gateway: string;
	direction: 'outbound' | 'inbound';
	configured: boolean;
	/** Absent while not connected. */
	connection?: GatewayConnection;
};

export type Gatewayz = {server_id: string; now: string; now_ms: number; name: string; host: string; port: number; links: GatewayLink[]};

export type LeafInfo = LinkCounters & {
	/** 2.9.15+; '' before. */
	name: string;
	is_spoke: boolean;
	account: string;
	ip: string;
	port: number;
	rtt: string;
	subscriptions: number;
};

export type Leafz = {server_id: string; now: string; now_ms: number; leafnodes: number; leafs: LeafInfo[]};

export type DataOf<K extends Kind> = K extends 'varz'
	? Varz
	: K extends 'connz'
		? Connz
		: K extends 'healthz'
			? Healthz
			: K extends 'jsz'
				? Jsz
				: K extends 'routez'
					? Routez
					: K extends 'gatewayz'
						? Gatewayz
						: K extends 'leafz'
							? Leafz
							: never;

/** Which server a reply came from. */
export type ServerRef = {
	id: string;
	name: string;
	/** Where we reached it: the monitoring URL, or the NATS URL. Never holds credentials. */
	address: string;
};

/** One decoded reply from one server. */
export type Reply<K extends Kind = Kind> = {
	kind: K;
	server: ServerRef;
	data: DataOf<K>;
	/** Local wall-clock ms when the reply arrived. */
	receivedAt: number;
	/** Request round trip in ms as measured by the source. */
	rttMs: number;
};

/**
 * Error codes a source can produce. Every one maps to a user-facing message and a hint;
 * the UI never sees an exception.
 */
export type SourceErrorCode =
	| 'refused'
	| 'dns'
	| 'timeout'
	| 'tls'
	| 'wrong-port'
	| 'http-status'
	| 'malformed'
	| 'too-large'
	| 'decode'
	| 'reset'
	| 'aborted'
	| 'no-responders'
	| 'permission'
	| 'auth'
	| 'unknown';

export class SourceError extends Error {
	readonly code: SourceErrorCode;
	readonly hint: string;

	constructor(code: SourceErrorCode, message: string, hint = '') {
		super(message);
		this.name = 'SourceError';
		this.code = code;
		this.hint = hint;
	}
}

/** A server that did not answer one request (the others may have). */
export type ServerFailure = {
	/** The address that failed (URL or server id); never holds credentials. */
	address: string;
	server?: ServerRef;
	error: SourceError;
};

/** What one request gathered: a reply per server that answered, a failure per one that did not. */
export type Gathered<K extends Kind = Kind> = {
	replies: Array<Reply<K>>;
	failures: ServerFailure[];
};

/** The link to the servers, for the status line ("reconnecting" instead of a frozen screen). */
export type LinkState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

// --- live events (NATS transport) ---------------------------------------------------------------

/** What an event is about, from its `type` (and, for auth errors, its subject). */
export type EventKind =
	| 'connect'
	| 'disconnect'
	| 'auth-error'
	| 'account-conns'
	| 'stream-action'
	| 'consumer-action'
	| 'stream-leader-elected'
	| 'stream-quorum-lost'
	| 'consumer-leader-elected'
	| 'consumer-quorum-lost'
	| 'max-deliveries'
	| 'nak'
	| 'terminated'
	| 'api-audit'
	| 'snapshot'
	| 'restore'
	| 'out-of-storage'
	| 'server-removed'
	| 'server-shutdown'
	| 'other';

export type EventClient = {
	id: number;
	acc: string;
	user: string;
	name: string;
	host: string;
	lang: string;
	ver: string;
	kind: string;
	/** Nanoseconds. */
	rtt_ns: number;
};

/** One decoded, sanitized event from a subscription. Absent fields are '' or 0. */
export type SysEvent = {
	subject: string;
	kind: EventKind;
	/** The payload's `type` ('io.nats.server.advisory.v1.client_connect'), '' when it has none. */
	type: string;
	timestamp: string;
	/** Local ms when it arrived. */
	receivedAt: number;
	/** Name (or id) of the server that published it. */
	server: string;
	client?: EventClient;
	reason: string;
	sent?: {msgs: number; bytes: number};
	received?: {msgs: number; bytes: number};
	account: string;
	stream: string;
	consumer: string;
	/** stream/consumer action: create, delete, modify. */
	action: string;
	leader: string;
	replicas: string[];
	stream_seq: number;
	deliveries: number;
	/** api_audit: the API subject and the error in its response, if any. */
	api_subject: string;
	api_error: string;
	/** Everything else worth a glance, for kinds without their own fields. */
	detail: string;
};

export type Source = {
	readonly transport: 'http' | 'nats' | 'replay';
	/** NATS sources report their connection; HTTP sources have none. */
	linkState?(): LinkState;
	onLinkState?(listener: (state: LinkState) => void): () => void;
	/** Human description for the header, e.g. "http://127.0.0.1:8222" (no secrets). */
	readonly description: string;
	/**
	 * Ask every server this source reaches. Per-server problems come back as failures; the
	 * promise rejects (only with a SourceError) when the source as a whole cannot ask anyone.
	 */
	request<K extends Kind>(request: Extract<SourceRequest, {kind: K}>, signal?: AbortSignal): Promise<Gathered<K>>;
	/**
	 * Live events (only sources with a NATS connection have this): subscribe to `subjects`, call
	 * `onEvent` with each decoded event. Returns the function that unsubscribes. Problems (no
	 * permission, connection lost for good) go to `onError`; subscribing never throws.
	 */
	subscribe?(subjects: readonly string[], onEvent: (event: SysEvent) => void, onError?: (error: SourceError) => void): () => void;
	close(): Promise<void>;
};
