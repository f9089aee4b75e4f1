import {createServer, type Server} from 'node:net';

function listen(): Promise<{server: Server; port: number}> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			resolve({server, port: typeof address === 'object' && address ? address.port : 0});
		});
	});
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
