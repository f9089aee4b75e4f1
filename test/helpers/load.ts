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

/** Publish until roughly `bytes` have gone out, flushing now and then. */
export async function firehose(conn: NatsConnection, subject: string, options: {bytes: number; payloadBytes: number}): Promise<void> {
	const count = Math.ceil(options.bytes / options.payloadBytes);
	await traffic(conn, subject, count, options.payloadBytes);
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
	socket.on('error', () => {});
	await waitFor(() => received.includes('INFO {'), {timeoutMs: 5000, what: 'INFO from the server'});
	const connectOptions = {verbose: false, pedantic: false, name: options.name, lang: 'raw', version: '0', protocol: 1};
	socket.write(`CONNECT ${JSON.stringify(connectOptions)}\r\nSUB ${subject} 1\r\nPING\r\n`);
	await waitFor(() => received.includes('PONG'), {timeoutMs: 5000, what: 'PONG from the server'});
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
