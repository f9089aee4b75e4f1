// Signals against a real nats-server 2.9.10 started with pid_file, log_file and prof_port: the
// process is found through /proc, reload and reopen are verified by their effects, refusals are
// real (a sleep process, a pid that is gone), and confirmation is required.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {appendFile, mkdtemp, readFile, rename, rm, stat} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {discoverProcess, readPidFile} from '../../source/actions/discover.js';
import {runSubcommand} from '../../source/actions/commands.js';
import {startServer, type NatsServer} from '../helpers/server.js';
import {freePort} from '../helpers/ports.js';
import {captureIo} from '../helpers/command-io.js';
import {waitFor} from '../helpers/wait.js';
import {createActionControllers} from '../../source/actions/controller.js';
import {loadConfigModules, parseCli} from '../../source/config/flags.js';
import {HttpSource} from '../../source/sources/http.js';

// parseCli needs the configuration modules a NATS target or a context uses (parseCommandLine loads them itself).
await loadConfigModules();

let server: NatsServer;
let dir: string;
let pidFile: string;
let logFile: string;

async function varz(): Promise<{max_payload: number; config_load_time: string}> {
	const response = await fetch(`${server.monitorUrl}/varz`, {signal: AbortSignal.timeout(2000)});
	return (await response.json()) as {max_payload: number; config_load_time: string};
}

function exited(child: ReturnType<typeof spawn>): Promise<void> {
	return new Promise(resolve => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
}

before(async () => {
	dir = await mkdtemp(join(tmpdir(), 'natscope-signals-'));
	pidFile = join(dir, 'nats.pid');
	logFile = join(dir, 'nats.log');
	const profPort = await freePort();
	server = await startServer({name: 'sig-test', config: `pid_file: "${pidFile}"\nlog_file: "${logFile}"\nprof_port: ${profPort}`});
});

after(async () => {
	await server?.stop();
	await rm(dir, {recursive: true, force: true});
});

test('the auto-discovered pid is the pid file’s', async () => {
	const fromFile = await readPidFile(pidFile);
	assert.ok(fromFile.ok);
	const found = await discoverProcess({host: '127.0.0.1', ports: [server.httpPort]});
	assert.ok(found.ok, !found.ok ? found.message : '');
	assert.equal(found.pid, fromFile.pid);
	assert.equal(found.pid, server.pid);
	assert.equal(found.how, `listening on 127.0.0.1:${server.httpPort}`);
	const byClientPort = await discoverProcess({host: 'localhost', ports: [server.port]});
	assert.equal(byClientPort.ok && byClientPort.pid, fromFile.pid);
});

test('signal reload after editing max_payload: config_load_time changes and the new value shows', async () => {
	const before = await varz();
	assert.equal(before.max_payload, 1048576);
	await appendFile(join(server.dir, 'server.conf'), 'max_payload: 524288\n');
	const io = captureIo();
	const code = await runSubcommand('signal', ['reload', '--yes', server.monitorUrl], io);
	assert.equal(code, 0, io.err());
	const out = io.out();
	assert.match(out, new RegExp(`SIGHUP sent to pid ${server.pid}`));
	assert.match(out, /configuration reloaded/);
	assert.match(out, new RegExp(`config_load_time ${before.config_load_time.replace(/[.+]/g, '\\$&')} → `));
	assert.match(out, /max_payload 1048576 → 524288/);
	assert.match(io.err(), new RegExp(`same as: nats-server --signal reload=${server.pid}`));
	const afterVarz = await varz();
	assert.notEqual(afterVarz.config_load_time, before.config_load_time);
	assert.equal(afterVarz.max_payload, 524288);
});

test('signal reopen after renaming the log file: the server writes a new log file', async () => {
	await rename(logFile, `${logFile}.1`);
	await assert.rejects(stat(logFile), 'the log file is gone after the rename');
	const io = captureIo();
	const code = await runSubcommand('signal', ['reopen', '--yes', '--pid-file', pidFile, server.monitorUrl], io);
	assert.equal(code, 0, io.err());
	assert.match(io.out(), new RegExp(`log file re-opened: now writing ${logFile.replace(/[.]/g, '\\.')}`));
	assert.match(await readFile(logFile, 'utf8'), /File log re-opened/);
	assert.doesNotMatch(await readFile(`${logFile}.1`, 'utf8'), /File log re-opened/, 'the rotated file is left alone');
});

test('no confirmation, no signal: not a terminal without --yes, "n" on a terminal, a wrong name for ldm', async () => {
	const before = await varz();
	const script = captureIo({isTty: false});
	assert.equal(await runSubcommand('signal', ['reload', server.monitorUrl], script), 2);
	assert.match(script.err(), /refusing without --yes: stdin is not a terminal/);

	const tty = captureIo({isTty: true});
	tty.answer('n');
	assert.equal(await runSubcommand('signal', ['reload', server.monitorUrl], tty), 2);
	assert.match(tty.err(), /Proceed\? \[y\/N\] /);
	assert.match(tty.err(), /cancelled: nothing was sent/);

	const ldm = captureIo({isTty: true});
	ldm.answer('y');
	assert.equal(await runSubcommand('signal', ['ldm', server.monitorUrl], ldm), 2);
	assert.match(ldm.err(), /Type the server name \(sig-test\) to confirm: /);
	assert.match(ldm.err(), /that is not the server name: nothing was sent/);

	const yes = captureIo({isTty: true});
	yes.answer('y');
	assert.equal(await runSubcommand('signal', ['reload', server.monitorUrl], yes), 0, yes.err());

	assert.equal((await varz()).max_payload, before.max_payload);
	assert.ok(server.pid !== undefined, 'the server is still running');
	assert.equal((await fetch(`${server.monitorUrl}/healthz`)).status, 200);
});

test('refusals: a pid that is not nats-server is not signalled; a pid that is gone gives the ESRCH message', async () => {
	const sleeper = spawn('sleep', ['30'], {stdio: 'ignore'});
	try {
		const io = captureIo();
		const code = await runSubcommand('signal', ['reload', '--yes', '--pid', String(sleeper.pid), server.monitorUrl], io);
		assert.equal(code, 2);
		assert.match(io.err(), new RegExp(`pid ${sleeper.pid} \\(--pid\\) is .*sleep, not nats-server: refusing to signal it`));
		await new Promise(resolve => setTimeout(resolve, 200));
		assert.equal(sleeper.exitCode, null);
		assert.equal(sleeper.signalCode, null, 'sleep got no SIGHUP (it would have died of it)');
	} finally {
		sleeper.kill('SIGKILL');
		await exited(sleeper);
	}

	const brief = spawn('true', [], {stdio: 'ignore'});
	await exited(brief);
	const io = captureIo();
	const code = await runSubcommand('signal', ['reopen', '--yes', '--pid', String(brief.pid), server.monitorUrl], io);
	assert.equal(code, 1);
	assert.match(io.err(), new RegExp(`pid ${brief.pid} \\(--pid\\) is gone \\(no such process\\)`));
});

test('a server that does not answer: signal refuses without --pid and says how', async () => {
	const port = await freePort();
	const io = captureIo();
	const code = await runSubcommand('signal', ['reload', '--yes', `http://127.0.0.1:${port}`], io);
	assert.equal(code, 1);
	assert.match(io.err(), /cannot read varz: connection refused/);
	assert.match(io.err(), /pass --pid N or --pid-file PATH|monitoring/);
});

test('createActionControllers wires both panels from the config: process by --pid-file, profiling port found', async () => {
	const parsed = parseCli([server.monitorUrl], {});
	assert.equal(parsed.kind, 'run');
	if (parsed.kind !== 'run') return;
	const source = new HttpSource({url: server.monitorUrl, timeoutMs: 2000});
	const actions = createActionControllers(parsed.config, source, {pidFile}, {dir});
	try {
		const varz = (await source.request({kind: 'varz'})).replies[0]!.data;
		actions.signals.setServer(varz, `127.0.0.1:${server.httpPort}`);
		actions.profiles.setServer(varz);
		await waitFor(() => actions.signals.getState().process.status === 'found', {timeoutMs: 5000, what: 'the process'});
		assert.deepEqual(actions.signals.getState().process, {status: 'found', pid: server.pid, how: `pid file ${pidFile}`});
		await waitFor(() => actions.profiles.getState().origin.status === 'http', {timeoutMs: 5000, what: 'the profiling port'});
		const origin = actions.profiles.getState().origin;
		assert.match(origin.status === 'http' ? origin.base : '', /^http:\/\/127\.0\.0\.1:\d+\/debug\/pprof\/$/);
		assert.equal(origin.status === 'http' && origin.how, `found on pid ${server.pid}`);
	} finally {
		await actions.dispose();
		await source.close();
	}
});
