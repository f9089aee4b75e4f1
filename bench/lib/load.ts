// Real servers and real client load for the bench: thousands of raw TCP clients (CONNECT + PING,
// answering the server's PINGs: cheap enough for 10,000 on one machine), and slow consumers
// that subscribe to a firehose and stop reading, so sorting by pending has something to find.
import {AckPolicy, connect, StorageType} from 'nats';
import {startCluster, startServer, type NatsServer} from '../../test/helpers/server.js';
import {firehose, openClients, rawClients, slowConsumer, type Clients, type RawClient} from '../../test/helpers/load.js';
import {configModeAccounts, startConfiguredCluster, type ConfigModeAccounts} from '../../test/helpers/accounts.js';

/** Room for 10,000 clients, and slow consumers that stay (the default write deadline would drop them). */
export const SERVER_LIMITS = 'max_connections: 20000\nwrite_deadline: "30m"';

const FIREHOSE = 'bench.firehose';

export type Load = {count(): number; close(): Promise<void>};

/** A publisher and `slow` slow consumers with a few MiB pending each. */
async function pending(publishTo: NatsServer, consumeFrom: NatsServer[], slow: number, user?: {user: string; pass: string}): Promise<{clients: Clients; consumers: RawClient[]}> {
	const consumers: RawClient[] = [];
	for (let i = 0; i < slow; i++) {
		const server = consumeFrom[i % consumeFrom.length]!;
		consumers.push(await slowConsumer('127.0.0.1', server.port, FIREHOSE, {name: `slow-consumer-${i + 1}`}));
	}
	const clients = await openClients(publishTo.natsUrl, 1, {namePrefix: 'bench-publisher', subjects: [], ...user});
	// Let the routes learn the slow consumers' interest before publishing across the cluster.
	await new Promise(resolve => setTimeout(resolve, 500));
	await firehose(clients.conns[0]!, FIREHOSE, {bytes: 6 * 1024 * 1024, payloadBytes: 1024});
	return {clients, consumers};
}

export async function singleServer(): Promise<NatsServer> {
	return startServer({name: 'bench-single', config: SERVER_LIMITS});
}

/** Bring the server to `total` connections: 2 slow consumers, 1 publisher, the rest raw clients. */
export async function loadSingle(server: NatsServer, total: number): Promise<Load & {grow(total: number): Promise<void>}> {
	const {clients, consumers} = await pending(server, [server], 2);
	const raw: Array<{close(): void}> = [];
	let count = 3;
	const grow = async (to: number) => {
		if (to <= count) return;
		raw.push(await rawClients('127.0.0.1', server.port, to - count, {namePrefix: `load-${count}`}));
		count = to;
	};
	await grow(total);
	return {
		grow,
		count: () => count,
		async close() {
			for (const r of raw) r.close();
			for (const c of consumers) c.close();
			await clients.close();
		},
	};
}

export type ClusterSetup = {nodes: NatsServer[]; accounts: ConfigModeAccounts; load: Load};

/** Three routed servers with a system account, `perNode` connections each, a slow consumer on the second. */
export async function loadedCluster(perNode: number): Promise<ClusterSetup> {
	const accounts = configModeAccounts({noAuthUser: true});
	const nodes = await startConfiguredCluster(3, `${accounts.configText}\n${SERVER_LIMITS}`, 'bench-cluster');
	const {clients, consumers} = await pending(nodes[0]!, [nodes[1]!], 1, {user: accounts.users.app.user, pass: accounts.users.app.password});
	const raw: Array<{close(): void}> = [];
	for (const [i, node] of nodes.entries()) {
		const own = i === 0 ? 1 : i === 1 ? 1 : 0; // the publisher and the slow consumer count too
		raw.push(await rawClients('127.0.0.1', node.port, perNode - own, {namePrefix: `load-n${i + 1}`}));
	}
	return {
		nodes,
		accounts,
		load: {
			count: () => perNode * nodes.length,
			async close() {
				for (const r of raw) r.close();
				for (const c of consumers) c.close();
				await clients.close();
			},
		},
	};
}

export type JetStreamSetup = {nodes: NatsServer[]; streams: number; close(): Promise<void>};

/**
 * Three JetStream servers with `streams` streams (replicated 3 and 1 by turns, a few messages
 * and two durable consumers each), for the JetStream views' frames.
 */
export async function jetStreamCluster(streams: number): Promise<JetStreamSetup> {
	const nodes = await startCluster(3, {jetstream: true, name: 'bench-js'});
	const nc = await connect({servers: nodes.map(n => n.natsUrl), name: 'bench-jetstream'});
	try {
		const jsm = await nc.jetstreamManager();
		const js = nc.jetstream();
		for (let i = 0; i < streams; i++) {
			const name = `BENCH_${String(i + 1).padStart(3, '0')}`;
			await jsm.streams.add({name, subjects: [`bench.js.${i}.>`], num_replicas: i % 2 === 0 ? 3 : 1, storage: StorageType.Memory});
			for (let m = 0; m < 20; m++) await js.publish(`bench.js.${i}.m`, new Uint8Array(200));
			for (const durable of ['workers', 'audit']) await jsm.consumers.add(name, {durable_name: durable, ack_policy: AckPolicy.Explicit});
		}
	} finally {
		await nc.close();
	}
	return {nodes, streams, close: async () => Promise.all(nodes.map(n => n.stop())).then(() => undefined)};
}
