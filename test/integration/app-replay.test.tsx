// Replay controls in the real app: a small recording made here from a real nats-server 2.9.10,
// replayed with Space (pause), ] and [ (speed), . and , (step); the recording's clock and speed
// on the status line; R keeps rates/totals and Space does not touch it while replaying.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import React from 'react';
import {render} from 'ink-testing-library';
import stringWidth from 'string-width';
import {App} from '../../source/app.js';
import {HttpSource} from '../../source/sources/http.js';
import {recordingSource} from '../../source/sources/record.js';
import {openReplay} from '../../source/sources/replay.js';
import {Poller} from '../../source/poll/poller.js';
import type {Config} from '../../source/config/types.js';
import type {Source} from '../../source/sources/types.js';
import {startServer, stopAll, type NatsServer} from '../helpers/server.js';
import {openClients, type Clients} from '../helpers/load.js';
import {waitFor} from '../helpers/wait.js';

let dir: string;
let server: NatsServer;
let clients: Clients;

function configFor(url: string, intervalMs: number): Config {
	return {transport: 'http', urls: [url], tls: {insecure: false}, intervalMs, timeoutMs: 2000, sort: 'cid', reverse: false, state: 'open', rawNumbers: false, lookup: false, showSubs: false, demo: false};
}

function mount(source: Source, config: Config) {
	const poller = new Poller(source, {intervalMs: config.intervalMs, maxBackoffMs: 1000});
	const app = render(<App config={config} source={source} poller={poller} width={80} height={24} />);
	const frame = () => app.lastFrame() ?? '';
	const status = () => frame().split('\n')[5] ?? '';
	const press = async (keys: string) => {
		app.stdin.write(keys);
		await new Promise(resolve => setTimeout(resolve, 60));
	};
	const shows = async (test: (screen: string) => boolean, what: string, timeoutMs = 10_000) => {
		try {
			await waitFor(() => test(frame()), {timeoutMs, intervalMs: 20, what});
		} catch (error) {
			throw new Error(`${(error as Error).message}\n--- screen ---\n${frame()}`);
		}
	};
	const stop = async () => {
		app.unmount();
		await poller.stop();
		await source.close();
	};
	return {frame, status, press, shows, stop, poller};
}

before(async () => {
	dir = await mkdtemp(join(tmpdir(), 'natscope-app-replay-'));
	server = await startServer({name: 'replay-node'});
	clients = await openClients(server.natsUrl, 3, {namePrefix: 'rp-client'});
});

after(async () => {
	await clients?.close();
	await stopAll();
	if (dir) await rm(dir, {recursive: true, force: true});
});

test('replaying: the clock and speed on the status line; Space, ] [ and . , drive it; R still switches rates/totals', async () => {
	const file = join(dir, 'small.ndjson');
	const recording = mount(recordingSource(new HttpSource({url: server.monitorUrl, timeoutMs: 2000}), file, {natscopeVersion: 'test'}), configFor(server.monitorUrl, 1200));
	try {
		await recording.shows(s => s.includes('rp-client-3'), 'the clients');
		await waitFor(() => (recording.poller.getSnapshot().needs.get('varz')?.completions ?? 0) >= 5, {timeoutMs: 15_000, what: 'five refreshes recorded'});
		assert.doesNotMatch(recording.status(), /replay/, 'a live source has no replay clock');
	} finally {
		await recording.stop();
	}

	const replay = await openReplay(file);
	const ui = mount(replay, configFor(server.monitorUrl, 100));
	try {
		await ui.shows(s => s.includes('rp-client-3'), 'the replayed clients');
		await ui.shows(() => /^replay ▶ ×1 · \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC · \d:\d\d \/ 0:0\d/.test(ui.status()), 'the replay clock at ×1');
		assert.match(ui.frame(), /Space play\/pause {2}\] faster/, 'the footer leads with the replay keys');
		for (const line of ui.frame().split('\n')) assert.ok(stringWidth(line) <= 80, `fits 80: ${line}`);

		await ui.press(']]');
		await ui.shows(() => ui.status().startsWith('replay ▶ ×4 ·'), '] twice: ×4');
		await ui.press('[');
		await ui.shows(() => ui.status().startsWith('replay ▶ ×2 ·'), '[: ×2');

		// Space pauses the replay (not rates/totals), and the screen's clock stands still.
		const totalsBefore = /totals/.test(ui.frame().split('\n')[4] ?? '');
		await ui.press(' ');
		await ui.shows(() => ui.status().startsWith('replay ⏸ paused ·'), 'Space pauses');
		assert.equal(replay.paused(), true);
		assert.equal(/totals/.test(ui.frame().split('\n')[4] ?? ''), totalsBefore, 'Space did not switch rates/totals');
		await ui.press('R');
		await ui.shows(s => /totals/.test(s.split('\n')[4] ?? '') !== totalsBefore, 'R switches rates/totals');
		await ui.press('R');

		// Step back to the start, then forward round by round: each step shows a later recording time.
		// A key reaches the replay when the app has read it: wait for the replay to say it moved.
		let moves = 0;
		replay.onChange(() => moves++);
		const step = async (key: '.' | ',') => {
			const before = moves;
			await ui.press(key);
			await waitFor(() => moves > before, {timeoutMs: 10_000, intervalMs: 10, what: `the replay to take "${key}"`});
		};
		for (let i = 0; i < 6; i++) await step(',');
		// At the first round, or before it when the replay had not reached it yet (a loaded
		// machine): one step forward is a round with one before it.
		await step('.');
		const first = replay.clock();
		const clockText = () => /· (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC ·/.exec(ui.status())?.[1];
		await ui.shows(() => clockText() === new Date(first).toISOString().slice(0, 19).replace('T', ' '), 'the status line shows the clock after stepping back');
		await step('.');
		const second = replay.clock();
		assert.ok(second > first + 900, `a step forward moves one recorded refresh (${second - first} ms)`);
		await ui.shows(() => clockText() === new Date(second).toISOString().slice(0, 19).replace('T', ' '), 'the status line follows the step');
		assert.equal(replay.paused(), true, 'a step leaves the replay paused');
		await step(',');
		assert.ok(replay.clock() < second, `a step back goes back (from ${second - first} ms after the first round to ${replay.clock() - first})`);
		await ui.press(' ');
		await ui.shows(() => ui.status().startsWith('replay ▶ ×2 ·'), 'Space resumes at the chosen speed');

		// Operator panels have nothing to act on in a replay, and say so.
		await ui.press('S');
		await ui.shows(s => s.includes('this is a replay of a recording: signals and profiles act on a live server'), 'the signal panel explains');
	} finally {
		await ui.stop();
	}
});
