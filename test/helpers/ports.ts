import {createServer, type Server} from 'node:net';

// Ports come from below the kernel's ephemeral range (32768–60999 here): a port picked from
// that range and released can be taken at once by one of the thousands of outgoing client
// sockets the tests open, before nats-server binds it ("address already in use" on CI).
const LOW = 10_000;
const HIGH = 32_000;

function listenOn(port: number): Promise<{server: Server; port: number} | undefined> {
	return new Promise(resolve => {
		const server = createServer();
		server.unref();
		server.once('error', () => resolve(undefined));
		server.listen(port, '127.0.0.1', () => resolve({server, port}));
	});
}

// Every port handed out by this process, never handed out again: a cluster's route ports are
// picked (and released) before each node picks its own client and monitor ports, and a node once
// got its own route port as its client port ("address already in use" for the route, on CI).
const handedOut = new Set<number>();

async function listen(): Promise<{server: Server; port: number}> {
	for (let attempt = 0; attempt < 200; attempt++) {
		const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
		if (handedOut.has(port)) continue;
		const held = await listenOn(port);
		if (held) {
			handedOut.add(port);
			return held;
		}
	}
	throw new Error(`no free loopback port between ${LOW} and ${HIGH}`);
}

function close(server: Server): Promise<void> {
	return new Promise(resolve => server.close(() => resolve()));
}

/** A loopback port nobody listens on right now. */
export async function freePort(): Promise<number> {
	const {server, port} = await listen();
	await close(server);
	return port;
}

/** `count` distinct free loopback ports (all held open until every one is chosen). */
export async function freePorts(count: number): Promise<number[]> {
	const held: Array<{server: Server; port: number}> = [];
	try {
		for (let i = 0; i < count; i++) held.push(await listen());
		return held.map(h => h.port);
	} finally {
		await Promise.all(held.map(h => close(h.server)));
	}
}
