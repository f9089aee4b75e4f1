// The real App on a real 3-node JetStream cluster (nats-server 2.9.10): --view streams with
// --lag-refreshes 2, one follower of an R3 stream stopped under steady publishing. The header
// shows the lag flag and the replica line its state; both clear after SIGCONT.
import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import {render} from 'ink-testing-library';
import stringWidth from 'string-width';
import {connect} from 'nats';
import {App} from '../../source/app.js';
import {MultiHttpSource} from '../../source/sources/multi-http.js';
import {Poller} from '../../source/poll/poller.js';
import type {Config} from '../../source/config/types.js';
import {startCluster, stopAll, type NatsServer} from '../helpers/server.js';
import {waitFor} from '../helpers/wait.js';

const WIDTH = 100;
const HEIGHT = 30;
let nodes: NatsServer[] = [];

after(async () => {
	for (const n of nodes) if (n.pid) process.kill(n.pid, 'SIGCONT');
	await stopAll();
});

test('streams view in the app: a stopped follower is flagged in the header and on its replica line, then cleared', {timeout: 50_000}, async () => {
	nodes = await startCluster(3, {jetstream: true, name: 'jsapp'});
	const nc = await connect({servers: nodes.map(n => n.natsUrl)});
	const jsm = await nc.jetstreamManager();
	await waitFor(
		async () => {
			try {
				await jsm.streams.add({name: 'PAYMENTS', subjects: ['payments.>'], num_replicas: 3});
				return true;
			} catch {
				return false;
			}
		},
		{timeoutMs: 20_000, what: 'an R3 stream'},
	);
	const leaderName = (await jsm.streams.info('PAYMENTS')).cluster!.leader!;
	const leader = nodes.find(n => n.name === leaderName)!;
	const follower = nodes.find(n => n !== leader)!;
	await nc.close();
	const urls = nodes.map(n => n.monitorUrl);
	const config: Config = {transport: 'http', urls, tls: {insecure: false}, intervalMs: 300, timeoutMs: 700, sort: 'cid', reverse: false, state: 'open', rawNumbers: false, lookup: false, showSubs: false, demo: false, view: 'streams', lagWarnRefreshes: 2};
	const source = new MultiHttpSource(urls, {timeoutMs: 700, tls: config.tls});
	const poller = new Poller(source, {intervalMs: config.intervalMs, maxBackoffMs: 1000});
	const app = render(<App config={config} source={source} poller={poller} width={WIDTH} height={HEIGHT} />);
	const frame = () => app.lastFrame() ?? '';
	const shows = async (check: (screen: string) => boolean, what: string, timeoutMs = 15_000) => {
		try {
			await waitFor(() => check(frame()), {timeoutMs, intervalMs: 30, what});
		} catch (error) {
			throw new Error(`${(error as Error).message}\n--- screen ---\n${frame()}`);
		}
	};
	const pub = await connect({servers: leader.natsUrl});
	let publishing = true;
	const publisher = (async () => {
		while (publishing) {
			for (let i = 0; i < 20; i++) pub.publish('payments.x', new Uint8Array(32));
			await new Promise(resolve => setTimeout(resolve, 20));
		}
		await pub.flush();
	})();
	try {
		await shows(s => /PAYMENTS\s/.test(s) && s.includes(`${leader.name}*`), 'the stream with its leader');
		assert.doesNotMatch(frame(), /replicas? lagging/);
		process.kill(follower.pid!, 'SIGSTOP');
		await shows(s => /⚠ 1 replica lagging/.test(s), 'the header flag');
		const flagged = frame();
		assert.match(flagged, new RegExp(`└ ${follower.name}\\s+not current\\s+active\\s+\\S+\\s+lag\\s+\\S+ ↑.*⚠ behind \\d+ refreshes`));
		assert.match(flagged, new RegExp(`PAYMENTS\\s.*⚠\\S+\\s+${leader.name}\\* .*${follower.name}!`));
		for (const line of flagged.split('\n')) assert.ok(stringWidth(line) <= WIDTH, `fits ${WIDTH}: ${JSON.stringify(line)}`);
		process.kill(follower.pid!, 'SIGCONT');
		await shows(s => !/replicas? lagging/.test(s) && !/not current/.test(s), 'the flag cleared after SIGCONT', 20_000);
	} finally {
		publishing = false;
		if (follower.pid) process.kill(follower.pid, 'SIGCONT');
		await publisher;
		await pub.close();
		app.unmount();
		await poller.stop();
		await source.close();
	}
});
