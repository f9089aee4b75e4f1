// Routes, gateways, leafnodes and health views on real nats-server 2.9.10 processes, through the
// real HTTP sources, the Poller and the view models.
import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import {connect} from 'nats';
import {MultiHttpSource} from '../../source/sources/multi-http.js';
import {startCluster, startServer, stopAll} from '../helpers/server.js';
import {freePorts} from '../helpers/ports.js';
import {watchView} from '../helpers/panels.js';
import {traffic} from '../helpers/load.js';

after(stopAll);

test('routes: every server of a 3-node cluster shows its 2 routes with remote names, RTT and rates; a leafnode of the cluster is in the leafnodes view', {timeout: 45_000}, async () => {
	const [leafPort] = await freePorts(1);
	const cluster = await startCluster(3, {name: 'topo', configFor: i => (i === 0 ? `leafnodes {\n  listen: "127.0.0.1:${leafPort}"\n}` : '')});
	const leaf = await startServer({name: 'edge-leaf', config: `leafnodes {\n  remotes: [ {url: "nats-leaf://127.0.0.1:${leafPort}"} ]\n}`});
	const source = new MultiHttpSource(
		cluster.map(s => s.monitorUrl),
		{timeoutMs: 2000},
	);
	const routes = watchView(source, 'routes', {intervalMs: 300});
	const leafs = watchView(source, 'leafnodes', {intervalMs: 300});
	const nc = await connect({servers: cluster[0]!.natsUrl});
	const sub = await connect({servers: cluster[1]!.natsUrl});
	sub.subscribe('topo.>', {callback: () => {}});
	await sub.flush();
	try {
		const model = await routes.until(m => m.records.length === 6, '6 routes');
		assert.deepEqual(model.json['per_server'], {'topo-1': 2, 'topo-2': 2, 'topo-3': 2});
		assert.match(model.summary, /^6 routes on 3 servers · topo-1 2, topo-2 2, topo-3 2/);
		assert.deepEqual(model.notes, []);
		for (const server of cluster) {
			const mine = model.records.filter(r => r['server_name'] === server.name);
			assert.deepEqual(mine.map(r => r['remote_name']).sort(), cluster.filter(s => s !== server).map(s => s.name).sort(), `${server.name} routes to the other two (names from /varz)`);
		}
		assert.ok(model.records.every(r => typeof r['rtt'] === 'string' && /^\d/.test(r['rtt'] as string)));
		// Traffic across the route from topo-1 to topo-2: rates appear on the second answer.
		await traffic(nc, 'topo.x', 2000, 32);
		const busy = await routes.until(m => m.records.some(r => r['server_name'] === 'topo-1' && r['remote_name'] === 'topo-2' && (r['msgs_out_per_sec'] as number) > 0), 'route rates');
		assert.match(busy.sections[0]!.header!, /SERVER▲?\s+REMOTE\s+REMOTE_ID\s+IP:PORT\s+RTT\s+PENDING\s+SUBS\s+MSGS_IN\/s\s+MSGS_OUT\/s/);
		const sorted = routes.model({sort: 'msgs_out'});
		assert.deepEqual([sorted.records[0]!['server_name'], sorted.records[0]!['remote_name']], ['topo-1', 'topo-2'], 'busiest route first');

		const leafModel = await leafs.until(m => m.records.length === 1, 'the leaf link');
		const link = leafModel.records[0]!;
		assert.equal(link['server_name'], 'topo-1');
		assert.equal(link['account'], '$G');
		assert.equal(link['ip'], '127.0.0.1');
		assert.match(leafModel.summary, /^1 leafnode connection/);
		assert.match(leafModel.sections[0]!.lines[0]!.text, /^topo-1\s+\S+\s+\$G\s+127\.0\.0\.1:\d+/);
	} finally {
		await nc.close();
		await sub.close();
		await routes.stop();
		await leafs.stop();
		await source.close();
		await leaf.stop();
		await Promise.all(cluster.map(s => s.stop()));
	}
});

test('gateways: two one-node clusters joined by gateways show outbound and inbound, connected, with RTT', {timeout: 30_000}, async () => {
	const [gwA, gwB, clA, clB] = await freePorts(4);
	const gateway = (name: string, port: number) =>
		`gateway {\n  name: "${name}"\n  listen: "127.0.0.1:${port}"\n  gateways: [\n    {name: "EAST", url: "nats://127.0.0.1:${gwA}"}\n    {name: "WEST", url: "nats://127.0.0.1:${gwB}"}\n  ]\n}`;
	const east = await startServer({name: 'east-1', config: gateway('EAST', gwA!), cluster: {name: 'EAST', port: clA!, routes: []}});
	const west = await startServer({name: 'west-1', config: gateway('WEST', gwB!), cluster: {name: 'WEST', port: clB!, routes: []}});
	const source = new MultiHttpSource([east.monitorUrl, west.monitorUrl], {timeoutMs: 2000});
	const watch = watchView(source, 'gateways', {intervalMs: 300});
	try {
		const model = await watch.until(m => m.records.length === 4 && m.records.every(r => r['connected'] === true), 'both directions connected', 20_000);
		const links = model.records.map(r => `${r['server_name']} ${r['local_gateway']} ${r['direction']} ${r['gateway']}`).sort();
		assert.deepEqual(links, ['east-1 EAST inbound WEST', 'east-1 EAST outbound WEST', 'west-1 WEST inbound EAST', 'west-1 WEST outbound EAST']);
		assert.match(model.summary, /^4 gateway links \(2 out, 2 in\) · sort server/);
		const text = model.sections[0]!.lines.map(l => l.text).join('\n');
		assert.match(text, /east-1 \(EAST\)\s+out\s+WEST\s+connected\s+yes\s+127\.0\.0\.1:\d+\s+\S+/);
		assert.match(text, /west-1 \(WEST\)\s+in\s+EAST\s+connected/);
		// A gateway that goes away: the outbound link of the other side shows it.
		await west.stop();
		const down = await watch.until(m => m.records.some(r => r['direction'] === 'outbound' && r['connected'] === false) || m.records.length === 0 || m.records.every(r => r['server_name'] === 'east-1' && r['direction'] === 'outbound'), 'east without west', 15_000);
		assert.ok(down.records.every(r => r['server_name'] === 'east-1'));
	} finally {
		await watch.stop();
		await source.close();
		await east.stop();
		await west.stop();
	}
});

test('health: plain, js-enabled-only and js-server-only per server; a JetStream server without a meta leader shows its error in full', {timeout: 40_000}, async () => {
	const plain = await startServer({name: 'no-js'});
	// Clustered JetStream whose only route leads nowhere: no meta leader, ever.
	const [clusterPort, nowhere] = await freePorts(2);
	const lonely = await startServer({name: 'js-lonely', jetstream: true, readyWhenUp: true, cluster: {name: 'lone', port: clusterPort!, routes: [`nats-route://127.0.0.1:${nowhere}`]}});
	const source = new MultiHttpSource([plain.monitorUrl, lonely.monitorUrl], {timeoutMs: 2000});
	const watch = watchView(source, 'health', {intervalMs: 300, width: 100});
	try {
		const model = await watch.until(m => m.records.length === 2 && ['no-js', 'js-lonely'].every(name => m.records.some(r => r['server_name'] === name)) && m.records.every(r => r['plain'] !== '' && r['js-enabled-only'] !== '' && r['js-server-only'] !== ''), 'both servers, three variants');
		const noJs = model.records.find(r => r['server_name'] === 'no-js')!;
		// 2.9.10 answers ok to every variant when JetStream is not configured at all.
		assert.deepEqual([noJs['plain'], noJs['js-enabled-only'], noJs['js-server-only']], ['ok', 'ok', 'ok']);
		const js = model.records.find(r => r['server_name'] === 'js-lonely')!;
		assert.deepEqual([js['plain'], js['js-enabled-only'], js['js-server-only']], ['unavailable', 'ok', 'unavailable']);
		assert.equal(js['plain_error'], 'JetStream has not established contact with a meta leader');
		assert.equal(js['js-server-only_error'], 'JetStream has not established contact with a meta leader');
		const lines = model.sections[0]!.lines.map(l => l.text);
		assert.match(lines[0]!, /^js-lonely\s+unavailable\s+ok\s+unavailable/, 'unhealthy first');
		assert.match(lines[1]!, /^   plain: unavailable \(HTTP 503\) — JetStream has not established contact with a/);
		assert.match(lines.join('\n'), /js-server-only: unavailable \(HTTP 503\) — JetStream has not established contact with a\s+meta leader/, 'wrapped, in full');
		assert.ok(lines.every(l => l.length <= 100), 'fits the width');
		assert.match(lines.join('\n'), /no-js\s+ok\s+ok\s+ok/);
		assert.match(model.summary, /^2 servers, 1 unhealthy/);
		assert.deepEqual(model.json['servers'], model.json['servers']);
		const jsonServer = (model.json['servers'] as Array<Record<string, unknown>>).find(r => r['server_name'] === 'js-lonely')!;
		assert.deepEqual(jsonServer['plain'], {status: 'unavailable', error: 'JetStream has not established contact with a meta leader', http_status: 503, errors: null});
		// A server that stops answering: "no answer" with the reason, not a stale ok.
		await plain.stop();
		const gone = await watch.until(m => m.records.find(r => r['server_name'] === 'no-js' || String(r['server_name']).includes(String(plain.httpPort)))?.['plain'] === 'no answer', 'the stopped server', 15_000);
		assert.match(gone.sections[0]!.lines.map(l => l.text).join('\n'), /plain: .*refused|plain: .*connect/i);
	} finally {
		await watch.stop();
		await source.close();
		await plain.stop();
		await lonely.stop();
	}
});
