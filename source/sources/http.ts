// The monitoring port over HTTP(S): keep-alive sockets, a timeout and a body cap per request,
// TLS verified unless --insecure. One server per source.
import {readFileSync} from '../node-fs.js';
import {parseInPieces} from './json-pieces.js';
import {BodyTooLargeError, HttpClient, IncompleteResponseError, type HttpResponse} from './http-client.js';
import {decodeConnz, decodeGatewayz, decodeHealthz, decodeJsz, decodeLeafz, decodeRoutez, decodeVarz, parseJson} from './decode.js';
import {hostOf, MONITOR_PORT_HINT, redactUrl, toSourceError} from './errors.js';
import {sanitizeText} from '../model/sanitize.js';
import {
	SourceError,
	type ConnzQuery,
	type DataOf,
	type Gathered,
	type HealthzQuery,
	type JszQuery,
	type Kind,
	type Source,
	type SourceRequest,
} from './types.js';

export type HttpSourceOptions = {
	/** Base monitoring URL, e.g. http://127.0.0.1:8222 (a path prefix is kept). */
	url: string;
	timeoutMs: number;
	tls?: {ca?: string; cert?: string; key?: string; insecure?: boolean};
	maxBodyBytes?: number;
};

const DEFAULT_MAX_BODY = 64 * 1024 * 1024;

function readPem(path: string, what: string): Buffer {
	try {
		return readFileSync(path);
	} catch (error) {
		const e = error as NodeJS.ErrnoException;
		const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : e.code === 'EISDIR' ? 'is a directory' : (e.code ?? 'unreadable');
		throw new SourceError('tls', `cannot read ${what} file ${sanitizeText(path, 256)}: ${why}`, 'check the path and its permissions');
	}
}

export function connzParams(query: ConnzQuery): URLSearchParams {
	const params = new URLSearchParams();
	if (query.sort) params.set('sort', query.sort);
	if (query.offset !== undefined) params.set('offset', String(query.offset));
	if (query.limit !== undefined) params.set('limit', String(query.limit));
	if (query.state) params.set('state', query.state);
	if (query.subs === 'detail') params.set('subs', 'detail');
	else if (query.subs) params.set('subs', '1');
	if (query.auth) params.set('auth', '1');
	if (query.cid !== undefined) params.set('cid', String(query.cid));
	if (query.user) params.set('user', query.user);
	if (query.acc) params.set('acc', query.acc);
	// filter_subject is only honoured over $SYS; the plan filters locally for HTTP.
	return params;
}

function healthzParams(query: HealthzQuery | undefined): URLSearchParams {
	const params = new URLSearchParams();
	if (query?.['js-enabled-only']) params.set('js-enabled-only', 'true');
	if (query?.['js-server-only']) params.set('js-server-only', 'true');
	return params;
}

export function jszParams(query: JszQuery): URLSearchParams {
	const params = new URLSearchParams();
	if (query.acc) params.set('acc', query.acc);
	if (query.accounts) params.set('accounts', 'true');
	if (query.streams) params.set('streams', 'true');
	if (query.consumers) params.set('consumers', 'true');
	if (query.config) params.set('config', 'true');
	if (query.offset !== undefined) params.set('offset', String(query.offset));
	if (query.limit !== undefined) params.set('limit', String(query.limit));
	if (query.leader_only) params.set('leader-only', 'true');
	return params;
}

function withQuery(path: string, params: URLSearchParams): string {
	const text = params.toString();
	return text ? `${path}?${text}` : path;
}

/** The path (with query) an HTTP source asks for a request. */
export function pathFor(request: SourceRequest): string {
	switch (request.kind) {
		case 'varz':
			return '/varz';
		case 'connz': {
			const params = connzParams(request.query).toString();
			return params ? `/connz?${params}` : '/connz';
		}
		case 'healthz': {
			const params = healthzParams(request.query).toString();
			return params ? `/healthz?${params}` : '/healthz';
		}
		case 'jsz':
			return withQuery('/jsz', jszParams(request.query));
		case 'routez':
			return withQuery('/routez', new URLSearchParams(request.query?.subs ? {subs: '1'} : {}));
		case 'gatewayz': {
			const params = new URLSearchParams();
			if (request.query?.accs) params.set('accs', '1');
			if (request.query?.gw_name) params.set('gw_name', request.query.gw_name);
			return withQuery('/gatewayz', params);
		}
		case 'leafz': {
			const params = new URLSearchParams();
			if (request.query?.subs) params.set('subs', '1');
			if (request.query?.acc) params.set('acc', request.query.acc);
			return withQuery('/leafz', params);
		}
	}
}

/** Decode one HTTP answer of a kind (exported for tests and for recordings). */
export function decodeAnswer(kind: Kind, json: unknown, status: number): DataOf<Kind> {
	switch (kind) {
		case 'varz':
			return decodeVarz(json);
		case 'connz':
			return decodeConnz(json);
		case 'healthz':
			return decodeHealthz(json, status);
		case 'jsz':
			return decodeJsz(json);
		case 'routez':
			return decodeRoutez(json);
		case 'gatewayz':
			return decodeGatewayz(json);
		case 'leafz':
			return decodeLeafz(json);
	}
}

type RawAnswer = {status: number; body: Buffer};

/** The JSON of a body; a large one in pieces along `arrayKey` (json-pieces.ts). Malformed → SourceError('malformed'). */
function parseBody(body: Buffer, what: string, arrayKey: string | undefined): unknown {
	return (arrayKey ? parseInPieces(body, arrayKey) : undefined) ?? parseJson(body.toString('utf8'), what);
}

function byteSize(bytes: number): string {
	if (bytes >= 1024 * 1024) return `${+(bytes / 1024 / 1024).toFixed(1)} MiB`;
	if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
	return `${bytes} bytes`;
}

function seconds(ms: number): string {
	return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

export class HttpSource implements Source {
	readonly transport = 'http' as const;
	readonly description: string;
	private readonly base: URL;
	/** The base URL's path without its trailing slash: every request path goes after it. */
	private readonly prefix: string;
	private readonly client: HttpClient;
	private readonly maxBody: number;
	private server = {id: '', name: ''};
	/** host:port for messages (no credentials). */
	private readonly where: string;

	/** Same as the constructor (which throws SourceError('tls') when a PEM file cannot be read). */
	static create(options: HttpSourceOptions): HttpSource {
		return new HttpSource(options);
	}

	constructor(private readonly options: HttpSourceOptions) {
		let base: URL;
		try {
			base = new URL(options.url);
		} catch {
			throw new SourceError('unknown', `not a URL: ${sanitizeText(redactUrl(options.url), 200)}`, 'give the monitoring address as http://host:8222');
		}
		if (base.protocol !== 'http:' && base.protocol !== 'https:') {
			throw new SourceError('unknown', `the monitoring address must be http:// or https://, not ${sanitizeText(base.protocol, 20)}//`, MONITOR_PORT_HINT);
		}
		this.base = base;
		this.prefix = base.pathname.replace(/\/$/, '');
		this.description = redactUrl(options.url);
		this.where = hostOf(this.description);
		this.maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
		const tls = options.tls ?? {};
		this.client = new HttpClient(
			base,
			base.protocol === 'https:'
				? {
						tls: {
							ca: tls.ca ? readPem(tls.ca, 'CA') : undefined,
							cert: tls.cert ? readPem(tls.cert, 'client certificate') : undefined,
							key: tls.key ? readPem(tls.key, 'client key') : undefined,
							rejectUnauthorized: !tls.insecure,
						},
					}
				: {},
		);
	}

	async request<K extends Kind>(request: Extract<SourceRequest, {kind: K}>, signal?: AbortSignal): Promise<Gathered<K>> {
		const started = Date.now();
		const raw = await this.get(pathFor(request), request.kind === 'healthz', signal);
		const what = `/${request.kind}`;
		const json = parseBody(raw.body, what, request.kind === 'connz' ? 'connections' : undefined);
		const data = decodeAnswer(request.kind, json, raw.status);
		if (request.kind === 'varz') {
			const varz = data as DataOf<'varz'>;
			this.server = {id: varz.server_id, name: varz.server_name};
		}
		const id = 'server_id' in data && data.server_id ? data.server_id : this.server.id;
		return {
			replies: [
				{
					kind: request.kind,
					server: {id: id || this.description, name: this.server.name, address: this.description},
					data: data as DataOf<K>,
					receivedAt: Date.now(),
					rttMs: Date.now() - started,
				},
			],
			failures: [],
		};
	}

	private get(path: string, acceptUnavailable: boolean, signal?: AbortSignal): Promise<RawAnswer> {
		const full = this.prefix + path;
		const pathname = full.replace(/\?.*$/, '');
		return new Promise<RawAnswer>((resolve, reject) => {
			if (signal?.aborted) {
				reject(new SourceError('aborted', 'request cancelled'));
				return;
			}
			let settled = false;
			const settle = (error: SourceError | undefined, answer?: RawAnswer): void => {
				if (settled) return;
				settled = true;
				clearTimeout(timer);
				signal?.removeEventListener('abort', onAbort);
				if (error) reject(error);
				else resolve(answer!);
			};
			const request = this.client.get(full, this.maxBody);
			request.response.then(
				response => settle(...this.answer(pathname, response, acceptUnavailable)),
				(error: unknown) => {
					if (error instanceof BodyTooLargeError) settle(new SourceError('too-large', `${pathname} answered more than ${byteSize(this.maxBody)}`, 'ask for fewer rows (-n)'));
					else if (error instanceof IncompleteResponseError) settle(new SourceError('reset', `${this.where} closed the connection mid-reply`, 'the server may be restarting'));
					else settle(toSourceError(error, this.options.url, this.options.timeoutMs));
				},
			);
			const timer = setTimeout(() => {
				request.abort();
				settle(new SourceError('timeout', `${this.where} did not answer within ${seconds(this.options.timeoutMs)}`, 'raise --timeout, or check the server and the network path'));
			}, this.options.timeoutMs);
			const onAbort = (): void => {
				request.abort();
				settle(new SourceError('aborted', 'request cancelled'));
			};
			signal?.addEventListener('abort', onAbort, {once: true});
		});
	}

	/** A complete HTTP answer as the body to decode, or the error it means. */
	private answer(pathname: string, response: HttpResponse, acceptUnavailable: boolean): [SourceError | undefined, RawAnswer?] {
		const {status} = response;
		const ok = (status >= 200 && status < 300) || (acceptUnavailable && status === 503);
		if (ok) return [undefined, {status, body: response.body}];
		const body = response.body.toString('utf8');
		if (status === 400 && /HTTP request to an HTTPS server/i.test(body)) {
			// Go's TLS listener answers plain HTTP with this 400.
			return [
				new SourceError(
					'tls',
					`${this.where} is a TLS (https) monitoring port`,
					`use https://${this.where}${this.prefix} (with --tlsca for a private CA)`,
				),
			];
		}
		const excerpt = sanitizeText(body.trim().replace(/\s+/g, ' '), 120);
		return [
			new SourceError(
				'http-status',
				`${pathname} answered HTTP ${status}${excerpt ? `: ${excerpt}` : ''}`,
				status === 404 ? 'is this a nats-server monitoring port?' : status === 401 || status === 403 ? 'the monitoring endpoint refused us' : '',
			),
		];
	}

	async close(): Promise<void> {
		this.client.destroy();
	}
}
