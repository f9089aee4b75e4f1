import {test} from 'node:test';
import assert from 'node:assert/strict';
import {SORT_DIRECTION, SORT_KEYS, isSortKey, parseVersion, serverCanSort, versionAtLeast} from '../../source/model/capabilities.js';

test('parseVersion', () => {
	assert.deepEqual(parseVersion('2.9.10'), [2, 9, 10]);
	assert.deepEqual(parseVersion('v2.10.3-beta.1'), [2, 10, 3]);
	assert.deepEqual(parseVersion(' 2.11.0 '), [2, 11, 0]);
	assert.equal(parseVersion(''), undefined);
	assert.equal(parseVersion('2.10'), undefined);
	assert.equal(parseVersion('nats'), undefined);
});

test('versionAtLeast compares numerically, unparseable is false', () => {
	assert.equal(versionAtLeast('2.9.17', '2.9.17'), true);
	assert.equal(versionAtLeast('2.9.10', '2.9.17'), false);
	assert.equal(versionAtLeast('2.10.0', '2.9.17'), true, '10 > 9, not "1" < "9"');
	assert.equal(versionAtLeast('3.0.0', '2.9.17'), true);
	assert.equal(versionAtLeast('1.99.99', '2.0.0'), false);
	assert.equal(versionAtLeast('garbage', '2.0.0'), false);
	assert.equal(versionAtLeast('', '0.0.0'), false);
});

test('SORT_DIRECTION follows the server: cid/start/uptime/reason ascending, the rest descending', () => {
	const asc = SORT_KEYS.filter(k => SORT_DIRECTION[k] === 'asc').sort();
	assert.deepEqual(asc, ['cid', 'reason', 'start', 'uptime']);
	assert.equal(SORT_DIRECTION.pending, 'desc');
	assert.equal(SORT_DIRECTION.rtt, 'desc');
	assert.equal(SORT_DIRECTION.idle, 'desc');
	assert.equal(SORT_DIRECTION.stop, 'desc');
});

test('SORT_KEYS: pending first, every key once', () => {
	assert.deepEqual(SORT_KEYS, ['pending', 'cid', 'subs', 'msgs_to', 'msgs_from', 'bytes_to', 'bytes_from', 'idle', 'last', 'uptime', 'start', 'rtt', 'stop', 'reason']);
	assert.equal(new Set(SORT_KEYS).size, Object.keys(SORT_DIRECTION).length);
	assert.ok(isSortKey('rtt'));
	assert.ok(!isSortKey('RTT'));
	assert.ok(!isSortKey('toString'));
	assert.ok(!isSortKey(''));
});

test('serverCanSort: rtt needs 2.9.17', () => {
	assert.deepEqual(serverCanSort('rtt', '2.9.10', 'open'), {ok: false, reason: 'nats-server 2.9.10 cannot sort by rtt (needs 2.9.17)'});
	assert.deepEqual(serverCanSort('rtt', '2.9.17', 'open'), {ok: true});
	assert.deepEqual(serverCanSort('rtt', '2.10.3', 'closed'), {ok: true});
	assert.deepEqual(serverCanSort('pending', '2.9.10', 'open'), {ok: true});
});

test('serverCanSort: stop and reason need state closed', () => {
	for (const key of ['stop', 'reason'] as const) {
		assert.deepEqual(serverCanSort(key, '2.10.3', 'open'), {ok: false, reason: 'stop/reason sorting needs --state closed'});
		assert.deepEqual(serverCanSort(key, '2.10.3', 'all'), {ok: false, reason: 'stop/reason sorting needs --state closed'});
		assert.deepEqual(serverCanSort(key, '2.10.3', 'closed'), {ok: true});
	}
});

test('serverCanSort before the version is known', () => {
	for (const key of SORT_KEYS) {
		if (key === 'rtt' || key === 'stop' || key === 'reason') continue;
		assert.deepEqual(serverCanSort(key, '', 'open'), {ok: true}, key);
	}
	assert.deepEqual(serverCanSort('stop', '', 'closed'), {ok: true});
	assert.deepEqual(serverCanSort('rtt', '', 'open'), {ok: false, reason: 'server version not known yet'});
});
