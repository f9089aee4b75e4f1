// The whole app (rendered with ink-testing-library) against a real nats-server: what is on the
// screen must be what the server says.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import {render} from 'ink-testing-library';
import {App} from '../../source/app.js';
import {HttpSource} from '../../source/sources/http.js';
import {Poller} from '../../source/poll/poller.js';
import type {Config} from '../../source/config/types.js';
import {startServer, stopAll, type NatsServer} from '../helpers/server.js';
import {openClients, rawClients, slowConsumer, firehose, type Clients} from '../helpers/load.js';
import {waitFor} from '../helpers/wait.js';

const WIDTH = 100;
const HEIGHT = 30;

let server: NatsServer;
let clients: Clients;
const cleanups: Array<() => Promise<void> | void> = [];

function configFor(url: string, overrides: Partial<Config> = {}): Config {
	return {
		transport: 'http',
		urls: [url],
		tls: {insecure: false},
		intervalMs: 250,
		timeoutMs: 2000,
		sort: 'cid',
		reverse: false,
		state: 'open',
		rawNumbers: true,
		lookup: false,
		showSubs: false,
		...overrides,
	};
}

function mount(url: string, overrides: Partial<Config> = {}) {
	const config = configFor(url, overrides);
	const source = new HttpSource({url, timeoutMs: config.timeoutMs});
	const poller = new Poller(source, {intervalMs: config.intervalMs, maxBackoffMs: 1000});
	const app = render(<App config={config} source={source} poller={poller} width={WIDTH} height={HEIGHT} />);
	cleanups.push(async () => {
		app.unmount();
		await poller.stop();
		await source.close();
	});
	const frame = () => app.lastFrame() ?? '';
	const screenShows = async (test: (screen: string) => boolean, what: string, timeoutMs = 10_000) => {
		try {
			await waitFor(() => test(frame()), {timeoutMs, intervalMs: 25, what});
		} catch (error) {
			throw new Error(`${(error as Error).message}\n--- screen ---\n${frame()}`);
		}
		return frame();
	};
	const press = async (...keys: string[]) => {
		for (const key of keys) {
			app.stdin.write(key);
			await new Promise(resolve => setTimeout(resolve, 20));
		}
	};
	return {frame, screenShows, press, poller};
}

/** Table rows under the header line, as arrays of cells. */
function tableRows(screen: string): string[][] {
	const lines = screen.split('\n');
	const header = lines.findIndex(l => /\bCID\b/.test(l) && l.includes('NAME'));
	return lines
		.slice(header + 1)
		.filter(l => /^\s*\d+ /.test(l))
		.map(l => l.trim().split(/\s+/));
}

before(async () => {
	server = await startServer({config: 'write_deadline: "60s"'});
	clients = await openClients(server.natsUrl, 30, {namePrefix: 'app'});
});

after(async () => {
	for (const cleanup of cleanups.reverse()) await cleanup();
	await clients?.close();
	await stopAll();
});

test('figures on screen equal /connz, rows in the server order, header from /varz', async () => {
	const ui = mount(server.monitorUrl);
	const screen = await ui.screenShows(s => /showing 1–\d+ of 30/.test(s) && tableRows(s).length > 5 && /v2\.9\.10/.test(s) && /healthy/.test(s), 'the first page and the header');
	const connz = (await fetch(`${server.monitorUrl}/connz?sort=cid&limit=${HEIGHT}`).then(r => r.json())) as {connections: Array<{cid: number; name: string; subscriptions: number; pending_bytes: number}>};
	const rows = tableRows(screen);
	for (const [index, row] of rows.entries()) {
		const conn = connz.connections[index]!;
		assert.equal(Number(row[0]), conn.cid, `row ${index} cid`);
		assert.equal(row[1], conn.name, `row ${index} name`);
	}
	assert.match(screen, /v2\.9\.10/);
	assert.match(screen, new RegExp(server.name));
	assert.match(screen, /healthy/);
	assert.match(screen, /CID▲/, 'the sorted column is marked');
});

test('sorting by pending with keys puts the slow consumer first', async () => {
	const slow = await slowConsumer('127.0.0.1', server.port, 'firehose.app', {name: 'slowpoke'});
	cleanups.push(() => slow.close());
	await firehose(clients.conns[0]!, 'firehose.app', {bytes: 8 * 1024 * 1024, payloadBytes: 8192});
	const ui = mount(server.monitorUrl);
	await ui.screenShows(s => tableRows(s).length > 5, 'the table');
	await ui.press('o', 'p', 'e', 'n', 'd', '\t', '\r');
	const screen = await ui.screenShows(s => /PENDING▼/.test(s) && tableRows(s)[0]?.[1] === 'slowpoke', 'slow consumer first by pending');
	assert.match(screen, /sort pending ▼/);
	const pending = Number(tableRows(screen)[0]![4]);
	assert.ok(pending > 0, `pending bytes shown raw: ${pending}`);
});

test('paging reaches the last of 2,000 connections', async () => {
	const many = await rawClients('127.0.0.1', server.port, 2000, {namePrefix: 'bulk'});
	cleanups.push(() => many.close());
	const ui = mount(server.monitorUrl);
	await ui.screenShows(s => /of 2,0\d\d/.test(s), 'the total of about 2,030');
	const connz = (await fetch(`${server.monitorUrl}/connz?sort=cid&offset=2020&limit=100`).then(r => r.json())) as {total: number; connections: Array<{cid: number}>};
	const lastCid = connz.connections.at(-1)!.cid;
	await ui.press('G');
	const screen = await ui.screenShows(s => tableRows(s).some(r => Number(r[0]) === lastCid), `the last connection (cid ${lastCid})`);
	assert.match(screen, new RegExp(`showing [\\d,]+–${connz.total.toLocaleString('en-US')} of ${connz.total.toLocaleString('en-US')}`));
	await ui.press('g');
	await ui.screenShows(s => /showing 1–/.test(s), 'back at the top');
	many.close();
});

test('closed connections show stop time and reason', async () => {
	const leaving = await openClients(server.natsUrl, 3, {namePrefix: 'gone'});
	await leaving.close();
	const ui = mount(server.monitorUrl);
	await ui.screenShows(s => tableRows(s).length > 0, 'the table');
	await ui.press('t', 'o', 's', 't', 'o', 'p', '\r');
	const screen = await ui.screenShows(s => s.includes('state closed') && /sort stop ▼/.test(s) && /gone-\d.*Client Closed/.test(s), 'closed connections, newest first');
	assert.match(screen, /STOP▼/);
	assert.match(screen, /REASON/);
	assert.match(screen, /gone-\d .*\d{4}-\d\d-\d\d \d\d:\d\d:\d\d Client Closed/, 'stop time and reason on the row');
});

test('a killed server leaves the last data on screen marked stale; a restart recovers', async () => {
	const own = await startServer();
	const ownClients = await openClients(own.natsUrl, 4, {namePrefix: 'survivor'});
	const ui = mount(own.monitorUrl);
	await ui.screenShows(s => s.includes('survivor-1'), 'data before the kill');
	await ownClients.close();
	await own.kill();
	const stale = await ui.screenShows(s => s.includes('STALE') && /refused|closed the connection/.test(s), 'stale marker and error');
	assert.match(stale, /survivor-1/, 'the last good rows stay visible');
	assert.match(stale, /retry in \d+s|retrying now/);
	await own.restart();
	await ui.screenShows(s => !s.includes('STALE') && /updated \d/.test(s), 'recovered after restart', 15_000);
	await own.stop();
});
