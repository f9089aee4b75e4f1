// The fault catalogue over NATS ($SYS): the built CLI in tmux, logged in as a system-account
// user, while the test changes the real server under it — its config reloaded (the user moved
// out of the system account, denied $SYS.REQ, its password changed), its JWT expiring, the link
// cut mid-request or refused. Each time the TUI stays alive, names the problem with a hint,
// keeps the last good rows marked stale, and recovers by itself; one-shots exit with one line.
import {after, before, test, type TestContext} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createUser} from 'nkeys.js';
import {startServer, stopAll, type NatsServer} from '../helpers/server.js';
import {openClients, type Clients} from '../helpers/load.js';
import {jwtModeAccounts, type JwtAccounts} from '../helpers/accounts.js';
import {FaultProxy} from '../helpers/fault-proxy.js';
import {waitFor} from '../helpers/wait.js';
import {CLI, assertFits, assertNoStack, assertOneLineFailure, runCli} from '../helpers/cli-run.js';
import {TmuxSession} from '../e2e/tmux.js';

const WIDTH = 220;
const HEIGHT = 24;
const PASSWORD = 'mon-pass-0fa7c1';
const APP_PASSWORD = 'app-pass-93b2d4';

let server: NatsServer;
let configBase: string;
let proxy: FaultProxy;
let clients: Clients;
let jwtServer: NatsServer;
let jwt: JwtAccounts;
let dir: string;
const sessions: TmuxSession[] = [];

type Accounts = {monIn: 'SYS' | 'APP'; password: string; deny: boolean};
const NORMAL: Accounts = {monIn: 'SYS', password: PASSWORD, deny: false};

function accountsText(a: Accounts): string {
	const mon = `{user: mon, password: "${a.password}"${a.deny ? ', permissions: {publish: {deny: ["$SYS.REQ.>"]}}' : ''}}`;
	return [
		'# natscope-faults: accounts',
		'accounts {',
		`  SYS { users: [ ${a.monIn === 'SYS' ? mon : ''} ] }`,
		`  APP { users: [ {user: app, password: "${APP_PASSWORD}"}${a.monIn === 'APP' ? `, ${mon}` : ''} ] }`,
		'}',
		'system_account: SYS',
	].join('\n');
}

async function configLoadTime(): Promise<string> {
	const varz = (await (await fetch(`${server.monitorUrl}/varz`)).json()) as {config_load_time: string};
	return varz.config_load_time;
}

/** Rewrite the server's accounts and reload it (SIGHUP), as an operator would. */
async function reconfigure(a: Accounts): Promise<void> {
	await writeFile(join(server.dir, 'server.conf'), `${configBase}${accountsText(a)}\n`);
	const before = await configLoadTime();
	process.kill(server.pid!, 'SIGHUP');
	try {
		await waitFor(async () => (await configLoadTime()) !== before, {timeoutMs: 5000, what: 'the server reloaded its config'});
	} catch (error) {
		const log = (await server.log()).trimEnd().split('\n').slice(-3).join('\n');
		throw new Error(`${(error as Error).message}\n--- server log (tail) ---\n${log}`);
	}
}

before(async () => {
	dir = await mkdtemp(join(tmpdir(), 'natscope-nats-faults-'));
	jwt = await jwtModeAccounts(dir);
	[server, jwtServer] = await Promise.all([startServer({config: accountsText(NORMAL)}), startServer({config: jwt.configText})]);
	const text = await readFile(join(server.dir, 'server.conf'), 'utf8');
	configBase = text.slice(0, text.indexOf('# natscope-faults: accounts'));
	clients = await openClients(server.natsUrl, 3, {namePrefix: 'nats-load', user: 'app', pass: APP_PASSWORD});
	proxy = await FaultProxy.start({kind: 'forward', port: server.port});
});

after(async () => {
	for (const session of sessions) session.kill();
	await clients?.close();
	await proxy?.close();
	await stopAll();
	if (dir) await rm(dir, {recursive: true, force: true});
});

type Fault = {name: string; start(): Promise<void>; end(): Promise<void>; message: RegExp; hint: RegExp};

const where = () => `127\\.0\\.0\\.1:${proxy.port}`;

const FAULTS: Fault[] = [
	{
		name: 'no responders: the user is moved out of the system account',
		start: () => reconfigure({...NORMAL, monIn: 'APP'}),
		end: () => reconfigure(NORMAL),
		message: /no server answered on \$SYS \(\$SYS\.REQ\.SERVER\.PING\.\w+\)/,
		hint: /is this user in the system account\?/,
	},
	{
		name: 'permissions violation: publishing to $SYS.REQ.> is denied',
		start: () => reconfigure({...NORMAL, deny: true}),
		end: () => reconfigure(NORMAL),
		message: /this user may not publish to \$SYS\.REQ\.SERVER\.PING\.\w+/,
		hint: /It needs publish permission on \$SYS\.REQ\.>/,
	},
	{
		name: 'authorization violation: the password was changed on the server',
		start: () => reconfigure({...NORMAL, password: 'changed-by-the-operator'}),
		end: () => reconfigure(NORMAL),
		get message() {
			return new RegExp(`the server refused these credentials \\(${where()}: Authorization Violation\\)`);
		},
		hint: /check the user name and password/,
	},
	{
		name: 'the server drops the connection mid-request',
		start: () => proxy.set({kind: 'drop', port: server.port, when: /PUB \$SYS\.REQ\./}),
		end: () => proxy.set({kind: 'forward', port: server.port}),
		get message() {
			return new RegExp(`lost the connection to ${where()}; reconnecting`);
		},
		hint: /the server may be restarting: natscope keeps trying/,
	},
	{
		name: 'connection refused (the server is gone)',
		start: () => proxy.set({kind: 'refuse'}),
		end: () => proxy.set({kind: 'forward', port: server.port}),
		// The TUI's client keeps reconnecting ("lost the connection"); a one-shot dials afresh.
		get message() {
			return new RegExp(`lost the connection to ${where()}; reconnecting|connection refused by ${where()}`);
		},
		hint: /the server may be restarting: natscope keeps trying|is nats-server running, and is this the client port/,
	},
];

/** Data on screen and fresh: a load client's row, no stale marker. */
function fresh(screen: string, client: string): boolean {
	return screen.includes(client) && /updated \d+s ago/.test(screen) && !screen.includes('STALE') && !screen.includes('◌ stale');
}

function tui(args: string[], env = ''): TmuxSession {
	const session = TmuxSession.start(`${env}node ${CLI} ${args.join(' ')}`, {width: WIDTH, height: HEIGHT});
	sessions.push(session);
	return session;
}

async function faultOnScreen(session: TmuxSession, fault: {name: string; message: RegExp; hint: RegExp}, client: string): Promise<void> {
	const screen = await session.waitForScreen(s => fault.message.test(s) && s.includes('STALE'), `"${fault.message.source}" on screen`, 20_000);
	assert.equal(session.exitStatus(), undefined, 'the TUI is still running');
	assert.match(screen, /◌ stale/, 'the header is marked stale');
	assert.ok(screen.includes(client), 'the last good rows are still shown');
	assert.match(screen, fault.hint, 'the hint is on screen');
	assertNoStack(screen, fault.name);
	assertFits(screen, WIDTH, fault.name);
}

async function oneShotsFail(args: string[], fault: {name: string; message: RegExp; hint: RegExp}, env: Record<string, string> = {}): Promise<void> {
	const runs = await Promise.all([['--once'], ['--json'], ['--delimiter', ',']].map(mode => runCli([...args, ...mode], {env, timeoutMs: 30_000})));
	for (const [index, result] of runs.entries()) {
		const line = assertOneLineFailure(result, `${fault.name} (one-shot mode ${index})`);
		assert.match(line, fault.message);
		assert.match(line, fault.hint);
	}
}

test('TUI over $SYS: every NATS fault, one after another, in one running app', async (t: TestContext) => {
	// The password comes from the environment, as the usage text advises.
	const args = [`nats://127.0.0.1:${proxy.port}`, '--user', 'mon', '-d', '0.2', '--timeout', '1'];
	const env = {NATS_PASSWORD: PASSWORD};
	const session = tui(args, `NATS_PASSWORD=${PASSWORD} `);
	await session.waitForScreen(s => fresh(s, 'nats-load-1'), 'the first good data', 20_000);
	for (const fault of FAULTS) {
		await t.test(fault.name, async () => {
			await fault.start();
			try {
				await faultOnScreen(session, fault, 'nats-load-1');
				await oneShotsFail(args, fault, env);
			} finally {
				await fault.end();
			}
			await session.waitForScreen(s => fresh(s, 'nats-load-1'), 'recovered by itself after the fault ended', 30_000);
		});
	}
	assert.ok(!session.screen().includes(PASSWORD), 'the password never shows');
	session.keys('q');
	await session.waitForScreen(() => session.exitStatus() !== undefined, 'q quits');
	assert.equal(session.exitStatus(), 0);
});

test('expired creds: the JWT runs out while watching, a fresh creds file at the same path is picked up', async () => {
	const expiresAt = Math.floor(Date.now() / 1000) + 6;
	const user = await jwt.mintUser({name: 'short-lived', account: 'SYS', expiresAt});
	const args = [jwtServer.natsUrl, '--creds', user.creds, '-d', '0.2', '--timeout', '1'];
	const session = tui(args);
	await session.waitForScreen(s => /updated \d+s ago/.test(s) && s.includes(jwtServer.name), 'the first good data', 20_000);
	const fault = {name: 'expired JWT', message: /the user JWT has expired/, hint: /get a fresh creds file/};
	const screen = await session.waitForScreen(s => fault.message.test(s), 'the expiry on screen', 20_000);
	assert.match(screen, /STALE|✖/);
	assert.match(screen, fault.hint);
	assert.ok(screen.includes(jwtServer.name), 'the last good header is still shown');
	assertNoStack(screen, fault.name);
	assert.equal(session.exitStatus(), undefined);
	// Before the run, the identity check already warns that the JWT has expired. The server
	// refuses an expired JWT at login only once its second is over (exp < now, in whole seconds);
	// within that second it lets the login in and cuts it at once, which reads as a lost link.
	await waitFor(() => Date.now() / 1000 >= expiresAt + 1.2, {timeoutMs: 10_000, what: 'the expiry second to pass'});
	const once = await runCli([...args, '--once']);
	const line = assertOneLineFailure(once, 'expired one-shot', {warnings: true});
	assert.match(line, fault.message);
	assert.match(line, fault.hint);

	// The operator hands out a fresh creds file; the user drops it in place.
	const fresh = await jwt.mintUser({name: 'renewed', account: 'SYS', expiresAt: Math.floor(Date.now() / 1000) + 3600});
	await writeFile(user.creds, await readFile(fresh.creds), {mode: 0o600});
	await session.waitForScreen(s => /updated \d+s ago/.test(s) && !s.includes('STALE') && !fault.message.test(s), 'recovered with the fresh creds', 30_000);
	session.keys('q');
	await session.waitForScreen(() => session.exitStatus() !== undefined, 'q quits');
	assert.equal(session.exitStatus(), 0);
});

test('a bad nkey seed, and a good seed the server does not know: one line each, no secret', async () => {
	const badFile = join(dir, 'bad.nk');
	// A user seed with one character changed: the checksum fails.
	const badSeed = 'SUAIBDPBAUTWCWCKIO6XHQNINK5FWJW4OHLXC3HQ2KFE4PEJUA44CNHTC5';
	await writeFile(badFile, `${badSeed}\n`, {mode: 0o600});
	const message = /--nkey .*bad\.nk is not a valid nkey seed \(bad encoding or checksum\): check that it was copied whole/;
	const result = await runCli([`nats://127.0.0.1:${server.port}`, '--nkey', badFile, '--once']);
	assert.equal(result.code, 2, result.stderr);
	assert.equal(result.stdout, '');
	assert.match(result.stderr, message);
	assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
	assert.ok(!result.stderr.includes(badSeed), 'the seed is not echoed');
	assertNoStack(result.stderr, 'bad seed');
	const session = tui([`nats://127.0.0.1:${server.port}`, '--nkey', badFile]);
	// Test the screen waitForScreen returns: exitStatus() captures the pane again, and the screen
	// returned could be the capture before the message and the exit line (a blank pane, under load).
	const screen = await session.waitForScreen(s => /natscope exited with \d+/.test(s), 'the TUI refuses the seed');
	assert.equal(session.exitStatus(), 2);
	assert.match(screen, message);
	assert.ok(!screen.includes(badSeed));

	const stranger = join(dir, 'stranger.nk');
	const seed = new TextDecoder().decode(createUser().getSeed());
	await writeFile(stranger, `${seed}\n`, {mode: 0o600});
	const refused = await runCli([`nats://127.0.0.1:${server.port}`, '--nkey', stranger, '--once', '--timeout', '2']);
	const line = assertOneLineFailure(refused, 'unknown nkey');
	assert.match(line, /the server refused these credentials .*Authorization Violation/);
	assert.match(line, /check that the server lists this nkey/);
	assert.ok(!line.includes(seed));
});
