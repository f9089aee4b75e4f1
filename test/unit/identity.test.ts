// Seeds and creds files checked before the first request: what is wrong is named with the file,
// never with its contents; risky-but-usable things are warnings.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {chmodSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createAccount, createOperator, createUser, type KeyPair} from 'nkeys.js';
import {checkCredsFile, checkSeedFile, checkSeedText, expiryWarnings, inspectCreds, loadNkeys} from '../../source/config/identity.js';
import {ConfigError} from '../../source/config/errors.js';
import {NKEY_SEED, credsText, encodeJwt} from '../helpers/accounts.js';

// The seed checks use nkeys.js, which natscope loads only when a login has a seed.
await loadNkeys();

const NOW = Date.parse('2026-06-01T12:00:00Z');
const DAY = 24 * 3600 * 1000;
let dir: string;

before(() => {
	dir = mkdtempSync(join(tmpdir(), 'natscope-identity-'));
});

after(() => {
	rmSync(dir, {recursive: true, force: true});
});

function seedOf(kp: KeyPair): string {
	return new TextDecoder().decode(kp.getSeed());
}

function file(name: string, text: string, mode = 0o600): string {
	const path = join(dir, name);
	writeFileSync(path, text, {mode});
	chmodSync(path, mode);
	return path;
}

function configError(fn: () => unknown): string {
	try {
		fn();
	} catch (error) {
		assert.ok(error instanceof ConfigError, `a ConfigError, got ${String(error)}`);
		return error.message;
	}
	assert.fail('expected a ConfigError');
}

/** A user JWT signed by a fresh account; `exp` in epoch seconds. */
function mintCreds(options: {exp?: number; signingKey?: boolean; seedOf?: KeyPair; type?: string} = {}): {text: string; user: KeyPair; account: KeyPair} {
	const account = createAccount();
	const user = createUser();
	const signer = options.signingKey ? createAccount() : account;
	const nats: Record<string, unknown> = {type: options.type ?? 'user', pub: {}, sub: {}, subs: -1, data: -1, payload: -1};
	if (options.signingKey) nats['issuer_account'] = account.getPublicKey();
	const jwt = encodeJwt({name: 'u', sub: user.getPublicKey(), exp: options.exp}, nats, signer);
	return {text: credsText(jwt, seedOf(options.seedOf ?? user)), user, account};
}

test('a user seed file: public key derived, no warning at mode 600', () => {
	const user = createUser();
	const path = file('user.nk', `${seedOf(user)}\n`);
	const check = checkSeedFile(path, '--nkey');
	assert.equal(check.publicKey, user.getPublicKey());
	assert.equal(check.seed, seedOf(user));
	assert.deepEqual(check.warnings, []);
});

test('a seed file readable by every user works, with a warning', () => {
	const path = file('open.nk', seedOf(createUser()), 0o644);
	const check = checkSeedFile(path, '--nkey');
	assert.deepEqual(check.warnings, [`seed file ${path} is readable by every user (chmod 600 it)`]);
});

test('wrong seeds say what they are instead, naming the file and never the key material', () => {
	const account = createAccount();
	const operator = createOperator();
	const user = createUser();
	const cases: Array<[string, string, RegExp]> = [
		['account.nk', seedOf(account), /--nkey .*account\.nk holds an account seed \(SA…\), not a user seed: natscope logs in as a user \(SU…\)/],
		['operator.nk', seedOf(operator), /holds an operator seed \(SO…\)/],
		['public.nk', user.getPublicKey(), /--nkey .*public\.nk holds a user public key \(U…\), not a seed: a user seed starts with SU/],
		['account-public.nk', account.getPublicKey(), /holds an account public key \(A…\), not a seed/],
		['garbage.nk', 'hello world\n', /--nkey .*garbage\.nk does not hold an nkey seed/],
		['broken.nk', `${seedOf(user).slice(0, -3)}AAA`, /is not a valid nkey seed \(bad encoding or checksum\)/],
		['empty.nk', '\n\n', /is empty: it should hold an nkey user seed/],
	];
	for (const [name, text, expected] of cases) {
		const path = file(name, text);
		const message = configError(() => checkSeedFile(path, '--nkey'));
		assert.match(message, expected, name);
		assert.ok(message.includes(path), `${name}: names the file`);
		assert.ok(!message.includes(text.trim()) || text.trim() === '', `${name}: the key is not in the message`);
	}
});

test('unreadable seed files: missing, a directory, no permission', () => {
	assert.equal(configError(() => checkSeedFile(join(dir, 'nope.nk'), '--nkey')), `--nkey ${join(dir, 'nope.nk')}: no such file`);
	assert.equal(configError(() => checkSeedFile(dir, 'env NATS_NKEY')), `env NATS_NKEY ${dir}: it is a directory`);
	if (process.getuid?.() !== 0) {
		const locked = file('locked.nk', seedOf(createUser()), 0o000);
		assert.equal(configError(() => checkSeedFile(locked, '--nkey')), `--nkey ${locked}: permission denied`);
	}
});

test('a creds file given as a seed, and a seed inside a decorated block', () => {
	const creds = mintCreds();
	assert.match(configError(() => checkSeedText(creds.text, '--nkey x')), /is a creds file .*give it with --creds/);
	const user = createUser();
	const decorated = `-----BEGIN USER NKEY SEED-----\n${seedOf(user)}\n------END USER NKEY SEED------\n`;
	assert.equal(checkSeedText(decorated, 'x').publicKey, user.getPublicKey());
});

test('a valid creds file: user key, account, expiry; no warning when far from expiry', () => {
	const exp = Math.floor((NOW + 30 * DAY) / 1000);
	const creds = mintCreds({exp});
	const path = file('ok.creds', creds.text);
	const identity = checkCredsFile(path, '--creds', NOW);
	assert.deepEqual(identity, {userPublicKey: creds.user.getPublicKey(), account: creds.account.getPublicKey(), jwtExpiresAt: exp * 1000, warnings: []});
	const forever = inspectCreds(mintCreds().text, 'x', NOW);
	assert.equal(forever.jwtExpiresAt, undefined, 'no exp: never expires');
});

test('a user signed by a signing key belongs to issuer_account, not the signer', () => {
	const creds = mintCreds({signingKey: true});
	assert.equal(inspectCreds(creds.text, 'x', NOW).account, creds.account.getPublicKey());
});

test('an expired JWT and one expiring in 3 days are loud warnings, not errors', () => {
	const expired = inspectCreds(mintCreds({exp: Math.floor((NOW - DAY) / 1000)}).text, 'x', NOW);
	assert.deepEqual(expired.warnings, ['user JWT expired 2026-05-31 12:00 UTC: the server will refuse it']);
	const soon = inspectCreds(mintCreds({exp: Math.floor((NOW + 3 * DAY) / 1000)}).text, 'x', NOW);
	assert.deepEqual(soon.warnings, ['user JWT expires in 3 days (2026-06-04 12:00 UTC)']);
	assert.deepEqual(expiryWarnings({exp: Math.floor((NOW + 5 * 3600 * 1000) / 1000)}, NOW), ['user JWT expires in 5 h (2026-06-01 17:00 UTC)']);
	assert.deepEqual(expiryWarnings({exp: Math.floor((NOW + 8 * DAY) / 1000)}, NOW), [], 'more than 7 days away');
	assert.deepEqual(expiryWarnings({nbf: Math.floor((NOW + DAY) / 1000)}, NOW), ['user JWT is not valid before 2026-06-02 12:00 UTC']);
});

test('a world-readable creds file adds a warning after the expiry ones', () => {
	const creds = mintCreds({exp: Math.floor((NOW + DAY) / 1000)});
	const path = file('open.creds', creds.text, 0o644);
	const identity = checkCredsFile(path, '--creds', NOW);
	assert.deepEqual(identity.warnings, ['user JWT expires in 24 h (2026-06-02 12:00 UTC)', `creds file ${path} is readable by every user (chmod 600 it)`]);
});

test('broken creds files: each problem named with the file, no secret in the message', () => {
	const good = mintCreds();
	const other = createUser();
	const jwt = /-----BEGIN NATS USER JWT-----\n(.*)\n/.exec(good.text)![1]!;
	const cases: Array<[string, string, RegExp]> = [
		['seed-only.creds', seedOf(createUser()), /holds a bare nkey seed, not a creds file: give it with --nkey/],
		['text.creds', 'not a creds file', /is not a creds file: it has no "BEGIN NATS USER JWT" block/],
		['no-seed.creds', `-----BEGIN NATS USER JWT-----\n${jwt}\n------END NATS USER JWT------\n`, /has no seed block/],
		['bad-jwt.creds', credsText('abc.def', seedOf(createUser())), /the user JWT cannot be decoded/],
		['mismatch.creds', mintCreds({seedOf: other}).text, /the seed in --creds .*mismatch\.creds does not belong to the JWT's user \(the seed is U\w{5}…\w{4}, the JWT names U\w{5}…\w{4}\)/],
		['account-seed.creds', mintCreds({seedOf: createAccount()}).text, /the seed in .* holds an account seed/],
		['account-jwt.creds', mintCreds({type: 'account'}).text, /holds an account JWT, not a user JWT/],
	];
	for (const [name, text, expected] of cases) {
		const path = file(name, text);
		const message = configError(() => checkCredsFile(path, '--creds', NOW));
		assert.match(message, expected, name);
		assert.ok(!NKEY_SEED.test(message) && !message.includes('eyJ'), `${name}: no seed or JWT in "${message}"`);
	}
	assert.equal(configError(() => checkCredsFile(join(dir, 'missing.creds'), 'context prod "creds"', NOW)), `context prod "creds" ${join(dir, 'missing.creds')}: no such file`);
});
