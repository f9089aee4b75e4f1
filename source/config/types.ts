import type {ConnState, ConnzSortKey} from '../sources/types.js';

export type TlsConfig = {
	/** Paths as given; files are read when the source is built. */
	ca?: string;
	cert?: string;
	key?: string;
	/** --insecure: skip certificate verification (shown as a warning badge). */
	insecure: boolean;
};

/** How the one-shot modes print. undefined = interactive TUI. */
export type OutputMode =
	| {kind: 'text'; file?: string}
	| {kind: 'json'; file?: string}
	| {kind: 'delimited'; delimiter: string; file?: string};

/** Everything the app needs to run, validated. Holds no secret in a printable field. */
export type Config = {
	/** Normalized monitoring base URLs without a trailing slash, e.g. "http://127.0.0.1:8222". */
	urls: string[];
	tls: TlsConfig;
	/** Refresh interval (-d SECONDS), default 1000. */
	intervalMs: number;
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
};
