// The system account over NATS: one connection (opened on the first request, shared), requests
// scattered to every server on $SYS.REQ.SERVER.PING.<X> and gathered until a quiet window, or
// sent to one server on $SYS.REQ.SERVER.<id>.<X>. Replies are decoded (and sanitized) by the
// same decoders as the HTTP source.
import {performance} from 'node:perf_hooks';
import {connect as natsConnect, createInbox, DebugEvents, Events, type ConnectionOptions, type Msg, type NatsConnection, type NatsError, type Subscription} from 'nats';
import type {NatsTarget, ServerFilter} from '../config/types.js';
import {sanitizeText} from '../model/sanitize.js';
import {decodeConnz, decodeEvent, decodeGatewayz, decodeHealthz, decodeJsz, decodeLeafz, decodeRoutez, decodeVarz, parseJson} from './decode.js';
import {redactUrl} from './errors.js';
import {jwtExpiry, natsConnectOptions, readCreds} from './nats-connect.js';
import {expiredLinkError, natsHostPort, natsSourceError, noRespondersError, SYS_ACCOUNT_HINT, type NatsErrorContext} from './nats-errors.js';
import {
	SourceError,
	type DataOf,
	type Gathered,
	type Kind,
	type LinkState,
	type Reply,
	type ServerFailure,
	type ServerRef,
	type Source,
	type SourceRequest,
	type SysEvent,
} from './types.js';

export type SysSourceOptions = {
	/** Hard limit for one request (and for each connection attempt). */
	timeoutMs: number;
	/** A scatter ends this long after the last reply (default 300 ms). */
	quietMs?: number;
	/** Only servers matching these answer (server_name, cluster, host, tags). */
	serverFilter?: ServerFilter;
	/** Injectable for tests. */
	connect?: (options: ConnectionOptions) => Promise<NatsConnection>;
};

const ENDPOINT: Record<Kind, string> = {
	varz: 'VARZ',
	connz: 'CONNZ',
	healthz: 'HEALTHZ',
	jsz: 'JSZ',
	routez: 'ROUTEZ',
	gatewayz: 'GATEWAYZ',
	leafz: 'LEAFZ',
};
const CONN_STATE = {open: 0, closed: 1, all: 2} as const;
const DEFAULT_QUIET_MS = 300;

/** The JSON body of a $SYS request: the endpoint's options (with $SYS names) plus the server filter. */
export function sysRequestBody(request: SourceRequest, filter?: ServerFilter): Record<string, unknown> {
	const body: Record<string, unknown> = {};
	if (filter?.server_name) body['server_name'] = filter.server_name;
	if (filter?.cluster) body['cluster'] = filter.cluster;
	if (filter?.host) body['host'] = filter.host;
	if (filter?.tags && filter.tags.length > 0) body['tags'] = [...filter.tags];
	switch (request.kind) {
		case 'varz':
			break;
		case 'connz': {
			const q = request.query;
			if (q.sort) body['sort'] = q.sort;
			if (q.offset !== undefined) body['offset'] = q.offset;
			if (q.limit !== undefined) body['limit'] = q.limit;
			if (q.state) body['state'] = CONN_STATE[q.state];
			if (q.subs) body['subscriptions'] = true;
			if (q.subs === 'detail') body['subscriptions_detail'] = true;
			if (q.auth) body['auth'] = true;
			if (q.cid !== undefined) body['cid'] = q.cid;
			if (q.user) body['user'] = q.user;
			if (q.acc) {
				body['acc'] = q.acc;
				// The server only accepts filter_subject together with an account.
				if (q.filter_subject) body['filter_subject'] = q.filter_subject;
			}
			break;
		}
		case 'healthz':
			if (request.query?.['js-enabled-only']) body['js-enabled-only'] = true;
			if (request.query?.['js-server-only']) body['js-server-only'] = true;
			break;
		case 'jsz': {
			// $SYS names: account (not acc), consumer (singular), leader_only.
			const q = request.query;
			if (q.acc) body['account'] = q.acc;
			if (q.accounts) body['accounts'] = true;
			if (q.streams) body['streams'] = true;
			if (q.consumers) body['consumer'] = true;
			if (q.config) body['config'] = true;
			if (q.offset !== undefined) body['offset'] = q.offset;
			if (q.limit !== undefined) body['limit'] = q.limit;
			if (q.leader_only) body['leader_only'] = true;
			break;
		}
		case 'routez':
			if (request.query?.subs) body['subscriptions'] = true;
			break;
		case 'gatewayz':
			if (request.query?.accs) body['accounts'] = true;
			if (request.query?.gw_name) body['name'] = request.query.gw_name;
			break;
		case 'leafz':
			if (request.query?.subs) body['subscriptions'] = true;
			if (request.query?.acc) body['account'] = request.query.acc;
			break;
	}
	return body;
}

/** Decode the `data` of a $SYS reply of a kind with the HTTP decoders. */
function decodeData(kind: Kind, data: unknown): DataOf<Kind> {
	switch (kind) {
		case 'varz':
			return decodeVarz(data);
		case 'connz':
			return decodeConnz(data);
		case 'healthz':
			return decodeHealthz(data, 0);
		case 'jsz':
			return decodeJsz(data);
		case 'routez':
			return decodeRoutez(data);
		case 'gatewayz':
			return decodeGatewayz(data);
		case 'leafz':
			return decodeLeafz(data);
	}
}

/** A live subscription to events, re-attached whenever a new connection is made. */
type EventWatch = {
	subjects: readonly string[];
	onEvent: (event: SysEvent) => void;
	onError?: (error: SourceError) => void;
	subs: Subscription[];
	closed: boolean;
};

type RawReply = {data: Uint8Array; receivedAt: number; rttMs: number};

type Pending = {subject: string; inbox: string; fail(error: SourceError): void};

type GatherMode = {kind: 'scatter'; expected: number} | {kind: 'single'; serverId: string};

function seconds(ms: number): string {
	return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function aborted(): SourceError {
	return new SourceError('aborted', 'request cancelled');
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeFilter(filter: ServerFilter | undefined): string {
	if (!filter) return '';
	const parts: string[] = [];
	if (filter.server_name) parts.push(`server_name=${filter.server_name}`);
	if (filter.cluster) parts.push(`cluster=${filter.cluster}`);
	if (filter.host) parts.push(`host=${filter.host}`);
	if (filter.tags && filter.tags.length > 0) parts.push(`tags=${filter.tags.join(',')}`);
	return sanitizeText(parts.join(' '), 200);
}

/** Wait for `promise`, or reject with 'aborted' as soon as `signal` fires (the promise goes on). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
	if (!signal) return promise;
	return new Promise<T>((resolve, reject) => {
		if (signal.aborted) {
			promise.catch(() => {});
			reject(aborted());
			return;
		}
		const onAbort = (): void => reject(aborted());
		signal.addEventListener('abort', onAbort, {once: true});
		promise.then(
			value => {
				signal.removeEventListener('abort', onAbort);
				resolve(value);
			},
			(error: unknown) => {
				signal.removeEventListener('abort', onAbort);
				reject(error);
			},
		);
	});
}

export class SysSource implements Source {
	readonly transport = 'nats' as const;
	readonly description: string;
	private readonly quietMs: number;
	private readonly connectFn: (options: ConnectionOptions) => Promise<NatsConnection>;
	private nc: NatsConnection | undefined;
	private connecting: Promise<NatsConnection> | undefined;
	private state: LinkState = 'connecting';
	/** Links lost so far: a request that saw one lost its question, even if the link is back. */
	private linksLost = 0;
	private readonly listeners = new Set<(state: LinkState) => void>();
	private readonly pending = new Set<Pending>();
	private readonly watches = new Set<EventWatch>();
	/** Servers that answered the last VARZ scatter: a scatter of another kind stops at this many. */
	private knownServers = 0;
	private closedByUser = false;

	constructor(
		private readonly target: NatsTarget,
		private readonly options: SysSourceOptions,
	) {
		const urls = target.servers.length > 0 ? target.servers.map(s => sanitizeText(redactUrl(s), 200)) : ['nats://127.0.0.1:4222'];
		this.description = `${urls.join(', ')} ($SYS)`;
		this.quietMs = options.quietMs ?? DEFAULT_QUIET_MS;
		this.connectFn = options.connect ?? natsConnect;
	}

	linkState(): LinkState {
		return this.state;
	}

	onLinkState(listener: (state: LinkState) => void): () => void {
		this.listeners.add(listener);
		return () => {
			this.listeners.delete(listener);
		};
	}

	/** A view of this source that asks only the server with this id (varz server_id). */
	forServer(serverId: string): Source {
		const id = sanitizeText(serverId, 100);
		return {
			transport: 'nats',
			description: `${this.description} server ${id}`,
			linkState: () => this.linkState(),
			onLinkState: listener => this.onLinkState(listener),
			request: <K extends Kind>(request: Extract<SourceRequest, {kind: K}>, signal?: AbortSignal): Promise<Gathered<K>> => this.requestServer(serverId, request, signal),
			subscribe: (subjects, onEvent, onError) => this.subscribe(subjects, onEvent, onError),
			// The connection belongs to the parent source.
			close: async () => {},
		};
	}

	async request<K extends Kind>(request: Extract<SourceRequest, {kind: K}>, signal?: AbortSignal): Promise<Gathered<K>> {
		const subject = `$SYS.REQ.SERVER.PING.${ENDPOINT[request.kind]}`;
		const body = sysRequestBody(request, this.options.serverFilter);
		// VARZ always waits out the quiet window: its count is what the other kinds trust.
		const expected = request.kind === 'varz' ? 0 : this.knownServers;
		const {raws, url} = await this.gather(subject, body, {kind: 'scatter', expected}, signal);
		const gathered = this.decode<K>(request.kind as K, raws, url);
		if (request.kind === 'varz' && gathered.replies.length > 0) this.knownServers = gathered.replies.length;
		return gathered;
	}

	private async requestServer<K extends Kind>(serverId: string, request: Extract<SourceRequest, {kind: K}>, signal?: AbortSignal): Promise<Gathered<K>> {
		if (!/^[A-Za-z0-9_-]+$/.test(serverId)) {
			throw new SourceError('unknown', `not a server id: ${sanitizeText(serverId, 80)}`, 'use the server_id from varz (letters and digits, no dots)');
		}
		const subject = `$SYS.REQ.SERVER.${serverId}.${ENDPOINT[request.kind]}`;
		// Filters could only make the one server stay silent: leave them out.
		const body = sysRequestBody(request);
		const {raws, url} = await this.gather(subject, body, {kind: 'single', serverId}, signal);
		return this.decode<K>(request.kind as K, raws, url);
	}

	/**
	 * Live events: subscribe now if connected (else as soon as the connection is up) and again on
	 * every new connection. A subscription that is denied reports through onError.
	 */
	subscribe(subjects: readonly string[], onEvent: (event: SysEvent) => void, onError?: (error: SourceError) => void): () => void {
		const watch: EventWatch = {subjects: [...subjects], onEvent, onError, subs: [], closed: false};
		this.watches.add(watch);
		if (this.nc && !this.nc.isClosed()) this.attach(watch, this.nc);
		else {
			this.connection().then(
				nc => {
					if (!watch.closed && watch.subs.length === 0) this.attach(watch, nc);
				},
				(error: unknown) => {
					if (!watch.closed) watch.onError?.(error instanceof SourceError ? error : natsSourceError(error, this.errorContext(this.currentUrl())));
				},
			);
		}
		return () => {
			watch.closed = true;
			this.watches.delete(watch);
			this.detach(watch);
		};
	}

	private attach(watch: EventWatch, nc: NatsConnection): void {
		this.detach(watch);
		const decoder = new TextDecoder();
		for (const subject of watch.subjects) {
			try {
				const sub = nc.subscribe(subject, {
					callback: (error, msg) => {
						if (watch.closed) return;
						if (error) {
							watch.onError?.(natsSourceError(error, this.errorContext(this.currentUrl(nc), subject)));
							return;
						}
						let event: SysEvent;
						try {
							event = decodeEvent(msg.subject, decoder.decode(msg.data), Date.now());
						} catch {
							return; // decodeEvent does not throw; a listener's failure is not ours
						}
						watch.onEvent(event);
					},
				});
				watch.subs.push(sub);
			} catch (error) {
				watch.onError?.(natsSourceError(error, this.errorContext(this.currentUrl(nc), subject)));
			}
		}
	}

	private detach(watch: EventWatch): void {
		for (const sub of watch.subs) {
			try {
				sub.unsubscribe();
			} catch {
				// the connection is gone; so is the subscription
			}
		}
		watch.subs = [];
	}

	async close(): Promise<void> {
		this.closedByUser = true;
		for (const watch of [...this.watches]) {
			watch.closed = true;
			this.detach(watch);
		}
		this.watches.clear();
		for (const p of [...this.pending]) p.fail(new SourceError('aborted', 'the source was closed'));
		const nc = this.nc ?? (await this.connecting?.catch(() => undefined));
		this.nc = undefined;
		if (nc && !nc.isClosed()) await nc.close().catch(() => {});
		this.setState('closed');
	}

	// --- connection ---------------------------------------------------------------------------

	private setState(state: LinkState): void {
		if (state === this.state) return;
		this.state = state;
		for (const listener of [...this.listeners]) {
			try {
				listener(state);
			} catch {
				// a listener's failure is not ours
			}
		}
	}

	private currentUrl(nc?: NatsConnection): string {
		const server = nc && !nc.isClosed() ? nc.getServer() : '';
		if (server) {
			const tls = this.target.servers.some(s => /^tls:\/\//i.test(s));
			return `${tls ? 'tls' : 'nats'}://${server}`;
		}
		return redactUrl(this.target.servers[0] ?? 'nats://127.0.0.1:4222');
	}

	private errorContext(url: string, subject?: string): NatsErrorContext {
		return {
			url,
			timeoutMs: this.options.timeoutMs,
			subject,
			jwtExpiresAt: this.jwtExpiresAt(),
			authKind: this.target.auth.kind,
			tlsFirst: this.target.tls.first,
		};
	}

	private jwtExpiresAt(): number | undefined {
		if (this.target.identity.jwtExpiresAt !== undefined) return this.target.identity.jwtExpiresAt;
		if (this.target.auth.kind !== 'creds') return undefined;
		try {
			return jwtExpiry(readCreds(this.target.auth.file).jwt);
		} catch {
			return undefined;
		}
	}

	private connection(signal?: AbortSignal): Promise<NatsConnection> {
		if (this.closedByUser) return Promise.reject(new SourceError('aborted', 'the source was closed'));
		if (this.nc && !this.nc.isClosed()) return Promise.resolve(this.nc);
		if (!this.connecting) {
			const dialing = this.dial();
			this.connecting = dialing;
			const clear = (): void => {
				if (this.connecting === dialing) this.connecting = undefined;
			};
			dialing.then(clear, clear);
		}
		return abortable(this.connecting, signal);
	}

	private async dial(): Promise<NatsConnection> {
		this.setState('connecting');
		const url = this.currentUrl();
		let nc: NatsConnection;
		try {
			nc = await this.connectFn(natsConnectOptions(this.target, this.options.timeoutMs));
		} catch (error) {
			throw natsSourceError(error, this.errorContext(url));
		}
		if (this.closedByUser) {
			await nc.close().catch(() => {});
			throw new SourceError('aborted', 'the source was closed');
		}
		this.nc = nc;
		this.watch(nc);
		for (const watch of this.watches) if (!watch.closed) this.attach(watch, nc);
		this.setState('connected');
		return nc;
	}

	private watch(nc: NatsConnection): void {
		void (async () => {
			for await (const status of nc.status()) {
				if (this.nc !== nc) continue;
				switch (status.type) {
					case Events.Disconnect:
						this.linksLost++;
						this.setState('reconnecting');
						break;
					case DebugEvents.Reconnecting:
						this.setState('reconnecting');
						break;
					case Events.Reconnect:
						this.setState('connected');
						break;
					case Events.Error:
						if (status.permissionContext) this.permissionDenied(status.permissionContext, nc);
						break;
					default:
						break;
				}
			}
		})().catch(() => {});
		void nc.closed().then(error => {
			if (this.nc !== nc) return;
			this.nc = undefined;
			const failure = error ? natsSourceError(error, this.errorContext(this.currentUrl())) : new SourceError('reset', 'the connection was closed', 'natscope reconnects on the next refresh');
			for (const p of [...this.pending]) p.fail(failure);
			this.setState('closed');
		});
	}

	private permissionDenied(context: {operation: string; subject: string}, nc: NatsConnection): void {
		const error = natsSourceError(
			{name: 'NatsError', message: '', code: 'PERMISSIONS_VIOLATION', permissionContext: context},
			this.errorContext(this.currentUrl(nc), context.subject),
		);
		const publish = context.operation === 'publish';
		for (const p of [...this.pending]) {
			if (publish ? p.subject === context.subject : p.inbox === context.subject) p.fail(error);
		}
		if (!publish) {
			for (const watch of this.watches) if (watch.subjects.includes(context.subject)) watch.onError?.(error);
		}
	}

	// --- requests -----------------------------------------------------------------------------

	private async gather(subject: string, body: Record<string, unknown>, mode: GatherMode, signal?: AbortSignal): Promise<{raws: RawReply[]; url: string}> {
		if (signal?.aborted) throw aborted();
		const nc = await this.connection(signal);
		if (signal?.aborted) throw aborted();
		const url = this.currentUrl(nc);
		const context = this.errorContext(url, subject);
		const payload = new TextEncoder().encode(JSON.stringify(body));
		const timeoutMs = this.options.timeoutMs;
		return new Promise((resolve, reject) => {
			const raws: RawReply[] = [];
			const replyTo = createInbox(this.target.inboxPrefix);
			let done = false;
			let quiet: ReturnType<typeof setTimeout> | undefined;
			let sub: Subscription | undefined;
			const started = performance.now();
			const linksLostBefore = this.linksLost;

			const finish = (error?: SourceError): void => {
				if (done) return;
				done = true;
				clearTimeout(hard);
				clearTimeout(quiet);
				signal?.removeEventListener('abort', onAbort);
				this.pending.delete(pending);
				try {
					sub?.unsubscribe();
				} catch {
					// the connection is gone; so is the subscription
				}
				if (error) reject(error);
				else resolve({raws, url});
			};
			const pending: Pending = {subject, inbox: replyTo, fail: error => finish(error)};
			const onAbort = (): void => finish(aborted());

			const noAnswer = (): SourceError => {
				if (this.state === 'reconnecting' || this.linksLost !== linksLostBefore) {
					const expired = expiredLinkError(this.errorContext(url, subject));
					if (expired) return expired;
					return new SourceError('reset', `lost the connection to ${natsHostPort(url)}; reconnecting`, 'the server may be restarting: natscope keeps trying');
				}
				if (mode.kind === 'single') {
					return new SourceError('timeout', `server ${sanitizeText(mode.serverId, 80)} did not answer ${endpointOf(subject)} within ${seconds(timeoutMs)}`, 'the server may be overloaded: raise --timeout');
				}
				const filter = describeFilter(this.options.serverFilter);
				if (filter) {
					return new SourceError('no-responders', `no server matching ${filter} answered on $SYS within ${seconds(timeoutMs)}`, 'check the server filter (--server-name, --cluster, --host, --tags)');
				}
				return new SourceError('no-responders', `no server answered on $SYS (${subject}) within ${seconds(timeoutMs)}`, SYS_ACCOUNT_HINT);
			};

			const hard = setTimeout(() => finish(raws.length > 0 ? undefined : noAnswer()), timeoutMs);
			signal?.addEventListener('abort', onAbort, {once: true});
			this.pending.add(pending);

			const onMessage = (error: NatsError | null, msg: Msg): void => {
				if (done) return;
				if (error) {
					finish(natsSourceError(error, context));
					return;
				}
				if (msg.data.length === 0 && msg.headers?.code === 503) {
					// The server's no-responders status: nobody listens on this subject in our account.
					if (raws.length > 0) return;
					if (mode.kind === 'single') {
						finish(new SourceError('no-responders', `no server with id ${sanitizeText(mode.serverId, 80)} answered on $SYS`, `server ids change when a server restarts; ${SYS_ACCOUNT_HINT}`));
					} else {
						finish(noRespondersError(subject));
					}
					return;
				}
				raws.push({data: msg.data, receivedAt: Date.now(), rttMs: Math.round((performance.now() - started) * 10) / 10});
				if (mode.kind === 'single' || (mode.expected > 0 && raws.length >= mode.expected)) {
					finish();
					return;
				}
				clearTimeout(quiet);
				quiet = setTimeout(() => finish(), this.quietMs);
			};

			try {
				sub = nc.subscribe(replyTo, {callback: onMessage, max: mode.kind === 'single' ? 1 : undefined});
				nc.publish(subject, payload, {reply: replyTo});
			} catch (error) {
				finish(natsSourceError(error, context));
			}
		});
	}

	private decode<K extends Kind>(kind: K, raws: RawReply[], url: string): Gathered<K> {
		const replies: Array<Reply<K>> = [];
		const failures: ServerFailure[] = [];
		const seen = new Set<string>();
		const endpoint = ENDPOINT[kind];
		const address = sanitizeText(redactUrl(url), 200);
		for (const raw of raws) {
			let envelope: Record<string, unknown>;
			try {
				const json = parseJson(new TextDecoder().decode(raw.data), `a $SYS ${endpoint} reply`);
				if (!isObject(json)) throw new SourceError('decode', `a $SYS ${endpoint} reply is not a JSON object`);
				envelope = json;
			} catch (error) {
				failures.push({address, error: error instanceof SourceError ? error : new SourceError('decode', `a $SYS ${endpoint} reply could not be read`)});
				continue;
			}
			const info = isObject(envelope['server']) ? envelope['server'] : {};
			const ref: ServerRef = {
				id: typeof info['id'] === 'string' ? sanitizeText(info['id'], 100) : '',
				name: typeof info['name'] === 'string' ? sanitizeText(info['name'], 256) : '',
				address,
			};
			const label = ref.name || ref.id || address;
			const problem = envelope['error'];
			if (isObject(problem)) {
				const description = typeof problem['description'] === 'string' ? sanitizeText(problem['description'], 300) : 'no description';
				const code = typeof problem['code'] === 'number' ? ` (${problem['code']})` : '';
				failures.push({address: ref.id || address, server: ref, error: new SourceError('unknown', `${label}: ${endpoint} failed${code}: ${description}`)});
				continue;
			}
			let data: DataOf<Kind>;
			try {
				data = decodeData(kind, envelope['data']);
				if (!ref.id && 'server_id' in data) ref.id = data.server_id;
				if (!ref.name && kind === 'varz') ref.name = (data as DataOf<'varz'>).server_name;
			} catch (error) {
				const reason = error instanceof SourceError ? error.message : 'cannot be decoded';
				failures.push({address: ref.id || address, server: ref, error: new SourceError('decode', `${label}: ${reason}`)});
				continue;
			}
			const key = ref.id || `#${replies.length}`;
			if (seen.has(key)) continue;
			seen.add(key);
			replies.push({kind, server: ref, data: data as DataOf<K>, receivedAt: raw.receivedAt, rttMs: raw.rttMs});
		}
		return {replies, failures};
	}
}

function endpointOf(subject: string): string {
	return subject.slice(subject.lastIndexOf('.') + 1);
}
