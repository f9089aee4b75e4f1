// What crosses the source boundary. Field names are the server's own (snake_case) so that
// the API reference, recordings and --json output all speak one vocabulary. Every string in
// these types has already been through model/sanitize by the decoder.

/** The endpoints natscope asks for. */
export type Kind = 'varz' | 'connz' | 'healthz';

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

export type SourceRequest =
	| {kind: 'varz'}
	| {kind: 'connz'; query: ConnzQuery}
	| {kind: 'healthz'; query?: HealthzQuery};

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

export type Healthz = {
	status: string;
	error: string;
	/** HTTP status code of the reply (503 when unhealthy), 0 over NATS. */
	http_status: number;
};

export type DataOf<K extends Kind> = K extends 'varz'
	? Varz
	: K extends 'connz'
		? Connz
		: K extends 'healthz'
			? Healthz
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
	close(): Promise<void>;
};
