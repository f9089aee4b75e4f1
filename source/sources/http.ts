// The monitoring port over HTTP(S): keep-alive sockets, a timeout and a body cap per request,
// TLS verified unless --insecure. One server per source.
import http from 'node:http';
import https from 'node:https';
import {readFileSync} from 'node:fs';
import {decodeConnz, decodeHealthz, decodeVarz, parseJson} from './decode.js';
import {redactUrl, toSourceError} from './errors.js';
import {sanitizeText} from '../model/sanitize.js';
import {
	SourceError,
	type ConnzQuery,
	type DataOf,
	type Gathered,
	type HealthzQuery,
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
		const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
		throw new SourceError('tls', `cannot read the ${what} file ${sanitizeText(path, 256)} (${code})`, 'check the path and its permissions');
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

function pathFor(request: SourceRequest): string {
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
	}
}

type RawAnswer = {status: number; body: string};

export class HttpSource implements Source {
	readonly transport = 'http' as const;
	readonly description: string;
	private readonly base: URL;
	private readonly agent: http.Agent;
	private readonly maxBody: number;
	private server = {id: '', name: ''};

	constructor(private readonly options: HttpSourceOptions) {
		this.base = new URL(options.url);
		this.description = redactUrl(options.url);
		this.maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
		if (this.base.protocol === 'https:') {
			const tls = options.tls ?? {};
			this.agent = new https.Agent({
				keepAlive: true,
				maxSockets: 4,
				ca: tls.ca ? readPem(tls.ca, 'CA') : undefined,
				cert: tls.cert ? readPem(tls.cert, 'client certificate') : undefined,
				key: tls.key ? readPem(tls.key, 'client key') : undefined,
				rejectUnauthorized: !tls.insecure,
			});
		} else {
			this.agent = new http.Agent({keepAlive: true, maxSockets: 4});
		}
	}

	async request<K extends Kind>(request: Extract<SourceRequest, {kind: K}>, signal?: AbortSignal): Promise<Gathered<K>> {
		const started = Date.now();
		const raw = await this.get(pathFor(request), request.kind === 'healthz', signal);
		const what = `/${request.kind}`;
		const json = parseJson(raw.body, what);
		let data: DataOf<Kind>;
		switch (request.kind) {
			case 'varz': {
				const varz = decodeVarz(json);
				this.server = {id: varz.server_id, name: varz.server_name};
				data = varz;
				break;
			}
			case 'connz':
				data = decodeConnz(json);
				break;
			case 'healthz':
				data = decodeHealthz(json, raw.status);
				break;
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
		const url = new URL(this.base.pathname.replace(/\/$/, '') + path, this.base);
		const client = url.protocol === 'https:' ? https : http;
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
			const request = client.get(url, {agent: this.agent, headers: {accept: 'application/json'}}, response => {
				const status = response.statusCode ?? 0;
				const chunks: Buffer[] = [];
				let size = 0;
				response.on('data', (chunk: Buffer) => {
					size += chunk.length;
					if (size > this.maxBody) {
						request.destroy();
						settle(
							new SourceError('too-large', `${url.pathname} answered more than ${Math.round(this.maxBody / 1024 / 1024)} MiB`, 'ask for fewer rows (-n)'),
						);
						return;
					}
					chunks.push(chunk);
				});
				response.on('error', error => settle(toSourceError(error, this.options.url, this.options.timeoutMs)));
				response.on('end', () => {
					const body = Buffer.concat(chunks).toString('utf8');
					const ok = (status >= 200 && status < 300) || (acceptUnavailable && status === 503);
					if (!ok) {
						const excerpt = sanitizeText(body.trim().replace(/\s+/g, ' '), 120);
						settle(
							new SourceError(
								'http-status',
								`${url.pathname} answered HTTP ${status}${excerpt ? `: ${excerpt}` : ''}`,
								status === 404 ? 'is this a nats-server monitoring port?' : status === 401 || status === 403 ? 'the monitoring endpoint refused us' : '',
							),
						);
						return;
					}
					settle(undefined, {status, body});
				});
			});
			const timer = setTimeout(() => {
				request.destroy();
				settle(new SourceError('timeout', `${redactUrl(this.options.url)} did not answer within ${this.options.timeoutMs / 1000} s`, 'raise --timeout, or check the server and the network path'));
			}, this.options.timeoutMs);
			const onAbort = (): void => {
				request.destroy();
				settle(new SourceError('aborted', 'request cancelled'));
			};
			signal?.addEventListener('abort', onAbort, {once: true});
			request.on('error', error => settle(toSourceError(error, this.options.url, this.options.timeoutMs)));
		});
	}

	async close(): Promise<void> {
		this.agent.destroy();
	}
}
