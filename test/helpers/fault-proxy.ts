// A TCP switch on a fixed loopback port, for fault tests: the app keeps one address while the
// test decides what answers behind it — a real server, another real port, nobody (refused), a
// socket that never answers, a TLS front with a self-signed certificate, or a link that drops
// as soon as the client asks something. Every switch cuts the connections already open, so
// keep-alive sockets cannot hide the change.
import net from 'node:net';
import tls from 'node:tls';
import {freePort} from './ports.js';

export type Route =
	/** Pass bytes to and from 127.0.0.1:port. */
	| {kind: 'forward'; port: number}
	/** Nobody listens: connecting fails with ECONNREFUSED. */
	| {kind: 'refuse'}
	/** Accept, read, never answer. */
	| {kind: 'stall'}
	/** Terminate TLS here with this certificate, then forward the plain bytes. */
	| {kind: 'tls'; cert: string | Buffer; key: string | Buffer; port: number}
	/** Forward, but cut both sides the moment the client sends bytes matching `when`. */
	| {kind: 'drop'; port: number; when: RegExp};

export class FaultProxy {
	private server: net.Server | undefined;
	private readonly sockets = new Set<net.Socket>();
	private current: Route;
	/** Connections accepted so far (tests use it to see that the client came back). */
	accepted = 0;

	private constructor(
		readonly port: number,
		route: Route,
	) {
		this.current = route;
	}

	static async start(route: Route, port?: number): Promise<FaultProxy> {
		const proxy = new FaultProxy(port ?? (await freePort()), route);
		if (route.kind !== 'refuse') await proxy.listen();
		return proxy;
	}

	get route(): Route {
		return this.current;
	}

	/** Switch what answers; open connections are cut. */
	async set(route: Route): Promise<void> {
		this.current = route;
		this.cutAll();
		if (route.kind === 'refuse') await this.unlisten();
		else await this.listen();
	}

	async close(): Promise<void> {
		this.cutAll();
		await this.unlisten();
	}

	private cutAll(): void {
		for (const socket of this.sockets) socket.destroy();
		this.sockets.clear();
	}

	private track(socket: net.Socket): void {
		this.sockets.add(socket);
		socket.on('close', () => this.sockets.delete(socket));
		socket.on('error', () => socket.destroy());
	}

	private listen(): Promise<void> {
		if (this.server) return Promise.resolve();
		const server = net.createServer(socket => this.accept(socket));
		this.server = server;
		return new Promise((resolve, reject) => {
			server.once('error', reject);
			server.listen(this.port, '127.0.0.1', () => {
				server.off('error', reject);
				resolve();
			});
		});
	}

	private unlisten(): Promise<void> {
		const server = this.server;
		this.server = undefined;
		if (!server) return Promise.resolve();
		return new Promise(resolve => server.close(() => resolve()));
	}

	private accept(client: net.Socket): void {
		this.accepted++;
		this.track(client);
		const route = this.current;
		switch (route.kind) {
			case 'refuse':
				client.destroy();
				return;
			case 'stall':
				client.resume();
				return;
			case 'forward':
				this.pipe(client, route.port);
				return;
			case 'drop': {
				const upstream = this.pipe(client, route.port, false);
				client.on('data', chunk => {
					if (route.when.test(chunk.toString('latin1'))) {
						client.destroy();
						upstream.destroy();
						return;
					}
					upstream.write(chunk);
				});
				return;
			}
			case 'tls': {
				const secure = new tls.TLSSocket(client, {isServer: true, cert: route.cert, key: route.key});
				secure.on('error', () => client.destroy());
				this.pipe(secure, route.port);
				return;
			}
		}
	}

	/** Connect to the upstream port and pass bytes both ways (client → upstream only if `both`). */
	private pipe(client: net.Socket, port: number, both = true): net.Socket {
		const upstream = net.connect({host: '127.0.0.1', port});
		this.track(upstream);
		upstream.on('error', () => client.destroy());
		upstream.on('close', () => client.destroy());
		client.on('close', () => upstream.destroy());
		upstream.pipe(client);
		if (both) client.pipe(upstream);
		return upstream;
	}
}
