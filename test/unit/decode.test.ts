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
