// The test harness itself, against real nats-server processes.
import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import {createServer} from 'node:net';
import {startCluster, startServer, stopAll} from '../helpers/server.js';

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
	await server.kill();
	assert.equal(await fetch(`${server.monitorUrl}/healthz`).then(() => true, () => false), false, 'down after kill');
	await server.restart();
	assert.equal((await fetch(`${server.monitorUrl}/healthz`)).status, 200, 'up again on the same port');
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
	await assert.rejects(startServer({config: 'this is { not a config'}), /server\.log|exited/);
});
