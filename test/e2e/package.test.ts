// `npm pack` gives a tarball that installs without dev dependencies into an empty directory
// outside the repo and runs: --help, --version and --demo (in tmux). Needs the npm registry for
// the runtime dependencies, as a user's install does. Uses the built dist/ (npm test builds).
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {execFile, execFileSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdtemp, readFile, readdir, rm, stat, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {TmuxSession} from './tmux.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const sessions: TmuxSession[] = [];
let dir: string;
let app: string;

before(async () => {
	dir = await mkdtemp(join(tmpdir(), 'natscope-e2e-pack-'));
	app = await mkdtemp(join(tmpdir(), 'natscope-e2e-install-'));
});

after(async () => {
	for (const session of sessions) session.kill();
	for (const path of [dir, app]) if (path) await rm(path, {recursive: true, force: true});
});

test('npm pack → npm install --omit=dev in an empty directory: natscope --help, --version, --demo', {timeout: 90_000}, async () => {
	// --ignore-scripts: prepack would build again; the test runs against the build npm test made.
	const {stdout} = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {cwd: root, timeout: 30_000});
	const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{filename: string; size: number; files: Array<{path: string}>}>;
	const paths = packed!.files.map(f => f.path);
	assert.ok(paths.includes('dist/cli.js') && paths.includes('media/demo.ndjson.gz') && paths.includes('package.json'));
	assert.ok(!paths.some(p => /^(test|scripts|bench|source)\//.test(p) || p.endsWith('.ts') || p === 'dist/natscope.mjs'), `only what runs: ${paths.filter(p => !p.startsWith('dist/source/')).join(' ')}`);
	// The build starts from an empty dist/source: a module renamed or removed leaves nothing behind to pack.
	const stale = paths.filter(p => p.startsWith('dist/source/') && !['.ts', '.tsx'].some(ext => existsSync(join(root, p.slice('dist/'.length).replace(/\.js$/, ext)))));
	assert.deepEqual(stale, [], 'every packed module is built from a source file');
	const tarball = join(dir, packed!.filename);

	await writeFile(join(app, 'package.json'), '{"name": "natscope-install-check", "private": true}\n');
	await run('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--ignore-scripts', tarball], {cwd: app, timeout: 75_000});
	const installed = await readdir(join(app, 'node_modules'));
	for (const dev of ['typescript', 'tsx', 'esbuild', 'ink-testing-library', '@types']) assert.ok(!installed.includes(dev), `${dev} is not installed`);
	const bin = join(app, 'node_modules', '.bin', 'natscope');
	assert.ok((await stat(bin)).isFile());

	const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {version: string};
	assert.equal(execFileSync(bin, ['--version'], {cwd: app, encoding: 'utf8'}).trim(), `natscope ${pkg.version}`);
	assert.match(execFileSync(bin, ['--help'], {cwd: app, encoding: 'utf8'}), /natscope --replay /);

	const session = TmuxSession.start(`cd ${app} && ./node_modules/.bin/natscope --demo`, {width: 120, height: 30});
	sessions.push(session);
	await session.waitForScreen(s => /^replay ▶ ×1 · /m.test(s) && /orders-worker-\d/.test(s), 'the demo from the installed package', 10_000);
	session.type('2');
	await session.waitForScreen(s => /nats-east-1 .*nats-east/.test(s) && /nats-east-3 .*nats-east/.test(s), 'servers', 5000);
	session.type('q');
	await session.waitForScreen(() => session.exitStatus() !== undefined, 'exit after q');
	assert.equal(session.exitStatus(), 0);
});
