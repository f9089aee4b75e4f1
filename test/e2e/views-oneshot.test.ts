// The built CLI's one-shot modes for the table views against a real 3-node JetStream cluster:
// --view streams --json gives replica lag a script can read; --once, --delimiter and the other
// views print the same models the TUI shows; events explain what they need over HTTP.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {connect} from 'nats';
import {startCluster, type NatsServer} from '../helpers/server.js';
import {assertNoControls, assertNoStack, runCli} from '../helpers/cli-run.js';

let cluster: NatsServer[];
let urls: string[];

before(async () => {
	cluster = await startCluster(3, {jetstream: true, name: 'oneshot'});
	urls = cluster.map(s => s.monitorUrl);
	const nc = await connect({servers: cluster.map(s => s.natsUrl)});
	const jsm = await nc.jetstreamManager();
	for (let i = 0; i < 10; i++) {
		try {
			await jsm.streams.add({name: 'SCRIPTED', subjects: ['scripted.>'], num_replicas: 3});
			break;
		} catch {
			await new Promise(resolve => setTimeout(resolve, 500));
		}
	}
	const js = nc.jetstream();
	for (let i = 0; i < 25; i++) await js.publish('scripted.x', new Uint8Array(10));
	await jsm.consumers.add('SCRIPTED', {durable_name: 'reader'});
	await nc.close();
});

after(async () => {
	await Promise.all((cluster ?? []).map(s => s.stop()));
});

type Replica = {name: string; current: boolean; offline: boolean; lag: number; active_ns: number; level: string; behind_refreshes: number; trend: string};

test('--view streams --json: each stream with its leader and every replica\'s current / lag / level, as a script reads it', {timeout: 30_000}, async () => {
	const result = await runCli([...urls, '--view', 'streams', '--json', '-d', '0.2']);
	assert.equal(result.code, 0, result.stderr);
	assertNoStack(result.stderr, 'stderr');
	const doc = JSON.parse(result.stdout) as {view: string; streams: Array<{stream: string; leader: string; from_leader: boolean; replicas: number; messages: number; worst_lag: number; level: string; replica_state: Replica[]}>; lag: {replicas_lagging: number; replicas_offline: number; text: string; warn_after_refreshes: number}};
	assert.equal(doc.view, 'streams');
	const s = doc.streams.find(x => x.stream === 'SCRIPTED')!;
	assert.equal(s.replicas, 3);
	assert.equal(s.messages, 25);
	assert.equal(s.from_leader, true);
	assert.ok(cluster.some(c => c.name === s.leader));
	assert.equal(s.replica_state.length, 2, 'the two followers as the leader sees them');
	for (const r of s.replica_state) {
		assert.equal(typeof r.lag, 'number');
		assert.equal(typeof r.current, 'boolean');
		assert.equal(r.offline, false);
		assert.ok(['ok', 'behind', 'warning', 'critical'].includes(r.level));
	}
	assert.deepEqual(s.replica_state.map(r => r.name).sort(), cluster.filter(c => c.name !== s.leader).map(c => c.name).sort());
	assert.deepEqual([doc.lag.replicas_lagging, doc.lag.replicas_offline, doc.lag.text, doc.lag.warn_after_refreshes], [0, 0, '', 3]);
});

test('--view streams --once and --delimiter; --view jetstream, routes, health --once; events over HTTP says what it needs', {timeout: 40_000}, async () => {
	const [once, delimited, jetstream, routes, health, gateways, leafnodes, events] = await Promise.all([
		runCli([...urls, '--view', 'streams', '--once', '-d', '0.2']),
		runCli([...urls, '--view', 'streams', '--delimiter', ',', '-d', '0.2']),
		runCli([...urls, '--view', 'jetstream', '--once', '-d', '0.2']),
		runCli([...urls, '--view', 'routes', '--json', '-d', '0.2']),
		runCli([...urls, '--view', 'health', '--once', '-d', '0.2']),
		runCli([urls[0]!, '--view', 'gateways', '--once', '-d', '0.2']),
		runCli([urls[0]!, '--view', 'leafnodes', '--json', '-d', '0.2']),
		runCli([urls[0]!, '--view', 'events', '--once']),
	]);
	for (const [name, r] of Object.entries({once, delimited, jetstream, routes, health, gateways, leafnodes})) {
		assert.equal(r.code, 0, `${name}: ${r.stderr}`);
		assertNoControls(r.stdout, name);
	}
	assert.match(once.stdout, /^natscope 3 servers: .* view streams\n1 stream · sort lag ▼ · replica state from each stream leader\n/);
	assert.match(once.stdout, /STREAM\s+ACCOUNT\s+STORE\s+R\s+MSGS .*LAG▼ REPLICAS \(\*leader\)\nSCRIPTED\s+\$G\s+file\s+3\s+25\s/);
	assert.match(once.stdout, /└ oneshot-\d\s+current\s+active/);
	const [header, row] = delimited.stdout.trim().split('\n');
	assert.equal(header, 'account,stream,storage,replicas,leader,from_leader,answered_by,messages,bytes,first_seq,last_seq,consumers,worst_lag,level');
	assert.match(row!, /^\$G,SCRIPTED,file,3,oneshot-\d,true,oneshot-\d,25,\d+,1,25,1,0,ok$/);
	assert.match(jetstream.stdout, /SERVER.*MEMORY used\/res\/max.*STORAGE used\/res\/max/);
	assert.match(jetstream.stdout, /Meta group oneshot · 3 peers · leader oneshot-\d/);
	const routesDoc = JSON.parse(routes.stdout) as {per_server: Record<string, number>};
	assert.deepEqual(routesDoc.per_server, {'oneshot-1': 2, 'oneshot-2': 2, 'oneshot-3': 2});
	assert.match(health.stdout, /3 servers, all healthy/);
	assert.match(health.stdout, /oneshot-1\s+ok\s+ok\s+ok/);
	assert.match(gateways.stdout, /no gateways: the server is not part of a super-cluster/);
	assert.deepEqual((JSON.parse(leafnodes.stdout) as {leafnodes: unknown[]}).leafnodes, []);
	assert.equal(events.code, 2);
	assert.equal(events.stdout, '');
	assert.equal(events.stderr, 'natscope: --view events needs the NATS transport: give a nats:// address and a system-account login (monitoring HTTP has no events)\n');
});

test('a view whose question fails everywhere exits 1 with one clear line', {timeout: 20_000}, async () => {
	const result = await runCli(['http://127.0.0.1:1', '--view', 'streams', '--json', '-d', '0.2', '--timeout', '1']);
	assert.equal(result.code, 1);
	assert.equal(result.stdout, '');
	assert.equal(result.stderr.trim().split('\n').length, 1);
	assertNoStack(result.stderr, 'stderr');
});
