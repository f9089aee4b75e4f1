import type {ConnState, ConnzSortKey} from '../sources/types.js';

export type TlsConfig = {
	/** Paths as given; files are read when the source is built. */
	ca?: string;
	cert?: string;
	key?: string;
	/** --insecure: skip certificate verification (shown as a warning badge). */
	insecure: boolean;
};

/**
 * How we log in over NATS. Secrets live only in these fields (and in files they name); nothing
 * printable (descriptions, errors, --explain-config, recordings) may read them.
 */
export type NatsAuth =
	| {kind: 'none'}
	| {kind: 'user-password'; user: string; password: string}
	| {kind: 'token'; token: string}
	/** nkey seed (SU…) read from a file or given inline; `publicKey` is derived from it. */
	| {kind: 'nkey'; seed: string; publicKey: string; file?: string}
	/** .creds file: user JWT + seed. */
	| {kind: 'creds'; file: string};

/** Who we are, checked before the first request and shown in the header. */
export type NatsIdentity = {
	/** User public key (U…) from the seed or the JWT. */
	userPublicKey?: string;
	/** Account public key (A…) or name from the user JWT (issuer_account or issuer). */
	account?: string;
	/** User JWT expiry, epoch ms; undefined = does not expire. */
	jwtExpiresAt?: number;
	/** Warnings to show (world-readable creds file, JWT expiring within 7 days, …). */
	warnings: string[];
};

export type NatsTarget = {
	/** nats:// or tls:// URLs, credentials stripped. */
	servers: string[];
	auth: NatsAuth;
	tls: TlsConfig & {
		/** TLS handshake before the server's INFO (--tlsfirst, context tls_first). */
		first: boolean;
	};
	inboxPrefix?: string;
	identity: NatsIdentity;
	/** Where the context came from, for --explain-config ("flag", "env NATS_URL", "context prod"). */
	contextName?: string;
};

/** $SYS server filters (servers that don't match stay silent). */
export type ServerFilter = {
	server_name?: string;
	cluster?: string;
	host?: string;
	tags?: string[];
};

/** The views --view can open with (other issues implement the views themselves). */
export const VIEW_NAMES = [
	'connections',
	'servers',
	'jetstream',
	'streams',
	'routes',
	'gateways',
	'leafnodes',
	'health',
	'events',
	'signals',
	'profiles',
] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

/** --lag-refreshes default: how many refreshes a lag must persist before it is flagged. */
export const DEFAULT_LAG_WARN_REFRESHES = 3;

/** How the one-shot modes print. undefined = interactive TUI. */
export type OutputMode =
	| {kind: 'text'; file?: string}
	| {kind: 'json'; file?: string}
	| {kind: 'delimited'; delimiter: string; file?: string};

/** Everything the app needs to run, validated. Holds no secret in a printable field. */
export type Config = {
	/** 'http': the monitoring port(s) in `urls`; 'nats': the system account over `nats`. */
	transport: 'http' | 'nats';
	/** Normalized monitoring base URLs without a trailing slash, e.g. "http://127.0.0.1:8222". */
	urls: string[];
	/** Set when transport is 'nats'. */
	nats?: NatsTarget;
	/** --server-name, --cluster, --host, --tags ($SYS only). */
	serverFilter?: ServerFilter;
	tls: TlsConfig;
	/** Refresh interval (-d SECONDS), default 1000. */
	intervalMs: number;
	/**
	 * Set when -d was given. Without it a one-shot takes the two samples of its first snapshot a
	 * short gap apart (SNAPSHOT_GAP_MS) instead of a whole interval.
	 */
	intervalGiven?: true;
	/** Per-request timeout (--timeout SECONDS), default 5000. */
	timeoutMs: number;
	sort: ConnzSortKey;
	/** Show the other end of the server's order. */
	reverse: boolean;
	/** -n: how many connections to fetch; undefined = the rows on screen (TUI) or 1024 (one-shot). */
	rows?: number;
	state: ConnState;
	account?: string;
	user?: string;
	subject?: string;
	/** Set for --once / --json / -o / --delimiter. */
	output?: OutputMode;
	/** -r N: exit after N refreshes. */
	refreshes?: number;
	/** -b: raw numbers instead of 1.2K / 3.4M. */
	rawNumbers: boolean;
	/** -lookup / --lookup: reverse-DNS client addresses. */
	lookup: boolean;
	/** --subs: show the subscriptions column from the start. */
	showSubs: boolean;
	/** --view NAME: the view to open with (default: connections). */
	view?: ViewName;
	/** --record FILE: also write every raw response to FILE (NDJSON). */
	record?: string;
	/** --replay FILE: play a recording instead of asking a server. */
	replay?: string;
	/** --demo: built-in demo data, no server needed. */
	demo: boolean;
	/** --pid N: the local nats-server process for signals. */
	pid?: number;
	/** --pid-file PATH: read the local nats-server's pid from this file. */
	pidFile?: string;
	/** --prof-port N: the server's profiling (pprof) port. */
	profPort?: number;
	/** --prof-url URL: the server's pprof base URL. */
	profUrl?: string;
	/** --lag-refreshes N: refreshes a lag must last before it is flagged (default 3). */
	lagWarnRefreshes?: number;
};
