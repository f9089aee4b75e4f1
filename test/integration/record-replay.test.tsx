// Record the real app against a real nats-server, replay the file through the real app, and the
// screen is the same for the same samples. Recordings over every NATS login form hold no secret.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {gunzipSync} from 'node:zlib';
import React from 'react';
import {render} from 'ink-testing-library';
import {App} from '../../source/app.js';
import {HttpSource} from '../../source/sources/http.js';
import {SysSource} from '../../source/sources/sys.js';
import {recordingSource} from '../../source/sources/record.js';
import {openReplay, type ReplaySource} from '../../source/sources/replay.js';
import {parseRecording} from '../../source/replay/format.js';
import {Poller, type PollerSnapshot} from '../../source/poll/poller.js';
import type {Config, NatsAuth} from '../../source/config/types.js';
import type {Source} from '../../source/sources/types.js';
import {startServer, stopAll, type NatsServer} from '../helpers/server.js';
import {openClients, type Clients} from '../helpers/load.js';
import {NKEY_SEED, configModeAccounts, jwtModeAccounts, tokenConfig, type ConfigModeAccounts, type JwtAccounts} from '../helpers/accounts.js';
import {waitFor} from '../helpers/wait.js';

const WIDTH = 110;
const HEIGHT = 32;
/** Both apps see the same wall clock, so "updated 0s ago" and ages read the same (the pollers run on real time). */
const FIXED_NOW = Date.parse('2026-11-22T12:00:00Z');

let dir: string;
let server: NatsServer;
let clients: Clients;
let traffic: NodeJS.Timeout;

function configFor(url: string, intervalMs: number): Config {
	return {
		transport: 'http',
		urls: [url],
		tls: {insecure: false},
		intervalMs,
		timeoutMs: 2000,
		sort: 'pending',
		reverse: false,
		state: 'open',
		rawNumbers: false,
		lookup: false,
		showSubs: false,
		demo: false,
	};
}

function mount(source: Source, config: Config) {
	const poller = new Poller(source, {intervalMs: config.intervalMs, maxBackoffMs: 1000});
	const app = render(<App config={config} source={source} poller={poller} width={WIDTH} height={HEIGHT} now={() => FIXED_NOW} />);
	const frame = () => app.lastFrame() ?? '';
	const press = async (key: string) => {
		app.stdin.write(key);
		await new Promise(resolve => setTimeout(resolve, 50));
	};
	const until = async (test: (snapshot: PollerSnapshot) => boolean, what: string, timeoutMs = 20_000) => {
		try {
			await waitFor(() => test(poller.getSnapshot()), {timeoutMs, intervalMs: 20, what});
		} catch (error) {
			throw new Error(`${(error as Error).message}\n--- screen ---\n${frame()}`);
		}
	};
	const stop = async () => {
		app.unmount();
		await poller.stop();
		await source.close();
	};
	return {frame, press, until, stop, poller};
}

/** Let React draw what the poller last said. */
async function settle(): Promise<void> {
	await new Promise(resolve => setTimeout(resolve, 150));
}

before(async () => {
	dir = await mkdtemp(join(tmpdir(), 'natscope-rr-'));
	server = await startServer({name: 'rr-node'});
	clients = await openClients(server.natsUrl, 12, {namePrefix: 'rr-worker', subjects: ['work.>']});
	traffic = setInterval(() => {
		for (const [i, nc] of clients.conns.slice(0, 6).entries()) nc.publish(`work.${i}`, new Uint8Array(100 * (i + 1)));
	}, 10);
});

after(async () => {
	clearInterval(traffic);
	await clients?.close();
	await stopAll();
	if (dir) await rm(dir, {recursive: true, force: true});
});

test('the replayed screen equals the recorded one for the same samples', async () => {
	const file = join(dir, 'app.ndjson.gz');
	const recording = mount(recordingSource(new HttpSource({url: server.monitorUrl, timeoutMs: 2000}), file, {natscopeVersion: 'test'}), configFor(server.monitorUrl, 300));
	let recorded: string;
	try {
		// /healthz is the header badge's, asked every 5 s: once is enough here.
		await recording.until(s => ['varz', 'connz'].every(id => (s.needs.get(id)?.completions ?? 0) >= 5) && (s.needs.get('healthz')?.completions ?? 0) >= 1, 'five refreshes recorded');
		await recording.press('p');
		await recording.until(s => s.paused && [...s.needs.values()].every(n => !n.inFlight), 'paused with nothing in flight');
		await settle();
		recorded = recording.frame();
	} finally {
		await recording.stop();
	}
	assert.match(recorded, /rr-worker/, 'the recorded screen shows the clients');
	assert.match(recorded, /paused/);
	assert.match(recorded, /MSGS_TO[\s\S]*\d\/s/, 'with per-second rates: two samples per connection are compared');

	const parsed = parseRecording(await readFile(file));
	assert.equal(parsed.problem, undefined);
	const kinds = new Set(parsed.lines.map(l => (l.t === 'answer' ? l.kind : l.t)));
	assert.deepEqual([...kinds].sort(), ['connz', 'healthz', 'varz']);

	// Step through the recording round by round, each round taken before the next is shown: a
	// replay running on its clock skips a sample when the machine is too busy to ask in time, and
	// the rates then come from another pair of samples than the recording's.
	const replay = await openReplay(file, {paused: true});
	const replayed = mount(replay, configFor(server.monitorUrl, 50));
	const answerTimes = (kind: string) => parsed.lines.flatMap(l => (l.t === 'answer' && l.kind === kind ? [l.at] : []));
	const rounds = {varz: answerTimes('varz'), connz: answerTimes('connz')};
	try {
		for (let round = 0; replay.clock() < replay.span().end; round++) {
			assert.ok(round <= rounds.varz.length, 'each step reaches a later round');
			replay.step(1);
			const clock = replay.clock();
			await replayed.until(
				s =>
					Object.entries(rounds).every(([id, times]) => {
						const need = s.needs.get(id);
						return need?.completions === times.filter(t => t <= clock).length && need.inFlight;
					}),
				`every need has had the round up to ${clock} and waits for the next`,
			);
		}
		await replayed.press('p');
		await settle();
		// A replay adds its clock to the status line and its keys to the footer; the rest is the same.
		const withoutReplay = (screen: string) => screen.replace(/^replay .*? · (?=paused)/m, '').replace(/^Space play\/pause {2}\] faster {2}/m, '');
		assert.match(replayed.frame(), /^replay ■ end · /m);
		assert.equal(withoutReplay(replayed.frame()), recorded);
	} finally {
		await replayed.stop();
	}
});

test('a truncated recording replays what came before the cut, and says where it was cut', async () => {
	const file = join(dir, 'cut.ndjson');
	const source = recordingSource(new HttpSource({url: server.monitorUrl, timeoutMs: 2000}), file, {natscopeVersion: 'test'});
	for (let i = 0; i < 3; i++) {
		await source.request({kind: 'varz'});
		await source.request({kind: 'connz', query: {sort: 'cid', limit: 50}});
	}
	await source.close();
	const text = await readFile(file, 'utf8');
	const cut = join(dir, 'cut-short.ndjson');
	await writeFile(cut, text.slice(0, text.length - 200));
	const replay: ReplaySource = await openReplay(cut, {paused: true});
	try {
		assert.equal(replay.warning, 'line 7: cut off (the recording ended mid-line); replaying the 5 entries before it');
		const varz = await replay.request({kind: 'varz'});
		assert.equal(varz.replies[0]!.data.server_name, 'rr-node');
		const connz = await replay.request({kind: 'connz', query: {sort: 'cid', limit: 50}});
		assert.ok(connz.replies[0]!.data.connections.some(c => c.name.startsWith('rr-worker')));
	} finally {
		await replay.close();
	}
});

// --- no credential in a recording, whatever the login --------------------------------------

let accounts: ConfigModeAccounts;
let jwt: JwtAccounts;
let token: string;

async function recordOver(url: string, auth: NatsAuth, name: string, secrets?: string[]): Promise<{text: string; answered: boolean}> {
	const file = join(dir, `${name}.ndjson.gz`);
	const sys = new SysSource({servers: [url], auth, tls: {insecure: false, first: false}, identity: {warnings: []}}, {timeoutMs: 3000, quietMs: 150});
	const source = recordingSource(sys, file, {natscopeVersion: 'test', ...(secrets ? {secrets} : {})});
	let answered = false;
	try {
		answered = (await source.request({kind: 'varz'}).catch(() => undefined)) !== undefined;
		await source.request({kind: 'connz', query: {auth: true, subs: 'detail', state: 'all', limit: 100}}).catch(() => undefined);
		await source.request({kind: 'healthz'}).catch(() => undefined);
		await source.request({kind: 'jsz', query: {accounts: true}}).catch(() => undefined);
	} finally {
		await source.close();
	}
	return {text: gunzipSync(await readFile(file)).toString('utf8'), answered};
}

test('recordings over a password, a token and a creds login hold no credential', async () => {
	accounts = configModeAccounts();
	jwt = await jwtModeAccounts(dir);
	const tokenSetup = tokenConfig();
	token = tokenSetup.token;
	const [passwordServer, tokenServer, jwtServer] = await Promise.all([
		startServer({config: accounts.configText}),
		startServer({config: tokenSetup.configText}),
		startServer({config: jwt.configText}),
	]);

	const password = accounts.users.sys.password;
	const byPassword = await recordOver(passwordServer.natsUrl, {kind: 'user-password', user: 'sys', password}, 'password');
	assert.ok(byPassword.answered, 'logged in with the password and answered');
	assert.ok(!byPassword.text.includes(password), 'no password');
	assert.match(byPassword.text, /"authorized_user":"sys"/, 'the user name is kept: it is what the server shows');

	// nats-server 2.9 reports a token login's token as its authorized_user in /connz (auth=true),
	// and a server has one token, so the CLI hands the login's secrets to the recorder.
	const unguarded = await recordOver(tokenServer.natsUrl, {kind: 'token', token}, 'token-unguarded');
	assert.match(unguarded.text, new RegExp(`"authorized_user":"${token}"`), 'the server itself hands out the token');
	const byToken = await recordOver(tokenServer.natsUrl, {kind: 'token', token}, 'token', [token]);
	assert.match(byToken.text, /"t":"error","at":\d+,"rtt":\d+,"kind":"varz"/, 'outside a system account: the failure is recorded');
	assert.match(byToken.text, /"authorized_user":"\[redacted\]"/);
	assert.ok(!byToken.text.includes(token), 'no token');

	const seed = jwt.users.sys.seed;
	const byCreds = await recordOver(jwtServer.natsUrl, {kind: 'creds', file: jwt.users.sys.creds}, 'creds');
	assert.ok(byCreds.answered, 'logged in with the creds file and answered');
	assert.ok(!byCreds.text.includes(seed), 'no seed');
	assert.ok(!byCreds.text.includes(seed.slice(0, 20)), 'not even part of the seed');
	assert.ok(!byCreds.text.includes(jwt.users.sys.jwt), 'no user JWT');
	assert.ok(!byCreds.text.includes(jwt.users.sys.jwt.split('.')[2]!), 'not even the JWT signature');
	assert.match(byCreds.text, /"jwt":"\[redacted\]"/, 'the JWT is marked present, its text left out');
	const creds = await readFile(jwt.users.sys.creds, 'utf8');
	for (const line of creds.split('\n').filter(l => l.length > 20 && !l.startsWith('-'))) {
		assert.ok(!byCreds.text.includes(line.trim()), 'no line of the creds file');
	}
	for (const {text} of [byPassword, byToken, byCreds]) {
		assert.ok(!NKEY_SEED.test(text), 'no nkey seed of any kind');
		assert.ok(!/"pass(word)?":/i.test(text));
	}
});
