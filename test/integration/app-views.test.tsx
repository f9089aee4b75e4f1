// Every view from the keyboard at 80x24 on a real 3-node JetStream cluster (nats-server
// 2.9.10): 1–9, S, P, Tab, ':' and Enter into consumers each draw their title or header, and
// no row is wider than 80 columns nor the screen taller than 24 rows.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import {render} from 'ink-testing-library';
import stringWidth from 'string-width';
import {connect, type NatsConnection} from 'nats';
import {App} from '../../source/app.js';
import {MultiHttpSource} from '../../source/sources/multi-http.js';
import {Poller} from '../../source/poll/poller.js';
import type {Config} from '../../source/config/types.js';
import {startCluster, stopAll, type NatsServer} from '../helpers/server.js';
import {openClients, type Clients} from '../helpers/load.js';
import {waitFor} from '../helpers/wait.js';

const WIDTH = 80;
const HEIGHT = 24;

let nodes: NatsServer[];
let clients: Clients;
let js: NatsConnection;

before(async () => {
	nodes = await startCluster(3, {jetstream: true, name: 'views'});
	js = await connect({servers: nodes[0]!.natsUrl});
	const jsm = await js.jetstreamManager();
	await waitFor(
		async () => {
			try {
				await jsm.streams.add({name: 'ORDERS', subjects: ['orders.>'], num_replicas: 3});
				return true;
			} catch {
				return false;
			}
		},
		{timeoutMs: 20_000, what: 'an R3 stream (the meta leader elected)'},
	);
	await jsm.consumers.add('ORDERS', {durable_name: 'shipper', ack_policy: 'explicit' as never});
	const jetstream = js.jetstream();
	for (let i = 0; i < 20; i++) await jetstream.publish(`orders.${i}`, new TextEncoder().encode(`order ${i}`));
	clients = await openClients(nodes[1]!.natsUrl, 4, {namePrefix: 'views-client'});
});

after(async () => {
	await clients?.close();
	await js?.close();
	await stopAll();
});

test('every view at 80x24 from the keyboard: its title or header, nothing wider than 80 columns', async () => {
	const urls = nodes.map(n => n.monitorUrl);
	const config: Config = {transport: 'http', urls, tls: {insecure: false}, intervalMs: 500, timeoutMs: 2000, sort: 'cid', reverse: false, state: 'open', rawNumbers: false, lookup: false, showSubs: false, demo: false};
	const source = new MultiHttpSource(urls, {timeoutMs: 2000, tls: config.tls});
	const poller = new Poller(source, {intervalMs: config.intervalMs, maxBackoffMs: 1000});
	const app = render(<App config={config} source={source} poller={poller} width={WIDTH} height={HEIGHT} />);
	const frame = () => app.lastFrame() ?? '';
	const press = async (keys: string) => {
		app.stdin.write(keys);
		await new Promise(resolve => setTimeout(resolve, 60));
	};
	const shows = async (test: (screen: string) => boolean, what: string) => {
		try {
			await waitFor(() => test(frame()), {timeoutMs: 10_000, intervalMs: 20, what});
		} catch (error) {
			throw new Error(`${(error as Error).message}\n--- screen ---\n${frame()}`);
		}
	};
	const fits = (what: string) => {
		const lines = frame().split('\n');
		assert.ok(lines.length <= HEIGHT - 1, `${what}: ${lines.length} rows, one spare so the terminal never scrolls`);
		for (const line of lines) assert.ok(stringWidth(line) <= WIDTH, `${what} fits ${WIDTH}: ${JSON.stringify(line)}`);
	};
	try {
		await shows(s => s.includes('views-client-4'), 'the connections of the cluster');
		if (process.env['SHOW_FRAMES']) console.log(frame());
		const views: Array<[string, string, RegExp]> = [
			['2', 'servers', /SERVER▲\s+VERSION\s+CONNS/],
			['3', 'jetstream', /MEMORY used\/res\/max/],
			['4', 'streams', /STREAM\s+ACCOUNT[\s\S]*ORDERS/],
			['5', 'routes', /SERVER▲\s+REMOTE\s+RTT[\s\S]*views-3/],
			['6', 'gateways', /DIR GATEWAY/],
			['7', 'leafnodes', /REMOTE\s+ACCOUNT\s+IP:PORT/],
			['8', 'health', /HEALTHZ\s+JS-ENABLED/],
			['9', 'events', /events: not available over HTTP/],
			['S', 'signals', /^Signals\n3 servers answer/m],
			['P', 'profiles', /^Profiles\n3 servers answer/m],
			['1', 'connections', /CID▲ NAME[\s\S]*views-client-1/],
		];
		for (const [key, name, title] of views) {
			await press(key);
			await shows(s => title.test(s), `${name} (${key})`);
			await new Promise(resolve => setTimeout(resolve, 600));
			if (process.env['SHOW_FRAMES']) console.log(`=== ${name}\n${frame()}`);
			fits(name);
		}
		// Tab walks the monitoring views and comes back round.
		const seen: string[] = [];
		for (let i = 0; i < 9; i++) {
			await press('\t');
			seen.push(frame().split('\n')[4] ?? '');
			fits(`tab ${i + 1}`);
		}
		await shows(s => s.includes('views-client-1'), 'Tab comes back to the connections');
		assert.equal(new Set(seen).size, 9, `Tab showed nine different views:\n${seen.join('\n')}`);
		// ':' opens a view by name; Enter on a stream opens its consumers.
		await press(':');
		await shows(s => s.includes('open view (Tab completes)'), 'the view prompt');
		fits('view prompt');
		await press('str\t\r');
		await shows(s => /STREAM\s+ACCOUNT[\s\S]*ORDERS/.test(s), ':streams');
		await press('\r');
		await shows(s => /CONSUMER\s+PENDING[\s\S]*shipper/.test(s), 'the consumers of ORDERS');
		if (process.env['SHOW_FRAMES']) console.log(`=== consumers\n${frame()}`);
		fits('consumers');
		await press('?');
		await shows(s => s.includes('Keys (Esc or ? closes)'), 'help');
		fits('help');
		// Focus one server (2, Enter on the first by name): the panels act on it.
		await press('2');
		await shows(s => /SERVER▲\s+VERSION/.test(s), 'the servers view');
		await press('\r');
		await shows(s => s.includes('focus views-1'), 'views-1 focused');
		await press('S');
		await shows(s => /^Signals — views-1 /m.test(s) && new RegExp(`process  pid ${nodes[0]!.pid} `).test(s), 'the signal panel on views-1, its process found');
		fits('signals focused');
		await press('P');
		await shows(s => /^Profiles — views-1 /m.test(s), 'the profiles panel on views-1');
		fits('profiles focused');
	} finally {
		app.unmount();
		await poller.stop();
		await source.close();
	}
});
