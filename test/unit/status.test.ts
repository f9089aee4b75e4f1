import {test} from 'node:test';
import assert from 'node:assert/strict';
import {freshness, listSummary} from '../../source/model/status.js';
import {SourceError} from '../../source/sources/types.js';
import type {NeedStatus} from '../../source/poll/poller.js';

const base: NeedStatus = {id: 'connz', request: {kind: 'varz'}, partialFailures: [], consecutiveErrors: 0, inFlight: false, completions: 1};

test('fresh data says how old it is and how often it refreshes', () => {
	const ok = {...base, current: {replies: [], failures: []}, okAt: 10_000};
	assert.deepEqual(freshness([ok], 12_400, false, 1000), {text: 'updated 2s ago · every 1s', tone: 'dim', stale: false});
	assert.equal(freshness([ok], 10_000, false, 250).text, 'updated 0s ago · every 250ms');
	assert.match(freshness([ok], 20_000, true, 1000).text, /^paused \(p resumes\) · data from 10s ago/);
	assert.match(freshness([{...base, completions: 0}], 0, false, 1000).text, /^connecting…/);
});

test('an error with old data is STALE with age, retry countdown, message and hint', () => {
	const error = new SourceError('refused', 'connection refused by 127.0.0.1:8222', 'is nats-server running?');
	const stale = {...base, current: {replies: [], failures: []}, okAt: 1000, error, errorAt: 5000, consecutiveErrors: 2, nextAt: 9000};
	const shown = freshness([stale], 6000, false, 1000);
	assert.equal(shown.text, 'STALE 5s · retry in 3s · connection refused by 127.0.0.1:8222 — is nats-server running?');
	assert.equal(shown.tone, 'warn');
	assert.equal(shown.stale, true);
	const never = freshness([{...base, completions: 0, error, nextAt: 7000}], 6000, false, 1000);
	assert.equal(never.text, '✖ retry in 1s · connection refused by 127.0.0.1:8222 — is nats-server running?');
	assert.equal(never.tone, 'error');
});

test('the summary names order, server-side filters and local notes', () => {
	const text = listSummary({showing: '1–17 of 3,214', sortLabel: 'sort pending ▼', state: 'closed', account: 'APP', filter: 'go', rows: 50, mode: 'totals', notes: ['text filter is local']});
	assert.equal(text, 'showing 1–17 of 3,214 · sort pending ▼ · state closed · account APP · filter "go" · -n 50 · totals · text filter is local');
});
