import {test} from 'node:test';
import assert from 'node:assert/strict';
import {decodeConnz, decodeHealthz, decodeVarz, parseJson, timeMs} from '../../source/sources/decode.js';
import {redactUrl, toSourceError} from '../../source/sources/errors.js';
import {SourceError} from '../../source/sources/types.js';

test('varz: defaults for missing and ill-typed fields, cluster and jetstream derived', () => {
	const varz = decodeVarz({server_id: 'S', cpu: 'lots', mem: Number.NaN, cluster: {name: 'east'}, jetstream: {config: {max_memory: 1}}, now: '2026-11-22T14:51:18.345083362Z'});
	assert.equal(varz.server_id, 'S');
	assert.equal(varz.cpu, 0);
	assert.equal(varz.mem, 0);
	assert.equal(varz.server_name, '');
	assert.equal(varz.cluster, 'east');
	assert.equal(varz.jetstream, true);
	assert.equal(varz.now_ms, Date.UTC(2026, 10, 22, 14, 51, 18, 345));
	assert.equal(decodeVarz({}).jetstream, false);
});

test('every string is sanitized at the boundary', () => {
	const connz = decodeConnz({
		server_id: 'S',
		connections: [{cid: 1, name: 'evil\u001b]0;pwned\u0007\u001b[2J', lang: 'go\u009b31m', subscriptions_list: ['a.\u001b[1m'], subscriptions_list_detail: [{subject: 'x\u0000y', sid: 1}]}, 'junk', null],
	});
	assert.equal(connz.connections.length, 1, 'non-objects in the list are dropped');
	const [conn] = connz.connections;
	assert.equal(conn!.name, 'evil␛]0;pwned␇␛[2J');
	assert.doesNotMatch(conn!.lang, /\u009b/);
	assert.equal(conn!.subscriptions_list[0], 'a.␛[1m');
	assert.equal(conn!.subscriptions_list_detail[0]!.subject, 'x␀y');
	assert.equal(conn!.subscriptions_list_detail[0]!.sid, '1', 'numbers where strings belong are kept as text');
	assert.deepEqual(conn!.tags, []);
});

test('top level must be an object; bad JSON is "malformed"', () => {
	assert.throws(() => decodeVarz([]), (e: unknown) => e instanceof SourceError && e.code === 'decode');
	assert.throws(() => decodeConnz('x'), (e: unknown) => e instanceof SourceError && e.code === 'decode');
	assert.throws(() => parseJson('<html>\u001b[2J', '/varz'), (e: unknown) => e instanceof SourceError && e.code === 'malformed' && !e.message.includes('\u001b'));
	assert.deepEqual(decodeHealthz({status: 'ok'}, 200), {status: 'ok', error: '', http_status: 200});
	assert.equal(timeMs('garbage'), 0);
});

test('errors name the address without credentials and carry a hint', () => {
	assert.equal(redactUrl('https://admin:s3cret@host:8222/x?token=abc'), 'https://host:8222/x?token=REDACTED');
	const refused = toSourceError(Object.assign(new Error('connect ECONNREFUSED'), {code: 'ECONNREFUSED'}), 'http://u:pw@127.0.0.1:9/');
	assert.equal(refused.code, 'refused');
	assert.doesNotMatch(refused.message, /pw/);
	assert.match(refused.hint, /-m 8222/);
	assert.equal(toSourceError(Object.assign(new Error('x'), {code: 'ENOTFOUND'}), 'http://nohost:8222').code, 'dns');
	const tls = toSourceError(Object.assign(new Error('self-signed certificate'), {code: 'DEPTH_ZERO_SELF_SIGNED_CERT'}), 'https://h:8222');
	assert.equal(tls.code, 'tls');
	assert.match(tls.hint, /--tlsca/);
	const plain = toSourceError(Object.assign(new Error('wrong version number'), {code: 'ERR_SSL_WRONG_VERSION_NUMBER'}), 'https://h:8222');
	assert.match(plain.hint, /http:\/\//);
	const client = toSourceError(Object.assign(new Error('Parse Error: Expected HTTP/'), {code: 'HPE_INVALID_CONSTANT', rawPacket: Buffer.from('INFO {"server_id":"x"}\r\n')}), 'http://h:4222');
	assert.equal(client.code, 'wrong-port');
	assert.match(client.hint, /8222/);
});

test('connz: wrapper and connection defaults, ill-typed lists, limited to what was sent', () => {
	const empty = decodeConnz({});
	assert.deepEqual(empty, {server_id: '', now: '', now_ms: 0, num_connections: 0, total: 0, offset: 0, limit: 0, connections: []});
	const connz = decodeConnz({
		now: '2026-11-22T14:51:18.1Z',
		total: '5',
		limit: Number.POSITIVE_INFINITY,
		connections: [{cid: 7, pending_bytes: -Number.NaN, tags: 'not-a-list', subscriptions_list: [1, 'a', null], subscriptions_list_detail: 'nope'}],
	});
	assert.equal(connz.now_ms, Date.UTC(2026, 10, 22, 14, 51, 18, 100));
	assert.equal(connz.total, 0, 'a numeric string is not a number');
	assert.equal(connz.limit, 0, 'non-finite numbers become 0');
	assert.equal(connz.connections.length, 1);
	const [conn] = connz.connections;
	assert.equal(conn!.cid, 7);
	assert.equal(conn!.pending_bytes, 0);
	assert.deepEqual(conn!.tags, []);
	assert.deepEqual(conn!.subscriptions_list, ['a']);
	assert.deepEqual(conn!.subscriptions_list_detail, []);
	assert.equal(conn!.name, '');
	assert.equal(conn!.rtt, '');
	assert.deepEqual(decodeConnz({connections: {cid: 1}}).connections, [], 'connections must be a list');
	const detail = decodeConnz({connections: [{subscriptions_list_detail: [{account: '$G', subject: 'a.b', qgroup: 'q', sid: '3', msgs: 4, max: 0, cid: 9}, [], 'x']}]});
	assert.deepEqual(detail.connections[0]!.subscriptions_list_detail, [{account: '$G', subject: 'a.b', qgroup: 'q', sid: '3', msgs: 4, max: 0, cid: 9}]);
});

test('timestamps: nanoseconds, fewer digits, offsets, and junk', () => {
	assert.equal(timeMs('2026-11-22T14:51:18.345083362Z'), Date.UTC(2026, 10, 22, 14, 51, 18, 345));
	assert.equal(timeMs('2026-11-22T14:51:18Z'), Date.UTC(2026, 10, 22, 14, 51, 18));
	assert.equal(timeMs('2026-11-22T14:51:18.5Z'), Date.UTC(2026, 10, 22, 14, 51, 18, 500));
	assert.equal(timeMs('2026-11-22T15:51:18.345083362+01:00'), Date.UTC(2026, 10, 22, 14, 51, 18, 345));
	assert.equal(timeMs(''), 0);
	assert.equal(decodeVarz({now: 12}).now_ms, 0, 'a number is not a time');
});

test('varz: jetstream only when jetstream.config is an object; ill-typed nested objects', () => {
	assert.equal(decodeVarz({jetstream: {}}).jetstream, false, 'what 2.9.10 sends without JetStream');
	assert.equal(decodeVarz({jetstream: {config: {}}}).jetstream, true);
	assert.equal(decodeVarz({jetstream: {config: 'yes'}}).jetstream, false);
	assert.equal(decodeVarz({cluster: 'east'}).cluster, '');
	assert.equal(decodeVarz({cluster: {name: 'e\u001b[2Jast'}}).cluster, 'e␛[2Jast');
	assert.equal(decodeVarz({server_name: 'x'.repeat(5000)}).server_name.length, 1024, 'long strings are cut');
	assert.equal(decodeVarz({version: ['2.9.10']}).version, '');
});

test('healthz: 503 bodies decode, status kept, strings sanitized', () => {
	assert.deepEqual(decodeHealthz({status: 'unavailable', error: 'JetStream \u001b[31mdown'}, 503), {status: 'unavailable', error: 'JetStream ␛[31mdown', http_status: 503});
	assert.deepEqual(decodeHealthz({}, 200), {status: '', error: '', http_status: 200});
	assert.throws(() => decodeHealthz(null, 200), (e: unknown) => e instanceof SourceError && e.code === 'decode');
});

test('parseJson: valid text parses, empty and cut bodies are "malformed" with a short excerpt', () => {
	assert.deepEqual(parseJson('{"a":1}'), {a: 1});
	assert.throws(() => parseJson(''), (e: unknown) => e instanceof SourceError && e.code === 'malformed' && /empty body/.test(e.message));
	assert.throws(
		() => parseJson(`{"server_id": "x", ${'y'.repeat(10_000)}`, '/varz'),
		(e: unknown) => e instanceof SourceError && e.code === 'malformed' && e.message.startsWith('/varz') && e.message.length < 200,
	);
});

test('error mapping: timeouts, resets, aborts, TLS reasons, unknowns; never a stack', () => {
	const timeout = toSourceError(Object.assign(new Error('connect ETIMEDOUT'), {code: 'ETIMEDOUT'}), 'http://10.0.0.1:8222', 2500);
	assert.equal(timeout.code, 'timeout');
	assert.match(timeout.message, /10\.0\.0\.1:8222 did not answer within 2\.5 s/);
	assert.equal(toSourceError(Object.assign(new Error('socket hang up'), {code: 'ECONNRESET'}), 'http://h:8222').code, 'reset');
	assert.equal(toSourceError(Object.assign(new Error('write EPIPE'), {code: 'EPIPE'}), 'http://h:8222').code, 'reset');
	assert.equal(toSourceError(Object.assign(new Error('x'), {code: 'EHOSTUNREACH'}), 'http://h:8222').code, 'refused');
	assert.equal(toSourceError(Object.assign(new Error('x'), {code: 'EAI_AGAIN'}), 'http://h:8222').code, 'dns');
	const abort = new Error('The operation was aborted');
	abort.name = 'AbortError';
	assert.equal(toSourceError(abort, 'http://h:8222').code, 'aborted');
	const proto = toSourceError(
		Object.assign(new Error('write EPROTO 807C6615917F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:'), {code: 'EPROTO'}),
		'https://h:8222',
	);
	assert.equal(proto.code, 'tls');
	assert.equal(proto.message, 'TLS with h:8222 failed: wrong version number');
	assert.match(proto.hint, /http:\/\/ for a plain/);
	const other = toSourceError(Object.assign(new Error('boom\n    at somewhere (file.js:1:1)'), {code: 'EWEIRD'}), 'http://u:p@h:8222');
	assert.equal(other.code, 'unknown');
	assert.doesNotMatch(other.message, /at somewhere|u:p/);
	assert.equal(toSourceError('a string', 'http://h:8222').code, 'unknown');
	const notHttp = toSourceError(Object.assign(new Error('Parse Error: Expected HTTP/'), {code: 'HPE_INVALID_CONSTANT', rawPacket: Buffer.from('SSH-2.0-OpenSSH\r\n')}), 'http://h:22');
	assert.equal(notHttp.code, 'wrong-port');
	assert.match(notHttp.message, /not with HTTP/);
});

test('redactUrl: userinfo and secret-looking parameters, URL or not', () => {
	assert.equal(redactUrl('http://127.0.0.1:8222'), 'http://127.0.0.1:8222');
	assert.equal(redactUrl('http://127.0.0.1:8222/prefix/'), 'http://127.0.0.1:8222/prefix');
	assert.equal(redactUrl('http://tok@h:8222/?auth_token=x&limit=5'), 'http://h:8222/?auth_token=REDACTED&limit=5');
	assert.equal(redactUrl('user:pw@host:8222'), 'host:8222');
	assert.equal(redactUrl('http://us er:pw@[bad'), 'http://[bad');
});
