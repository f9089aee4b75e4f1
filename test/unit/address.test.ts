import {test} from 'node:test';
import assert from 'node:assert/strict';
import {addressScheme, isNatsAddress, parseAddressParts, parseMonitorAddress, parseNatsAddress, parsePort, redactAddress} from '../../source/config/address.js';

function url(input: string, opts?: {secure?: boolean}): string {
	const result = parseMonitorAddress(input, opts);
	assert.ok(result.ok, `expected "${input}" to parse, got ${result.ok ? '' : result.error}`);
	return result.url;
}

function error(input: string): string {
	const result = parseMonitorAddress(input);
	assert.ok(!result.ok, `expected "${input}" to be rejected`);
	return result.error;
}

test('accepted forms normalize to a base URL with an explicit port and no trailing slash', () => {
	const cases: Array<[string, string]> = [
		['', 'http://127.0.0.1:8222'],
		['   ', 'http://127.0.0.1:8222'],
		['host', 'http://host:8222'],
		['nats1.example.com', 'http://nats1.example.com:8222'],
		['host:8223', 'http://host:8223'],
		['10.0.0.5:9000', 'http://10.0.0.5:9000'],
		[':8300', 'http://127.0.0.1:8300'],
		['http://host', 'http://host:8222'],
		['http://host:8223', 'http://host:8223'],
		['http://host:8223/', 'http://host:8223'],
		['https://host', 'https://host:8222'],
		['https://host:8443', 'https://host:8443'],
		['http://host:80', 'http://host:80'],
		['https://host:443', 'https://host:443'],
		['[::1]:8222', 'http://[::1]:8222'],
		['[::1]', 'http://[::1]:8222'],
		['http://[::1]:8222', 'http://[::1]:8222'],
		['https://[2001:db8::1]:9443/', 'https://[2001:db8::1]:9443'],
		['https://proxy/nats/', 'https://proxy:8222/nats'],
		['https://proxy:8443/a/b///', 'https://proxy:8443/a/b'],
		['HTTP://Example.COM:8222', 'http://example.com:8222'],
		[' host:8223 ', 'http://host:8223'],
	];
	for (const [input, expected] of cases) assert.equal(url(input), expected, `input ${JSON.stringify(input)}`);
});

test('display equals url when there are no credentials', () => {
	const result = parseMonitorAddress('https://proxy:8443/nats/');
	assert.deepEqual(result, {ok: true, url: 'https://proxy:8443/nats', display: 'https://proxy:8443/nats'});
});

test('secure makes https the default scheme but never overrides an explicit one', () => {
	assert.equal(url('', {secure: true}), 'https://127.0.0.1:8222');
	assert.equal(url('host', {secure: true}), 'https://host:8222');
	assert.equal(url('host:9443', {secure: true}), 'https://host:9443');
	assert.equal(url('http://host', {secure: true}), 'http://host:8222');
	assert.equal(url('host', {secure: false}), 'http://host:8222');
});

test('credentials stay in url and are stripped from display', () => {
	assert.deepEqual(parseMonitorAddress('http://admin:s3cret@host:8222/nats/'), {
		ok: true,
		url: 'http://admin:s3cret@host:8222/nats',
		display: 'http://host:8222/nats',
	});
	assert.deepEqual(parseMonitorAddress('admin:s3cret@host'), {
		ok: true,
		url: 'http://admin:s3cret@host:8222',
		display: 'http://host:8222',
	});
	assert.deepEqual(parseMonitorAddress('https://admin@[::1]'), {
		ok: true,
		url: 'https://admin@[::1]:8222',
		display: 'https://[::1]:8222',
	});
});

test('bad ports are rejected with the accepted range', () => {
	for (const [input, port] of [
		['host:0', '0'],
		['host:65536', '65536'],
		['host:70000', '70000'],
		['host:abc', 'abc'],
		['http://host:12x', '12x'],
		['[::1]:-1', '-1'],
	] as const) {
		assert.equal(error(input), `bad port "${port}": must be a whole number from 1 to 65535`);
	}
	assert.match(error('host:'), /missing port after ":"/);
	assert.equal(url('host:65535'), 'http://host:65535');
	assert.equal(url('host:1'), 'http://host:1');
});

test('nats:// and tls:// are not monitoring addresses; ws:// is not supported', () => {
	const expected =
		'a nats:// or tls:// address is the client port, not a monitoring URL; give it as the address (natscope nats://host:4222) or use http://host:8222';
	assert.equal(error('nats://host:4222'), expected);
	assert.equal(error('tls://host:4222'), expected);
	assert.equal(error('NATS://user:pw@host:4222'), expected);
	assert.match(error('ws://host:8080'), /websocket addresses .* are not supported/);
});

test('other schemes are unsupported', () => {
	assert.equal(error('ftp://host'), 'unsupported scheme "ftp://"; use http:// or https:// (the monitoring port)');
	assert.match(error('http:/host'), /malformed scheme/);
});

test('empty hosts, spaces and unbracketed IPv6 are rejected', () => {
	assert.equal(error('http://'), 'empty host in the address');
	assert.equal(error('http://:8222'), 'empty host in the address');
	assert.equal(error('https:///nats'), 'empty host in the address');
	assert.equal(error('[]:8222'), 'empty host in the address');
	assert.equal(error('user:pw@:8222'), 'empty host in the address');
	assert.equal(error('my host'), 'the address must not contain spaces');
	assert.equal(error('http://host:8222/a b'), 'the address must not contain spaces');
	assert.match(error('::1'), /brackets, e\.g\. \[::1\]:8222/);
	assert.match(error('[::1'), /unclosed "\["/);
	assert.match(error('http://host:8222/varz?x=1'), /query/);
	assert.match(error('bad_host!'), /bad host "bad_host!"/);
	assert.match(error('-s'), /looks like a flag/);
});

test('errors never contain credentials', () => {
	for (const input of [
		'http://admin:s3cret@host:99999',
		'https://admin:s3cret@host:abc/x',
		'nats://admin:s3cret@host:4222',
		'admin:s3cret@host:0',
		'http://admin:s3cret@',
		'ftp://admin:s3cret@host',
	]) {
		const message = error(input);
		assert.ok(!message.includes('s3cret') && !message.includes('admin'), `leaked in: ${message}`);
	}
});

test('parseAddressParts reports only what the input spelled out', () => {
	assert.deepEqual(parseAddressParts('host'), {ok: true, parts: {scheme: undefined, host: 'host', port: undefined, path: '', username: '', password: ''}});
	assert.deepEqual(parseAddressParts(':9000'), {ok: true, parts: {scheme: undefined, host: undefined, port: 9000, path: '', username: '', password: ''}});
	assert.deepEqual(parseAddressParts('https://u:p@[::1]/x/'), {ok: true, parts: {scheme: 'https', host: '::1', port: undefined, path: '/x', username: 'u', password: 'p'}});
	assert.deepEqual(parseAddressParts(''), {ok: true, parts: {path: '', username: '', password: ''}});
});

test('parsePort and redactAddress', () => {
	assert.deepEqual(parsePort('8222'), {ok: true, port: 8222});
	assert.deepEqual(parsePort('0'), {ok: false, error: 'bad port "0": must be a whole number from 1 to 65535'});
	assert.equal(redactAddress('http://u:pw@host:1/x/'), 'http://host:1/x');
	assert.equal(redactAddress('u:pw@host'), 'host');
	assert.equal(redactAddress('nats://u:pw@host'), 'nats://host');
	assert.equal(redactAddress('tls://tok@[::1]:4223'), 'tls://[::1]:4223');
	assert.equal(redactAddress('nats://u:pw@host/x'), '(invalid address)');
});

function nats(input: string) {
	const result = parseNatsAddress(input);
	assert.ok(result.ok, `expected "${input}" to parse, got ${result.ok ? '' : result.error}`);
	return result.address;
}

function natsError(input: string): string {
	const result = parseNatsAddress(input);
	assert.ok(!result.ok, `expected "${input}" to be rejected`);
	return result.error;
}

test('NATS addresses: scheme kept, port 4222 by default, no scheme means nats://', () => {
	const cases: Array<[string, string]> = [
		['nats://host', 'nats://host:4222'],
		['nats://host:4223', 'nats://host:4223'],
		['tls://host', 'tls://host:4222'],
		['TLS://Host.Example:7422/', 'tls://host.example:7422'],
		['nats://[::1]', 'nats://[::1]:4222'],
		['nats://[::1]:4333', 'nats://[::1]:4333'],
		['host:5000', 'nats://host:5000'],
		['10.0.0.1', 'nats://10.0.0.1:4222'],
	];
	for (const [input, expected] of cases) assert.deepEqual(nats(input), {url: expected}, input);
});

test('credentials in a NATS URL come out of the URL: user:pass@ or token@, percent-decoded', () => {
	assert.deepEqual(nats('nats://sys:s3cret@host:4222'), {url: 'nats://host:4222', credentials: {kind: 'user-password', user: 'sys', password: 's3cret'}});
	assert.deepEqual(nats('nats://t0ken@host'), {url: 'nats://host:4222', credentials: {kind: 'token', token: 't0ken'}});
	assert.deepEqual(nats('tls://a%40b:p%3Aw@[::1]:4222'), {url: 'tls://[::1]:4222', credentials: {kind: 'user-password', user: 'a@b', password: 'p:w'}});
	assert.deepEqual(nats('nats://u:@host'), {url: 'nats://host:4222', credentials: {kind: 'user-password', user: 'u', password: ''}});
});

test('bad NATS addresses say what is wrong without the credentials', () => {
	assert.match(natsError('http://host:8222'), /"http:\/\/" is the monitoring port; a NATS address is nats:\/\/host:4222/);
	assert.match(natsError('wss://host'), /websocket/);
	assert.match(natsError('ftp://host'), /unsupported scheme "ftp:\/\/"; use nats:\/\/ or tls:\/\//);
	assert.equal(natsError('nats://host/x'), 'a nats:// address has no path; give nats://host:port');
	assert.equal(natsError('nats://host:0'), 'bad port "0": must be a whole number from 1 to 65535');
	assert.equal(natsError('nats://:4222'), 'empty host in the address');
	assert.equal(natsError(''), 'empty address; give nats://host:4222');
	assert.match(natsError('::1'), /nats:\/\/\[::1\]:4222/);
	for (const input of ['nats://admin:s3cret@host:99999', 'nats://admin:s3cret@', 'nats://admin:s3cret@host/x', 'tls://admin:s3cret@host?x']) {
		const message = natsError(input);
		assert.ok(!message.includes('s3cret') && !message.includes('admin'), `leaked in: ${message}`);
	}
});

test('addressScheme and isNatsAddress classify what was typed', () => {
	assert.equal(addressScheme('NATS://h'), 'nats');
	assert.equal(addressScheme('host:4222'), undefined);
	assert.equal(isNatsAddress('nats://h'), true);
	assert.equal(isNatsAddress('tls://h'), true);
	assert.equal(isNatsAddress('ws://h'), true, 'ws is a NATS address (refused later, with a clear message)');
	assert.equal(isNatsAddress('http://h'), false);
	assert.equal(isNatsAddress('h:4222'), false, 'no scheme means the monitoring port (nats-top)');
});
