// The one test command behind `npm test`: every *.test.ts(x) under test/, run by node's own
// runner through tsx. Node 20's --test takes no globs, so the files are listed here.
import {spawnSync} from 'node:child_process';
import {readdirSync, statSync} from 'node:fs';
import {join, relative} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const groups = ['unit', 'ui', 'integration', 'e2e', 'faults'];
const only = process.argv.slice(2);

function findTests(dir) {
	let found = [];
	for (const entry of readdirSync(dir)) {
		const path = join(dir, entry);
		if (statSync(path).isDirectory()) found = found.concat(findTests(path));
		else if (/\.test\.tsx?$/.test(entry)) found.push(path);
	}
	return found;
}

let files = [];
for (const group of groups) {
	try {
		files = files.concat(findTests(join(root, 'test', group)).sort());
	} catch {
		// a group with no folder yet has no tests
	}
}
if (only.length > 0) files = files.filter(f => only.some(o => relative(root, f).includes(o)));
if (files.length === 0) {
	console.error('test/run.mjs: no test files found');
	process.exit(1);
}

const result = spawnSync(
	process.execPath,
	['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=300000', ...files.map(f => relative(root, f))],
	{cwd: root, stdio: 'inherit', env: {...process.env, FORCE_COLOR: '0'}},
);
process.exit(result.status ?? 1);
