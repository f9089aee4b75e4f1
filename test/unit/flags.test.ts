import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createUser} from 'nkeys.js';
import {loadConfigModules, parseCli, parseCommandLine, packageVersion} from '../../source/config/flags.js';
import {NkeysNotLoaded} from '../../source/config/identity.js';
import {VIEW_NAMES, type Config} from '../../source/config/types.js';

// parseCli needs the configuration modules a NATS target or a context uses (parseCommandLine
// loads them itself; test/unit/flags-on-demand.test.ts covers that).
await loadConfigModules();

function config(argv: string[], env: NodeJS.ProcessEnv = {}): Config {
	const result = parseCli(argv, env);
	if (result.kind !== 'run') assert.fail(`expected a config for ${JSON.stringify(argv)}, got ${JSON.stringify(result)}`);
	return result.config;
}

function usageError(argv: string[], env: NodeJS.ProcessEnv = {}): string {
	const result = parseCli(argv, env);
	if (result.kind !== 'usage-error') assert.fail(`expected a usage error for ${JSON.stringify(argv)}, got ${JSON.stringify(result)}`);
	return result.message;
}

const DEFAULTS: Config = {
	transport: 'http',
	urls: ['http://127.0.0.1:8222'],
	tls: {insecure: false},
	intervalMs: 1000,
	timeoutMs: 5000,
	sort: 'cid',
	reverse: false,
	state: 'open',
	rawNumbers: false,
	lookup: false,
	showSubs: false,
	demo: false,
	lagWarnRefreshes: 3,
};

test('no flags: local monitoring port, nats-top defaults, interactive (no output mode)', () => {
	const c = config([]);
	assert.deepEqual(c, DEFAULTS);
	assert.equal(c.output, undefined);
	assert.equal(c.refreshes, undefined);
	assert.equal(c.rows, undefined);
});

test("nats-top's flags mean what they mean in nats-top", () => {
	const c = config(['-s', 'host', '-m', '8223', '-n', '50', '-d', '2', '-sort', 'pending', '-lookup', '-b', '-o', 'out.txt', '-r', '3']);
	assert.deepEqual(c, {
		...DEFAULTS,
		transport: 'http',
		urls: ['http://host:8223'],
		rows: 50,
		intervalMs: 2000,
		intervalGiven: true,
		sort: 'pending',
		lookup: true,
		rawNumbers: true,
		output: {kind: 'text', file: 'out.txt'},
		refreshes: 3,
	});
});

test('nats-top https flags: -ms implies https, -cacert/-cert/-key/-k fill tls', () => {
	const c = config(['-s', 'nats1', '-ms', '8443', '-cacert', 'ca.pem', '-cert', 'c.pem', '-key', 'k.pem', '-k']);
	assert.deepEqual(c.urls, ['https://nats1:8443']);
	assert.deepEqual(c.tls, {ca: 'ca.pem', cert: 'c.pem', key: 'k.pem', insecure: true});
	assert.deepEqual(config(['--https-port', '9443']).urls, ['https://127.0.0.1:9443']);
});

test('-flag=value and --flag=value forms, one or two dashes', () => {
	assert.equal(config(['-sort=pending']).sort, 'pending');
	assert.equal(config(['--sort=bytes_to']).sort, 'bytes_to');
	assert.equal(config(['-n=7']).rows, 7);
	assert.deepEqual(config(['--s', 'h', '--m=9']).urls, ['http://h:9']);
	assert.equal(config(['-reverse']).reverse, true);
	assert.equal(config(['--lookup=false']).lookup, false);
	assert.equal(config(['--no-reverse']).reverse, false);
	assert.equal(config(['--sort', 'MSGS-TO']).sort, 'msgs_to', 'case and dashes are forgiven');
});

test('long flags map onto every Config field', () => {
	const c = config([
		'--server', 'nats2',
		'--port', '8300',
		'--interval', '0.5',
		'--timeout', '2.5',
		'--sort', 'reason',
		'--reverse',
		'--rows', '20',
		'--state', 'closed',
		'--account', 'APP',
		'--user', 'bob',
		'--subject', 'orders.>',
		'--raw',
		'--lookup',
		'--subs',
	]);
	assert.deepEqual(c, {
		...DEFAULTS,
		transport: 'http',
		urls: ['http://nats2:8300'],
		intervalMs: 500,
		intervalGiven: true,
		timeoutMs: 2500,
		sort: 'reason',
		reverse: true,
		rows: 20,
		state: 'closed',
		account: 'APP',
		user: 'bob',
		subject: 'orders.>',
		rawNumbers: true,
		lookup: true,
		showSubs: true,
	});
	assert.equal(config(['--state', 'all']).state, 'all');
	assert.equal(config(['-d', '500ms']).intervalMs, 500);
	assert.equal(config(['-d', '3s']).intervalMs, 3000);
	assert.equal(config(['-d', '0.1']).intervalMs, 100);
});

test('the positional address takes every form parseMonitorAddress does', () => {
	assert.deepEqual(config(['nats1:8222']).urls, ['http://nats1:8222']);
	assert.deepEqual(config(['nats1']).urls, ['http://nats1:8222']);
	assert.deepEqual(config([':9000']).urls, ['http://127.0.0.1:9000']);
	assert.deepEqual(config(['https://proxy/nats/']).urls, ['https://proxy:8222/nats']);
	assert.deepEqual(config(['[::1]:8222']).urls, ['http://[::1]:8222']);
	assert.deepEqual(config(['http://u:pw@h:1']).urls, ['http://u:pw@h:1']);
});

test('flags fill in what the address leaves out; agreeing values are fine', () => {
	assert.deepEqual(config(['nats1', '-m', '8223']).urls, ['http://nats1:8223']);
	assert.deepEqual(config(['nats1', '--https-port', '8443']).urls, ['https://nats1:8443']);
	assert.deepEqual(config(['nats1:8223', '-m', '8223']).urls, ['http://nats1:8223']);
	assert.deepEqual(config(['nats1:8223', '-s', 'nats1']).urls, ['http://nats1:8223']);
	assert.deepEqual(config(['-s', 'nats1:8300']).urls, ['http://nats1:8300']);
	assert.deepEqual(config(['-s', 'https://nats1']).urls, ['https://nats1:8222']);
	assert.deepEqual(config(['-m', '8300']).urls, ['http://127.0.0.1:8300']);
});

test('conflicting address pieces are usage errors that say which ones', () => {
	assert.equal(
		usageError(['nats1:8222', '-m', '8223']),
		'the address "nats1:8222" gives port 8222 but -m gives port 8223; say it in one place, not both',
	);
	assert.equal(
		usageError(['nats1', '-s', 'nats2']),
		'the address "nats1" gives host nats1 but -s "nats2" gives host nats2; say it in one place, not both',
	);
	assert.equal(
		usageError(['http://nats1', '-ms', '8443']),
		'the address "http://nats1" gives http:// but -ms gives https://; say it in one place, not both',
	);
	assert.equal(usageError(['-m', '8222', '-ms', '8443']), '-m and -ms both give the monitoring port; use one (-ms for https)');
	assert.equal(usageError(['a', 'b', '-m', '8300']), '-m applies to one server; with several addresses put each one\'s host and port in the address');
	assert.equal(usageError(['a', 'a:8222']), 'the address "a:8222" is given twice');
	assert.equal(usageError(['http://nats1:8222', '--tlsca', 'ca.pem']), '--tlsca needs https, but the address "http://nats1:8222" gives http://; use https://');
});

test('conflict messages never show credentials', () => {
	const message = usageError(['http://admin:s3cret@nats1:8222', '-m', '9000']);
	assert.equal(message, 'the address "http://nats1:8222" gives port 8222 but -m gives port 9000; say it in one place, not both');
	const two = usageError(['http://admin:s3cret@a', 'nats://admin:s3cret@b']);
	assert.ok(!two.includes('s3cret'), two);
});

test('TLS flags turn an address without a scheme into https', () => {
	assert.deepEqual(config(['nats1', '--tlsca', 'ca.pem']).urls, ['https://nats1:8222']);
	assert.deepEqual(config(['--insecure']).urls, ['https://127.0.0.1:8222']);
	assert.deepEqual(config(['https://nats1:8443', '--tlscert', 'c', '--tlskey', 'k']).tls, {cert: 'c', key: 'k', insecure: false});
	assert.equal(usageError(['https://h', '--tlscert', 'c.pem']), '--tlscert needs --tlskey (nats-top -key) too: certificate and key go together');
	assert.equal(usageError(['https://h', '-key', 'k.pem']), '-key needs --tlscert (nats-top -cert) too: certificate and key go together');
});

test('NATSCOPE_URL is the default address only when no address or -s/-m is given', () => {
	assert.deepEqual(config([], {NATSCOPE_URL: 'nats9:8000'}).urls, ['http://nats9:8000']);
	assert.deepEqual(config([], {NATSCOPE_URL: 'https://u:p@nats9/mon/'}).urls, ['https://u:p@nats9:8222/mon']);
	assert.deepEqual(config(['nats1'], {NATSCOPE_URL: 'nats9:8000'}).urls, ['http://nats1:8222']);
	assert.deepEqual(config(['-s', 'nats1'], {NATSCOPE_URL: 'nats9:8000'}).urls, ['http://nats1:8222']);
	assert.deepEqual(config(['-m', '8300'], {NATSCOPE_URL: 'nats9:8000'}).urls, ['http://127.0.0.1:8300']);
	assert.deepEqual(config([], {NATSCOPE_URL: ''}).urls, ['http://127.0.0.1:8222']);
	assert.match(usageError([], {NATSCOPE_URL: 'nats9:0'}), /^NATSCOPE_URL: bad port "0"/);
});

test('output modes', () => {
	assert.deepEqual(config(['--once']).output, {kind: 'text'});
	assert.deepEqual(config(['-o', '-']).output, {kind: 'text'});
	assert.deepEqual(config(['--output', 'snap.txt']).output, {kind: 'text', file: 'snap.txt'});
	assert.deepEqual(config(['-r', '2']).output, {kind: 'text'});
	assert.equal(config(['-r', '2']).refreshes, 2);
	assert.deepEqual(config(['--json']).output, {kind: 'json'});
	assert.equal(config(['--json']).refreshes, undefined, 'json alone is one snapshot');
	assert.deepEqual(config(['--json', '-o', 'x.json']).output, {kind: 'json', file: 'x.json'});
	assert.deepEqual(config(['--json', '-o', '-']).output, {kind: 'json'});
	assert.deepEqual(config(['--delimiter', ',']).output, {kind: 'delimited', delimiter: ','});
	assert.deepEqual(config(['--delimiter', '\\t', '-o', 'x.tsv']).output, {kind: 'delimited', delimiter: '\t', file: 'x.tsv'});
	const repeated = config(['--delimiter', ';', '-r', '5']);
	assert.deepEqual(repeated.output, {kind: 'delimited', delimiter: ';'});
	assert.equal(repeated.refreshes, 5);
	assert.equal(config(['--no-json', '--sort', 'subs']).output, undefined);
});

test('bad values name the flag as typed and what it accepts', () => {
	assert.equal(
		usageError(['--sort', 'foo']),
		'--sort: unknown key "foo"; one of pending cid subs msgs_to msgs_from bytes_to bytes_from idle last uptime start rtt stop reason',
	);
	assert.match(usageError(['-sort', 'foo']), /^-sort: unknown key "foo"; one of pending cid subs/);
	assert.equal(usageError(['--state', 'half']), '--state: unknown state "half"; one of open closed all');
	assert.equal(usageError(['--sort', 'stop', '--state', 'open']), '--sort stop only works with closed connections; use --state closed');
	assert.equal(usageError(['-n', '0']), '-n: expected a whole number of connections, 1 or more, got "0"');
	assert.equal(usageError(['--rows', '2.5']), '--rows: expected a whole number of connections, 1 or more, got "2.5"');
	assert.equal(usageError(['-r', 'x']), '-r: expected a whole number of refreshes, 1 or more, got "x"');
	assert.equal(usageError(['-d', 'soon']), '-d: expected seconds (e.g. 1, 0.5, 2s, 500ms), got "soon"');
	assert.equal(usageError(['--interval', '0.05']), '--interval: 0.05 is too short; the minimum is 0.1 s');
	assert.equal(usageError(['-d', '-1']), '-d: expected seconds (e.g. 1, 0.5, 2s, 500ms), got "-1"');
	assert.equal(usageError(['--timeout', '0']), '--timeout: 0 is too short; the minimum is 0.1 s');
	assert.equal(usageError(['-m', '0']), '-m: bad port "0": must be a whole number from 1 to 65535');
	assert.equal(usageError(['--port', '70000']), '--port: bad port "70000": must be a whole number from 1 to 65535');
	assert.equal(usageError(['-ms', 'abc']), '-ms: bad port "abc": must be a whole number from 1 to 65535');
	assert.equal(usageError(['--json', '--delimiter', ',']), '--json and --delimiter are two output formats; pick one');
	assert.equal(usageError(['--once', '-r', '2']), '--once and -r disagree on how many snapshots to print; use one');
	assert.equal(usageError(['--subject', 'a b']), '--subject: a subject has no spaces, got "a b"');
	assert.equal(usageError(['--account', '']), '--account needs an account name');
	assert.equal(usageError(['-o', '']), '-o needs a file name, or - for stdout');
	assert.equal(usageError(['ws://h:4222']), 'the address: websocket addresses (ws://, wss://) are not supported; use nats:// or tls:// and the client port (usually 4222)');
	assert.equal(usageError(['-s', 'a b']), '-s: the address must not contain spaces');
});

test('missing values and repeated flags', () => {
	assert.equal(usageError(['-o']), '-o needs a value');
	assert.equal(usageError(['--sort', '--reverse']), '--sort needs a value');
	assert.equal(usageError(['-o', '-r', '3']), '-o needs a value');
	assert.equal(usageError(['--sort', 'a', '--sort', 'b']), '--sort is given more than once');
	assert.equal(usageError(['-n', '5', '--rows', '6']), '-n and --rows are the same flag; give it once');
	assert.equal(usageError(['--json=yes']), '--json takes no value (got "yes")');
	assert.deepEqual(config(['-b', '-b']).rawNumbers, true, 'a repeated switch is harmless');
});

test('unknown flags are usage errors, with a hint when one is close', () => {
	assert.equal(usageError(['--bogus']), 'unknown flag "--bogus"');
	assert.equal(usageError(['-x']), 'unknown flag "-x"');
	assert.equal(usageError(['--sorr', 'pending']), 'unknown flag "--sorr"; did you mean --sort?');
	assert.equal(usageError(['-bk']), 'unknown flag "-bk"; flags do not combine, write -b -k');
	assert.equal(usageError(['--no-sort']), 'unknown flag "--no-sort"');
	assert.equal(usageError(['host', '--bogus=1']), 'unknown flag "--bogus"');
});

test('after -- everything is an address', () => {
	assert.deepEqual(config(['--', 'nats1:8300']).urls, ['http://nats1:8300']);
	assert.match(usageError(['--', '--bogus']), /looks like a flag/);
});

test('help and version are results, not exits, and win over other problems', () => {
	for (const argv of [['--help'], ['-h'], ['-help'], ['--bogus', '-h'], ['--sort', 'nope', '--help']]) {
		const result = parseCli(argv, {});
		assert.equal(result.kind, 'help', JSON.stringify(argv));
		if (result.kind !== 'help') continue;
		assert.match(result.text, /^natscope: /);
		assert.match(result.text, /Usage\n {2}natscope \[address\.\.\.\] \[flags\]/);
	}
	const expected = `natscope ${(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string}).version}`;
	assert.deepEqual(parseCli(['--version'], {}), {kind: 'version', text: expected});
	assert.deepEqual(parseCli(['-v'], {}), {kind: 'version', text: expected});
	assert.deepEqual(parseCli(['-version', '--bogus'], {}), {kind: 'version', text: expected});
	assert.equal(`natscope ${packageVersion()}`, expected);
});

test('help text: within 80 columns, lists every flag, the nats-top names and the exit codes', () => {
	const result = parseCli(['--help'], {});
	assert.equal(result.kind, 'help');
	if (result.kind !== 'help') return;
	const text = result.text;
	for (const line of text.split('\n')) assert.ok(line.length <= 80, `too wide (${line.length}): ${line}`);
	for (const flag of [
		'--server', '--port', '--https-port', '--tlsca', '--tlscert', '--tlskey', '--insecure', '--interval', '--timeout',
		'--sort', '--reverse', '--rows', '--state', '--account', '--user', '--subject', '--once', '--json', '--delimiter',
		'--output', '--refreshes', '--raw', '--lookup', '--subs', '--help', '--version',
	]) {
		assert.ok(text.includes(flag), `help mentions ${flag}`);
	}
	for (const natsTop of ['-ms PORT', '-sort KEY', '-lookup', '-cacert FILE', '-cert FILE', '-key FILE', '-k ']) {
		assert.ok(text.includes(natsTop), `help mentions nats-top's ${natsTop}`);
	}
	assert.match(text, /0 {2}ok/);
	assert.match(text, /1 {2}server unreachable/);
	assert.match(text, /2 {2}bad usage/);
	assert.match(text, /NATSCOPE_URL/);
});

test('parseCli never exits or prints', () => {
	const exit = process.exit;
	const log = console.log;
	const error = console.error;
	const calls: string[] = [];
	process.exit = ((code?: number) => {
		calls.push(`exit ${code}`);
		throw new Error('process.exit called');
	}) as typeof process.exit;
	console.log = (...args: unknown[]) => void calls.push(`log ${args.join(' ')}`);
	console.error = (...args: unknown[]) => void calls.push(`error ${args.join(' ')}`);
	try {
		for (const argv of [['--bogus'], ['-h'], ['-v'], ['--sort'], ['a', 'b'], ['--sort', 'x'], ['-n', '1', '-n', '2'], []]) parseCli(argv, {});
	} finally {
		process.exit = exit;
		console.log = log;
		console.error = error;
	}
	assert.deepEqual(calls, []);
});

// --- NATS transport ---------------------------------------------------------------------

function target(argv: string[], env: NodeJS.ProcessEnv = {}): NonNullable<Config['nats']> {
	const c = config(argv, env);
	assert.equal(c.transport, 'nats', JSON.stringify(argv));
	assert.deepEqual(c.urls, []);
	assert.ok(c.nats);
	return c.nats;
}

test('a nats:// or tls:// address selects NATS; port 4222 by default; no login, no identity', () => {
	assert.deepEqual(config(['nats://127.0.0.1:4333']), {
		...DEFAULTS,
		transport: 'nats',
		urls: [],
		nats: {servers: ['nats://127.0.0.1:4333'], auth: {kind: 'none'}, tls: {insecure: false, first: false}, identity: {warnings: []}},
	});
	assert.deepEqual(target(['tls://n1']).servers, ['tls://n1:4222']);
	assert.deepEqual(target(['-s', 'nats://n1:4222']).servers, ['nats://n1:4222'], "-s takes a NATS URL, as in the nats CLI");
	assert.deepEqual(target(['nats://a', 'nats://b:4223']).servers, ['nats://a:4222', 'nats://b:4223'], 'several servers');
	assert.deepEqual(target(['nats://a,nats://b']).servers, ['nats://a:4222', 'nats://b:4222'], 'a comma list, as in NATS_URL');
	assert.deepEqual(target(['nats://a', 'nats://a:4222']).servers, ['nats://a:4222'], 'the same server once');
});

test('credentials in the NATS URL become the login and leave the URL', () => {
	const withPassword = target(['nats://sys:s3cret@n1:4222']);
	assert.deepEqual(withPassword.servers, ['nats://n1:4222']);
	assert.deepEqual(withPassword.auth, {kind: 'user-password', user: 'sys', password: 's3cret'});
	assert.deepEqual(target(['nats://t0ken@n1']).auth, {kind: 'token', token: 't0ken'});
	assert.deepEqual(target(['nats://sys:pw@a', 'nats://b']).auth, {kind: 'user-password', user: 'sys', password: 'pw'});
	assert.equal(usageError(['nats://u:p@a', 'nats://v:q@b']), 'the address and the address carry different credentials; give them once (or with --user/--password)');
	assert.equal(usageError(['nats://u:p@a', '--user', 'v']), '--user and the address (in the URL) both give the user; give it in one place');
	assert.ok(!JSON.stringify(target(['nats://sys:s3cret@n1']).servers).includes('s3cret'));
});

test('NATS and monitoring addresses do not mix; monitoring-port flags do not apply to NATS', () => {
	assert.equal(
		usageError(['nats://a:4222', 'http://b:8222']),
		'"nats://a:4222" is a NATS address but "http://b:8222" is a monitoring address; give only nats:// (or tls://) addresses, or only http(s) ones',
	);
	assert.match(usageError(['nats://a', '-s', 'b']), /"nats:\/\/a" is a NATS address but "b" is a monitoring address/);
	assert.equal(usageError(['nats://a', '-m', '8222']), '-m is the monitoring port; with a NATS address put the port in it, e.g. nats://host:4222');
	assert.equal(usageError(['nats://a', '--https-port', '8443']), '--https-port is the monitoring port; with a NATS address put the port in it, e.g. nats://host:4222');
	assert.ok(!usageError(['nats://u:s3cret@a', 'http://u:s3cret@b']).includes('s3cret'));
});

test('several monitoring addresses give several URLs', () => {
	assert.deepEqual(config(['http://a:8222', 'b', 'https://c:8443']).urls, ['http://a:8222', 'http://b:8222', 'https://c:8443']);
	assert.deepEqual(config(['a', 'b', '--tlsca', 'ca.pem']).urls, ['https://a:8222', 'https://b:8222']);
	assert.equal(usageError(['a', 'b', '-s', 'c']), '-s applies to one server; with several addresses put each one\'s host and port in the address');
});

test('login flags: --user/--password, --token, --creds, --nkey; --user alone is a token', () => {
	assert.deepEqual(target(['nats://h', '--user', 'sys', '--password', 'pw']).auth, {kind: 'user-password', user: 'sys', password: 'pw'});
	assert.deepEqual(target(['nats://h', '--user=sys', '--password=pw']).auth, {kind: 'user-password', user: 'sys', password: 'pw'});
	assert.deepEqual(target(['nats://h', '--token', 'tok']).auth, {kind: 'token', token: 'tok'});
	assert.deepEqual(target(['nats://h', '--user', 'tok']).auth, {kind: 'token', token: 'tok'}, 'as the nats CLI does');
	assert.equal(usageError(['nats://h', '--password', 'pw']), '--password needs a user name: add --user (or put user:password@ in the address)');
	assert.equal(usageError(['nats://h', '--password', 'pw', '--token', 't']), '--password and --token are two ways to log in; give one');
	assert.equal(usageError(['nats://h', '--user', 'u', '--token', 't']), '--user and --token are 2 ways to log in; give one');
	assert.equal(usageError(['nats://h', '--creds', '']), '--creds needs a value');
	assert.equal(parseCli(['nats://h', '--creds', '/nonexistent/x.creds'], {}).kind, 'config-error');
	assert.deepEqual(parseCli(['nats://h', '--nkey', '/nonexistent/u.nk'], {}), {kind: 'config-error', message: '--nkey /nonexistent/u.nk: no such file'});
});

test('nkeys.js loads only for a login with a seed: parseCli refuses to guess, parseCommandLine loads it and checks the seed', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'natscope-flags-'));
	try {
		const user = createUser();
		const seedFile = join(dir, 'user.nk');
		writeFileSync(seedFile, new TextDecoder().decode(user.getSeed()), {mode: 0o600});
		const argv = ['nats://h', '--nkey', seedFile];
		// Nothing in this file has loaded it yet (each test file runs in its own process).
		assert.throws(() => parseCli(argv, {}), NkeysNotLoaded);
		assert.equal((await parseCommandLine(['nats://h', '--user', 'u', '--password', 'p'], {})).kind, 'run');
		const parsed = await parseCommandLine(argv, {});
		if (parsed.kind !== 'run') assert.fail(JSON.stringify(parsed));
		assert.deepEqual(parsed.config.nats?.auth, {kind: 'nkey', seed: new TextDecoder().decode(user.getSeed()), publicKey: user.getPublicKey(), file: seedFile});
		assert.deepEqual(parseCli(argv, {}), parsed, 'loaded once, for good');
		writeFileSync(join(dir, 'bad.nk'), 'SUAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
		assert.equal((await parseCommandLine(['nats://h', '--nkey', join(dir, 'bad.nk')], {})).kind, 'config-error');
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
});

test('TLS flags, --tlsfirst and --inbox-prefix apply to the NATS connection', () => {
	const t = target(['tls://h', '--tlsca', 'ca.pem', '--tlscert', 'c.pem', '--tlskey', 'k.pem', '--tlsfirst', '--inbox-prefix', '_INBOX_me', '-k']);
	assert.deepEqual(t.tls, {ca: 'ca.pem', cert: 'c.pem', key: 'k.pem', insecure: true, first: true});
	assert.equal(t.inboxPrefix, '_INBOX_me');
	assert.deepEqual(config(['tls://h', '--tlsca', 'ca.pem']).tls, {ca: 'ca.pem', insecure: false});
	assert.equal(usageError(['nats://h', '--tlscert', 'c.pem']), '--tlscert gives a client certificate but no key (--tlskey, NATS_KEY or the context\'s "key") goes with it');
	assert.match(usageError(['nats://h', '--inbox-prefix', 'a.>']), /bad inbox prefix "a\.>"/);
});

test('--user filters over HTTP and logs in over NATS; --filter-user filters over both', () => {
	assert.equal(config(['--user', 'bob']).user, 'bob');
	assert.equal(config(['--filter-user', 'bob']).user, 'bob');
	assert.equal(config(['nats://h', '--filter-user', 'bob']).user, 'bob');
	const overNats = config(['nats://h', '--user', 'sys', '--password', 'pw']);
	assert.equal(overNats.user, undefined, 'over NATS --user is the login, not a filter');
	assert.deepEqual(overNats.nats?.auth, {kind: 'user-password', user: 'sys', password: 'pw'});
	assert.equal(usageError(['--user', 'a', '--filter-user', 'b']), '--user and --filter-user both filter by user here (over HTTP --user is the filter); give one');
});

test('NATS-only flags: usage errors over HTTP, and alone they mean nats://127.0.0.1:4222', () => {
	for (const argv of [['--token', 't'], ['--creds', 'x'], ['--nkey', 'x'], ['--password', 'p'], ['--tlsfirst'], ['--cluster', 'c'], ['--server-name', 's'], ['--host', 'h'], ['--tags', 'a'], ['--inbox-prefix', 'i'], ['--context', 'c']]) {
		assert.match(usageError(['http://h:8222', ...argv]), /needs the NATS transport, but the address is a monitoring \(http\) address; give a nats:\/\/ address, e.g\. nats:\/\/host:4222$/, argv.join(' '));
	}
	assert.match(usageError(['-m', '8222', '--cluster', 'c']), /^--cluster needs the NATS transport, but -m is a monitoring/);
	assert.deepEqual(target(['--token', 't']).servers, ['nats://127.0.0.1:4222']);
	assert.deepEqual(target(['--cluster', 'east']).servers, ['nats://127.0.0.1:4222']);
});

test('server filters: --server-name, --cluster, --host, --tags a,b', () => {
	const c = config(['nats://h', '--server-name', 'n1', '--cluster', 'east', '--host', '10.0.0.1', '--tags', 'az:1, ssd']);
	assert.deepEqual(c.serverFilter, {server_name: 'n1', cluster: 'east', host: '10.0.0.1', tags: ['az:1', 'ssd']});
	assert.equal(config(['nats://h']).serverFilter, undefined);
	assert.equal(usageError(['nats://h', '--tags', 'a,,b']), '--tags: expected tags separated by commas, e.g. az:1,ssd');
	assert.equal(usageError(['nats://h', '--cluster', ' ']), '--cluster needs a cluster name');
});

test('NATS_URL, NATSCOPE_URL and NATS_TIMEOUT', () => {
	assert.deepEqual(target([], {NATS_URL: 'nats://e1:4222,nats://e2:4222'}).servers, ['nats://e1:4222', 'nats://e2:4222']);
	assert.deepEqual(target([], {NATS_URL: 'e1:4333'}).servers, ['nats://e1:4333'], 'NATS_URL without a scheme is nats://');
	assert.deepEqual(target([], {NATSCOPE_URL: 'nats://s:4222', NATS_URL: 'nats://e:4222'}).servers, ['nats://s:4222'], 'natscope\'s own variable first');
	assert.deepEqual(config([], {NATSCOPE_URL: 'http://m:8222', NATS_URL: 'nats://e:4222'}).urls, ['http://m:8222']);
	assert.deepEqual(config(['http://m:8222'], {NATS_URL: 'nats://e:4222'}).urls, ['http://m:8222'], 'a typed address wins');
	assert.deepEqual(target([], {NATS_URL: 'nats://u:pw@e'}).auth, {kind: 'user-password', user: 'u', password: 'pw'});
	assert.equal(config(['nats://h'], {NATS_TIMEOUT: '2s'}).timeoutMs, 2000);
	assert.equal(config(['http://h:8222'], {NATS_TIMEOUT: '2s'}).timeoutMs, 5000, 'NATS_TIMEOUT is for NATS only');
	assert.equal(usageError(['nats://h'], {NATS_TIMEOUT: 'soon'}), 'NATS_TIMEOUT: expected seconds (e.g. 1, 0.5, 2s, 500ms), got "soon"');
	assert.match(usageError([], {NATS_URL: 'http://h:8222'}), /^NATS_URL: "http:\/\/" is the monitoring port/);
});

// --- flags other issues implement: parsed, validated, stored ------------------------------

test('--view, --record, --pid, --pid-file, --prof-port, --prof-url, --lag-refreshes', () => {
	const c = config(['--view', 'JetStream', '--record', 'rec.ndjson', '--pid', '4242', '--prof-port', '65432', '--lag-refreshes', '5']);
	assert.equal(c.view, 'jetstream');
	assert.equal(c.record, 'rec.ndjson');
	assert.equal(c.pid, 4242);
	assert.equal(c.profPort, 65432);
	assert.equal(c.lagWarnRefreshes, 5);
	assert.equal(config(['--pid-file', '/run/nats.pid']).pidFile, '/run/nats.pid');
	assert.equal(config(['--prof-url', 'http://127.0.0.1:65432/debug/pprof/']).profUrl, 'http://127.0.0.1:65432/debug/pprof');
	for (const view of VIEW_NAMES) assert.equal(config(['--view', view]).view, view);
	assert.equal(config([]).lagWarnRefreshes, 3);
	assert.equal(config([]).view, undefined);

	assert.equal(usageError(['--view', 'nope']), `--view: unknown view "nope"; one of ${VIEW_NAMES.join(' ')}`);
	assert.equal(usageError(['--pid', '0']), '--pid: expected a whole number of a process id, 1 or more, got "0"');
	assert.equal(usageError(['--pid', '1', '--pid-file', 'x']), '--pid and --pid-file both name the server process; give one');
	assert.equal(usageError(['--prof-port', '99999']), '--prof-port: bad port "99999": must be a whole number from 1 to 65535');
	assert.equal(usageError(['--prof-port', '1', '--prof-url', 'http://h:1']), '--prof-port and --prof-url both say where profiles come from; give one');
	assert.equal(usageError(['--prof-url', 'ftp://h/x']), '--prof-url: expected an http(s) URL such as http://127.0.0.1:65432/debug/pprof, got "(invalid address)"');
	assert.equal(usageError(['--lag-refreshes', '-1']), '--lag-refreshes: expected a whole number of refreshes, 1 or more, got "-1"');
	assert.equal(usageError(['--lag-refreshes', 'x']), '--lag-refreshes: expected a whole number of refreshes, 1 or more, got "x"');
	assert.equal(usageError(['--record', '']), '--record needs a file to record to');
});

test('--replay and --demo need no server; addresses and server flags are usage errors with them', () => {
	const replay = config(['--replay', 'rec.ndjson']);
	assert.equal(replay.replay, 'rec.ndjson');
	assert.deepEqual(replay.urls, []);
	assert.equal(replay.nats, undefined);
	assert.equal(config(['--demo']).demo, true);
	assert.equal(config(['--demo', '--once']).output?.kind, 'text');
	// Ambient NATS settings do not matter to a replay.
	assert.equal(config(['--replay', 'r'], {NATS_URL: 'nats://x', NATSCOPE_URL: 'y'}).replay, 'r');
	assert.equal(usageError(['--replay', 'r', 'nats://h']), '--replay needs no server address; drop "nats://h"');
	assert.equal(usageError(['--demo', '-m', '8222']), '--demo talks to no server, so -m does not apply');
	assert.equal(usageError(['--demo', '--creds', 'x']), '--demo talks to no server, so --creds does not apply');
	assert.equal(usageError(['--replay', 'r', '--record', 'w']), '--replay talks to no server, so --record does not apply');
	assert.equal(usageError(['--replay', 'r', '--demo']), '--replay and --demo both replace the server; pick one');
	assert.equal(usageError(['--demo=yes']), '--demo takes no value (got "yes")');
});

test('--explain-config is a result with the text; it runs no server', () => {
	const result = parseCli(['nats://sys:s3cret@h:4222', '--explain-config', '--sort', 'pending'], {});
	assert.equal(result.kind, 'explain');
	if (result.kind !== 'explain') return;
	assert.match(result.text, /^natscope --explain-config/);
	assert.match(result.text, /transport +nats \(the system account over NATS\) +the address/);
	assert.match(result.text, /sort +pending +--sort/);
	assert.match(result.text, /interval +1 s +default/);
	assert.ok(!result.text.includes('s3cret'));
	assert.equal(result.config.transport, 'nats');
	assert.equal(parseCli(['--explain-config', '--bogus'], {}).kind, 'usage-error', 'a usage error still wins');
});

test('help text lists the NATS, view and recording flags and the NATS examples', () => {
	const result = parseCli(['--help'], {});
	assert.equal(result.kind, 'help');
	if (result.kind !== 'help') return;
	for (const flag of [
		'--password', '--token', '--creds', '--nkey', '--tlsfirst', '--inbox-prefix', '--context', '--no-context', '--server-name', '--cluster', '--host', '--tags',
		'--explain-config', '--filter-user', '--view', '--record', '--replay', '--demo', '--pid', '--pid-file', '--prof-port', '--prof-url', '--lag-refreshes',
		'NATS_URL', 'NATS_CONTEXT', 'NATS_CREDS', 'nats://n1:4222 --creds sys.creds', 'natscope --context prod', 'http://n1:8222 http://n2:8222',
	]) {
		assert.ok(result.text.includes(flag), `help mentions ${flag}`);
	}
	for (const view of VIEW_NAMES) assert.ok(result.text.includes(view), `help lists the ${view} view`);
});
