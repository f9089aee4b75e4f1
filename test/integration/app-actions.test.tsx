// The signal and profile panels and the detail view's kick, in the real app against a real
// nats-server 2.9.10: keys in (ink-testing-library), screen out.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {appendFile, mkdtemp, readdir, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {gunzipSync} from 'node:zlib';
import React from 'react';
import {render} from 'ink-testing-library';
import stringWidth from 'string-width';
import {App} from '../../source/app.js';
import {HttpSource} from '../../source/sources/http.js';
import {SysSource} from '../../source/sources/sys.js';
import {Poller} from '../../source/poll/poller.js';
import type {Config} from '../../source/config/types.js';
import type {Source} from '../../source/sources/types.js';
import {startServer, stopAll, type NatsServer} from '../helpers/server.js';
import {freePort} from '../helpers/ports.js';
import {openClients, type Clients} from '../helpers/load.js';
import {configModeAccounts} from '../helpers/accounts.js';
import {waitFor} from '../helpers/wait.js';

const WIDTH = 80;
const HEIGHT = 24;

let dir: string;
let profileDir: string;
let server: NatsServer;
let pidFile: string;

function httpConfig(url: string, extra: Partial<Config> = {}): Config {
	return {
		transport: 'http',
		urls: [url],
		tls: {insecure: false},
		intervalMs: 250,
		timeoutMs: 2000,
		sort: 'cid',
		reverse: false,
		state: 'open',
		rawNumbers: false,
		lookup: false,
		showSubs: false,
		demo: false,
		...extra,
	};
}

function mount(source: Source, config: Config) {
	const poller = new Poller(source, {intervalMs: config.intervalMs, maxBackoffMs: 1000});
	const app = render(<App config={config} source={source} poller={poller} width={WIDTH} height={HEIGHT} profileDir={profileDir} />);
	const frame = () => app.lastFrame() ?? '';
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
	const fits = () => {
		const lines = frame().split('\n');
		assert.ok(lines.length <= HEIGHT, `${lines.length} lines fit ${HEIGHT}`);
		for (const line of lines) assert.ok(stringWidth(line) <= WIDTH, `fits ${WIDTH}: ${JSON.stringify(line)}`);
	};
	const stop = async () => {
		app.unmount();
		await poller.stop();
		await source.close();
	};
	return {frame, press, shows, fits, stop};
}

before(async () => {
	dir = await mkdtemp(join(tmpdir(), 'natscope-app-actions-'));
	profileDir = join(dir, 'profiles');
	pidFile = join(dir, 'nats.pid');
	const profPort = await freePort();
	server = await startServer({name: 'app-sig', config: `pid_file: "${pidFile}"\nprof_port: ${profPort}`});
});

after(async () => {
	await stopAll();
	if (dir) await rm(dir, {recursive: true, force: true});
});

test('S opens the signal panel; r and y reload, and the new config_load_time and max_payload show', async () => {
	const ui = mount(new HttpSource({url: server.monitorUrl, timeoutMs: 2000}), httpConfig(server.monitorUrl, {pidFile}));
	try {
		await ui.shows(s => s.includes('app-sig'), 'the header');
		await ui.press('S');
		await ui.shows(s => s.includes(`process  pid ${server.pid} (pid file ${pidFile})`), 'the process found by the pid file');
		ui.fits();
		const loaded = /config {3}loaded (\S+ \S+) {3}max_payload (\d+)/.exec(ui.frame());
		assert.ok(loaded, ui.frame());
		assert.equal(loaded[2], '1048576');
		assert.match(ui.frame(), /r  reload configuration {4}SIGHUP to pid \d+/);
		assert.match(ui.frame(), /r reload {2}o reopen {2}L ldm/, 'the footer has the panel keys');
		// The panel shows seconds: let the clock move on before reloading.
		await new Promise(resolve => setTimeout(resolve, 1100));
		await appendFile(join(server.dir, 'server.conf'), 'max_payload: 524288\n');
		await ui.press('r');
		await ui.shows(s => s.includes(`Reload the configuration of app-sig (pid ${server.pid})?`), 'the confirmation');
		assert.match(ui.frame(), new RegExp(`same as: nats-server --signal reload=${server.pid}`));
		await ui.press('y');
		await ui.shows(s => s.includes('✓ configuration reloaded'), 'the verified reload');
		const after = /config {3}loaded (\S+ \S+) {3}max_payload (\d+)/.exec(ui.frame());
		assert.ok(after);
		assert.notEqual(after[1], loaded[1], 'config_load_time changed on screen');
		assert.equal(after[2], '524288');
		ui.fits();
		await ui.press('\u001b');
		await ui.shows(s => !s.includes('configuration reloaded'), 'Esc clears the result');
	} finally {
		await ui.stop();
	}
});

test('a confirmation takes every key: q and 1 are typed into the lame-duck name, Esc cancels', async () => {
	const ui = mount(new HttpSource({url: server.monitorUrl, timeoutMs: 2000}), httpConfig(server.monitorUrl, {pidFile, view: 'signals'}));
	try {
		await ui.shows(s => s.includes(`process  pid ${server.pid}`), 'the panel from --view signals');
		await ui.press('L');
		await ui.shows(s => s.includes('Type the server name (app-sig)'), 'the lame-duck confirmation');
		await ui.press('q');
		await ui.press('1');
		await ui.shows(s => s.includes('> q1█'), 'q and 1 went into the name');
		assert.match(ui.frame(), /^Signals — app-sig/m, 'still on the signal panel');
		await ui.press('\r');
		await ui.shows(s => s.includes('that is not the server name'), 'a wrong name is refused');
		await ui.press('\u001b');
		await ui.shows(s => s.includes('cancelled: lame-duck mode (SIGUSR2) was not sent'), 'Esc cancels');
		assert.equal(server.pid !== undefined, true, 'the server still runs');
		await ui.press('1');
		await ui.shows(s => /CID\s+NAME/.test(s) || s.includes('showing'), 'view keys work again');
	} finally {
		await ui.stop();
	}
});

test('P opens the profiles panel; h downloads a heap profile into the folder', async () => {
	const ui = mount(new HttpSource({url: server.monitorUrl, timeoutMs: 2000}), httpConfig(server.monitorUrl, {pidFile}));
	try {
		await ui.shows(s => s.includes('app-sig'), 'the header');
		await ui.press('P');
		await ui.shows(s => /from {5}http:\/\/127\.0\.0\.1:\d+\/debug\/pprof\/ \(found on pid \d+\)/.test(s), 'the profiling port found');
		ui.fits();
		await ui.press('h');
		await ui.shows(s => s.includes('✓ heap profile'), 'the download');
		assert.match(ui.frame(), /go tool pprof /);
		const files = await readdir(profileDir);
		assert.equal(files.length, 1);
		assert.match(files[0]!, /^heap-app-sig-\d{8}-\d{6}\.pprof$/);
		const bytes = await readFile(join(profileDir, files[0]!));
		assert.deepEqual([...bytes.subarray(0, 2)], [0x1f, 0x8b], 'gzip magic');
		assert.ok(gunzipSync(bytes).length > 0, 'it decompresses');
		ui.fits();
	} finally {
		await ui.stop();
	}
});

test('over $SYS on 2.9.10 the detail view shows kick and lame duck disabled with the version; K says why', async () => {
	const accounts = configModeAccounts();
	const sysServer = await startServer({name: 'app-sys', config: accounts.configText});
	const clients: Clients = await openClients(sysServer.natsUrl, 2, {namePrefix: 'kick-me', user: accounts.users.app.user, pass: accounts.users.app.password});
	const nats = {servers: [sysServer.natsUrl], auth: {kind: 'user-password' as const, user: accounts.users.sys.user, password: accounts.users.sys.password}, tls: {insecure: false, first: false}, identity: {warnings: []}};
	const config: Config = {...httpConfig(''), transport: 'nats', urls: [], nats, sort: 'cid'};
	const ui = mount(new SysSource(nats, {timeoutMs: 3000}), config);
	try {
		await ui.shows(s => s.includes('kick-me'), 'the clients');
		assert.match(ui.frame(), /user sys/, 'the status line names the login');
		await ui.press('/');
		await ui.press('kick-me');
		await ui.press('\r');
		await ui.press('\r');
		await ui.shows(s => /^cid \d+ kick-me/m.test(s), 'the detail view');
		await ui.shows(s => s.includes('K kick ($SYS KICK) needs nats-server 2.10.0 or newer; this server runs 2.9.10'), 'kick disabled with the version');
		assert.match(ui.frame(), /D client lame duck \(\$SYS LDM\) needs nats-server 2\.10\.0 or newer/);
		ui.fits();
		await ui.press('K');
		// The status line (row 5, under the header) says why, too.
		await ui.shows(s => (s.split('\n')[4] ?? '').endsWith('kick ($SYS KICK) needs nats-server 2.10.0 or newer; this server runs 2.9.10'), 'K says why');
		assert.equal(clients.conns.every(nc => !nc.isClosed()), true, 'nobody was kicked');
	} finally {
		await ui.stop();
		await clients.close();
	}
});
