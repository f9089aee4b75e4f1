// npm run record-demo: records media/demo.ndjson.gz, the recording `natscope --demo` replays.
//
// A real 3-node cluster (JetStream, a system account; a gateway to a one-node cluster nats-west and
// a leaf node, so the topology views have links to show) with load, a slow consumer, an R3 stream
// whose follower is stopped for a while (SIGSTOP) so its replica lags, a mirror, a slow durable
// consumer and connections that close. The requests come from the real app: one App per view
// (every global `view-*` key in the keymap, plus closed connections and a connection detail),
// all polling through one recording source, so a view added later is recorded without touching
// this script. Two things keep the file small and the demo free to explore: identical questions
// asked by several apps within a second are asked once, and every /connz question is asked as
// "all connections, with subscriptions and auth" (one full answer per server), from which a
// replay answers any sort, page, filter or detail like the server would (replay/derive.ts).
//
//   npm run record-demo [-- --seconds 60 --out media/demo.ndjson.gz]
import {randomBytes} from 'node:crypto';
import {chmod, stat} from 'node:fs/promises';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import React from 'react';
import {render} from 'ink-testing-library';
import {AckPolicy, connect, StorageType, type NatsConnection} from 'nats';
import {App} from '../source/app.js';
import {KEYMAP, type CommandId, type Scope} from '../source/keymap.js';
import {Poller} from '../source/poll/poller.js';
import {SysSource} from '../source/sources/sys.js';
import {recordingSource, type RecordingSource} from '../source/sources/record.js';
import {deriveConnz} from '../source/replay/derive.js';
import {requestKey} from '../source/replay/format.js';
import {packageVersion} from '../source/config/flags.js';
import type {Config, NatsTarget} from '../source/config/types.js';
import type {Connz, ConnzQuery, Gathered, Kind, Source, SourceRequest} from '../source/sources/types.js';
import {startCluster, startServer, stopAll, type NatsServer} from '../test/helpers/server.js';
import {freePorts} from '../test/helpers/ports.js';
import {firehose, openClients, slowConsumer, type Clients, type RawClient} from '../test/helpers/load.js';
import {waitFor} from '../test/helpers/wait.js';

const {values: args} = parseArgs({options: {seconds: {type: 'string', default: '60'}, out: {type: 'string', default: 'media/demo.ndjson.gz'}}});
const SECONDS = Number(args.seconds);
const OUT = fileURLToPath(new URL(`../${args.out}`, import.meta.url));
const MAX_BYTES = 300 * 1024;
const WIDTH = 140;
const HEIGHT = 45;
/** Questions asked again within this time get the answer already on its way. */
const SHARED_MS = 900;
/** The one /connz question: everything, from which replays derive the rest. */
const FULL_CONNZ: ConnzQuery = {state: 'all', subs: 'detail', auth: true, offset: 0, limit: 1024};

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
const log = (text: string) => process.stderr.write(`record-demo: ${text}\n`);

/** Asks each question once per SHARED_MS for every app, and /connz always in full. */
class SharedFeed implements Source {
	readonly transport: Source['transport'];
	readonly description: string;
	readonly linkState?: Source['linkState'];
	readonly onLinkState?: Source['onLinkState'];
	readonly subscribe?: Source['subscribe'];
	private readonly asked = new Map<string, {at: number; done: boolean; answer: Promise<Gathered>}>();

	constructor(private readonly inner: RecordingSource) {
		this.transport = inner.transport;
		this.description = inner.description;
		this.linkState = inner.linkState;
		this.onLinkState = inner.onLinkState;
		this.subscribe = inner.subscribe ? inner.subscribe.bind(inner) : undefined;
	}

	async request<K extends Kind>(request: Extract<SourceRequest, {kind: K}>): Promise<Gathered<K>> {
		const question: SourceRequest = request.kind === 'connz' ? {kind: 'connz', query: FULL_CONNZ} : request;
		const key = requestKey(question);
		let entry = this.asked.get(key);
		if (!entry || (entry.done && Date.now() - entry.at > SHARED_MS)) {
			const fresh = {at: Date.now(), done: false, answer: this.inner.request(question as never) as Promise<Gathered>};
			fresh.answer.then(
				() => Object.assign(fresh, {done: true, at: Date.now()}),
				() => Object.assign(fresh, {done: true, at: Date.now()}),
			);
			this.asked.set(key, fresh);
			entry = fresh;
		}
		const gathered = await entry.answer;
		if (request.kind !== 'connz') return gathered as Gathered<K>;
		const asked = (request as {query: ConnzQuery}).query;
		return {...gathered, replies: gathered.replies.map(reply => ({...reply, data: deriveConnz(FULL_CONNZ, asked, reply.data as Connz)}))} as Gathered<K>;
	}

	close(): Promise<void> {
		return this.inner.close();
	}
}

/** What to type for a key name of the keymap. */
function keyInput(name: string): string {
	const special: Record<string, string> = {enter: '\r', tab: '\t', escape: '\u001B', space: ' ', backspace: '\u007F'};
	return special[name] ?? name;
}

function keyFor(command: CommandId, scope: Scope): string {
	const binding = KEYMAP.find(b => b.command === command && b.scope === scope);
	if (!binding) throw new Error(`no key for ${command} in ${scope}`);
	return keyInput(binding.keys[0]!);
}

// --- the cluster ---------------------------------------------------------------------------

const sysPassword = randomBytes(12).toString('hex');
const appPassword = randomBytes(12).toString('hex');
const accounts = [
	'write_deadline: "120s"',
	// Low enough that one sink is cut off as a slow consumer and the other shows a high share.
	'max_pending: 8MB',
	'accounts {',
	// The system account sees APP's JetStream advisories (the events view shows them).
	`  SYS { users: [{user: "sys", password: "${sysPassword}"}], imports: [ {stream: {account: APP, subject: "$JS.EVENT.ADVISORY.>"}} ] }`,
	`  APP { jetstream: enabled, exports: [ {stream: "$JS.EVENT.ADVISORY.>"} ], users: [{user: "app", password: "${appPassword}"}] }`,
	'}',
	'system_account: SYS',
	'no_auth_user: app',
].join('\n');

const cleanups: Array<() => unknown> = [];
const stopped = new Set<number>();
let nodes: NatsServer[] = [];

async function main(): Promise<void> {
	log('starting a 3-node JetStream cluster…');
	const [leafPort, westGateway, westCluster, ...eastGateways] = await freePorts(6);
	const gateways = (name: string, listen: number, other: string, urls: number[]) =>
		`gateway {\n  name: "${name}"\n  listen: "127.0.0.1:${listen}"\n  gateways: [ {name: "${other}", urls: [${urls.map(p => `"nats://127.0.0.1:${p}"`).join(', ')}]} ]\n}`;
	nodes = await startCluster(3, {
		jetstream: true,
		name: 'nats-east',
		config: accounts,
		configFor: i => [gateways('nats-east', eastGateways[i]!, 'nats-west', [westGateway!]), i === 0 ? `leafnodes {\n  listen: "127.0.0.1:${leafPort}"\n}` : ''].join('\n'),
	});
	log('a gateway to nats-west and a leaf node…');
	// Its own system account: nats-west is the far side of the gateway, not one of the servers
	// natscope watches (its $SYS answers would travel through a server of nats-east, and vanish
	// with it while that one is stopped).
	const westAccounts = accounts.replace('  SYS {', '  WSYS {').replace('system_account: SYS', 'system_account: WSYS');
	const west = await startServer({name: 'nats-west-1', config: [westAccounts, gateways('nats-west', westGateway!, 'nats-east', [eastGateways[0]!])].join('\n'), cluster: {name: 'nats-west', port: westCluster!, routes: []}});
	await startServer({name: 'edge-leaf-1', config: `leafnodes {\n  remotes: [ {url: "nats-leaf://127.0.0.1:${leafPort}"} ]\n}`});
	await waitFor(async () => {
		const gatewayz = (await (await fetch(`${west.monitorUrl}/gatewayz`)).json()) as {inbound_gateways?: Record<string, unknown[]>};
		return (gatewayz.inbound_gateways?.['nats-east']?.length ?? 0) >= 3;
	}, {timeoutMs: 20_000, what: 'nats-east gateways in nats-west'});
	const urls = nodes.map(n => n.natsUrl);
	await waitFor(async () => {
		const jsz = (await (await fetch(`${nodes[0]!.monitorUrl}/jsz`)).json()) as {meta_cluster?: {leader?: string}};
		return Boolean(jsz.meta_cluster?.leader);
	}, {timeoutMs: 30_000, what: 'a JetStream meta leader'});

	// Clients on every node, some with traffic.
	const groups: Clients[] = [];
	const spread: Array<[number, number, string, string[]]> = [
		[0, 8, 'orders-worker', ['orders.>']],
		[1, 6, 'billing-svc', ['billing.*', 'orders.paid']],
		[2, 5, 'inventory-svc', ['inventory.>']],
		[0, 3, 'audit-tap', ['>']],
	];
	const westTaps = await openClients(west.natsUrl, 2, {namePrefix: 'west-orders-tap', subjects: ['orders.>']});
	cleanups.push(() => westTaps.close());
	for (const [node, count, prefix, subjects] of spread) {
		const clients = await openClients(nodes[node]!.natsUrl, count, {namePrefix: prefix, subjects});
		groups.push(clients);
		cleanups.push(() => clients.close());
	}
	const chatter = setInterval(() => {
		groups[0]!.conns[0]!.publish('orders.created', new Uint8Array(300));
		groups[1]!.conns[1]!.publish('billing.invoice', new Uint8Array(900));
		groups[2]!.conns[2]!.publish('inventory.reserved', new Uint8Array(120));
		groups[0]!.conns[3]!.publish('orders.paid', new Uint8Array(200));
	}, 20);
	cleanups.push(() => clearInterval(chatter));

	// Slow consumers on node 1 never read: one holds 3 MiB of its 8 MiB max_pending, the other is
	// cut off by the server as a slow consumer (a closed connection with that reason).
	const slow: RawClient = await slowConsumer('127.0.0.1', nodes[0]!.port, 'telemetry.>', {name: 'telemetry-sink'});
	const slower: RawClient = await slowConsumer('127.0.0.1', nodes[0]!.port, 'metrics.>', {name: 'metrics-exporter'});
	cleanups.push(() => slow.close(), () => slower.close());
	await firehose(groups[0]!.conns[5]!, 'metrics.raw', {bytes: 12 * 1024 * 1024, payloadBytes: 4096});
	// The kernel takes several MiB into the socket buffers of a client that does not read (here
	// ~6 MiB), so fill until the server itself holds about 3 MiB for telemetry-sink.
	const telemetryPending = async () => {
		const connz = (await (await fetch(`${nodes[0]!.monitorUrl}/connz?sort=pending&limit=5`)).json()) as {connections?: Array<{name?: string; pending_bytes?: number}>};
		return connz.connections?.find(c => c.name === 'telemetry-sink')?.pending_bytes ?? 0;
	};
	for (let sent = 0; sent < 16 * 1024 * 1024 && (await telemetryPending()) < 3 * 1024 * 1024; sent += 512 * 1024) {
		await firehose(groups[0]!.conns[4]!, 'telemetry.raw', {bytes: 512 * 1024, payloadBytes: 4096});
		await sleep(100);
	}
	log(`telemetry-sink holds ${((await telemetryPending()) / 1024 / 1024).toFixed(1)} MiB on the server`);

	// JetStream: an R3 stream, a mirror of it, a durable consumer that keeps up slowly.
	const api: NatsConnection = await connect({servers: urls, name: 'orders-api'});
	cleanups.push(() => api.close());
	const jsm = await api.jetstreamManager();
	await jsm.streams.add({name: 'ORDERS', subjects: ['jobs.orders.>'], num_replicas: 3, storage: StorageType.File});
	await jsm.streams.add({name: 'ORDERS_ARCHIVE', mirror: {name: 'ORDERS'}, num_replicas: 1, storage: StorageType.File});
	await jsm.consumers.add('ORDERS', {durable_name: 'billing', ack_policy: AckPolicy.Explicit});
	const js = api.jetstream();
	let publishing = true;
	const publisher = (async () => {
		for (let i = 0; publishing; i++) {
			await js.publish(`jobs.orders.${i % 4 === 0 ? 'eu' : 'us'}`, new Uint8Array(400)).catch(() => undefined);
			await sleep(15);
		}
	})();
	cleanups.push(async () => {
		publishing = false;
		await publisher;
	});
	const worker: NatsConnection = await connect({servers: urls, name: 'billing-worker'});
	cleanups.push(() => worker.close());
	const consumer = await worker.jetstream().consumers.get('ORDERS', 'billing');
	let consuming = true;
	const consumerLoop = (async () => {
		while (consuming) {
			const batch = await consumer.fetch({max_messages: 8, expires: 1000}).catch(() => undefined);
			if (batch) for await (const message of batch) message.ack();
			await sleep(400);
		}
	})();
	cleanups.push(async () => {
		consuming = false;
		await consumerLoop;
	});
	await sleep(3000);

	// The source natscope uses: $SYS over node 1, as the system user.
	const target: NatsTarget = {servers: [nodes[0]!.natsUrl], auth: {kind: 'user-password', user: 'sys', password: sysPassword}, tls: {insecure: false, first: false}, identity: {warnings: []}};
	const recorder = recordingSource(new SysSource(target, {timeoutMs: 3000}), OUT, {
		natscopeVersion: packageVersion(),
		description: 'demo: nats-east, 3 servers ($SYS)',
		note: 'natscope --demo: recorded by npm run record-demo from a real 3-node cluster',
		secrets: [sysPassword, appPassword],
	});
	const feed = new SharedFeed(recorder);
	const config: Config = {
		transport: 'nats',
		urls: [],
		nats: target,
		tls: {insecure: false},
		intervalMs: 1000,
		timeoutMs: 3000,
		sort: 'pending',
		reverse: false,
		state: 'open',
		rawNumbers: false,
		lookup: false,
		showSubs: false,
		demo: false,
	};

	// Something for the events view every few seconds, from before the views open: a job that
	// connects and leaves, a report consumer created and deleted.
	let round = 0;
	const routine = setInterval(() => {
		round++;
		void openClients(nodes[1]!.natsUrl, 1, {namePrefix: `cron-job-${round}`})
			.then(job => sleep(1500).then(() => job.close()))
			.catch(() => undefined);
		if (round % 2 === 0) {
			const name = `report-${round}`;
			void jsm.consumers
				.add('ORDERS', {durable_name: name, ack_policy: AckPolicy.None})
				.then(() => sleep(2000).then(() => jsm.consumers.delete('ORDERS', name)))
				.catch(() => undefined);
		}
	}, 3000);
	cleanups.push(() => clearInterval(routine));

	// One app per view; each app's poller asks what its view needs.
	type Tour = {name: string; keys: string[]};
	const tours: Tour[] = KEYMAP.filter(b => b.scope === 'global' && b.command.startsWith('view-') && !b.command.endsWith('-prompt')).map(b => ({name: b.command, keys: [keyInput(b.keys[0]!)]}));
	const toConnections = tours.find(t => t.name === 'view-connections')?.keys ?? [];
	tours.push({name: 'closed connections', keys: [...toConnections, keyFor('cycle-state', 'connections')]});
	tours.push({name: 'connection detail', keys: [...toConnections, keyFor('open-detail', 'connections')]});
	log(`recording ${SECONDS} s of: ${tours.map(t => t.name).join(', ')}`);
	const apps = tours.map(tour => {
		const poller = new Poller(feed, {intervalMs: config.intervalMs});
		const app = render(React.createElement(App, {config, source: feed, poller, width: WIDTH, height: HEIGHT}));
		return {tour, poller, app};
	});
	await sleep(2500);
	for (const {tour, app} of apps) {
		for (const key of tour.keys) {
			app.stdin.write(key);
			await sleep(300);
		}
	}

	// Incidents on a timeline: connections that close, a follower that stops and comes back.
	const started = Date.now();
	const at = async (second: number) => sleep(Math.max(0, started + second * 1000 - Date.now()));
	await at(SECONDS * 0.15);
	const shortLived = await openClients(nodes[1]!.natsUrl, 4, {namePrefix: 'batch-job'});
	await sleep(2000);
	await shortLived.close();
	log('4 connections closed');
	const info = await jsm.streams.info('ORDERS');
	const meta = ((await (await fetch(`${nodes[0]!.monitorUrl}/jsz`)).json()) as {meta_cluster?: {leader?: string}}).meta_cluster?.leader;
	const followers = (info.cluster?.replicas ?? []).map(r => r.name).filter(name => name !== nodes[0]!.name);
	const victimName = followers.find(name => name !== meta) ?? followers[0];
	const victim = nodes.find(n => n.name === victimName);
	// Long enough for the leader to call it not current (~10 s on 2.9.10) and for natscope to flag
	// it after its --lag-refreshes.
	await at(SECONDS * 0.25);
	if (victim?.pid) {
		log(`stopping ${victim.name} (a follower of ORDERS) for ${Math.round(SECONDS * 0.5)} s`);
		stopped.add(victim.pid);
		process.kill(victim.pid, 'SIGSTOP');
		await at(SECONDS * 0.75);
		process.kill(victim.pid, 'SIGCONT');
		stopped.delete(victim.pid);
		log(`${victim.name} continues and catches up`);
	} else log('no follower to stop (ORDERS has no replica off node 1)');
	await at(SECONDS);

	for (const {app, poller} of apps) {
		app.unmount();
		await poller.stop();
	}
	await feed.close();
	const stats = recorder.stats();
	// Recordings are created 0600 (they can tell a lot about a system); this one is for everyone.
	await chmod(OUT, 0o644);
	const size = (await stat(OUT)).size;
	log(`${stats.lines} lines, ${stats.dropped} dropped, ${(size / 1024).toFixed(1)} KiB → ${args.out}`);
	if (stats.error) throw new Error(`writing failed: ${stats.error}`);
	if (size > MAX_BYTES) throw new Error(`${(size / 1024).toFixed(0)} KiB is more than ${MAX_BYTES / 1024} KiB: record fewer seconds (--seconds)`);
}

try {
	await main();
} finally {
	for (const pid of stopped) process.kill(pid, 'SIGCONT');
	for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
	await stopAll();
}
process.exit(0);
