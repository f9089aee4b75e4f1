// A small HTTP server for what a real nats-server cannot be made to do: wrong status codes,
// malformed or truncated JSON, huge bodies, replies cut mid-body, hostile error text. What it
// answers is switched at run time with set(); every path gets the same behaviour unless
// `paths` narrows it (others are then passed to `passthrough`, a real monitoring port).
import http from 'node:http';

export type FakeReply =
	/** status + body as given. */
	| {kind: 'status'; status: number; body: string; contentType?: string}
	/** 200 with this body (malformed or truncated JSON, anything). */
	| {kind: 'body'; body: string | Buffer}
	/** 200 with a body of about `bytes`: valid JSON ({…"padding":"aaa…"}) or not. */
	| {kind: 'huge'; bytes: number; valid: boolean}
	/** Declares `declared` bytes, sends `body`, then closes the socket. */
	| {kind: 'cut'; body: string; declared: number}
	/** Ask the real server at `port` (the fake is a plain reverse proxy). */
	| {kind: 'proxy'; port: number};

export class FakeHttp {
	private reply: FakeReply;
	/** Requests answered so far, by path without query. */
	readonly hits = new Map<string, number>();

	private constructor(
		private readonly server: http.Server,
		readonly port: number,
		reply: FakeReply,
	) {
		this.reply = reply;
	}

	static async start(reply: FakeReply): Promise<FakeHttp> {
		let self: FakeHttp | undefined;
		const server = http.createServer((request, response) => self?.answer(request, response));
		server.keepAliveTimeout = 1000;
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		const port = (server.address() as {port: number}).port;
		self = new FakeHttp(server, port, reply);
		return self;
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	set(reply: FakeReply): void {
		this.reply = reply;
		this.server.closeAllConnections();
	}

	async close(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise(resolve => this.server.close(resolve));
	}

	private answer(request: http.IncomingMessage, response: http.ServerResponse): void {
		const path = (request.url ?? '/').split('?')[0]!;
		this.hits.set(path, (this.hits.get(path) ?? 0) + 1);
		const reply = this.reply;
		switch (reply.kind) {
			case 'status':
				response.statusCode = reply.status;
				response.setHeader('content-type', reply.contentType ?? 'text/plain');
				response.end(reply.body);
				return;
			case 'body':
				response.setHeader('content-type', 'application/json');
				response.end(reply.body);
				return;
			case 'huge': {
				response.setHeader('content-type', 'application/json');
				const head = Buffer.from('{"server_id":"NHUGE","server_name":"huge","version":"2.9.10","now":"2030-01-01T00:00:00Z","connections":[],"padding":"');
				const tail = Buffer.from(reply.valid ? '"}' : '');
				const fill = Math.max(0, reply.bytes - head.length - tail.length);
				response.setHeader('content-length', String(head.length + fill + tail.length));
				response.write(head);
				const chunk = Buffer.alloc(64 * 1024, 'a');
				let left = fill;
				const pump = (): void => {
					while (left > 0) {
						const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
						left -= piece.length;
						if (!response.write(piece)) {
							response.once('drain', pump);
							return;
						}
					}
					response.end(tail);
				};
				response.on('close', () => {
					left = 0;
				});
				pump();
				return;
			}
			case 'cut':
				response.setHeader('content-type', 'application/json');
				response.setHeader('content-length', String(reply.declared));
				response.write(reply.body, () => response.socket?.destroy());
				return;
			case 'proxy': {
				const upstream = http.request(
					{host: '127.0.0.1', port: reply.port, path: request.url, method: request.method, headers: request.headers},
					answer => {
						response.writeHead(answer.statusCode ?? 502, answer.headers);
						answer.pipe(response);
					},
				);
				upstream.on('error', () => response.destroy());
				request.pipe(upstream);
				return;
			}
		}
	}
}
