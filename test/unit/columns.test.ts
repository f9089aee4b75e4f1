import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {ConnInfo} from '../../source/sources/types.js';
import {
	CONNECTION_COLUMNS,
	columnPriority,
	fitColumns,
	formatHeaderLine,
	formatRowLine,
	sortKeyColumns,
	type ColumnId,
	type ColumnLayout,
	type ColumnsOptions,
} from '../../source/model/columns.js';
import {buildConnRows, type ConnRow} from '../../source/model/connections.js';
import {SORT_KEYS} from '../../source/model/capabilities.js';
import {displayWidth, loadWideWidths} from '../../source/model/format.js';
import {makeConn, makeConnz} from '../helpers/fixtures.js';

// Text beyond ASCII and natscope's own glyphs is measured by string-width, loaded on demand.
await loadWideWidths();

const open: ColumnsOptions = {mode: 'rates', state: 'open', showSubs: false, multiServer: false};
const closed: ColumnsOptions = {...open, state: 'closed'};
const ids = (layout: ColumnLayout) => layout.columns.map(c => c.spec.id);
const T0 = Date.parse('2026-11-22T12:00:00Z');

function row(overrides: Partial<ConnInfo> = {}, withRates = true): ConnRow {
	const conn = makeConn(overrides);
	const before = makeConn({...overrides, in_msgs: conn.in_msgs - 20, out_msgs: conn.out_msgs - 2468, in_bytes: conn.in_bytes - 1024, out_bytes: conn.out_bytes - 3072});
	const [r] = buildConnRows({
		connz: makeConnz([conn], {now_ms: T0 + 2000}),
		prev: withRates ? makeConnz([before], {now_ms: T0}) : undefined,
		maxPending: 64 * 1024 * 1024,
		serverName: 'nats-a',
	});
	return r!;
}

/** Cells of one line, split by the layout's widths. */
function cells(layout: ColumnLayout, line: string): Map<ColumnId, string> {
	const out = new Map<ColumnId, string>();
	let chars = [...line];
	for (const {spec, width} of layout.columns) {
		// All test cells are narrow characters, so cells = code points here.
		out.set(spec.id, chars.slice(0, width).join('').trim());
		chars = chars.slice(width + 1);
	}
	return out;
}

test('80 columns keep cid, name, pending, msgs_to, msgs_from, subs and host', () => {
	const layout = fitColumns(open, 80);
	assert.deepEqual(ids(layout), ['cid', 'name', 'host', 'subs', 'pending', 'msgs_to', 'msgs_from'], 'display order');
	assert.ok(layout.width <= 80);
	assert.equal(layout.width, layout.columns.reduce((sum, c) => sum + c.width, 0) + layout.columns.length - 1);
	assert.equal(layout.mode, 'rates');
});

test('200 columns show every standard open-state column', () => {
	const layout = fitColumns(open, 200);
	assert.deepEqual(ids(layout), ['cid', 'name', 'host', 'account', 'subs', 'pending', 'msgs_to', 'msgs_from', 'bytes_to', 'bytes_from', 'lang', 'version', 'rtt', 'uptime', 'idle', 'last', 'start']);
	assert.ok(layout.width <= 200);
	assert.equal(layout.width, 200, 'flexible text columns take up the room left over');
});

test('optional columns: stop/reason unless open, subjects with showSubs, server with several servers', () => {
	const wide = 400;
	assert.ok(!ids(fitColumns(open, wide)).some(id => id === 'stop' || id === 'reason' || id === 'server' || id === 'subjects'));
	for (const state of ['closed', 'all'] as const) {
		const shown = ids(fitColumns({...open, state}, wide));
		assert.ok(shown.includes('stop') && shown.includes('reason'), state);
	}
	assert.ok(ids(fitColumns({...open, showSubs: true}, wide)).includes('subjects'));
	const multi = ids(fitColumns({...open, multiServer: true}, wide));
	assert.equal(multi[0], 'server');
	assert.equal(multi[1], 'cid');
});

test('closed connections at 80 columns keep stop and reason', () => {
	const shown = ids(fitColumns(closed, 80));
	assert.ok(shown.includes('stop') && shown.includes('reason') && shown.includes('cid') && shown.includes('name'), shown.join(','));
});

test('columns drop by fixed priority as the terminal narrows, never out of display order', () => {
	for (const options of [open, closed, {...open, showSubs: true, multiServer: true}]) {
		let previous = ids(fitColumns(options, 400));
		for (let width = 399; width >= 10; width--) {
			const layout = fitColumns(options, width);
			const now = ids(layout);
			assert.ok(layout.width <= width, `fits ${width}`);
			const dropped = previous.filter(id => !now.includes(id));
			for (const id of dropped) {
				assert.ok(now.every(k => columnPriority(k) < columnPriority(id)), `${id} dropped at ${width} before a lower-priority column`);
			}
			assert.ok(now.every(id => previous.includes(id)), `nothing reappears at ${width}`);
			const order = CONNECTION_COLUMNS.map(c => c.id).filter(id => now.includes(id));
			assert.deepEqual(now, order, 'display order');
			previous = now;
		}
	}
	const order: ColumnId[] = ['cid', 'name', 'pending', 'msgs_to', 'msgs_from', 'subs', 'host', 'bytes_to', 'bytes_from', 'account', 'rtt', 'idle', 'uptime', 'lang', 'version', 'last', 'start', 'subjects'];
	for (let i = 1; i < order.length; i++) assert.ok(columnPriority(order[i - 1]!) < columnPriority(order[i]!), `${order[i - 1]} outlives ${order[i]}`);
	assert.equal(columnPriority('server'), columnPriority('cid') + 1, 'server right after cid');
	for (const spec of CONNECTION_COLUMNS) assert.equal(spec.priority, columnPriority(spec.id));
	assert.deepEqual(ids(fitColumns(open, 5)), ['cid'], 'always one column, cut to fit');
	assert.equal(fitColumns(open, 5).width, 5);
});

test('header and row lines are exactly the layout width, whatever the content', () => {
	const nasty = row({
		cid: 123_456_789,
		name: 'a-very-long-client-name-日本語-that-will-not-fit-anywhere',
		account: 'ACCOUNT_WITH_A_LONG_NAME_IN_FULL',
		subscriptions_list: ['orders.>', 'billing.*.eu', '日本.語'],
		pending_bytes: 60 * 1024 * 1024,
		reason: 'Slow Consumer (Write Deadline)',
		stop: '2026-11-22T11:00:00Z',
		rtt: '',
		lang: 'python3-long',
	});
	const plain = row({}, false);
	for (const options of [open, closed, {...open, showSubs: true, multiServer: true}, {...open, mode: 'totals' as const}]) {
		for (let width = 10; width <= 260; width += 3) {
			const layout = fitColumns(options, width);
			for (const raw of [false, true]) {
				for (const r of [nasty, plain]) assert.equal(displayWidth(formatRowLine(layout, r, {raw})), layout.width, `row at ${width}`);
			}
			for (const key of SORT_KEYS) {
				for (const reverse of [false, true]) {
					assert.equal(displayWidth(formatHeaderLine(layout, {key, reverse})), layout.width, `header at ${width} by ${key}`);
				}
			}
		}
	}
});

test('the sorted column is marked with the effective direction', () => {
	const layout = fitColumns(open, 200);
	const header = formatHeaderLine(layout, {key: 'pending', reverse: false});
	assert.match(header, /PENDING▼/);
	assert.equal([...header].filter(c => c === '▼' || c === '▲').length, 1, 'one marker');
	assert.match(formatHeaderLine(layout, {key: 'pending', reverse: true}), /PENDING▲/);
	assert.match(formatHeaderLine(layout, {key: 'cid', reverse: false}), /CID▲/);
	assert.match(formatHeaderLine(layout, {key: 'cid', reverse: true}), /CID▼/);
	assert.match(formatHeaderLine(layout, {key: 'uptime', reverse: false}), /UPTIME▲/);
	assert.match(formatHeaderLine(layout, {key: 'rtt', reverse: false}), /RTT▼/);
	const noMarker = formatHeaderLine(fitColumns(open, 80), {key: 'start', reverse: false});
	assert.ok(!/[▼▲]/.test(noMarker), 'a key whose column is not shown marks nothing');
});

test('rates mode shows per-second rates, totals mode the counters', () => {
	const r = row({out_msgs: 100_000, in_msgs: 50, out_bytes: 9_000_000, in_bytes: 2048});
	const rates = fitColumns(open, 200);
	const c = cells(rates, formatRowLine(rates, r, {raw: false}));
	assert.equal(c.get('msgs_to'), '1.2K/s');
	assert.equal(c.get('msgs_from'), '10/s');
	assert.equal(c.get('bytes_to'), '1.5KiB/s');
	assert.equal(c.get('bytes_from'), '512B/s');
	const rawCells = cells(rates, formatRowLine(rates, r, {raw: true}));
	assert.equal(rawCells.get('msgs_to'), '1234/s');

	const totals = fitColumns({...open, mode: 'totals'}, 200);
	const t = cells(totals, formatRowLine(totals, r, {raw: false}));
	assert.equal(t.get('msgs_to'), '100K');
	assert.equal(t.get('msgs_from'), '50');
	assert.equal(t.get('bytes_to'), '8.6MiB');
	assert.equal(t.get('bytes_from'), '2.0KiB');
	assert.equal(cells(totals, formatRowLine(totals, r, {raw: false, mode: 'rates'})).get('msgs_to'), '1.2K/s', 'an explicit mode wins');

	const first = cells(rates, formatRowLine(rates, row({}, false), {raw: false}));
	assert.equal(first.get('msgs_to'), '—', 'no rate before a second sample');
	assert.equal(first.get('bytes_from'), '—');
});

test('cells: pending with its share of max_pending, durations, times, subjects', () => {
	const layout = fitColumns({...open, showSubs: true}, 300);
	const r = row({
		cid: 42,
		pending_bytes: 1.2 * 1024 * 1024,
		rtt: '1.234ms',
		uptime: '2d3h4m5s',
		idle: '3m12s',
		last_activity: '2026-11-22T11:59:59.999999Z',
		subscriptions_list: ['orders.>', 'billing.*'],
		account: 'SALES',
	});
	const c = cells(layout, formatRowLine(layout, r, {raw: false}));
	assert.equal(c.get('cid'), '42');
	assert.equal(c.get('pending'), '1.2MiB 2%');
	assert.equal(c.get('rtt'), '1.2ms');
	assert.equal(c.get('uptime'), '2d03h');
	assert.equal(c.get('idle'), '3m12s');
	assert.equal(c.get('last'), '2026-11-22 11:59:59');
	assert.equal(c.get('subjects'), 'orders.>,billing.*');
	assert.equal(c.get('account'), 'SALES');
	assert.equal(c.get('host'), '127.0.0.1:50000');
	assert.equal(cells(layout, formatRowLine(layout, row({pending_bytes: 0}), {raw: false})).get('pending'), '0B');
	assert.equal(cells(layout, formatRowLine(layout, row({pending_bytes: 1000}), {raw: false})).get('pending'), '1000B <1%');
});

test('sortKeyColumns: visible columns first, then the rest; no stop/reason for open connections', () => {
	const keys80 = sortKeyColumns(open, 80);
	assert.deepEqual(keys80.slice(0, 5), ['cid', 'subs', 'pending', 'msgs_to', 'msgs_from']);
	assert.ok(!keys80.includes('stop') && !keys80.includes('reason'));
	assert.equal(new Set(keys80).size, keys80.length, 'each key once');
	assert.deepEqual([...keys80].sort(), SORT_KEYS.filter(k => k !== 'stop' && k !== 'reason').sort());

	const keysClosed = sortKeyColumns(closed, 80);
	assert.deepEqual([...keysClosed].sort(), [...SORT_KEYS].sort());
	const visible = fitColumns(closed, 80).columns.map(c => c.spec.sortKey).filter(k => k !== undefined);
	assert.deepEqual(keysClosed.slice(0, visible.length), visible);
});
