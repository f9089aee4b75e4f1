import {test} from 'node:test';
import assert from 'node:assert/strict';
import {connMatchesSubject, subjectsIntersect} from '../../source/model/subject.js';
import {makeConn} from '../helpers/fixtures.js';

test('literal subjects match only themselves', () => {
	assert.ok(subjectsIntersect('orders.new', 'orders.new'));
	assert.ok(!subjectsIntersect('orders.new', 'orders.old'));
	assert.ok(!subjectsIntersect('orders', 'orders.new'));
	assert.ok(!subjectsIntersect('orders.new', 'orders'));
	assert.ok(!subjectsIntersect('', ''));
});

test('* is exactly one token', () => {
	assert.ok(subjectsIntersect('orders.*', 'orders.new'));
	assert.ok(subjectsIntersect('orders.new', 'orders.*'));
	assert.ok(subjectsIntersect('*.new', 'orders.*'));
	assert.ok(!subjectsIntersect('orders.*', 'orders'));
	assert.ok(!subjectsIntersect('orders.*', 'orders.new.eu'));
	assert.ok(subjectsIntersect('*', 'x'));
});

test('> is one or more trailing tokens', () => {
	assert.ok(subjectsIntersect('orders.>', 'orders.new'));
	assert.ok(subjectsIntersect('orders.>', 'orders.new.eu'));
	assert.ok(!subjectsIntersect('orders.>', 'orders'));
	assert.ok(!subjectsIntersect('orders', 'orders.>'));
	assert.ok(subjectsIntersect('>', 'anything.at.all'));
	assert.ok(subjectsIntersect('orders.*.eu', 'orders.>'));
	assert.ok(subjectsIntersect('*.*', '>'));
	assert.ok(!subjectsIntersect('billing.>', 'orders.>'));
	assert.ok(subjectsIntersect('a.*.c', '*.b.>'));
	assert.ok(!subjectsIntersect('a.*.c', '*.b'));
});

test('connMatchesSubject looks at the subscription list and its detail form', () => {
	assert.ok(connMatchesSubject(makeConn({subscriptions_list: ['_INBOX.x', 'orders.*']}), 'orders.new'));
	assert.ok(!connMatchesSubject(makeConn({subscriptions_list: ['_INBOX.x']}), 'orders.new'));
	assert.ok(!connMatchesSubject(makeConn(), 'orders.new'), 'no subscriptions');
	const detail = {account: '$G', subject: 'orders.>', qgroup: '', sid: '1', msgs: 0, max: 0, cid: 1};
	assert.ok(connMatchesSubject(makeConn({subscriptions_list_detail: [detail]}), 'orders.eu.new'));
	assert.ok(connMatchesSubject(makeConn({subscriptions_list: ['orders.new']}), 'orders.>'), 'a wildcard query finds literal subscribers');
});
