// A damaged recording in a snapshot mode: what came before the bad line is replayed and stderr
// says where the file went bad (the TUI shows it on its status line instead).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {gunzipSync} from 'node:zlib';
import {fileURLToPath} from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('--once on a recording cut mid-line warns on stderr with the line number', () => {
	const dir = mkdtempSync(join(tmpdir(), 'natscope-cut-'));
	try {
		const whole = gunzipSync(readFileSync(join(root, 'media/demo.ndjson.gz'))).toString('utf8');
		const lines = whole.split('\n');
		// Every line up to the 40th, then half of the 41st.
		const cut = `${lines.slice(0, 40).join('\n')}\n${lines[40]!.slice(0, Math.floor(lines[40]!.length / 2))}`;
		const file = join(dir, 'cut.ndjson');
		writeFileSync(file, cut);
		const run = spawnSync(process.execPath, [join(root, 'dist/cli.js'), '--replay', file, '--once'], {encoding: 'utf8', timeout: 30_000});
		assert.match(run.stderr, /^natscope: warning: line 41: cut off/m, run.stderr);
		assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
});
