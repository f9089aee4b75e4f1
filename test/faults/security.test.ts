// Secrets never leave natscope: with known passwords, tokens, nkey seeds and user JWTs given every
// way the CLI takes them (URL, flags, environment, files), every output of a run is searched for
// them — the screens of every view, the detail, the help and the pane title in a real terminal,
// --explain-config, --once and --json, a failing run's error line, and a --record file (which must
// also be private, 0600). A world-readable seed or creds file gets a warning; --insecure shows its
// badge on screen.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {chmod, mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {startServer, stopAll, type NatsServer} from '../helpers/server.js';
import {configModeAccounts, credsText, jwtModeAccounts, tokenConfig, type ConfigModeAccounts, type JwtAccounts} from '../helpers/accounts.js';
import {freePort} from '../helpers/ports.js';
import {CLI, assertNoStack, runCli} from '../helpers/cli-run.js';
import {TmuxSession} from '../e2e/tmux.js';

let dir: string;
let accounts: ConfigModeAccounts;
let jwt: JwtAccounts;
let token: string;
let passwordServer: NatsServer;
let tokenServer: NatsServer;
let jwtServer: NatsServer;
let httpsServer: NatsServer;
let closedPort: number;
const sessions: TmuxSession[] = [];

type Login = {
	name: string;
	/** Arguments that log in (before the mode flags). */
	args: () => string[];
	env?: () => Record<string, string>;
	/** The texts that must never be printed. */
	secrets: () => string[];
	/** The same login aimed at a port where nothing listens (for the error line). */
	failing: () => string[];
	failingEnv?: () => Record<string, string>;
	/** What the app shows when this login cannot monitor (a token user is never in the system account). */
	refused?: RegExp;
};

/** Each secret whole, and long pieces of it (a seed or JWT cut by a column is still a leak). */
function needles(secrets: string[]): string[] {
	return secrets.flatMap(secret => {
		const pieces = [secret];
		if (secret.length >= 24) for (let i = 0; i + 16 <= secret.length; i += 16) pieces.push(secret.slice(i, i + 16));
		return pieces;
	});
}

function assertNoSecret(text: string, secrets: string[], what: string): void {
	for (const needle of needles(secrets)) {
		const at = text.indexOf(needle);
		assert.equal(at, -1, `${what}: a secret (${needle.slice(0, 4)}…) is printed: …${text.slice(Math.max(0, at - 60), at + needle.length + 20)}…`);
	}
}

before(async () => {
	dir = await mkdtemp(join(tmpdir(), 'natscope-security-'));
	accounts = configModeAccounts();
	const tokenCfg = tokenConfig();
	token = tokenCfg.token;
	jwt = await jwtModeAccounts(dir);
	[passwordServer, tokenServer, jwtServer, httpsServer] = await Promise.all([
		startServer({name: 'sec-password', config: accounts.configText}),
		startServer({name: 'sec-token', config: tokenCfg.configText}),
		startServer({name: 'sec-jwt', config: jwt.configText}),
		startServer({name: 'sec-https', https: true}),
	]);
	closedPort = await freePort();
	// A seed file and a creds file others may read: they work, with a warning.
	await writeFile(join(dir, 'sys.nk'), `${accounts.users.sysNkey.seed}\n`);
	await chmod(join(dir, 'sys.nk'), 0o644);
	await writeFile(join(dir, 'open.creds'), credsText(jwt.users.sys.jwt, jwt.users.sys.seed));
	await chmod(join(dir, 'open.creds'), 0o644);
});

after(async () => {
	for (const session of sessions) session.kill();
	await stopAll();
	await rm(dir, {recursive: true, force: true});
});

const LOGINS: Login[] = [
	{
		name: 'password in the URL',
		args: () => [`nats://${accounts.users.sys.user}:${accounts.users.sys.password}@127.0.0.1:${passwordServer.port}`],
		secrets: () => [accounts.users.sys.password],
		failing: () => [`nats://${accounts.users.sys.user}:${accounts.users.sys.password}@127.0.0.1:${closedPort}`],
	},
	{
		name: 'password from NATS_PASSWORD, a wrong one refused',
		args: () => [`nats://127.0.0.1:${passwordServer.port}`, '--user', accounts.users.sys.user],
		env: () => ({NATS_PASSWORD: accounts.users.sys.password}),
		secrets: () => [accounts.users.sys.password, `wrong-${accounts.users.sys.password}`],
		// A server that refuses the password: its error must not echo it either.
		failing: () => [`nats://127.0.0.1:${passwordServer.port}`, '--user', accounts.users.sys.user],
		failingEnv: () => ({NATS_PASSWORD: `wrong-${accounts.users.sys.password}`}),
	},
	{
		name: 'user:password in an HTTP monitoring URL',
		args: () => [passwordServer.monitorUrl.replace('http://', `http://admin:${accounts.users.app.password}@`)],
		secrets: () => [accounts.users.app.password],
		failing: () => [`http://admin:${accounts.users.app.password}@127.0.0.1:${closedPort}`],
	},
	{
		name: 'token flag',
		args: () => [`nats://127.0.0.1:${tokenServer.port}`, '--token', token],
		secrets: () => [token],
		refused: /no server answered on \$SYS/,
		failing: () => [`nats://127.0.0.1:${closedPort}`, '--token', token],
	},
	{
		name: 'nkey seed file (world-readable)',
		args: () => [`nats://127.0.0.1:${passwordServer.port}`, '--nkey', join(dir, 'sys.nk')],
		secrets: () => [accounts.users.sysNkey.seed],
		failing: () => [`nats://127.0.0.1:${closedPort}`, '--nkey', join(dir, 'sys.nk')],
	},
	{
		name: 'creds file (user JWT and seed, world-readable)',
		args: () => [`nats://127.0.0.1:${jwtServer.port}`, '--creds', join(dir, 'open.creds')],
		secrets: () => [jwt.users.sys.seed, jwt.users.sys.jwt, ...jwt.users.sys.jwt.split('.').slice(1)],
		failing: () => [`nats://127.0.0.1:${closedPort}`, '--creds', join(dir, 'open.creds')],
	},
];

function paneTitle(session: TmuxSession): string {
	return execFileSync('tmux', ['display-message', '-p', '-t', session.name, '#{pane_title}'], {encoding: 'utf8'});
}

/** The TUI: every view, the detail of the first connection, the help; and the pane title. */
async function tuiScreens(login: Login, env: Record<string, string>): Promise<Array<[string, string]>> {
	const shown: Array<[string, string]> = [];
	const envText = Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ');
	const session = TmuxSession.start(`${envText} node ${CLI} ${login.args().map(a => `'${a}'`).join(' ')} -d 0.3`, {width: 160, height: 40});
	sessions.push(session);
	if (login.refused) {
		shown.push(['the refusal on screen', await session.waitForScreen(s => login.refused!.test(s), 'the refusal on screen', 20_000)]);
	} else {
		const ROW = /\d+ \S+\s+127\.0\.0\.1:\d+/;
		// Over $SYS natscope's own connection is a row; over HTTP the list may be empty.
		const list = await session.waitForScreen(s => s.includes('CID') && (ROW.test(s) || !login.args()[0]!.startsWith('nats')), 'the connections view', 20_000);
		shown.push(['connections view', list]);
		if (ROW.test(list)) {
			session.keys('Enter');
			shown.push(['connection detail', await session.waitForScreen(s => s.includes('Connection') && s.includes('Security'), 'the detail')]);
			session.keys('Escape');
			await session.waitForScreen(s => s.includes('CID'), 'back to the list');
		}
		for (const key of ['2', '3', '4', '5', '6', '7', '8', '9']) {
			session.keys(key);
			await new Promise(resolve => setTimeout(resolve, 250));
			shown.push([`view ${key}`, session.screen()]);
		}
	}
	session.keys('?');
	shown.push(['help', await session.waitForScreen(s => /help/i.test(s) && s.includes('quit'), 'the help')]);
	shown.push(['pane title', paneTitle(session)]);
	session.keys('q');
	await session.waitForScreen(() => session.exitStatus() !== undefined, 'q quits');
	return shown;
}

for (const login of LOGINS) {
	test(`no secret in any output: ${login.name}`, async () => {
		const secrets = login.secrets();
		const env = login.env?.() ?? {};
		const shown: Array<[string, string]> = [];

		const record = join(dir, `${login.name.replace(/\W+/g, '-')}.ndjson`);
		// The one-shot runs and the TUI at the same time: they do not share anything.
		const [explain, once, json, failing, screens] = await Promise.all([
			runCli([...login.args(), '--explain-config'], {env}),
			runCli([...login.args(), '--once', '-d', '0.2', '--timeout', '2', '--record', record], {env}),
			runCli([...login.args(), '--json', '-d', '0.2', '--timeout', '2'], {env}),
			runCli([...login.failing(), '--once', '--timeout', '2'], {env: login.failingEnv?.() ?? env}),
			tuiScreens(login, env),
		]);
		assert.equal(explain.code, 0, explain.stderr);
		shown.push(['--explain-config', explain.stdout + explain.stderr], ['--once', once.stdout + once.stderr], ['--json', json.stdout + json.stderr]);
		if (login.refused) {
			assert.equal(once.code, 1);
			assert.match(once.stderr, login.refused);
		} else {
			assert.equal(once.code, 0, once.stderr);
			assert.match(once.stdout, /CID/);
			assert.equal(json.code, 0, json.stderr);
			JSON.parse(json.stdout);
			const recording = await readFile(record, 'utf8');
			assert.ok(recording.length > 100, 'the recording holds the answers');
			shown.push(['--record file', recording]);
			assert.equal((await stat(record)).mode & 0o777, 0o600, 'the recording is readable by its owner only');
		}
		assert.equal(failing.code, 1, `the failing run fails: ${failing.stdout}${failing.stderr}`);
		assert.match(failing.stderr, /^natscope: /m);
		assertNoStack(failing.stderr, `${login.name}: error line`);
		shown.push(['the error line', failing.stdout + failing.stderr], ...screens);

		for (const [what, text] of shown) assertNoSecret(text, secrets, `${login.name}: ${what}`);
		if (login.name.includes('world-readable')) {
			assert.match(explain.stdout + explain.stderr, /readable by every user \(chmod 600 it\)/, 'the world-readable file is named with a warning');
			assert.match(once.stderr, /natscope: warning: .*readable by every user/, 'the one-shot run warns too');
		}
	});
}

test('TLS verifies by default; --insecure connects with a warning badge on screen', async () => {
	const refused = await runCli([httpsServer.monitorUrl, '--once', '--timeout', '2']);
	assert.equal(refused.code, 1);
	assert.match(refused.stderr, /unable to verify the first certificate/);
	const session = TmuxSession.start(`node ${CLI} ${httpsServer.monitorUrl} --insecure -d 0.3`, {width: 120, height: 30});
	sessions.push(session);
	const screen = await session.waitForScreen(s => s.includes('sec-https') && s.includes('CID'), 'connected without verification', 20_000);
	assert.match(screen, /⚠ TLS not verified \(--insecure\)/, 'the badge says the server is not verified');
	session.keys('q');
	await session.waitForScreen(() => session.exitStatus() !== undefined, 'q quits');
});
