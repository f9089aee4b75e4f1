// Client load for tests: named clients with subscriptions and traffic, and a slow consumer
// that builds pending bytes on the server by not reading.
import {connect as netConnect, type Socket} from 'node:net';
import {connect, type NatsConnection} from 'nats';
import {waitFor} from './wait.js';

export type Clients = {conns: NatsConnection[]; close(): Promise<void>};

export async function openClients(
	url: string,
	count: number,
	options: {namePrefix: string; subjects?: string[]; user?: string; pass?: string},
): Promise<Clients> {
	const conns: NatsConnection[] = [];
	const batch = 50;
	for (let start = 0; start < count; start += batch) {
		const opened = await Promise.all(
			Array.from({length: Math.min(batch, count - start)}, (_, i) =>
				connect({
					servers: url,
					name: `${options.namePrefix}-${start + i + 1}`,
					user: options.user,
					pass: options.pass,
					reconnect: false,
					maxReconnectAttempts: 0,
				}),
			),
		);
		for (const nc of opened) {
			for (const subject of options.subjects ?? ['natscope.test.>']) nc.subscribe(subject, {callback: () => {}});
			conns.push(nc);
		}
	}
	await Promise.all(conns.map(nc => nc.flush()));
	return {
		conns,
		async close() {
			await Promise.all(conns.map(nc => nc.close().catch(() => {})));
		},
	};
}

/** Publish `count` messages of `payloadBytes` and wait until the server has them. */
export async function traffic(conn: NatsConnection, subject: string, count: number, payloadBytes = 16): Promise<void> {
	const payload = new Uint8Array(payloadBytes);
	for (let i = 0; i < count; i++) {
		conn.publish(subject, payload);
		if (i % 1000 === 999) await conn.flush();
	}
	await conn.flush();
}

/** Publish until roughly `bytes` of payload have gone out, flushing about every MiB. */
export async function firehose(conn: NatsConnection, subject: string, options: {bytes: number; payloadBytes: number}): Promise<void> {
	const payload = new Uint8Array(options.payloadBytes);
	const flushEvery = Math.max(1, Math.floor((1024 * 1024) / Math.max(1, options.payloadBytes)));
	const count = Math.ceil(options.bytes / Math.max(1, options.payloadBytes));
	for (let i = 0; i < count; i++) {
		conn.publish(subject, payload);
		if (i % flushEvery === flushEvery - 1) await conn.flush();
	}
	await conn.flush();
}

export type RawClient = {socket: Socket; close(): void};

/**
 * A client speaking the protocol by hand over TCP: subscribes, then stops reading so the
 * server's pending bytes for it grow. The name goes into CONNECT as given (tests use this
 * for hostile names too).
 */
export async function slowConsumer(host: string, port: number, subject: string, options: {name: string}): Promise<RawClient> {
	const socket = netConnect({host, port});
	let received = '';
	socket.setEncoding('utf8');
	socket.on('data', chunk => {
		received += chunk;
	});
	let failed: Error | undefined;
	socket.on('error', error => {
		failed = error;
	});
	// Stop waiting at once on a socket error or an -ERR from the server.
	const until = async (marker: string, what: string): Promise<void> => {
		const problem = (): string | undefined => failed?.message ?? /-ERR [^\r]*/.exec(received)?.[0];
		await waitFor(() => problem() !== undefined || received.includes(marker), {timeoutMs: 5000, what});
		const found = problem();
		if (found !== undefined) {
			socket.destroy();
			throw new Error(`slow consumer ${options.name}: ${found}`);
		}
	};
	await until('INFO {', 'INFO from the server');
	const connectOptions = {verbose: false, pedantic: false, name: options.name, lang: 'raw', version: '0'};
	socket.write(`CONNECT ${JSON.stringify(connectOptions)}\r\nSUB ${subject} 1\r\nPING\r\n`);
	await until('PONG', 'PONG from the server');
	// From here on nothing is read: the server's outbound buffer for this client only grows.
	socket.pause();
	received = '';
	return {
		socket,
		close() {
			socket.destroy();
		},
	};
}

/**
 * Many light clients: raw sockets that CONNECT with a name and answer the server's PINGs. Cheaper
 * than full clients when a test needs thousands of connections.
 */
export async function rawClients(host: string, port: number, count: number, options: {namePrefix: string}): Promise<{sockets: Socket[]; close(): void}> {
	const sockets: Socket[] = [];
	const open = (index: number) =>
		new Promise<Socket>((resolve, reject) => {
			const socket = netConnect({host, port});
			let buffer = '';
			let ready = false;
			socket.setEncoding('utf8');
			socket.on('error', error => (ready ? undefined : reject(error)));
			socket.on('data', (chunk: string) => {
				buffer += chunk;
				if (!ready && buffer.includes('INFO {')) {
					ready = true;
					buffer = '';
					const name = `${options.namePrefix}-${index + 1}`;
					socket.write(`CONNECT {"verbose":false,"pedantic":false,"name":"${name}","lang":"raw","version":"0"}\r\nPING\r\n`);
				}
				if (buffer.includes('PONG')) {
					buffer = buffer.replace('PONG\r\n', '');
					resolve(socket);
				}
				if (buffer.includes('PING\r\n')) {
					buffer = buffer.replace('PING\r\n', '');
					socket.write('PONG\r\n');
				}
			});
		});
	const batch = 100;
	for (let start = 0; start < count; start += batch) {
		sockets.push(...(await Promise.all(Array.from({length: Math.min(batch, count - start)}, (_, i) => open(start + i)))));
	}
	return {
		sockets,
		close() {
			for (const socket of sockets) socket.destroy();
		},
	};
}
