// The wait before a one-shot's second sample: short unless -d was given, never longer than -d,
// and a whole interval for events (they are what arrives during the wait).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {firstGapMs, SNAPSHOT_GAP_MS} from '../../source/oneshot.js';
import {loadConfigModules, parseCli} from '../../source/config/flags.js';

// parseCli needs the configuration modules a NATS target or a context uses (parseCommandLine loads them itself).
await loadConfigModules();

function gapFor(argv: string[], view?: string): number {
	const parsed = parseCli(argv, {});
	if (parsed.kind !== 'run') assert.fail(JSON.stringify(parsed));
	return firstGapMs(parsed.config, view);
}

test('without -d the two samples are SNAPSHOT_GAP_MS apart; with -d, one interval', () => {
	assert.equal(SNAPSHOT_GAP_MS, 100);
	assert.equal(gapFor(['--once']), SNAPSHOT_GAP_MS);
	assert.equal(gapFor(['--json', '-r', '3']), SNAPSHOT_GAP_MS);
	assert.equal(gapFor(['--once', '-d', '1']), 1000, '-d 1: rates over a whole second, as before');
	assert.equal(gapFor(['--once', '-d', '0.1']), 100);
	assert.equal(gapFor(['--once', '--interval', '5']), 5000);
	assert.equal(gapFor(['--once', '-d', '250ms']), 250);
});

test('--view events waits one interval (events are what arrives during it)', () => {
	assert.equal(gapFor(['--once'], 'events'), 1000);
	assert.equal(gapFor(['--once', '-d', '10'], 'events'), 10_000);
	assert.equal(gapFor(['--once'], 'streams'), SNAPSHOT_GAP_MS);
});

test('a config built without flags (intervalGiven unset) never waits longer than its interval', () => {
	assert.equal(firstGapMs({intervalMs: 50}), 50);
	assert.equal(firstGapMs({intervalMs: 200}), SNAPSHOT_GAP_MS);
	assert.equal(firstGapMs({intervalMs: 200, intervalGiven: true}), 200);
});
