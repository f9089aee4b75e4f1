// Several servers at once (a real 3-node cluster over its monitoring ports): the servers view,
// cluster-wide connections with exact top-N and paging, and a server that goes missing.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import {render} from 'ink-testing-library';
import {App} from '../../source/app.js';
import {MultiHttpSource} from '../../source/sources/multi-http.js';
import {Poller} from '../../source/poll/poller.js';
import type {Config} from '../../source/config/types.js';
import {startCluster, stopAll, type NatsServer} from '../helpers/server.js';
import {rawClients, slowConsumer, firehose, openClients} from '../helpers/load.js';
import {waitFor} from '../helpers/wait.js';

const WIDTH = 120;
const HEIGHT = 30;
let nodes: NatsServer[];
const cleanups: Array<() => Promise<void> | void> = [];

function mount(urls: string[], overrides: Partial<Config> = {}) {
	const config: Config = {
		transport: 'http',
		urls,
		tls: {insecure: false},
		intervalMs: 300,
		timeoutMs: 1500,
		sort: 'cid',
		reverse: false,
		state: 'open',
		rawNumbers: true,
		lookup: false,
		showSubs: false,
		...overrides,
	};
	const source = new MultiHttpSource(urls, {timeoutMs: config.timeoutMs});
	const poller = new Poller(source, {intervalMs: config.intervalMs, maxBackoffMs: 1000});
	const app = render(<App config={config} source={source} poller={poller} width={WIDTH} height={HEIGHT} />);
	cleanups.push(async () => {
		app.unmount();
		await poller.stop();
		await source.close();
	});
	const frame = () => app.lastFrame() ?? '';
	return {
		frame,
		async shows(test: (s: string) => boolean, what: string, timeoutMs = 10_000) {
			try {
				await waitFor(() => test(frame()), {timeoutMs, intervalMs: 25, what});
			} catch (error) {
				throw new Error(`${(error as Error).message}\n--- screen ---\n${frame()}`);
			}
			return frame();
		},
		async press(...keys: string[]) {
			for (const key of keys) {
				app.stdin.write(key);
				await new Promise(resolve => setTimeout(resolve, 30));
			}
		},
	};
}

function rowsOf(screen: string): string[][] {
	const lines = screen.split('\n');
	const header = lines.findIndex(l => l.includes('SERVER') && l.includes('CID'));
	return lines.slice(header + 1).filter(l => /^\S+\s+\d+ /.test(l.trim())).map(l => l.trim().split(/\s+/));
}

before(async () => {
	nodes = await startCluster(3, {name: 'multi', config: 'write_deadline: "60s"'});
});

after(async () => {
	for (const cleanup of cleanups.reverse()) await cleanup();
	await stopAll();
});

test('servers view lists all three, and a killed one stays listed as missing until it returns', async () => {
	const ui = mount(nodes.map(n => n.monitorUrl));
	await ui.shows(s => s.includes('3 servers'), 'aggregate header');
	await ui.press('2');
	let screen = await ui.shows(s => nodes.every(n => s.includes(n.name)) && s.includes('ROUTES'), 'three rows');
	assert.match(screen, /3 servers · sort name ▲/);
	await nodes[2]!.kill();
	screen = await ui.shows(s => /missing \d/.test(s) && s.includes(nodes[2]!.name), 'the killed server marked missing');
	assert.match(screen, /2 of 3 servers answered/);
	assert.match(screen, /1 missing/);
	await nodes[2]!.restart();
	await ui.shows(s => !/missing \d/.test(s), 'back after restart', 20_000);
	// focus: Enter on the first row limits the header and the connections to that server
	await ui.press('g', '\r');
	screen = await ui.shows(s => /focus multi-1 \(\* for all\)/.test(s), 'focused');
	assert.doesNotMatch(screen.split('\n')[0]!, /3 servers/);
	await ui.press('*');
	await ui.shows(s => !s.includes('focus multi-1') && s.split('\n')[0]!.includes('3 servers'), 'all servers again');
});

test('cluster-wide top 20 by pending equals the truth from every server; paging 3 × 700 sees each connection once', async () => {
	const bulk = await Promise.all(nodes.map((n, i) => rawClients('127.0.0.1', n.port, 700, {namePrefix: `n${i + 1}`})));
	cleanups.push(() => bulk.forEach(b => b.close()));
	const publisher = await openClients(nodes[0]!.natsUrl, 1, {namePrefix: 'pub'});
	cleanups.push(() => publisher.close());
	const slow = await Promise.all(nodes.map((n, i) => slowConsumer('127.0.0.1', n.port, `fire.${i}`, {name: `slow-${i + 1}`})));
	cleanups.push(() => slow.forEach(s => s.close()));
	for (let i = 0; i < 3; i++) await firehose(publisher.conns[0]!, `fire.${i}`, {bytes: (i + 2) * 4 * 1024 * 1024, payloadBytes: 8192});

	// the truth: every server's full /connz, merged by pending (ties by cid, then server id, as
	// natscope orders them). The publisher's flush says its server has the messages, not that the
	// routes have delivered them to the other servers' slow consumers: take the truth once the
	// pending figures have held still for half a second.
	const fetchTruth = async () => {
		const all = await Promise.all(
			nodes.map(async n => {
				const id = ((await fetch(`${n.monitorUrl}/varz`).then(r => r.json())) as {server_id: string}).server_id;
				const connz = (await fetch(`${n.monitorUrl}/connz?sort=pending&limit=5000`).then(r => r.json())) as {connections: Array<{cid: number; name: string; pending_bytes: number}>};
				return connz.connections.map(c => ({...c, server: n.name, id}));
			}),
		);
		return all.flat().sort((a, b) => b.pending_bytes - a.pending_bytes || a.cid - b.cid || a.id.localeCompare(b.id));
	};
	const pendingOf = (rows: Awaited<ReturnType<typeof fetchTruth>>) => rows.filter(t => t.pending_bytes > 0).map(t => `${t.server}:${t.cid}:${t.pending_bytes}`).join(' ');
	let truth = await fetchTruth();
	await waitFor(
		async () => {
			await new Promise(resolve => setTimeout(resolve, 500));
			const before = pendingOf(truth);
			truth = await fetchTruth();
			return pendingOf(truth) === before;
		},
		{timeoutMs: 20_000, intervalMs: 0, what: 'pending bytes that hold still'},
	);
	const slowOnes = truth.filter(t => t.pending_bytes > 0).length;
	assert.ok(slowOnes >= 2, 'at least two slow consumers hold pending bytes');

	const ui = mount(nodes.map(n => n.monitorUrl), {sort: 'pending'});
	// Exact top 20: the same pending figures in the same order; rows that hold pending bytes are
	// the same connections. (Among equal figures the server picks which rows to send.)
	const slowTruth = truth.slice(0, slowOnes).map(t => `${t.server}:${t.cid}`);
	const screen = await ui.shows(s => {
		const rows = rowsOf(s).slice(0, 20);
		return rows.length === 20 && rows.slice(0, slowOnes).map(r => `${r[0]}:${r[1]}`).join(' ') === slowTruth.join(' ') && rows.slice(slowOnes).every(r => r[5] === '0');
	}, `the cluster-wide top 20 by pending, led by ${slowTruth.join(' ')}`);
	assert.match(screen, /showing 1–\d+ of 2,1\d\d/);

	// paging by cid through a stable set (the slow consumers gone): each connection exactly once
	slow.forEach(c => c.close());
	const stable = 3 * 700 + 1;
	await ui.press('o', 'c', 'i', 'd', '\r');
	await ui.shows(s => /sort cid ▲/.test(s) && s.includes(`of ${stable.toLocaleString('en-US')}`), 'sorted by cid, slow consumers gone');
	// position in the list → the connection shown there, over every page
	const atPosition = new Map<number, string>();
	const total = stable;
	for (let page = 0; page < 200; page++) {
		const screenNow = ui.frame();
		const first = Number(/showing ([\d,]+)–/.exec(screenNow)![1]!.replaceAll(',', ''));
		rowsOf(screenNow).forEach((row, i) => {
			const key = `${row[0]}:${row[1]}`;
			const earlier = atPosition.get(first + i);
			assert.ok(earlier === undefined || earlier === key, `position ${first + i} showed ${earlier} and then ${key}`);
			atPosition.set(first + i, key);
		});
		if (screenNow.includes(`–${total.toLocaleString('en-US')} of`)) break;
		const last = rowsOf(screenNow).at(-1)?.join(' ');
		await ui.press('\u001b[6~'); // PgDn
		await ui.shows(s => rowsOf(s).at(-1)?.join(' ') !== last && !s.includes('…'), `page ${page + 2}`);
	}
	assert.equal(atPosition.size, total, 'every position from 1 to the total was shown');
	assert.equal(new Set(atPosition.values()).size, total, 'and every connection at exactly one position');
});

test('--json across several servers: the header sums the cluster, rows carry their server', async () => {
	const {runOneShot} = await import('../../source/oneshot.js');
	const source = new MultiHttpSource(nodes.map(n => n.monitorUrl), {timeoutMs: 2000});
	let out = '';
	const code = await runOneShot(
		{transport: 'http', urls: nodes.map(n => n.monitorUrl), tls: {insecure: false}, intervalMs: 200, timeoutMs: 2000, sort: 'cid', reverse: false, rows: 5000, state: 'open', rawNumbers: true, lookup: false, showSubs: false, output: {kind: 'json'}},
		source,
		{stdout: text => (out += text), stderr: () => {}, sleep: ms => new Promise(resolve => setTimeout(resolve, ms)), now: () => new Date(), width: 400},
	);
	assert.equal(code, 0);
	const document = JSON.parse(out) as {server: {server_name: string; connections: number}; connections: {total: number; rows: Array<{server_name: string}>}};
	const perServer = await Promise.all(nodes.map(async n => ((await fetch(`${n.monitorUrl}/varz`).then(r => r.json())) as {connections: number}).connections));
	assert.equal(document.server.server_name, '3 servers');
	assert.equal(document.server.connections, perServer.reduce((a, b) => a + b, 0));
	assert.equal(new Set(document.connections.rows.map(r => r.server_name)).size, 3);
	assert.equal(document.connections.rows.length, document.connections.total);
});
