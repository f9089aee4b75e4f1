// The test harness itself, against real nats-server processes.
import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import {createServer} from 'node:net';
import {connect} from 'nats';
import {startCluster, startServer, stopAll} from '../helpers/server.js';
import {firehose, slowConsumer} from '../helpers/load.js';
import {waitFor} from '../helpers/wait.js';

after(stopAll);

function canListen(port: number): Promise<boolean> {
	return new Promise(resolve => {
		const probe = createServer();
		probe.once('error', () => resolve(false));
		probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
	});
}

test('a single server starts on free loopback ports, restarts on the same ones, and releases them', async () => {
	const server = await startServer({name: 'harness-single'});
	const varz = (await fetch(`${server.monitorUrl}/varz`).then(r => r.json())) as {server_name: string; port: number; host: string};
	assert.equal(varz.server_name, 'harness-single');
	assert.equal(varz.port, server.port);
	assert.equal(varz.host, '127.0.0.1');
	const firstPid = server.pid;
	assert.ok(firstPid, 'has a pid while running');
	await server.kill();
	assert.equal(server.pid, undefined, 'no pid while down');
	assert.equal(await fetch(`${server.monitorUrl}/healthz`).then(() => true, () => false), false, 'down after kill');
	await server.restart();
	assert.notEqual(server.pid, firstPid, 'a new process');
	assert.equal((await fetch(`${server.monitorUrl}/healthz`)).status, 200, 'up again on the same port');
	const again = (await fetch(`${server.monitorUrl}/varz`).then(r => r.json())) as {port: number; server_name: string};
	assert.deepEqual([again.port, again.server_name], [server.port, 'harness-single'], 'same client port and config');
	await server.stop();
	assert.equal(await canListen(server.port), true, 'client port released');
	assert.equal(await canListen(server.httpPort), true, 'monitoring port released');
});

test('a 3-node cluster with JetStream forms full routes', async () => {
	const nodes = await startCluster(3, {jetstream: true, name: 'harness'});
	for (const node of nodes) {
		const routez = (await fetch(`${node.monitorUrl}/routez`).then(r => r.json())) as {num_routes: number};
		assert.equal(routez.num_routes, 2, `${node.name} sees both peers`);
		const varz = (await fetch(`${node.monitorUrl}/varz`).then(r => r.json())) as {cluster: {name: string}; jetstream?: {config?: unknown}};
		assert.equal(varz.cluster.name, 'harness');
		assert.ok(varz.jetstream?.config, 'JetStream enabled');
	}
	await Promise.all(nodes.map(n => n.stop()));
});

test('a broken config fails fast with the server log in the error', async () => {
	const started = Date.now();
	await assert.rejects(startServer({config: 'this is { not a config'}), (error: Error) => {
		assert.match(error.message, /exited/);
		assert.match(error.message, /server\.log \(tail\)/);
		assert.match(error.message, /Parse error/, 'the log tail says what is wrong');
		return true;
	});
	assert.ok(Date.now() - started < 5000, `failed fast (${Date.now() - started} ms)`);
});

test('a slow consumer builds pending bytes and leads /connz?sort=pending', async () => {
	const server = await startServer({name: 'harness-slow', config: 'write_deadline: "60s"\nmax_pending: 256MB'});
	const publisher = await connect({servers: server.natsUrl, name: 'harness-publisher'});
	const slow = await slowConsumer('127.0.0.1', server.port, 'harness.firehose', {name: 'harness-slow-consumer'});
	try {
		await firehose(publisher, 'harness.firehose', {bytes: 16 * 1024 * 1024, payloadBytes: 16 * 1024});
		type Row = {name: string; pending_bytes: number};
		let rows: Row[] = [];
		await waitFor(
			async () => {
				const connz = (await fetch(`${server.monitorUrl}/connz?sort=pending&limit=10`).then(r => r.json())) as {connections: Row[]};
				rows = connz.connections;
				return (rows[0]?.pending_bytes ?? 0) > 0;
			},
			{timeoutMs: 10_000, what: 'pending bytes on the slow consumer'},
		);
		assert.equal(rows[0]!.name, 'harness-slow-consumer');
		assert.ok(rows.slice(1).every(r => r.pending_bytes <= rows[0]!.pending_bytes), 'sorted by pending, most first');
	} finally {
		slow.close();
		await publisher.close();
		await server.stop();
	}
});
