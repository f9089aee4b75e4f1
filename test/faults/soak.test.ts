// The 2-minute soak inside npm test (npm run soak runs 30): the built CLI in tmux at -d 0.2
// against a real 3-node cluster while clients keep connecting and leaving. Fails on a frozen
// screen, stale data, the process ending, RSS growth beyond 25% after warm-up (npm run soak: 10% over 30 minutes) or descriptor growth.
import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import {SOAK_DEFAULTS, describeSoak, runSoak} from '../helpers/soak.js';
import {stopAll} from '../helpers/server.js';

const DURATION_MS = Number(process.env['NATSCOPE_SOAK_MS'] ?? 105_000);

after(async () => {
	await stopAll();
});

test('soak: two minutes at 0.2 s against a churning 3-node cluster, no growth, never frozen', {timeout: DURATION_MS + 60_000}, async () => {
	const lines: string[] = [];
	const result = await runSoak({
		...SOAK_DEFAULTS,
		durationMs: DURATION_MS,
		// A third of the run warms up (JIT, heap sizing); the rest is sampled every 3 s.
		warmupMs: DURATION_MS / 3,
		sampleEveryMs: 3000,
		reportEveryMs: 15_000,
		// In two minutes RSS is still rising by design (the connections model remembers closed
		// connections for 5 minutes; V8 sizes its heap), measured at +8% here: this run catches gross
		// leaks. npm run soak holds the 10% over 30 minutes after a 6-minute warm-up.
		maxRssGrowth: 0.25,
		// npm test runs two test files at once on a shared machine: a slower tick is not a freeze.
		freezeMs: 10_000,
		staleSeconds: 6,
		log: line => lines.push(line),
	});
	const summary = describeSoak(result);
	console.log(`${lines.join('\n')}\n${summary}`);
	assert.deepEqual(result.failures, [], summary);
	assert.ok(result.samples.length >= 20, `sampled (${result.samples.length})`);
	assert.ok(result.churned >= 100, `clients churned (${result.churned})`);
});
