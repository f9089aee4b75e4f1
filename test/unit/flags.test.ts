import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {parseCli, packageVersion} from '../../source/config/flags.js';
import type {Config} from '../../source/config/types.js';

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
		assert.match(result.text, /Usage\n {2}natscope \[address\] \[flags\]/);
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
