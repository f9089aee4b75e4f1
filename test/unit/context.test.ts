// nats CLI contexts from a temp XDG_CONFIG_HOME, the NATS_* environment, and the precedence
// flag > env > context proven field by field.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createAccount, createUser} from 'nkeys.js';
import {loadConfigModules, parseCli} from '../../source/config/flags.js';
import type {Config, NatsTarget} from '../../source/config/types.js';
import {findContext, loadContext, selectedContextName} from '../../source/config/context.js';
import {loadNkeys} from '../../source/config/identity.js';
import {credsText, encodeJwt} from '../helpers/accounts.js';

// parseCli needs the configuration modules a NATS target or a context uses (parseCommandLine loads them itself).
await loadConfigModules();

// The seed checks use nkeys.js, which natscope loads only when a login has a seed.
await loadNkeys();

let root: string;
let xdg: string;
const files: Record<string, string> = {};

function write(path: string, text: string): string {
	writeFileSync(path, text, {mode: 0o600});
	chmodSync(path, 0o600);
	return path;
}

function context(name: string, settings: Record<string, unknown>): string {
	return write(join(xdg, 'nats', 'context', `${name}.json`), JSON.stringify(settings, null, 2));
}

function select(name: string): void {
	write(join(xdg, 'nats', 'context.txt'), `${name}\n`);
}

function unselect(): void {
	rmSync(join(xdg, 'nats', 'context.txt'), {force: true});
}

function seedFile(name: string): {path: string; publicKey: string} {
	const kp = createUser();
	return {path: write(join(root, name), new TextDecoder().decode(kp.getSeed())), publicKey: kp.getPublicKey()};
}

function credsFile(name: string): {path: string; publicKey: string} {
	const account = createAccount();
	const user = createUser();
	const jwt = encodeJwt({name, sub: user.getPublicKey()}, {type: 'user', pub: {}, sub: {}, subs: -1, data: -1, payload: -1}, account);
	return {path: write(join(root, `${name}.creds`), credsText(jwt, new TextDecoder().decode(user.getSeed()))), publicKey: user.getPublicKey()};
}

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	return {XDG_CONFIG_HOME: xdg, ...extra};
}

function config(argv: string[], environment: NodeJS.ProcessEnv = env()): Config {
	const result = parseCli(argv, environment);
	if (result.kind !== 'run') assert.fail(`expected a config for ${JSON.stringify(argv)}, got ${JSON.stringify(result)}`);
	return result.config;
}

function nats(argv: string[], environment: NodeJS.ProcessEnv = env()): NatsTarget {
	const c = config(argv, environment);
	assert.equal(c.transport, 'nats');
	assert.ok(c.nats);
	return c.nats;
}

function failure(argv: string[], environment: NodeJS.ProcessEnv, kind: 'usage-error' | 'config-error'): string {
	const result = parseCli(argv, environment);
	if (result.kind !== kind) assert.fail(`expected a ${kind} for ${JSON.stringify(argv)}, got ${JSON.stringify(result)}`);
	return result.message;
}

function explain(argv: string[], environment: NodeJS.ProcessEnv = env()): string {
	const result = parseCli([...argv, '--explain-config'], environment);
	if (result.kind !== 'explain') assert.fail(`expected an explanation, got ${JSON.stringify(result)}`);
	return result.text;
}

/** The explain line for a setting: its value and origin, spaces collapsed. */
function line(text: string, name: string): string {
	const found = text.split('\n').find(l => l.startsWith(`  ${name} `));
	assert.ok(found, `a "${name}" line in\n${text}`);
	return found.replace(/\s+/g, ' ').trim();
}

before(() => {
	root = mkdtempSync(join(tmpdir(), 'natscope-context-'));
	xdg = join(root, 'xdg');
	mkdirSync(join(xdg, 'nats', 'context'), {recursive: true});
	files['ca'] = write(join(root, 'ca.pem'), 'ca');
	files['ca2'] = write(join(root, 'ca2.pem'), 'ca2');
	files['ca3'] = write(join(root, 'ca3.pem'), 'ca3');
	files['secret'] = write(join(root, 'password.txt'), 'from-a-file\n');
});

after(() => {
	rmSync(root, {recursive: true, force: true});
});

test('the selected context (context.txt) gives the server and the login when no address is given', () => {
	context('prod', {description: 'prod', url: 'nats://n1:4222,nats://n2:4223', user: 'sys', password: 'ctx-pass', inbox_prefix: '_INBOX_ops', tls_first: false});
	select('prod');
	const target = nats([]);
	assert.deepEqual(target.servers, ['nats://n1:4222', 'nats://n2:4223']);
	assert.deepEqual(target.auth, {kind: 'user-password', user: 'sys', password: 'ctx-pass'});
	assert.equal(target.inboxPrefix, '_INBOX_ops');
	assert.equal(target.contextName, 'prod');
	assert.deepEqual(selectedContextName(env()), {name: 'prod', file: join(xdg, 'nats', 'context.txt')});
	unselect();
});

test('$HOME/.config/nats is the default when XDG_CONFIG_HOME is unset', () => {
	const home = join(root, 'home');
	mkdirSync(join(home, '.config', 'nats', 'context'), {recursive: true});
	write(join(home, '.config', 'nats', 'context', 'local.json'), JSON.stringify({url: 'nats://homehost:4222'}));
	write(join(home, '.config', 'nats', 'context.txt'), 'local');
	assert.deepEqual(nats([], {HOME: home}).servers, ['nats://homehost:4222']);
	assert.equal(findContext({skipSelected: false}, {}), undefined, 'no HOME, no XDG: no contexts');
});

test('--context beats NATS_CONTEXT, which beats context.txt; --no-context ignores the ambient ones', () => {
	context('a', {url: 'nats://a:4222'});
	context('b', {url: 'nats://b:4222'});
	context('c', {url: 'nats://c:4222'});
	select('a');
	assert.deepEqual(nats([]).servers, ['nats://a:4222']);
	assert.deepEqual(nats([], env({NATS_CONTEXT: 'b'})).servers, ['nats://b:4222']);
	assert.deepEqual(nats(['--context', 'c'], env({NATS_CONTEXT: 'b'})).servers, ['nats://c:4222']);
	assert.deepEqual(nats(['--context=c']).servers, ['nats://c:4222']);
	assert.deepEqual(config(['--no-context'], env({NATS_CONTEXT: 'b'})).urls, ['http://127.0.0.1:8222'], '--no-context: back to the HTTP default');
	assert.equal(failure(['--context', 'c', '--no-context'], env(), 'usage-error'), '--context and --no-context disagree; give one');
	unselect();
});

test('a context with no url means nats://127.0.0.1:4222', () => {
	context('nourl', {user: 'sys', password: 'p'});
	assert.deepEqual(nats(['--context', 'nourl']).servers, ['nats://127.0.0.1:4222']);
	const text = explain(['--context', 'nourl']);
	assert.match(text, /servers +nats:\/\/127\.0\.0\.1:4222 +default \(context nourl names no url\)/);
	assert.equal(line(text, 'context'), `context nourl --context (${join(xdg, 'nats', 'context', 'nourl.json')})`);
});

test('ambient contexts and NATS_* never disturb the HTTP transport; an explicit --context does', () => {
	select('missing-one');
	const ambient = env({NATS_CONTEXT: '', NATS_USER: 'x', NATS_PASSWORD: 'y'});
	assert.deepEqual(config(['http://h:8222'], ambient).urls, ['http://h:8222']);
	assert.deepEqual(config(['-m', '8300'], ambient).urls, ['http://127.0.0.1:8300']);
	assert.equal(
		failure(['http://h:8222', '--context', 'a'], env(), 'usage-error'),
		'--context needs the NATS transport, but the address is a monitoring (http) address; give a nats:// address, e.g. nats://host:4222',
	);
	// With nothing typed, the selected context is used, so a broken selection is an error.
	assert.match(failure([], env(), 'config-error'), /^the selected nats context: unknown context "missing-one" \(no file .*missing-one\.json\)$/);
	unselect();
});

test('missing, malformed and badly named contexts are errors naming the file, never its contents', () => {
	assert.equal(failure(['--context', 'ghost'], env(), 'config-error'), `--context: unknown context "ghost" (no file ${join(xdg, 'nats', 'context', 'ghost.json')})`);
	const broken = write(join(xdg, 'nats', 'context', 'broken.json'), '{\n  "url": "nats://h",\n  "password": "hunter2-secret"\n  "user": "x"\n}');
	const message = failure(['--context', 'broken'], env(), 'config-error');
	assert.match(message, new RegExp(`^context broken: ${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid JSON \\(line 4, column \\d+\\)$`));
	assert.ok(!message.includes('hunter2'), message);
	write(join(xdg, 'nats', 'context', 'array.json'), '[1]');
	assert.match(failure(['--context', 'array'], env(), 'config-error'), /array\.json must hold a JSON object$/);
	write(join(xdg, 'nats', 'context', 'typed.json'), '{"tls_first": "yes"}');
	assert.match(failure(['--context', 'typed'], env(), 'config-error'), /"tls_first" must be true or false$/);
	write(join(xdg, 'nats', 'context', 'numeric.json'), '{"url": 4222}');
	assert.match(failure(['--context', 'numeric'], env(), 'config-error'), /"url" must be a string$/);
	for (const name of ['../etc/passwd', 'a/b', 'a\\b', '..']) {
		assert.match(failure(['--context', name], env(), 'config-error'), /^--context: bad context name ".*": a name can not contain \/ \\ or \.\.$/, name);
	}
	assert.match(failure([], env({NATS_CONTEXT: 'x/y'}), 'config-error'), /^NATS_CONTEXT: bad context name "x\/y"/);
	assert.throws(() => loadContext('a', 'flag', {}), /neither XDG_CONFIG_HOME nor HOME is set/);
});

test('env:// and file:// values resolve as the nats CLI resolves them', () => {
	const seed = seedFile('ctx.nk');
	const creds = credsFile('ctx-user');
	context('refs', {url: 'nats://h:4222', user: 'sys', password: 'env://MY_PASS'});
	assert.deepEqual(nats(['--context', 'refs'], env({MY_PASS: 'from-env'})).auth, {kind: 'user-password', user: 'sys', password: 'from-env'});
	assert.equal(failure(['--context', 'refs'], env(), 'config-error'), 'context refs "password": env://MY_PASS names a variable that is not set');
	assert.equal(failure(['--context', 'refs'], env({MY_PASS: ''}), 'config-error'), 'context refs "password": env://MY_PASS names an empty variable');

	context('filepass', {url: 'nats://h', user: 'sys', password: `file://${files['secret']}`});
	assert.deepEqual(nats(['--context', 'filepass']).auth, {kind: 'user-password', user: 'sys', password: 'from-a-file'}, 'trailing newline dropped');

	context('token', {url: 'nats://h', token: 'env://TOK'});
	assert.deepEqual(nats(['--context', 'token'], env({TOK: 't0k'})).auth, {kind: 'token', token: 't0k'});

	context('fcreds', {url: 'nats://h', creds: `file://${creds.path}`});
	assert.deepEqual(nats(['--context', 'fcreds']).auth, {kind: 'creds', file: creds.path});

	context('home', {url: 'nats://h', nkey: '$SEEDS/ctx.nk'});
	const expanded = nats(['--context', 'home'], env({SEEDS: root}));
	assert.equal(expanded.auth.kind === 'nkey' ? expanded.auth.file : undefined, seed.path, '$SEEDS expanded in the path');
	assert.equal(expanded.identity.userPublicKey, seed.publicKey);

	const inline = createUser();
	context('envseed', {url: 'nats://h', nkey: 'env://USER_SEED'});
	const target = nats(['--context', 'envseed'], env({USER_SEED: new TextDecoder().decode(inline.getSeed())}));
	assert.equal(target.auth.kind, 'nkey');
	assert.equal(target.identity.userPublicKey, inline.getPublicKey());

	context('envcreds', {url: 'nats://h', creds: 'env://CREDS_TEXT'});
	assert.equal(failure(['--context', 'envcreds'], env({CREDS_TEXT: 'x'}), 'config-error'), 'context envcreds "creds": creds given as env:// are not supported yet; point to a creds file');

	context('op', {url: 'nats://h', creds: 'op://vault/item/creds'});
	assert.match(failure(['--context', 'op'], env(), 'config-error'), /op:\/\/ references make the nats CLI run the 1Password CLI \(op\); natscope does not/);

	context('tlsref', {url: 'tls://h', ca: `file://${files['ca']}`});
	assert.equal(nats(['--context', 'tlsref']).tls.ca, files['ca']);
	context('tlsenv', {url: 'tls://h', ca: 'env://CA'});
	assert.equal(failure(['--context', 'tlsenv'], env(), 'config-error'), 'context tlsenv "ca": env:// is not supported here; give a file path');
});

test('precedence, field by field: flag > env > context', () => {
	const ctxCreds = credsFile('ctx-creds');
	const envCreds = credsFile('env-creds');
	const flagCreds = credsFile('flag-creds');
	const ctxSeed = seedFile('ctx-seed.nk');
	const envSeed = seedFile('env-seed.nk');
	const flagSeed = seedFile('flag-seed.nk');
	context('full', {url: 'nats://ctx:4222', user: 'ctx-user', password: 'ctx-pass', ca: files['ca'], inbox_prefix: '_INBOX_ctx', tls_first: true});

	// url
	assert.deepEqual(nats(['--context', 'full']).servers, ['nats://ctx:4222']);
	assert.deepEqual(nats(['--context', 'full'], env({NATS_URL: 'nats://env:4222'})).servers, ['nats://env:4222']);
	assert.deepEqual(nats(['--context', 'full', 'nats://flag:4222'], env({NATS_URL: 'nats://env:4222'})).servers, ['nats://flag:4222']);

	// user and password, each on its own
	assert.deepEqual(nats(['--context', 'full']).auth, {kind: 'user-password', user: 'ctx-user', password: 'ctx-pass'});
	assert.deepEqual(nats(['--context', 'full'], env({NATS_USER: 'env-user'})).auth, {kind: 'user-password', user: 'env-user', password: 'ctx-pass'});
	assert.deepEqual(nats(['--context', 'full', '--user', 'flag-user'], env({NATS_USER: 'env-user'})).auth, {kind: 'user-password', user: 'flag-user', password: 'ctx-pass'});
	assert.deepEqual(nats(['--context', 'full'], env({NATS_PASSWORD: 'env-pass'})).auth, {kind: 'user-password', user: 'ctx-user', password: 'env-pass'});
	assert.deepEqual(nats(['--context', 'full', '--password', 'flag-pass'], env({NATS_PASSWORD: 'env-pass'})).auth, {kind: 'user-password', user: 'ctx-user', password: 'flag-pass'});

	// token
	context('tok', {url: 'nats://h', token: 'ctx-token'});
	assert.deepEqual(nats(['--context', 'tok']).auth, {kind: 'token', token: 'ctx-token'});
	assert.deepEqual(nats(['--context', 'tok'], env({NATS_TOKEN: 'env-token'})).auth, {kind: 'token', token: 'env-token'});
	assert.deepEqual(nats(['--context', 'tok', '--token', 'flag-token'], env({NATS_TOKEN: 'env-token'})).auth, {kind: 'token', token: 'flag-token'});

	// creds
	context('creds', {url: 'nats://h', creds: ctxCreds.path});
	assert.equal(nats(['--context', 'creds']).identity.userPublicKey, ctxCreds.publicKey);
	assert.equal(nats(['--context', 'creds'], env({NATS_CREDS: envCreds.path})).identity.userPublicKey, envCreds.publicKey);
	assert.equal(nats(['--context', 'creds', '--creds', flagCreds.path], env({NATS_CREDS: envCreds.path})).identity.userPublicKey, flagCreds.publicKey);

	// nkey
	context('nkey', {url: 'nats://h', nkey: ctxSeed.path});
	assert.equal(nats(['--context', 'nkey']).identity.userPublicKey, ctxSeed.publicKey);
	assert.equal(nats(['--context', 'nkey'], env({NATS_NKEY: envSeed.path})).identity.userPublicKey, envSeed.publicKey);
	assert.equal(nats(['--context', 'nkey', '--nkey', flagSeed.path], env({NATS_NKEY: envSeed.path})).identity.userPublicKey, flagSeed.publicKey);

	// TLS files, tls_first, inbox prefix, timeout
	assert.equal(nats(['--context', 'full']).tls.ca, files['ca']);
	assert.equal(nats(['--context', 'full'], env({NATS_CA: files['ca2']})).tls.ca, files['ca2']);
	assert.equal(nats(['--context', 'full', '--tlsca', files['ca3']!], env({NATS_CA: files['ca2']})).tls.ca, files['ca3']);
	assert.equal(nats(['--context', 'full']).tls.first, true);
	assert.equal(nats(['--context', 'full', '--no-tlsfirst']).tls.first, false);
	assert.equal(nats(['--context', 'full']).inboxPrefix, '_INBOX_ctx');
	assert.equal(nats(['--context', 'full', '--inbox-prefix', '_INBOX_flag']).inboxPrefix, '_INBOX_flag');
	assert.equal(config(['--context', 'full'], env({NATS_TIMEOUT: '2s'})).timeoutMs, 2000);
	assert.equal(config(['--context', 'full', '--timeout', '3'], env({NATS_TIMEOUT: '2s'})).timeoutMs, 3000);

	// The login method is the one given at the highest level.
	assert.deepEqual(nats(['--context', 'creds'], env({NATS_USER: 'u', NATS_PASSWORD: 'p'})).auth, {kind: 'user-password', user: 'u', password: 'p'});
	assert.deepEqual(nats(['--context', 'full', '--creds', flagCreds.path]).auth, {kind: 'creds', file: flagCreds.path});
	assert.equal(failure(['nats://h', '--creds', flagCreds.path, '--token', 't'], env(), 'usage-error'), '--creds and --token are 2 ways to log in; give one');

	// explain shows where each one came from
	const text = explain(['--context', 'full', '--user', 'flag-user', '--tlsca', files['ca3']!], env({NATS_PASSWORD: 'env-pass', NATS_URL: 'nats://env:4222'}));
	assert.equal(line(text, 'servers'), 'servers nats://env:4222 env NATS_URL');
	assert.equal(line(text, 'user'), 'user flag-user --user');
	assert.equal(line(text, 'password'), 'password ****** env NATS_PASSWORD');
	assert.equal(line(text, 'tls ca'), `tls ca ${files['ca3']} --tlsca`);
	assert.equal(line(text, 'inbox prefix'), 'inbox prefix _INBOX_ctx context full');
	assert.equal(line(text, 'tls first'), 'tls first yes context full');
	assert.match(text, /Given but not used\n(.|\n)*user +ctx-user +context full: overridden by --user/);
	assert.match(text, /password +\*{6} +context full: overridden by env NATS_PASSWORD/);
	for (const secret of ['env-pass', 'ctx-pass']) assert.ok(!text.includes(secret), `${secret} not printed`);
});
