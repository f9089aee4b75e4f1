// sizeYoungGeneration sets a V8 flag at run time; V8 honours only some flags after start-up. A
// child process (flags are process-wide) keeps many objects alive through scavenges, which makes
// V8 grow the young generation: for a small fetch it must keep its size, for a large one grow.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';

const moduleUrl = new URL('../../source/perf/young-generation.ts', import.meta.url).href;

/** New space size in MiB before and after keeping 400,000 objects alive; `sized` calls sizeYoungGeneration with these rows first. */
function newSpaceMiB(sized: Array<number | undefined> | undefined): {before: number; after: number} {
	const script = `
		import v8 from 'node:v8';
		const {sizeYoungGeneration} = await import(${JSON.stringify(moduleUrl)});
		const newSpace = () => v8.getHeapSpaceStatistics().find(s => s.space_name === 'new_space').space_size / 1048576;
		for (const rows of ${JSON.stringify((sized ?? []).map(r => r ?? null))}) sizeYoungGeneration(rows ?? undefined);
		const before = newSpace();
		const kept = [];
		for (let i = 0; i < 400_000; i++) kept.push({i, text: 'row ' + i});
		process.stdout.write(JSON.stringify({before, after: newSpace()}));`;
	const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
		cwd: fileURLToPath(new URL('../..', import.meta.url)),
		encoding: 'utf8',
	});
	return JSON.parse(out) as {before: number; after: number};
}

test('sizeYoungGeneration keeps V8 from growing the young generation for small fetches (set at run time)', () => {
	const grown = newSpaceMiB(undefined);
	assert.ok(grown.after >= 2 * grown.before, `V8 grows it by itself (new space ${grown.before} → ${grown.after} MiB)`);
	for (const rows of [undefined, 50, 200]) {
		const kept = newSpaceMiB([rows]);
		assert.equal(kept.after, kept.before, `fetching ${rows ?? 'the rows on screen'}: new space ${kept.before} → ${kept.after} MiB`);
	}
});

test('sizeYoungGeneration lets it grow again when a refresh fetches many rows', () => {
	const regrown = newSpaceMiB([undefined, 1024]);
	assert.ok(regrown.after >= 2 * regrown.before, `stopped, then 1,024 rows: new space ${regrown.before} → ${regrown.after} MiB`);
	const large = newSpaceMiB([1024]);
	assert.ok(large.after >= 2 * large.before, `1,024 rows from the start: new space ${large.before} → ${large.after} MiB`);
});

test('sizeYoungGeneration says whether growth is stopped', async () => {
	const {sizeYoungGeneration, SMALL_FETCH_ROWS} = await import('../../source/perf/young-generation.js');
	assert.equal(sizeYoungGeneration(undefined), true);
	assert.equal(sizeYoungGeneration(SMALL_FETCH_ROWS), true);
	assert.equal(sizeYoungGeneration(SMALL_FETCH_ROWS + 1), false);
	assert.equal(sizeYoungGeneration(40), true);
});
