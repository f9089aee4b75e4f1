import {test} from 'node:test';
import assert from 'node:assert/strict';
import {connRates, connzElapsedMs, varzRates} from '../../source/model/rates.js';
import {buildConnRows} from '../../source/model/connections.js';
import {makeConn, makeConnz, makeVarz} from '../helpers/fixtures.js';

const T0 = Date.parse('2026-11-22T12:00:00Z');

test('varzRates: counter deltas per second of server time', () => {
	const prev = makeVarz({now_ms: T0, in_msgs: 1000, out_msgs: 2000, in_bytes: 100_000, out_bytes: 200_000});
	const cur = makeVarz({now_ms: T0 + 2000, in_msgs: 3000, out_msgs: 2000, in_bytes: 104_000, out_bytes: 210_000});
	assert.deepEqual(varzRates(prev, cur), {inMsgs: 1000, outMsgs: 0, inBytes: 2000, outBytes: 5000});
});

test('varzRates: no rate without a previous sample, elapsed time, the same server or a rising counter', () => {
	const prev = makeVarz({now_ms: T0});
	assert.equal(varzRates(undefined, prev), undefined, 'first sample');
	assert.equal(varzRates(prev, makeVarz({now_ms: T0})), undefined, 'zero elapsed');
	assert.equal(varzRates(prev, makeVarz({now_ms: T0 - 1000})), undefined, 'server clock went back');
	assert.equal(varzRates(prev, makeVarz({now_ms: T0 + 1000, server_id: 'OTHER'})), undefined, 'another server');
	// server restarted: counters start again from zero
	assert.equal(varzRates(prev, makeVarz({now_ms: T0 + 1000, in_msgs: 5})), undefined, 'counter reset');
	assert.equal(varzRates(prev, makeVarz({now_ms: T0 + 1000, out_bytes: 0})), undefined, 'any counter reset');
});

test('connRates: to = out_* (server → client), from = in_*', () => {
	const prev = makeConn({in_msgs: 10, out_msgs: 20, in_bytes: 1000, out_bytes: 2000});
	const cur = makeConn({in_msgs: 30, out_msgs: 420, in_bytes: 1500, out_bytes: 42_000});
	assert.deepEqual(connRates(prev, cur, 4000), {msgsTo: 100, msgsFrom: 5, bytesTo: 10_000, bytesFrom: 125});
	assert.equal(connRates(undefined, cur, 4000), undefined, 'new connection');
	assert.equal(connRates(prev, cur, 0), undefined);
	assert.equal(connRates(prev, cur, -5), undefined);
	assert.equal(connRates(cur, prev, 4000), undefined, 'counters went backwards');
	assert.equal(connRates(prev, makeConn({...cur, start: '2026-11-22T11:59:00Z'}), 4000), undefined, 'a reused cid is a different connection');
});

test('connzElapsedMs uses the two answers\' own now, from one server only', () => {
	const a = makeConnz([], {now_ms: T0});
	assert.equal(connzElapsedMs(undefined, a), undefined);
	assert.equal(connzElapsedMs(a, makeConnz([], {now_ms: T0 + 1500})), 1500);
	assert.equal(connzElapsedMs(a, makeConnz([], {now_ms: T0})), undefined);
	assert.equal(connzElapsedMs(a, makeConnz([], {now_ms: T0 + 1500, server_id: 'OTHER'})), undefined);
});

test('connection rates across samples: elapsed by server clock, appearing and leaving connections', () => {
	const prev = makeConnz(
		[makeConn({cid: 1, out_msgs: 100}), makeConn({cid: 2, out_msgs: 50}), makeConn({cid: 3, out_msgs: 7})],
		{now_ms: T0},
	);
	// The server says 2 s passed; however long the poll took on the local clock does not matter.
	const cur = makeConnz(
		[makeConn({cid: 1, out_msgs: 300}), makeConn({cid: 4, out_msgs: 999}), makeConn({cid: 2, out_msgs: 50})],
		{now_ms: T0 + 2000},
	);
	const rows = buildConnRows({connz: cur, prev});
	assert.deepEqual(rows.map(r => r.conn.cid), [1, 4, 2], 'rows follow the current answer; cid 3 is gone');
	assert.equal(rows[0]!.rates?.msgsTo, 100);
	assert.equal(rows[1]!.rates, undefined, 'cid 4 is new: no rate yet');
	assert.equal(rows[2]!.rates?.msgsTo, 0, 'cid 2 idle: a real zero');
	assert.equal(rows[0]!.key, `${cur.server_id}:1`);

	const first = buildConnRows({connz: cur});
	assert.ok(first.every(r => r.rates === undefined), 'a first sample has no rates');

	const restarted = makeConnz([makeConn({cid: 1, out_msgs: 3})], {now_ms: T0 + 4000});
	assert.equal(buildConnRows({connz: restarted, prev: cur})[0]!.rates, undefined, 'counter reset → no rate');
});
