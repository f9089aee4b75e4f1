import {test} from 'node:test';
import assert from 'node:assert/strict';
import {SeenConnections} from '../../source/model/seen.js';
import {buildConnRows} from '../../source/model/connections.js';
import {makeConn, makeConnz} from '../helpers/fixtures.js';

const T0 = Date.parse('2026-11-22T12:00:00Z');

test('a row missing from the previous page still gets a rate, against when it was last seen', () => {
	const seen = new SeenConnections();
	const first = makeConnz([makeConn({cid: 1, out_msgs: 100}), makeConn({cid: 2, out_msgs: 500})], {now_ms: T0});
	seen.record(first);
	// the next page (ties reordered by the server) has cid 2 but not cid 1
	const second = makeConnz([makeConn({cid: 3, out_msgs: 7}), makeConn({cid: 2, out_msgs: 700})], {now_ms: T0 + 1000});
	seen.record(second);
	// the third page has cid 1 again, two seconds after it was last seen
	const third = makeConnz([makeConn({cid: 1, out_msgs: 300}), makeConn({cid: 2, out_msgs: 800})], {now_ms: T0 + 2000});
	seen.record(third);
	const rows = buildConnRows({connz: third, prev: second, seen});
	assert.equal(rows[0]!.rates?.msgsTo, 100, '(300 − 100) / 2 s');
	assert.equal(rows[1]!.rates?.msgsTo, 100, '(800 − 700) / 1 s');
	const again = buildConnRows({connz: third, prev: second, seen});
	assert.equal(again[0]!.rates?.msgsTo, 100, 'rebuilding rows for the same answer gives the same rates');
	const newcomer = buildConnRows({connz: second, seen});
	assert.equal(newcomer[0]!.rates, undefined, 'a connection seen once has no rate yet');
});

test('recording the same answer twice keeps the earlier sample', () => {
	const seen = new SeenConnections();
	const answer = makeConnz([makeConn({cid: 1})], {now_ms: T0});
	seen.record(answer);
	seen.record(answer);
	assert.equal(seen.before(answer.server_id, 1, T0), undefined);
	assert.equal(seen.before(answer.server_id, 1, T0 + 1)?.nowMs, T0);
	assert.equal(seen.size, 1);
});

test('only the counters of a connection are kept, not the decoded connection', () => {
	const seen = new SeenConnections();
	const conn = makeConn({cid: 1, name: 'a client with a long name', out_msgs: 5, in_bytes: 9});
	const answer = makeConnz([conn], {now_ms: T0});
	seen.record(answer);
	const earlier = seen.before(answer.server_id, 1, T0 + 1)!;
	assert.notEqual(earlier.conn, conn, 'a copy of the counters');
	assert.deepEqual(earlier.conn, {start: conn.start, in_msgs: conn.in_msgs, out_msgs: 5, in_bytes: 9, out_bytes: conn.out_bytes});
});

test('connections not seen for the forget time are dropped, per server', () => {
	const seen = new SeenConnections(1000);
	seen.record(makeConnz([makeConn({cid: 1}), makeConn({cid: 2})], {now_ms: T0}));
	const other = makeConnz([makeConn({cid: 1})], {now_ms: T0});
	other.server_id = 'OTHER';
	seen.record(other);
	assert.equal(seen.size, 3);
	// Pruning runs after 20,000 recorded connections.
	const many = makeConnz(Array.from({length: 20_001}, (_, i) => makeConn({cid: 100 + i})), {now_ms: T0 + 5000});
	seen.record(many);
	assert.equal(seen.size, 20_001);
	assert.equal(seen.before(many.server_id, 1, T0 + 6000), undefined);
	assert.equal(seen.before('OTHER', 1, T0 + 6000), undefined);
	assert.equal(seen.before(many.server_id, 100, T0 + 6000)?.nowMs, T0 + 5000);
});

test('a connection seen on every refresh: each rate against the sample just before', () => {
	const seen = new SeenConnections();
	const answers = Array.from({length: 6}, (_, i) => makeConnz([makeConn({cid: 9, out_msgs: 1000 * i * i, start: i < 4 ? 'S1' : 'S2'})], {now_ms: T0 + i * 1000}));
	for (let i = 0; i < answers.length; i++) {
		seen.record(answers[i]!);
		const rows = buildConnRows({connz: answers[i]!, seen});
		if (i === 0) assert.equal(rows[0]!.rates, undefined);
		else if (i === 4) assert.equal(rows[0]!.rates?.msgsTo, undefined, 'a new start (a reused cid) has no rate against the old one');
		else assert.equal(rows[0]!.rates?.msgsTo, 1000 * (i * i - (i - 1) * (i - 1)), `refresh ${i}`);
		const before = seen.before(answers[i]!.server_id, 9, answers[i]!.now_ms + 1);
		assert.equal(before?.nowMs, T0 + i * 1000, 'the newest sample is this answer');
	}
});
