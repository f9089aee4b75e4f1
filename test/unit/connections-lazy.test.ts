// A page of 1,024 fetched rows shows about 40: only the rows shown are built (rates, host,
// line), in the server's order and in reverse, paged by the server (window) or fetched whole
// (-n 1,024, top), and the window still lands on the right rows.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {buildConnectionsModel} from '../../source/model/connections-view.js';
import {planConnections} from '../../source/model/plan.js';
import {SeenConnections} from '../../source/model/seen.js';
import {makeConn, makeConnz} from '../helpers/fixtures.js';

function page(reverse: boolean, scrollTop: number, rows?: number, serverTotal = 1024) {
	const connz = makeConnz(
		Array.from({length: 1024}, (_, i) => makeConn({cid: i + 1, pending_bytes: 5000 - i})),
		{server_id: 'S', total: serverTotal, offset: 0, limit: 1024},
	);
	const seen = new SeenConnections();
	seen.record(connz);
	let asked = 0;
	const before = seen.before.bind(seen);
	seen.before = (serverId, cid, nowMs) => {
		asked++;
		return before(serverId, cid, nowMs);
	};
	const plan = planConnections({sort: 'pending', reverse, rows, state: 'open', filter: '', showSubs: false, scrollTop, pageSize: 40, total: serverTotal, version: '2.9.10', serverFiltersSubject: false, servers: 1});
	const model = buildConnectionsModel({
		answer: {connz: [connz], previous: [], seen, serverNames: new Map(), maxPending: new Map()},
		plan,
		sort: 'pending',
		reverse,
		state: 'open',
		filter: '',
		scrollTop,
		pageSize: 40,
		selected: scrollTop,
		width: 200,
		mode: 'rates',
		showSubs: false,
		raw: true,
	});
	return {model, asked, plan};
}

test('window mode builds only the rows on screen', () => {
	const {model, asked, plan} = page(false, 100);
	assert.equal(plan.mode, 'window', 'the server sorts and pages; the model only cuts the window');
	assert.equal(model.rows.length, 40);
	assert.equal(asked, 40, 'rates looked up for the 40 rows shown');
	assert.equal(model.selectedRow?.cid !== undefined, true);
});

test('-n 1,024 (top): the 40 rows shown are built, not the 1,024 fetched', () => {
	const {model, asked, plan} = page(false, 100, 1024);
	assert.equal(plan.mode, 'top');
	assert.equal(model.total, 1024);
	assert.deepEqual([model.rows[0]!.conn.cid, model.rows.at(-1)!.conn.cid], [101, 140]);
	assert.equal(asked, 40, 'rates looked up for the 40 rows shown, not the 1,024 fetched');
	assert.equal(model.selectedRow?.cid, 101);
	assert.equal(model.showing, '101–140 of 1,024');
});

test('-n 1,024 in reverse: the last fetched rows first, still only those shown', () => {
	const {model, asked} = page(true, 0, 1024);
	assert.equal(model.rows.length, 40);
	assert.equal(model.rows[0]!.conn.cid, 1024);
	assert.equal(model.rows[1]!.conn.cid, 1023);
	assert.equal(asked, 40);
});

test('-n 1,024 of 3,214 on the server: the summary says it is the first 1,024, not all there is', () => {
	const {model, plan} = page(false, 0, 1024, 3214);
	assert.equal(plan.mode, 'top');
	assert.equal(model.total, 1024, 'scrolling stays within what was fetched');
	assert.equal(model.showing, '1–40 of the first 1,024 of 3,214');
});
