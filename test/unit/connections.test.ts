import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {ConnInfo, Connz, ConnzSortKey} from '../../source/sources/types.js';
import {buildConnRows, filterRows, mergeTopN, sortRowsLocally, type ConnRow} from '../../source/model/connections.js';
import {SORT_KEYS} from '../../source/model/capabilities.js';
import {makeConn, makeConnz} from '../helpers/fixtures.js';

function rows(conns: Array<Partial<ConnInfo>>, serverId = 'S1'): ConnRow[] {
	return buildConnRows({connz: makeConnz(conns.map(c => makeConn(c)), {server_id: serverId}), serverName: serverId.toLowerCase()});
}

const cids = (list: ConnRow[]) => list.map(r => r.conn.cid);

/** The connections model of two servers' answers (A and B) in merge mode, as the app builds it. */
async function twoServerModel(connz: Connz[], sort: ConnzSortKey, pageSize: number) {
	const {buildConnectionsModel} = await import('../../source/model/connections-view.js');
	const {planConnections} = await import('../../source/model/plan.js');
	const plan = planConnections({sort, reverse: false, state: 'open', filter: '', showSubs: false, scrollTop: 0, pageSize, total: 0, version: '2.9.10', serverFiltersSubject: true, servers: 2});
	assert.equal(plan.mode, 'merge');
	return buildConnectionsModel({
		answer: {connz, previous: [], serverNames: new Map([['A', 'a'], ['B', 'b']]), maxPending: new Map()},
		plan,
		sort,
		reverse: false,
		state: 'open',
		filter: '',
		scrollTop: 0,
		pageSize,
		selected: 0,
		width: 120,
		mode: 'rates',
		showSubs: false,
		raw: true,
	});
}

test('buildConnRows: key, server, pending share and host', () => {
	const connz = makeConnz([makeConn({cid: 7, ip: '10.0.0.5', port: 4711, pending_bytes: 1_048_576})], {server_id: 'SRV'});
	const [row] = buildConnRows({connz, maxPending: 4 * 1_048_576, serverName: 'nats-a'});
	assert.equal(row!.key, 'SRV:7');
	assert.equal(row!.serverId, 'SRV');
	assert.equal(row!.serverName, 'nats-a');
	assert.equal(row!.pendingPct, 25);
	assert.equal(row!.host, '10.0.0.5:4711');
	const resolved = buildConnRows({connz, resolveHost: ip => (ip === '10.0.0.5' ? 'worker-5.lan' : undefined)});
	assert.equal(resolved[0]!.host, 'worker-5.lan:4711');
	assert.equal(resolved[0]!.pendingPct, undefined, 'max_pending not known');
	assert.equal(buildConnRows({connz, resolveHost: () => undefined})[0]!.host, '10.0.0.5:4711');
	assert.equal(buildConnRows({connz, maxPending: 0})[0]!.pendingPct, undefined);
});

test('filterRows: case-insensitive substring over the fields people search by', () => {
	const list = rows([
		{cid: 1, name: 'Orders-API', ip: '10.0.0.1', account: 'SALES', lang: 'go', version: '1.31.0'},
		{cid: 2, name: 'billing', ip: '10.0.0.2', account: 'FIN', lang: 'python3', version: '2.6.0', authorized_user: 'alice'},
		{cid: 23, name: 'reports', ip: '192.168.1.9', account: 'FIN', lang: 'nats.js', version: '2.29.3'},
	]);
	assert.equal(filterRows(list, ''), list, 'empty filter returns the same array');
	assert.deepEqual(cids(filterRows(list, 'orders')), [1], 'name, ignoring case');
	assert.deepEqual(cids(filterRows(list, 'fin')), [2, 23], 'account');
	assert.deepEqual(cids(filterRows(list, '192.168')), [23], 'ip');
	assert.deepEqual(cids(filterRows(list, 'PYTHON')), [2], 'lang');
	assert.deepEqual(cids(filterRows(list, '2.29')), [23], 'version');
	assert.deepEqual(cids(filterRows(list, 'ALICE')), [2], 'authorized user');
	assert.deepEqual(cids(filterRows(list, '2')), [2, 23], 'cid as text (and 2.x versions)');
	assert.deepEqual(cids(filterRows(list, ':50000')), [1, 2, 23], 'host ip:port');
	assert.deepEqual(filterRows(list, 'nothing-like-this'), []);
});

test('sortRowsLocally orders as the server does for each key, ties by cid', () => {
	const list = rows([
		{cid: 3, subscriptions: 5, pending_bytes: 10, out_msgs: 1, in_msgs: 9, out_bytes: 100, in_bytes: 5, rtt: '1.5ms', uptime: '2h0m0s', idle: '3s', start: '2026-11-22T10:00:00Z', last_activity: '2026-11-22T11:59:00Z'},
		{cid: 1, subscriptions: 5, pending_bytes: 999, out_msgs: 7, in_msgs: 2, out_bytes: 700, in_bytes: 50, rtt: '850µs', uptime: '5m0s', idle: '1m2s', start: '2026-11-22T11:55:00Z', last_activity: '2026-11-22T11:59:59.5Z'},
		{cid: 2, subscriptions: 9, pending_bytes: 0, out_msgs: 3, in_msgs: 4, out_bytes: 300, in_bytes: 500, rtt: '12ms', uptime: '1d2h0m0s', idle: '0s', start: '2026-11-21T09:00:00Z', last_activity: '2026-11-22T11:00:00Z'},
	]);
	const expected: Partial<Record<ConnzSortKey, number[]>> = {
		cid: [1, 2, 3],
		start: [2, 3, 1],
		subs: [2, 1, 3], // 9 first, then the tie 5/5 by cid
		pending: [1, 3, 2],
		msgs_to: [1, 2, 3],
		msgs_from: [3, 2, 1],
		bytes_to: [1, 2, 3],
		bytes_from: [2, 1, 3],
		last: [1, 3, 2],
		idle: [1, 3, 2],
		uptime: [1, 3, 2], // shortest first, as nats-server does
		rtt: [2, 3, 1], // parsed, not compared as text: 12ms > 1.5ms > 850µs
	};
	for (const [key, order] of Object.entries(expected)) {
		assert.deepEqual(cids(sortRowsLocally(list, key as ConnzSortKey)), order, key);
	}
	assert.deepEqual(cids(list), [3, 1, 2], 'the input is left alone');
});

test('sortRowsLocally: rtt not measured yet sorts last; closed connections by stop and reason', () => {
	const list = rows([
		{cid: 1, rtt: '', stop: '2026-11-22T11:00:00Z', reason: 'Slow Consumer (Write Deadline)'},
		{cid: 2, rtt: '2ms', stop: '2026-11-22T11:30:00Z', reason: 'Client Closed'},
		{cid: 3, rtt: '1ms', stop: '2026-11-22T10:00:00Z', reason: 'Authorization Violation'},
		{cid: 4, rtt: '2ms', stop: '', reason: 'Client Closed'},
	]);
	assert.deepEqual(cids(sortRowsLocally(list, 'rtt')), [2, 4, 3, 1]);
	assert.deepEqual(cids(sortRowsLocally(list, 'stop')), [2, 1, 3, 4], 'newest stop first, none last');
	assert.deepEqual(cids(sortRowsLocally(list, 'reason')), [3, 2, 4, 1]);
});

test('sortRowsLocally is stable under every key for equal rows', () => {
	const same = rows([{cid: 9}, {cid: 4}, {cid: 6}]);
	for (const key of SORT_KEYS) assert.deepEqual(cids(sortRowsLocally(same, key)), [4, 6, 9], key);
});

test('mergeTopN merges per-server lists in the same order and keeps n', () => {
	const a = sortRowsLocally(rows([{cid: 1, pending_bytes: 500}, {cid: 2, pending_bytes: 20}, {cid: 3, pending_bytes: 0}], 'A'), 'pending');
	const b = sortRowsLocally(rows([{cid: 1, pending_bytes: 900}, {cid: 2, pending_bytes: 100}], 'B'), 'pending');
	const keys = (list: ConnRow[]) => list.map(r => r.key);
	assert.deepEqual(keys(mergeTopN([a, b], 'pending', 3)), ['B:1', 'A:1', 'B:2']);
	assert.deepEqual(keys(mergeTopN([a, b], 'pending', Number.POSITIVE_INFINITY)), ['B:1', 'A:1', 'B:2', 'A:2', 'A:3']);
	assert.deepEqual(mergeTopN([a, b], 'pending', 0), []);
	assert.deepEqual(mergeTopN([], 'pending', 5), []);
	assert.deepEqual(keys(mergeTopN([a, []], 'pending', 10)), keys(a));
	// Same cid on two servers with equal values: both kept, a deterministic order.
	const x = rows([{cid: 5}], 'X');
	const y = rows([{cid: 5}], 'Y');
	assert.deepEqual(keys(mergeTopN([y, x], 'cid', 10)), ['X:5', 'Y:5']);
	// Ascending key: cid merges smallest first.
	const c1 = rows([{cid: 1}, {cid: 4}], 'A');
	const c2 = rows([{cid: 2}, {cid: 3}], 'B');
	assert.deepEqual(keys(mergeTopN([c1, c2], 'cid', 10)), ['A:1', 'B:2', 'B:3', 'A:4']);
});

test('several servers in merge mode: one order across servers, total is the sum', async () => {
	const a = makeConnz([makeConn({cid: 1, pending_bytes: 50}), makeConn({cid: 2, pending_bytes: 0}), makeConn({cid: 3, pending_bytes: 0})], {server_id: 'A', total: 3});
	const b = makeConnz([makeConn({cid: 9, pending_bytes: 0}), makeConn({cid: 1, pending_bytes: 70})], {server_id: 'B', total: 2});
	const model = await twoServerModel([a, b], 'pending', 10);
	assert.equal(model.total, 5);
	assert.deepEqual(
		model.rows.map(r => `${r.serverId}:${r.conn.cid}`),
		['B:1', 'A:1', 'A:2', 'A:3', 'B:9'],
		'pending first, ties by cid then server, the B list reordered although it came unsorted',
	);
	assert.match(model.headerLine, /SERVER/);
	assert.equal(model.selectedRow?.serverId, 'B');
});

test('merge mode shows only the rows that every cut-off makes certain; past them, not loaded', async () => {
	// Sorted by cid: A sent its first 3 of 30, B its first 5 of 6. Past position 3, an unsent
	// row of A (cid 4, 5, …) may come before B's cid 40: not shown as if it were the truth.
	const a = makeConnz([1, 2, 3].map(cid => makeConn({cid})), {server_id: 'A', total: 30});
	const b = makeConnz([10, 20, 30, 40, 50].map(cid => makeConn({cid})), {server_id: 'B', total: 6});
	const model = await twoServerModel([a, b], 'cid', 6);
	assert.equal(model.total, 36);
	assert.deepEqual(model.rows.map(r => `${r.serverId}:${r.conn.cid}`), ['A:1', 'A:2', 'A:3']);
	assert.equal(model.lines.length, 6);
	assert.deepEqual(model.lines.slice(3).map(l => l.trim()), ['…', '…', '…']);
});
