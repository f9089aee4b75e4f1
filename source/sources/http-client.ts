// HTTP/1.1 GET over keep-alive sockets, for the monitoring port. node:http does the same job
// with a request object, a response stream and an agent per exchange, which on a 2-core host
// costs about 1 ms of CPU per refresh of two small requests; this costs a fraction of that
// (see README, Performance). GET only: no redirects, no proxies, no compression, no pipelining.
// Responses are framed by Content-Length, chunked encoding, or the end of the connection.
import net from 'node:net';
import type tls from 'node:tls';
import {createRequire} from 'node:module';

const EMPTY: Buffer = Buffer.alloc(0);
const MAX_HEAD_BYTES = 64 * 1024;
const MAX_IDLE_SOCKETS = 4;

/** An answer that is not HTTP; `code` and `rawPacket` as node:http's parser errors have them. */
export class HttpParseError extends Error {
	readonly code = 'HPE_INVALID_CONSTANT';
	constructor(
		message: string,
		readonly rawPacket: Buffer,
	) {
		super(message);
	}
}

/** The body grew past the cap (or its declared length is past it). */
export class BodyTooLargeError extends Error {
	readonly code = 'BODY_TOO_LARGE';
}

/** The connection ended after the response began and before its body was complete. */
export class IncompleteResponseError extends Error {
	readonly code = 'INCOMPLETE_RESPONSE';
}

export type HttpResponse = {status: number; headers: Map<string, string>; body: Buffer};

type BodyFraming = 'length' | 'chunked' | 'close' | 'none';

/**
 * One response, read incrementally from whatever pieces the socket delivers. push() returns
 * true once the response is complete; end() tells it the connection closed.
 */
export class ResponseParser {
	status = 0;
	readonly headers = new Map<string, string>();
	/** Whether the socket may carry another request after this response. */
	keepAlive = true;
	/** Bytes that arrived after the end of the response (the socket is not reused then). */
	extra = EMPTY;
	/** Whether any byte of the response has arrived. */
	started = false;
	private framing: BodyFraming = 'none';
	private state: 'head' | 'body' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailer' | 'done' = 'head';
	private pending = EMPTY;
	private remaining = 0;
	private readonly parts: Buffer[] = [];
	private size = 0;

	constructor(private readonly maxBodyBytes: number) {}

	get complete(): boolean {
		return this.state === 'done';
	}

	body(): Buffer {
		return this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size);
	}

	push(chunk: Buffer): boolean {
		if (chunk.length > 0) this.started = true;
		let data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
		this.pending = EMPTY;
		while (data.length > 0 && this.state !== 'done') data = this.step(data);
		if (this.state === 'done' && data.length > 0) this.extra = data;
		return this.state === 'done';
	}

	/** The connection closed: true when that completes the response (a body read to the end). */
	end(): boolean {
		if (this.state === 'body' && this.framing === 'close') this.state = 'done';
		return this.state === 'done';
	}

	/** Consume what it can of `data`; returns the rest (kept in `pending` when a line is incomplete). */
	private step(data: Buffer): Buffer {
		switch (this.state) {
			case 'head':
				return this.readHead(data);
			case 'body': {
				const take = this.framing === 'close' ? data.length : Math.min(this.remaining, data.length);
				this.addBody(data.subarray(0, take));
				this.remaining -= take;
				if (this.framing === 'length' && this.remaining === 0) this.state = 'done';
				return data.subarray(take);
			}
			case 'chunk-size': {
				const line = this.readLine(data);
				if (!line) return EMPTY;
				const hex = line.text.split(';')[0]!.trim(); // a chunk extension follows ';'
				if (!/^[0-9a-f]{1,12}$/i.test(hex)) throw new HttpParseError('Parse Error: Invalid character in chunk size', data.subarray(0, 64));
				const size = Number.parseInt(hex, 16);
				this.remaining = size;
				this.state = size === 0 ? 'trailer' : 'chunk-data';
				return line.rest;
			}
			case 'chunk-data': {
				const take = Math.min(this.remaining, data.length);
				this.addBody(data.subarray(0, take));
				this.remaining -= take;
				if (this.remaining === 0) this.state = 'chunk-end';
				return data.subarray(take);
			}
			case 'chunk-end': {
				const line = this.readLine(data);
				if (!line) return EMPTY;
				if (line.text !== '') throw new HttpParseError('Parse Error: Expected CRLF after chunk', data.subarray(0, 64));
				this.state = 'chunk-size';
				return line.rest;
			}
			case 'trailer': {
				const line = this.readLine(data);
				if (!line) return EMPTY;
				if (line.text === '') this.state = 'done';
				return line.rest;
			}
			case 'done':
				return data;
		}
	}

	private readLine(data: Buffer): {text: string; rest: Buffer} | undefined {
		const at = data.indexOf('\r\n');
		if (at < 0) {
			if (data.length > MAX_HEAD_BYTES) throw new HttpParseError('Parse Error: Line too long', data.subarray(0, 64));
			this.pending = data;
			return undefined;
		}
		return {text: data.toString('latin1', 0, at), rest: data.subarray(at + 2)};
	}

	private readHead(data: Buffer): Buffer {
		const prefix = Math.min(5, data.length);
		if (data.toString('latin1', 0, prefix) !== 'HTTP/'.slice(0, prefix)) throw new HttpParseError('Parse Error: Expected HTTP/', data.subarray(0, 512));
		const end = data.indexOf('\r\n\r\n');
		if (end < 0) {
			if (data.length > MAX_HEAD_BYTES) throw new HttpParseError('Parse Error: Header overflow', data.subarray(0, 512));
			this.pending = data;
			return EMPTY;
		}
		const lines = data.toString('latin1', 0, end).split('\r\n');
		const statusLine = /^HTTP\/1\.([01]) (\d{3})(?: |$)/.exec(lines[0]!);
		if (!statusLine) throw new HttpParseError('Parse Error: Invalid status line', data.subarray(0, 512));
		this.status = Number(statusLine[2]);
		this.headers.clear();
		for (let i = 1; i < lines.length; i++) {
			const line = lines[i]!;
			const colon = line.indexOf(':');
			if (colon <= 0) throw new HttpParseError('Parse Error: Invalid header', data.subarray(0, 512));
			const name = line.slice(0, colon).trim().toLowerCase();
			const value = line.slice(colon + 1).trim();
			const before = this.headers.get(name);
			this.headers.set(name, before === undefined ? value : `${before}, ${value}`);
		}
		const rest = data.subarray(end + 4);
		if (this.status >= 100 && this.status < 200) return rest; // an interim answer: the real one follows
		const connection = (this.headers.get('connection') ?? '').toLowerCase();
		this.keepAlive = statusLine[1] === '1' ? !/\bclose\b/.test(connection) : /\bkeep-alive\b/.test(connection);
		const encoding = (this.headers.get('transfer-encoding') ?? '').toLowerCase();
		const length = this.headers.get('content-length');
		if (this.status === 204 || this.status === 304) {
			this.framing = 'none';
			this.state = 'done';
		} else if (/\bchunked\b/.test(encoding)) {
			this.framing = 'chunked';
			this.state = 'chunk-size';
		} else if (length !== undefined) {
			if (!/^\d+$/.test(length)) throw new HttpParseError('Parse Error: Invalid Content-Length', data.subarray(0, 512));
			this.remaining = Number(length);
			if (this.remaining > this.maxBodyBytes) throw new BodyTooLargeError('declared body too large');
			this.framing = 'length';
			this.state = this.remaining === 0 ? 'done' : 'body';
		} else {
			this.framing = 'close';
			this.keepAlive = false;
			this.state = 'body';
		}
		return rest;
	}

	private addBody(piece: Buffer): void {
		if (piece.length === 0) return;
		this.size += piece.length;
		if (this.size > this.maxBodyBytes) throw new BodyTooLargeError('body too large');
		this.parts.push(piece);
	}
}

export type HttpClientOptions = {
	/** For https: CA, client certificate and key, verification (on unless turned off). */
	tls?: Pick<tls.ConnectionOptions, 'ca' | 'cert' | 'key' | 'rejectUnauthorized'>;
};

type Exchange = {
	parser: ResponseParser;
	/** Whether the socket had carried an answer before: a stale keep-alive socket is retried once. */
	reused: boolean;
	settle: (error: Error | undefined, response?: HttpResponse) => void;
	retry: () => void;
};

/** node:tls loads for https:// addresses only. */
let tlsModule: typeof import('node:tls') | undefined;
function tlsApi(): typeof import('node:tls') {
	return (tlsModule ??= createRequire(import.meta.url)('node:tls') as typeof import('node:tls'));
}

/** One socket to the server and the exchange it carries, if any. */
class Connection {
	current: Exchange | undefined;
	closed = false;

	constructor(
		readonly socket: net.Socket,
		onClosed: (connection: Connection) => void,
	) {
		socket.on('data', chunk => this.onData(chunk as Buffer));
		socket.on('end', () => this.onEnd());
		socket.on('close', () => {
			this.onEnd();
			onClosed(this);
		});
		socket.on('error', error => this.onError(error));
	}

	private onData(chunk: Buffer): void {
		const exchange = this.current;
		if (!exchange) {
			// Nothing was asked: whatever this is, the socket cannot be trusted with a request.
			this.socket.destroy();
			return;
		}
		let complete: boolean;
		try {
			complete = exchange.parser.push(chunk);
		} catch (error) {
			this.fail(error as Error);
			return;
		}
		if (!complete) return;
		const {parser} = exchange;
		this.current = undefined;
		if (!parser.keepAlive || parser.extra.length > 0) this.destroy();
		exchange.settle(undefined, {status: parser.status, headers: parser.headers, body: parser.body()});
	}

	private onEnd(): void {
		this.closed = true;
		const exchange = this.current;
		if (!exchange) return;
		this.current = undefined;
		const {parser} = exchange;
		if (parser.end()) {
			exchange.settle(undefined, {status: parser.status, headers: parser.headers, body: parser.body()});
		} else if (!parser.started && exchange.reused) {
			exchange.retry();
		} else if (!parser.started) {
			exchange.settle(Object.assign(new Error('socket hang up'), {code: 'ECONNRESET'}));
		} else {
			exchange.settle(new IncompleteResponseError('the connection closed mid-reply'));
		}
		this.socket.destroy();
	}

	private onError(error: NodeJS.ErrnoException): void {
		this.closed = true;
		const exchange = this.current;
		if (!exchange) return;
		this.current = undefined;
		if (!exchange.parser.started && exchange.reused && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) exchange.retry();
		else exchange.settle(error);
	}

	private fail(error: Error): void {
		const exchange = this.current;
		this.current = undefined;
		this.destroy();
		exchange?.settle(error);
	}

	destroy(): void {
		this.closed = true;
		this.socket.destroy();
	}
}

/** A URL's user or password as typed: percent-decoded, or left as it is when that is not valid. */
function percentDecoded(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

function aborted(): Error {
	return Object.assign(new Error('request aborted'), {code: 'ABORT_ERR', name: 'AbortError'});
}

/** A request in flight: its answer, and a way to give up on it (which closes its socket). */
export type PendingRequest = {response: Promise<HttpResponse>; abort: () => void};

export class HttpClient {
	private readonly idle: Connection[] = [];
	private readonly open = new Set<Connection>();
	private readonly host: string;
	private readonly port: number;
	private readonly secure: boolean;
	private readonly hostHeader: string;
	private readonly authorization: string | undefined;
	private destroyed = false;

	constructor(
		base: URL,
		private readonly options: HttpClientOptions = {},
	) {
		this.secure = base.protocol === 'https:';
		this.host = base.hostname.replace(/^\[(.*)\]$/, '$1');
		this.port = base.port ? Number(base.port) : this.secure ? 443 : 80;
		this.hostHeader = base.host;
		// As node:http does for a URL with user:password@ (a proxy in front of the port may want it).
		this.authorization =
			base.username || base.password ? `Basic ${Buffer.from(`${percentDecoded(base.username)}:${percentDecoded(base.password)}`).toString('base64')}` : undefined;
	}

	/** GET `pathAndQuery` (already encoded); the body is capped at `maxBodyBytes`. */
	get(pathAndQuery: string, maxBodyBytes: number): PendingRequest {
		const head =
			`GET ${pathAndQuery} HTTP/1.1\r\nHost: ${this.hostHeader}\r\nAccept: application/json\r\nUser-Agent: natscope\r\n` +
			(this.authorization ? `Authorization: ${this.authorization}\r\n` : '') +
			'\r\n';
		let connection: Connection | undefined;
		let settled = false;
		let resolve!: (response: HttpResponse) => void;
		let reject!: (error: Error) => void;
		const response = new Promise<HttpResponse>((yes, no) => {
			resolve = yes;
			reject = no;
		});
		const settle = (error: Error | undefined, answer?: HttpResponse): void => {
			if (settled) return;
			settled = true;
			if (error) {
				reject(error);
				return;
			}
			if (connection && !connection.closed && !this.destroyed && this.idle.length < MAX_IDLE_SOCKETS) {
				connection.socket.unref();
				this.idle.push(connection);
			} else connection?.destroy();
			resolve(answer!);
		};
		const send = (fresh: boolean): void => {
			connection = fresh ? undefined : this.takeIdle();
			const reused = connection !== undefined;
			connection ??= this.connect();
			connection.socket.ref();
			connection.current = {parser: new ResponseParser(maxBodyBytes), reused, settle, retry: () => (this.destroyed ? settle(aborted()) : send(true))};
			connection.socket.write(head, 'latin1');
		};
		if (this.destroyed) settle(aborted());
		else send(false);
		return {
			response,
			abort: () => {
				if (settled) return;
				settle(aborted());
				if (connection) {
					connection.current = undefined;
					connection.destroy();
				}
			},
		};
	}

	private takeIdle(): Connection | undefined {
		for (let connection = this.idle.pop(); connection; connection = this.idle.pop()) {
			if (!connection.closed) return connection;
		}
		return undefined;
	}

	private connect(): Connection {
		const socket = this.secure
			? tlsApi().connect({
					host: this.host,
					port: this.port,
					// SNI for names, as node:https does; never for an IP address.
					servername: net.isIP(this.host) ? undefined : this.host,
					...this.options.tls,
				})
			: net.connect({host: this.host, port: this.port});
		socket.setNoDelay(true);
		const connection = new Connection(socket, closed => {
			this.open.delete(closed);
			const at = this.idle.indexOf(closed);
			if (at >= 0) this.idle.splice(at, 1);
		});
		this.open.add(connection);
		return connection;
	}

	/** Close every socket; requests in flight fail. */
	destroy(): void {
		this.destroyed = true;
		this.idle.length = 0;
		for (const connection of this.open) connection.destroy();
	}
}
