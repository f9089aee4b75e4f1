// The header's replication-lag flag must not go stale: once the streams view has been open, its
// /jsz request is polled on every view (issue 4: the lag summary lives in the header).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {HEALTH_BADGE_MS, needsFor} from '../../source/app.js';
import {initialState, reducer, type Action, type UiState} from '../../source/state.js';
import {planConnections} from '../../source/model/plan.js';
import {NEED_JSZ_STREAMS} from '../../source/model/jetstream.js';
import type {Config} from '../../source/config/types.js';

const config = {
	urls: ['http://127.0.0.1:8222'],
	transport: 'http',
	tls: {insecure: false},
	timeoutMs: 5000,
	intervalMs: 1000,
	sort: 'cid',
	reverse: false,
	state: 'open',
	showSubs: false,
	lookup: false,
	raw: false,
	demo: false,
} as unknown as Config;

function ids(state: UiState): string[] {
	const plan = planConnections({sort: state.sort, reverse: state.reverse, rows: state.rows, pageSize: state.pageSize, scrollTop: state.scrollTop, total: state.total, state: state.connState, filter: state.filter, version: '2.9.10'} as never);
	return needsFor(state, plan, 'open').map(n => n.id);
}

test('the streams /jsz is polled on other views only once the streams view has been open', () => {
	let state = initialState(config);
	assert.equal(state.lagWatched, false);
	assert.ok(!ids(state).includes(NEED_JSZ_STREAMS), 'not before the streams view was opened');
	state = [{type: 'command', command: 'view-streams'} as Action].reduce(reducer, state);
	assert.equal(state.view, 'streams');
	assert.equal(state.lagWatched, true);
	state = [{type: 'command', command: 'view-connections'} as Action].reduce(reducer, state);
	const polled = ids(state);
	assert.ok(polled.includes('connz'), 'the connections view still polls its own');
	assert.equal(polled.filter(id => id === NEED_JSZ_STREAMS).length, 1, 'and the streams /jsz once, so the header flag stays live');
});

test('the header asks /healthz every few seconds; the health view asks it every refresh', () => {
	const plan = (state: UiState) => planConnections({sort: state.sort, reverse: state.reverse, rows: state.rows, pageSize: state.pageSize, scrollTop: state.scrollTop, total: state.total, state: state.connState, filter: state.filter, version: '2.9.10'} as never);
	let state = initialState(config);
	const header = needsFor(state, plan(state), 'open').filter(n => n.id === 'healthz');
	assert.equal(header.length, 1);
	assert.equal(header[0]!.everyMs, HEALTH_BADGE_MS);
	state = [{type: 'command', command: 'view-health'} as Action].reduce(reducer, state);
	assert.equal(state.view, 'health');
	const health = needsFor(state, plan(state), 'open').filter(n => n.id === 'healthz');
	assert.equal(health.length, 1, 'one need for the plain /healthz, shared with the header');
	assert.equal(health[0]!.everyMs, undefined, 'every refresh on the health view');
	assert.deepEqual(health[0]!.request, header[0]!.request, 'the same question, so switching views does not ask it anew');
});
