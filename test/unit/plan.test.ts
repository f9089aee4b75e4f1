import {test} from 'node:test';
import assert from 'node:assert/strict';
import {planConnections, windowStart, type PlanInput} from '../../source/model/plan.js';

const base: PlanInput = {
	sort: 'pending',
	reverse: false,
	state: 'open',
	filter: '',
	showSubs: false,
	scrollTop: 0,
	pageSize: 20,
	total: 0,
	version: '2.9.10',
	serverFiltersSubject: false,
};

test('window mode asks the server for the page on screen plus a margin', () => {
	const plan = planConnections(base);
	assert.equal(plan.mode, 'window');
	assert.deepEqual(plan.query, {auth: true, state: 'open', sort: 'pending', offset: 0, limit: 30});
	const scrolled = planConnections({...base, scrollTop: 25, total: 10_000});
	assert.equal(scrolled.query.offset, 20, 'offsets move in half-page steps');
	assert.equal(planConnections({...base, scrollTop: 29, total: 10_000}).query.offset, 20, 'small scrolls do not refetch');
	const last = planConnections({...base, scrollTop: 9980, total: 10_000});
	assert.ok(last.query.offset! <= 9980 && last.query.offset! + last.query.limit! >= 10_000, 'the last page is reachable');
});

test('reversed window pages from the far end of the server order', () => {
	const plan = planConnections({...base, reverse: true, total: 1000});
	assert.equal(plan.query.offset, 970);
	assert.equal(plan.query.limit, 30);
	assert.equal(windowStart(970, 30, 1000, true), 0);
	assert.equal(windowStart(20, 30, 1000, false), 20);
	assert.ok(plan.notes.some(n => n.includes('reversed')));
});

test('rtt on 2.9.10 is sorted locally, and says so', () => {
	const plan = planConnections({...base, sort: 'rtt'});
	assert.equal(plan.mode, 'local');
	assert.equal(plan.localSort, 'rtt');
	assert.equal(plan.query.sort, undefined);
	assert.equal(plan.query.limit, 1024);
	assert.ok(plan.notes.some(n => n.includes('sorted locally')));
	const newer = planConnections({...base, sort: 'rtt', version: '2.10.4'});
	assert.equal(newer.mode, 'window');
	assert.equal(newer.query.sort, 'rtt');
});

test('text filter and subject over HTTP are local; account/user/state go to the server', () => {
	const filtered = planConnections({...base, filter: 'go'});
	assert.equal(filtered.mode, 'local');
	assert.ok(filtered.notes.includes('text filter is local'));
	const subject = planConnections({...base, subject: 'orders.>'});
	assert.equal(subject.mode, 'local');
	assert.equal(subject.query.subs, true, 'subject filtering needs the subscriptions');
	assert.equal(subject.query.filter_subject, undefined);
	const sys = planConnections({...base, subject: 'orders.>', serverFiltersSubject: true});
	assert.equal(sys.query.filter_subject, 'orders.>');
	const scoped = planConnections({...base, account: 'APP', user: 'bob', state: 'closed'});
	assert.equal(scoped.query.acc, 'APP');
	assert.equal(scoped.query.user, 'bob');
	assert.equal(scoped.query.state, 'closed');
});

test('-n N fetches the first N of the server order (nats-top)', () => {
	const plan = planConnections({...base, rows: 50});
	assert.equal(plan.mode, 'top');
	assert.deepEqual([plan.query.offset, plan.query.limit], [0, 50]);
	const reversed = planConnections({...base, rows: 50, reverse: true, total: 400});
	assert.equal(reversed.query.offset, 350);
});

test('several servers: each is asked for its first rows up to the window end, merged exactly', () => {
	const plan = planConnections({...base, servers: 3, scrollTop: 100, total: 2100});
	assert.equal(plan.mode, 'merge');
	assert.equal(plan.query.offset, 0);
	assert.ok(plan.query.limit! >= 120, `limit ${plan.query.limit} covers the window end`);
	const top = planConnections({...base, servers: 3, rows: 20});
	assert.equal(top.mode, 'top');
	assert.deepEqual([top.query.offset, top.query.limit], [0, 20]);
	const reversed = planConnections({...base, servers: 3, reverse: true});
	assert.equal(reversed.mode, 'local');
	assert.ok(reversed.notes.includes('reversed locally (several servers)'));
	const deep = planConnections({...base, servers: 3, scrollTop: 20_000, total: 30_000});
	assert.equal(deep.query.limit, 10_000);
	assert.ok(deep.notes.some(n => n.includes('10,000')));
});
