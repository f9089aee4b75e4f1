// --explain-config prints every setting with its origin and never a secret: passwords, tokens,
// seeds and JWTs given every way (flag, URL, env, context, files) stay out of the text.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createAccount, createUser} from 'nkeys.js';
import {loadConfigModules, parseCli} from '../../source/config/flags.js';
import {explainText, MASK} from '../../source/config/explain.js';
import {loadNkeys} from '../../source/config/identity.js';
import {credsText, encodeJwt} from '../helpers/accounts.js';

// parseCli needs the configuration modules a NATS target or a context uses (parseCommandLine loads them itself).
await loadConfigModules();

// The seed checks use nkeys.js, which natscope loads only when a login has a seed.
await loadNkeys();

const NOW = Date.parse('2026-06-01T12:00:00Z');
let root: string;
let xdg: string;
let creds: {path: string; jwt: string; seed: string; user: string; account: string};
let seed: {path: string; seed: string; user: string};

function write(path: string, text: string, mode = 0o600): string {
	writeFileSync(path, text, {mode});
	chmodSync(path, mode);
	return path;
}

function explain(argv: string[], env: NodeJS.ProcessEnv): string {
	const result = parseCli([...argv, '--explain-config'], {XDG_CONFIG_HOME: xdg, ...env}, {now: NOW});
	if (result.kind !== 'explain') assert.fail(`expected an explanation, got ${JSON.stringify(result)}`);
	return result.text;
}

function assertNoSecret(text: string, secrets: string[]): void {
	for (const secret of secrets) assert.ok(!text.includes(secret), `"${secret.slice(0, 12)}…" leaked into:\n${text}`);
	assert.ok(!/\bS[UAO][A-Z2-7]{40,}/.test(text), 'no seed');
	assert.ok(!/eyJ[\w-]{10,}/.test(text), 'no JWT');
}

before(() => {
	root = mkdtempSync(join(tmpdir(), 'natscope-explain-'));
	xdg = join(root, 'xdg');
	mkdirSync(join(xdg, 'nats', 'context'), {recursive: true});
	const account = createAccount();
	const user = createUser();
	const jwt = encodeJwt({name: 'sys', sub: user.getPublicKey(), exp: Math.floor((NOW + 3 * 86_400_000) / 1000)}, {type: 'user', pub: {}, sub: {}, subs: -1, data: -1, payload: -1}, account);
	const userSeed = new TextDecoder().decode(user.getSeed());
	creds = {path: write(join(root, 'sys.creds'), credsText(jwt, userSeed), 0o644), jwt, seed: userSeed, user: user.getPublicKey(), account: account.getPublicKey()};
	const nkeyUser = createUser();
	const nkeySeed = new TextDecoder().decode(nkeyUser.getSeed());
	seed = {path: write(join(root, 'user.nk'), nkeySeed), seed: nkeySeed, user: nkeyUser.getPublicKey()};
	write(
		join(xdg, 'nats', 'context', 'prod.json'),
		JSON.stringify({url: 'nats://ctxuser:ctx-url-pass@ctx:4222', user: 'ctx-user', password: 'ctx-password-1', token: 'ctx-token-1', nkey: seed.path, creds: creds.path}),
	);
});

after(() => {
	rmSync(root, {recursive: true, force: true});
});

test('creds login: identity, expiry warning and world-readable warning shown; no secret anywhere', () => {
	const text = explain(['--creds', creds.path, '--context', 'prod'], {NATS_URL: 'nats://urltoken-1@n1:4222', NATS_PASSWORD: 'env-password-1', NATS_TOKEN: 'env-token-1', NATS_NKEY: seed.path});
	assertNoSecret(text, ['urltoken-1', 'ctx-url-pass', 'ctx-password-1', 'ctx-token-1', 'env-password-1', 'env-token-1', creds.jwt, creds.seed, seed.seed]);
	assert.match(text, /login +creds file/);
	assert.match(text, new RegExp(`creds +${creds.path} +--creds`));
	assert.match(text, new RegExp(`user key +${creds.user} +from the creds JWT`));
	assert.match(text, new RegExp(`account +${creds.account} +from the creds JWT`));
	assert.match(text, /JWT expires +2026-06-04T12:00:00Z/);
	assert.match(text, /⚠ user JWT expires in 3 days/);
	assert.match(text, /⚠ creds file .*sys\.creds is readable by every user/);
	// What else was given, and why it is not used; secrets masked there too.
	assert.match(text, /token +\*{6} +env NATS_URL \(in the URL\): the login is the creds file from --creds/);
	assert.match(text, /servers +nats:\/\/n1:4222 +env NATS_URL/);
	assert.ok(text.includes(`never printed (shown as ${MASK})`));
	assert.match(text, /password +\*{6} +env NATS_PASSWORD: the login is the creds file/);
	assert.match(text, /password +\*{6} +context prod: the login is the creds file/);
	assert.match(text, /Passwords, tokens, seeds and JWTs are never printed/);
});

test('every login form masks its secret in the settings', () => {
	const cases: Array<[string[], NodeJS.ProcessEnv, RegExp, string[]]> = [
		[['nats://h', '--user', 'sys', '--password', 'flag-password-1'], {}, /password +\*{6} +--password/, ['flag-password-1']],
		[['nats://sys:url-password-1@h'], {}, /password +\*{6} +the address \(in the URL\)/, ['url-password-1']],
		[['nats://h', '--token', 'flag-token-1'], {}, /token +\*{6} +--token/, ['flag-token-1']],
		[['nats://h', '--user', 'user-as-token-1'], {}, /user +\*{6} +--user/, ['user-as-token-1']],
		[['nats://h'], {NATS_USER: 'sys', NATS_PASSWORD: 'env://SECRET_VAR'}, /password +\*{6} +env NATS_PASSWORD/, ['resolved-from-var-1']],
		[['nats://h', '--nkey', seed.path], {}, new RegExp(`nkey +${seed.path} +--nkey`), [seed.seed]],
		[['nats://h'], {NATS_NKEY: 'env://SEED_VAR'}, /nkey +\*{6} \(env:\/\/SEED_VAR\) +env NATS_NKEY/, [seed.seed]],
	];
	for (const [argv, env, expected, secrets] of cases) {
		const text = explain(argv, {SECRET_VAR: 'resolved-from-var-1', SEED_VAR: seed.seed, ...env});
		assert.match(text, expected, argv.join(' '));
		assertNoSecret(text, secrets);
	}
	const nkeyText = explain(['nats://h', '--nkey', seed.path], {});
	assert.match(nkeyText, new RegExp(`user key +${seed.user} +from the seed`));
});

test('HTTP settings have origins too, and monitoring URL credentials are not printed', () => {
	const text = explain(['http://admin:mon-pass-1@h:8222', '-n', '20', '--sort', 'pending', '--user', 'bob'], {});
	assertNoSecret(text, ['mon-pass-1']);
	assert.match(text, /transport +http \(the monitoring port\) +the address/);
	assert.match(text, /url +http:\/\/h:8222 +the address/);
	assert.match(text, /rows +20 +-n/);
	assert.match(text, /user filter +bob +--user/);
	assert.match(text, /timeout +5 s +default/);
	assert.match(text, /view +connections +default/);
	assert.match(text, /lag refreshes +3 +default/);
});

test('explainText keeps control characters from files harmless', () => {
	const text = explainText({settings: [{name: 'user', value: 'evil\u001b[2J', origin: 'context x'}], ignored: [], identity: [], warnings: ['w\u0007']});
	assert.ok(!text.includes('\u001b') && !text.includes('\u0007'), text);
});
