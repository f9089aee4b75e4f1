// Profiles from a real nats-server 2.9.10 with prof_port: every kind is a gzip'd protobuf that
// decompresses, the port is found through /proc when not given, a 2 s cpu profile takes about
// 2 s, two downloads in one second get two names, and a cpu profile can be cancelled.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtemp, readdir, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {gunzipSync} from 'node:zlib';
import {runSubcommand} from '../../source/actions/commands.js';
import {downloadProfile, PROFILE_KINDS} from '../../source/actions/profiles.js';
import {ProfilesController} from '../../source/actions/profiles-controller.js';
import {startServer, type NatsServer} from '../helpers/server.js';
import {freePort} from '../helpers/ports.js';
import {captureIo} from '../helpers/command-io.js';
import {waitFor} from '../helpers/wait.js';
import {makeVarz} from '../helpers/fixtures.js';

let server: NatsServer;
let profPort: number;
let dir: string;

before(async () => {
	dir = await mkdtemp(join(tmpdir(), 'natscope-profiles-'));
	profPort = await freePort();
	server = await startServer({name: 'prof test/1', config: `prof_port: ${profPort}`});
});

after(async () => {
	await server?.stop();
	await rm(dir, {recursive: true, force: true});
});

/** The path in "… → PATH" from the command's first line. */
function writtenPath(out: string): string {
	const match = / → (.+)$/m.exec(out);
	assert.ok(match, `a path in: ${out}`);
	return match[1]!;
}

async function assertProfile(path: string): Promise<void> {
	const data = await readFile(path);
	assert.deepEqual([data[0], data[1]], [0x1f, 0x8b], `${path} starts with the gzip magic`);
	const raw = gunzipSync(data);
	assert.ok(raw.length > 0, 'decompresses to a protobuf');
}

test('every profile kind downloads a valid gzip’d protobuf over the profiling port', {timeout: 120_000}, async () => {
	for (const kind of PROFILE_KINDS) {
		const io = captureIo();
		const code = await runSubcommand('profile', [kind, '--prof-port', String(profPort), '--dir', dir, '--seconds', '1', server.monitorUrl], io);
		assert.equal(code, 0, `${kind}: ${io.err()}`);
		const path = writtenPath(io.out());
		assert.match(path, new RegExp(`^${dir.replace(/[.]/g, '\\.')}/${kind}-prof_test_1-\\d{8}-\\d{6}(-\\d+)?\\.pprof$`));
		assert.match(io.out(), new RegExp(`^go tool pprof ${path.replace(/[.]/g, '\\.')}$`, 'm'));
		assert.match(io.out(), /profile: \d+(\.\d)?(B|KiB|MiB) in /);
		await assertProfile(path);
	}
});

test('without --prof-port the profiling port is found among the local process’s listening ports', async () => {
	const io = captureIo();
	const code = await runSubcommand('profile', ['heap', '--dir', dir, server.monitorUrl], io);
	assert.equal(code, 0, io.err());
	assert.match(io.err(), new RegExp(`heap profile of prof test/1 from http://127\\.0\\.0\\.1:${profPort}/debug/pprof/`));
	await assertProfile(writtenPath(io.out()));
});

test('a 2-second cpu profile takes about 2 seconds', async () => {
	const io = captureIo();
	const started = Date.now();
	const code = await runSubcommand('profile', ['cpu', '--seconds', '2', '--prof-port', String(profPort), '--dir', dir, server.monitorUrl], io);
	const seconds = (Date.now() - started) / 1000;
	assert.equal(code, 0, io.err());
	assert.ok(seconds >= 1.9 && seconds < 4, `took ${seconds.toFixed(2)} s`);
	await assertProfile(writtenPath(io.out()));
});

test('a second download in the same second gets a different name', async () => {
	const now = () => new Date(2026, 4, 6, 7, 8, 9);
	const request = {
		source: {kind: 'http' as const, base: `http://127.0.0.1:${profPort}/debug/pprof/`, how: 'test'},
		profile: 'goroutine' as const,
		cpuSeconds: 1,
		dir,
		serverName: 'same-second',
		timeoutMs: 5000,
		now,
	};
	const first = await downloadProfile(request);
	const second = await downloadProfile(request);
	assert.ok(first.ok && second.ok);
	assert.equal(first.path, join(dir, 'goroutine-same-second-20260506-070809.pprof'));
	assert.equal(second.path, join(dir, 'goroutine-same-second-20260506-070809-2.pprof'));
	await assertProfile(first.path);
	await assertProfile(second.path);
});

test('the profiles panel: progress while a cpu profile runs, Esc cancels it, nothing is written', async () => {
	const panelDir = join(dir, 'panel');
	const controller = new ProfilesController({transport: 'http', reachHost: '127.0.0.1', reachPort: server.httpPort, profPort, dir: panelDir, timeoutMs: 5000, tickMs: 50});
	try {
		const varz = (await (await fetch(`${server.monitorUrl}/varz`)).json()) as {server_id: string; start: string};
		controller.setServer(makeVarz({server_id: varz.server_id, server_name: 'prof test/1', start: varz.start, port: server.port, http_port: server.httpPort}));
		assert.equal(controller.getState().origin.status, 'http');
		assert.equal(controller.getState().cpuSeconds, 10);
		controller.handleKey('c', {});
		await waitFor(() => (controller.getState().running?.elapsedMs ?? 0) >= 300, {timeoutMs: 5000, what: 'progress to move'});
		assert.equal(controller.getState().running?.totalMs, 10_000);
		const cancelledAt = Date.now();
		assert.equal(controller.handleKey('', {escape: true}), true);
		await waitFor(() => controller.getState().running === undefined, {timeoutMs: 5000, what: 'the cancel'});
		assert.ok(Date.now() - cancelledAt < 2000, 'cancelled at once, not after 10 s');
		assert.deepEqual(controller.getState().result, {ok: false, lines: ['profile cancelled; nothing was written']});
		assert.deepEqual(await readdir(panelDir).catch(() => []), []);

		controller.handleKey('[', {});
		assert.equal(controller.getState().cpuSeconds, 5);
		controller.handleKey('g', {});
		await waitFor(() => controller.getState().result !== undefined && controller.getState().running === undefined, {timeoutMs: 10_000, what: 'the goroutine profile'});
		const result = controller.getState().result!;
		assert.equal(result.ok, true, result.lines.join('\n'));
		assert.match(result.lines[1]!, /^go tool pprof .*goroutine-prof_test_1-\d{8}-\d{6}\.pprof$/);
		const files = await readdir(panelDir);
		assert.equal(files.length, 1);
		await assertProfile(join(panelDir, files[0]!));
	} finally {
		controller.dispose();
	}
});
