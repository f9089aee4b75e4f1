// Static checks over the shipped code (cli.tsx and source/): nothing is ever run through a shell,
// no string is ever evaluated as code, and every file natscope creates says how.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync, readdirSync, statSync} from 'node:fs';
import {join, relative} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

function shipped(): Array<{path: string; text: string}> {
	const files: string[] = [join(root, 'cli.tsx')];
	const walk = (dir: string): void => {
		for (const entry of readdirSync(dir)) {
			const path = join(dir, entry);
			if (statSync(path).isDirectory()) walk(path);
			else if (/\.tsx?$/.test(entry)) files.push(path);
		}
	};
	walk(join(root, 'source'));
	// Comments may talk about shells; only code counts.
	return files.map(path => ({path: relative(root, path), text: stripComments(readFileSync(path, 'utf8'))}));
}

function stripComments(text: string): string {
	return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

const files = shipped();

test('the shipped code is all there to check', () => {
	assert.ok(files.length > 50, `${files.length} files`);
	assert.ok(files.some(f => f.path === 'source/actions/signals.ts'));
});

test('nothing runs through a shell: no child_process exec/execSync, no shell option, no sh -c', () => {
	for (const {path, text} of files) {
		assert.doesNotMatch(text, /shell\s*:\s*(true|['"`])/, `${path}: a shell option`);
		assert.doesNotMatch(text, /(?<![.\w])(execSync|exec)\s*\(/, `${path}: exec of a command string`);
		assert.doesNotMatch(text, /['"`](\/bin\/|\/usr\/bin\/)?(ba|da|z)?sh['"`]\s*,\s*\[\s*['"`]-c/, `${path}: sh -c`);
		const imports = [...text.matchAll(/import\s*\{([^}]*)\}\s*from\s*['"](node:)?child_process['"]/g)].flatMap(m => m[1]!.split(',').map(s => s.trim().split(/\s+as\s+/)[0]!));
		for (const name of imports) assert.ok(['execFile', 'spawn', 'type ChildProcess'].includes(name), `${path}: imports ${name} from child_process`);
		assert.doesNotMatch(text, /import\s+\*\s+as\s+\w+\s+from\s+['"](node:)?child_process['"]|require\(['"](node:)?child_process['"]\)/, `${path}: the whole child_process module`);
	}
});

test('no string is evaluated as code', () => {
	for (const {path, text} of files) {
		assert.doesNotMatch(text, /\beval\s*\(|new\s+Function\s*\(|\bvm\.run|from\s+['"](node:)?vm['"]/, `${path}: code from a string`);
	}
});

test('files natscope creates: recordings private (0600), profiles exclusive (wx) and never through a path from the server', () => {
	const creators = files.flatMap(({path, text}) =>
		[...text.matchAll(/\b(openSync|open|writeFile|writeFileSync|appendFile|appendFileSync|createWriteStream|mkdir|mkdirSync|copyFile|rename)\s*\(([^;]*?)\)/g)]
			.filter(m => !/\.(open|writeFile)\(/.test(m[0]) || m[0].startsWith('open('))
			.map(m => ({path, call: m[0].replace(/\s+/g, ' ')})),
	);
	const where = (path: string): string[] => creators.filter(c => c.path === path).map(c => c.call);
	assert.ok(where('source/sources/record.ts').some(c => /openSync\(file, 'w', 0o600\)/.test(c)), `recordings are created 0600: ${where('source/sources/record.ts').join(' | ')}`);
	assert.ok(where('source/actions/profiles.ts').some(c => /open\(path, 'wx'/.test(c)), `profiles are created exclusively: ${where('source/actions/profiles.ts').join(' | ')}`);
	// Every other file-creating call is one of these known, user-chosen outputs (-o FILE for the
	// one-shots, in oneshot.ts and oneshot-views.ts).
	const known = new Set(['source/sources/record.ts', 'source/actions/profiles.ts', 'source/oneshot.ts', 'source/oneshot-views.ts', 'source/actions/signals.ts']);
	for (const c of creators) assert.ok(known.has(c.path), `a file is created in ${c.path}: ${c.call} — add it to this test with its mode`);
});
