// The single-file bundle (npm run bundle → dist/natscope.mjs) copied alone into an empty temp
// dir outside the repo: --help, --version and --demo in tmux need nothing but Node.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {copyFile, mkdtemp, readdir, readFile, rm, stat} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {TmuxSession} from './tmux.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const sessions: TmuxSession[] = [];
let dir: string;
let host: string;

before(async () => {
	dir = await mkdtemp(join(tmpdir(), 'natscope-e2e-bundle-'));
	host = await mkdtemp(join(tmpdir(), 'natscope-e2e-host-'));
});

after(async () => {
	for (const session of sessions) session.kill();
	for (const path of [dir, host]) if (path) await rm(path, {recursive: true, force: true});
});

test('npm run bundle: one file that runs --help, --version and --demo alone in an empty directory', {timeout: 60_000}, async () => {
	const built = join(dir, 'natscope.mjs');
	execFileSync(process.execPath, ['--import', 'tsx', 'scripts/bundle.ts', '--out', built], {cwd: root, stdio: 'pipe', timeout: 45_000});
	const file = join(host, 'natscope.mjs');
	await copyFile(built, file);
	assert.deepEqual(await readdir(host), ['natscope.mjs'], 'nothing else beside it');
	assert.ok(!root.startsWith(host) && !host.startsWith(root), 'outside the repo');
	const {size, mode} = await stat(file);
	assert.ok(size < 4 * 1024 * 1024, `a few MiB at most (${size} bytes)`);
	assert.ok((mode & 0o111) !== 0, 'executable');

	// Only Node: no NODE_PATH, run from the empty directory.
	const env = {...process.env, NODE_PATH: '', NODE_OPTIONS: ''};
	const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {version: string};
	assert.equal(execFileSync(process.execPath, [file, '--version'], {cwd: host, env, encoding: 'utf8'}).trim(), `natscope ${pkg.version}`);
	const help = execFileSync(process.execPath, [file, '--help'], {cwd: host, env, encoding: 'utf8'});
	assert.match(help, /^Usage\n {2}natscope \[address\.\.\.\] \[flags\]/m);
	assert.match(help, /natscope --demo/);

	const session = TmuxSession.start(`cd ${host} && env NODE_PATH= node natscope.mjs --demo`, {width: 120, height: 30});
	sessions.push(session);
	await session.waitForScreen(s => /^replay ▶ ×1 · /m.test(s) && /orders-worker-\d/.test(s) && /nats-east-3/.test(s), 'the demo from the bundle', 10_000);
	session.type('3');
	await session.waitForScreen(s => /Meta group nats-east/.test(s), 'JetStream from the bundle', 5000);
	session.type('q');
	await session.waitForScreen(() => session.exitStatus() !== undefined, 'exit after q');
	assert.equal(session.exitStatus(), 0);
});
