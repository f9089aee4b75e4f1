// The built CLI over NATS against real servers with a system account: config mode (users and
// nkeys in the file) and decentralized JWT mode (creds minted here). One-shot modes, contexts,
// bad seeds, a non-system user, an expired JWT, --explain-config, and the TUI in tmux.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {chmod, mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {startServer, stopAll, type NatsServer} from '../helpers/server.js';
import {configModeAccounts, jwtModeAccounts, type ConfigModeAccounts, type JwtAccounts} from '../helpers/accounts.js';
import {openClients} from '../helpers/load.js';
import {createAccount} from 'nkeys.js';
import {TmuxSession} from './tmux.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

let dir: string;
let xdg: string;
let accounts: ConfigModeAccounts;
let jwt: JwtAccounts;
let server: NatsServer;
let jwtServer: NatsServer;
let clients: Awaited<ReturnType<typeof openClients>>;
const sessions: TmuxSession[] = [];

/** The environment without the caller's NATS settings or contexts: only what a test gives. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (!key.startsWith('NATS_') && key !== 'NATSCOPE_URL' && key !== 'XDG_CONFIG_HOME') env[key] = value;
	}
	return {...env, NO_COLOR: '1', XDG_CONFIG_HOME: join(dir, 'empty-xdg'), ...extra};
}

function run(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 20_000): Promise<{code: number; stdout: string; stderr: string}> {
	return new Promise(resolve => {
		execFile(process.execPath, [cli, ...args], {timeout: timeoutMs, env: cleanEnv(env)}, (error, stdout, stderr) => {
			const code = error ? (typeof error.code === 'number' ? error.code : 99) : 0;
			resolve({code, stdout, stderr});
		});
	});
}

function short(key: string): string {
	return `${key.slice(0, 6)}…${key.slice(-4)}`;
}

before(async () => {
	dir = await mkdtemp(join(tmpdir(), 'natscope-nats-cli-'));
	xdg = join(dir, 'xdg');
	await mkdir(join(xdg, 'nats', 'context'), {recursive: true});
	accounts = configModeAccounts();
	jwt = await jwtModeAccounts(dir);
	[server, jwtServer] = await Promise.all([startServer({name: 'e2e-sys-config', config: accounts.configText}), startServer({name: 'e2e-sys-jwt', config: jwt.configText})]);
	clients = await openClients(server.natsUrl, 4, {namePrefix: 'e2e-app', user: accounts.users.app.user, pass: accounts.users.app.password});
});

after(async () => {
	for (const session of sessions) session.kill();
	await clients?.close();
	await stopAll();
	if (dir) await rm(dir, {recursive: true, force: true});
});

test('--user/--password over NATS: --once prints the server and the connections, exit 0', async () => {
	const {code, stdout, stderr} = await run([server.natsUrl, '--user', 'sys', '--password', accounts.users.sys.password, '--once', '-d', '0.3']);
	assert.equal(code, 0, stderr);
	assert.equal(stderr, '');
	assert.match(stdout, /\(\$SYS\)/, 'the header says it is over $SYS');
	assert.match(stdout, /e2e-sys-config .*v2\.9\.10/);
	assert.match(stdout, /CID.*NAME.*ACCOUNT/);
	assert.equal((stdout.match(/e2e-app-\d/g) ?? []).length, 4, 'the APP clients are listed');
	assert.ok(!stdout.includes(accounts.users.sys.password));
});

test('--json over NATS: one document with the server and the connections', async () => {
	const {code, stdout, stderr} = await run([server.natsUrl, '--json', '-d', '0.3'], {NATS_USER: 'sys', NATS_PASSWORD: accounts.users.sys.password});
	assert.equal(code, 0, stderr);
	const document = JSON.parse(stdout) as {server: {server_name: string}; connections: {rows: Array<{name: string; account: string}>}};
	assert.equal(document.server.server_name, 'e2e-sys-config');
	assert.ok(document.connections.rows.filter(r => r.name.startsWith('e2e-app')).length === 4);
});

test('--nkey with a user seed file logs in (config mode)', async () => {
	const seed = join(dir, 'sys.nk');
	await writeFile(seed, `${accounts.users.sysNkey.seed}\n`, {mode: 0o600});
	const {code, stdout, stderr} = await run([server.natsUrl, '--nkey', seed, '--once', '-d', '0.3']);
	assert.equal(code, 0, stderr);
	assert.match(stdout, /e2e-sys-config/);
});

test('--creds in JWT mode: --once works and the identity is checked first', async () => {
	const {code, stdout, stderr} = await run([jwtServer.natsUrl, '--creds', jwt.users.sys.creds, '--once', '-d', '0.3']);
	assert.equal(code, 0, stderr);
	assert.equal(stderr, '', 'no warning for a fresh creds file at mode 600');
	assert.match(stdout, /e2e-sys-jwt/);
});

test('--context NAME from XDG_CONFIG_HOME, password through env://', async () => {
	await writeFile(join(xdg, 'nats', 'context', 'e2e.json'), JSON.stringify({url: server.natsUrl, user: 'sys', password: 'env://E2E_SYS_PASSWORD'}), {mode: 0o600});
	const env = {XDG_CONFIG_HOME: xdg, E2E_SYS_PASSWORD: accounts.users.sys.password};
	const {code, stdout, stderr} = await run(['--context', 'e2e', '--once', '-d', '0.3'], env);
	assert.equal(code, 0, stderr);
	assert.match(stdout, /e2e-sys-config/);

	// Selected in context.txt: no flag at all.
	await writeFile(join(xdg, 'nats', 'context.txt'), 'e2e\n');
	const selected = await run(['--json', '-d', '0.3'], env);
	assert.equal(selected.code, 0, selected.stderr);
	assert.equal((JSON.parse(selected.stdout) as {server: {server_name: string}}).server.server_name, 'e2e-sys-config');
	await rm(join(xdg, 'nats', 'context.txt'));

	const explained = await run(['--context', 'e2e', '--explain-config'], env);
	assert.equal(explained.code, 0, explained.stderr);
	assert.match(explained.stdout, /context +e2e +--context \(.*e2e\.json\)/);
	assert.match(explained.stdout, /password +\*{6} +context e2e/);
	assert.ok(!explained.stdout.includes(accounts.users.sys.password), 'the password is not printed');
});

test('a bad seed file: one line naming the file and what is wrong, exit 2', async () => {
	const accountSeed = join(dir, 'account.nk');
	const seedText = new TextDecoder().decode(createAccount().getSeed());
	await writeFile(accountSeed, `${seedText}\n`, {mode: 0o600});
	let result = await run([server.natsUrl, '--nkey', accountSeed, '--once']);
	assert.equal(result.code, 2);
	assert.equal(result.stdout, '');
	assert.equal(result.stderr, `natscope: --nkey ${accountSeed} holds an account seed (SA…), not a user seed: natscope logs in as a user (SU…)\n`);
	assert.ok(!result.stderr.includes(seedText.slice(2, 20)), 'the seed is not echoed');

	const publicKey = join(dir, 'public.nk');
	await writeFile(publicKey, `${accounts.users.sysNkey.publicKey}\n`, {mode: 0o600});
	result = await run([server.natsUrl, '--nkey', publicKey, '--once']);
	assert.equal(result.code, 2);
	assert.equal(result.stderr, `natscope: --nkey ${publicKey} holds a user public key (U…), not a seed: a user seed starts with SU\n`);

	result = await run([server.natsUrl, '--creds', join(dir, 'missing.creds')]);
	assert.equal(result.code, 2);
	assert.equal(result.stderr, `natscope: --creds ${join(dir, 'missing.creds')}: no such file\n`);
});

test('a user outside the system account gets the no-responders message, exit 1', async () => {
	const {code, stdout, stderr} = await run([server.natsUrl, '--user', 'app', '--password', accounts.users.app.password, '--once']);
	assert.equal(code, 1);
	assert.equal(stdout, '');
	assert.equal(stderr, 'natscope: no server answered on $SYS ($SYS.REQ.SERVER.PING.VARZ) (is this user in the system account?)\n');
});

test('an expired user JWT: a loud warning first, then the server refuses it, exit 1', async () => {
	const expired = await jwt.mintUser({name: 'expired-sys', account: 'SYS', expiresAt: Math.floor(Date.now() / 1000) - 3600});
	const {code, stderr} = await run([jwtServer.natsUrl, '--creds', expired.creds, '--once']);
	assert.equal(code, 1);
	const lines = stderr.trimEnd().split('\n');
	assert.match(lines[0]!, /^natscope: warning: user JWT expired \d{4}-\d\d-\d\d \d\d:\d\d UTC: the server will refuse it$/);
	assert.match(lines[1]!, /^natscope: the user JWT has expired/);
});

test('a world-readable creds file works, with a warning on stderr', async () => {
	const open = await jwt.mintUser({name: 'open-sys', account: 'SYS'});
	await chmod(open.creds, 0o644);
	const {code, stdout, stderr} = await run([jwtServer.natsUrl, '--creds', open.creds, '--once', '-d', '0.3']);
	assert.equal(code, 0, stderr);
	assert.match(stdout, /e2e-sys-jwt/);
	assert.equal(stderr, `natscope: warning: creds file ${open.creds} is readable by every user (chmod 600 it)\n`);
});

test('usage errors for NATS flags over HTTP exit 2 with the help hint', async () => {
	const {code, stderr} = await run([server.monitorUrl, '--creds', 'x.creds']);
	assert.equal(code, 2);
	assert.equal(stderr, 'natscope: --creds needs the NATS transport, but the address is a monitoring (http) address; give a nats:// address, e.g. nats://host:4222\nRun natscope --help for usage.\n');
});

test('TUI in tmux over NATS: server name and who we are on screen, q quits', async () => {
	const command = `XDG_CONFIG_HOME=${join(dir, 'empty-xdg')} node ${cli} ${jwtServer.natsUrl} --creds ${jwt.users.sys.creds}`;
	const session = TmuxSession.start(command, {width: 120, height: 30});
	sessions.push(session);
	const who = `user ${short(jwt.users.sys.publicKey)} · account ${short(jwt.accounts.SYS.publicKey)}`;
	const screen = await session.waitForScreen(s => s.includes('e2e-sys-jwt') && s.includes(who), 'server name and identity');
	assert.match(screen, /v2\.9\.10/);
	assert.ok(!screen.includes(jwt.users.sys.seed) && !screen.includes(jwt.users.sys.jwt.slice(0, 20)), 'no secret on screen');
	session.keys('q');
	await session.waitForScreen(() => session.exitStatus() !== undefined, 'exit after q');
	assert.equal(session.exitStatus(), 0);
});
