import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtemp, readdir, readFile, rm, symlink, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileTimestamp, isGzip, pprofBase, pprofPath, profileFileName, safeFileNamePart, shellQuote, writeExclusive} from '../../source/actions/profiles.js';
import {splitArgs} from '../../source/actions/commands.js';

test('server names are made safe for file names', () => {
	assert.equal(safeFileNamePart('nats-a'), 'nats-a');
	assert.equal(safeFileNamePart('../../etc/passwd'), 'etc_passwd');
	assert.equal(safeFileNamePart('a/b\\c'), 'a_b_c');
	assert.equal(safeFileNamePart('\u001b[2Jevil'), '2Jevil');
	assert.equal(safeFileNamePart('east 1 (prod)'), 'east_1_prod');
	assert.equal(safeFileNamePart(''), 'server');
	assert.equal(safeFileNamePart('..'), 'server');
	assert.equal(safeFileNamePart('Zürich'), 'Zurich');
	assert.equal(safeFileNamePart('x'.repeat(200)).length, 64);
});

test('file names: <profile>-<server>-<YYYYMMDD-HHMMSS>.pprof, a suffix on collision', () => {
	const date = new Date(2026, 10, 2, 3, 4, 5);
	assert.equal(fileTimestamp(date), '20261102-030405');
	assert.equal(profileFileName('cpu', 'nats a', date), 'cpu-nats_a-20261102-030405.pprof');
	assert.equal(profileFileName('heap', 'nats-a', date, 3), 'heap-nats-a-20261102-030405-3.pprof');
	assert.equal(pprofPath('cpu', 7), 'profile?seconds=7');
	assert.equal(pprofPath('goroutine', 7), 'goroutine');
});

test('writeExclusive never overwrites and never leaves the folder', async () => {
	const dir = await mkdtemp(join(tmpdir(), 'natscope-prof-'));
	try {
		const date = new Date(2026, 0, 1, 0, 0, 0);
		const name = (attempt: number) => profileFileName('heap', 'nats-a', date, attempt);
		await writeFile(join(dir, name(1)), 'precious');
		await symlink('/etc/passwd', join(dir, name(2)));
		const written = await writeExclusive(dir, name, new Uint8Array([0x1f, 0x8b, 1]));
		assert.equal(written.ok && written.path, join(dir, 'heap-nats-a-20260101-000000-3.pprof'));
		assert.equal(await readFile(join(dir, name(1)), 'utf8'), 'precious', 'the existing file is untouched');
		assert.deepEqual((await readdir(dir)).sort(), [name(1), name(2), name(3)].sort());

		const escape = await writeExclusive(dir, () => '../escape.pprof', new Uint8Array([1]));
		assert.equal(!escape.ok && escape.code, 'refused');
		const nested = await writeExclusive(join(dir, 'new', 'sub'), name, new Uint8Array([1]));
		assert.equal(nested.ok, true, 'a missing folder is created');
		await writeFile(join(dir, 'file'), '');
		const notDir = await writeExclusive(join(dir, 'file'), name, new Uint8Array([1]));
		assert.equal(!notDir.ok && notDir.code, 'io');
	} finally {
		await rm(dir, {recursive: true, force: true});
	}
});

test('pprof base URLs, gzip magic and the shell-quoted hint', () => {
	assert.equal(pprofBase('127.0.0.1:6060'), 'http://127.0.0.1:6060/debug/pprof/');
	assert.equal(pprofBase('http://h:1/debug/pprof'), 'http://h:1/debug/pprof/');
	assert.equal(pprofBase('https://h/prefix/?x=1'), 'https://h/prefix/debug/pprof/');
	assert.equal(pprofBase('http://'), undefined);
	assert.equal(isGzip(new Uint8Array([0x1f, 0x8b, 8])), true);
	assert.equal(isGzip(new TextEncoder().encode('<html>')), false);
	assert.equal(shellQuote('/tmp/cpu-a-1.pprof'), '/tmp/cpu-a-1.pprof');
	assert.equal(shellQuote("/tmp/it's here.pprof"), `'/tmp/it'\\''s here.pprof'`);
});

test('command flags are taken out of argv; the rest goes to the main parser', () => {
	const split = splitArgs(['--seconds', '2', '--dir=/tmp/x', 'http://127.0.0.1:8222', '--timeout', '3', '-y', '--prof-port', '6060'], ['seconds', 'dir', 'prof-port']);
	assert.ok(!('error' in split));
	if (!('error' in split)) {
		assert.deepEqual(split.own, {yes: true, help: false, seconds: 2, dir: '/tmp/x', profPort: 6060});
		assert.deepEqual(split.rest, ['http://127.0.0.1:8222', '--timeout', '3']);
	}
	assert.deepEqual(splitArgs(['--seconds', '0'], ['seconds']), {error: '--seconds wants a whole number from 1 to 300, not 0'});
	assert.deepEqual(splitArgs(['--pid', 'abc'], ['pid']), {error: '--pid wants a process id, not abc'});
	assert.deepEqual(splitArgs(['--pid'], ['pid']), {error: '--pid needs a value'});
	assert.deepEqual(splitArgs(['--dir', 'x'], ['pid']), {error: '--dir does not apply here'});
});
