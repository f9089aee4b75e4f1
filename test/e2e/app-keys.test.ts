// The built CLI in tmux at 80x24: the signal panel on a live server (opened with --view signals,
// reload confirmed), then a recording made with --record replayed with --replay and driven by
// the replay keys. Keys in, screen out, clean exits.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {appendFile, mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {startServer, stopAll, type NatsServer} from '../helpers/server.js';
import {openClients, type Clients} from '../helpers/load.js';
import {TmuxSession} from './tmux.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const SIZE = {width: 80, height: 24};
const sessions: TmuxSession[] = [];
let dir: string;
let server: NatsServer;
let clients: Clients;
let pidFile: string;

before(async () => {
	dir = await mkdtemp(join(tmpdir(), 'natscope-e2e-keys-'));
	pidFile = join(dir, 'nats.pid');
	server = await startServer({name: 'e2e-keys', config: `pid_file: "${pidFile}"`});
	clients = await openClients(server.natsUrl, 3, {namePrefix: 'e2e-keys-client'});
});

after(async () => {
	for (const session of sessions) session.kill();
	await clients?.close();
	await stopAll();
	if (dir) await rm(dir, {recursive: true, force: true});
});

test('--view signals on a live server: the process, a confirmed reload, and q quits cleanly', async () => {
	const session = TmuxSession.start(`node ${cli} ${server.monitorUrl} --view signals --pid-file ${pidFile}`, SIZE);
	sessions.push(session);
	await session.waitForScreen(s => s.includes(`process  pid ${server.pid} (pid file`), 'the signal panel with the process');
	await new Promise(resolve => setTimeout(resolve, 1100));
	await appendFile(join(server.dir, 'server.conf'), 'max_payload: 262144\n');
	session.type('r');
	await session.waitForScreen(s => s.includes('Reload the configuration of e2e-keys'), 'the confirmation');
	session.type('y');
	const screen = await session.waitForScreen(s => s.includes('✓ configuration reloaded'), 'the verified reload');
	assert.match(screen, /max_payload 262144/);
	session.type('q');
	await session.waitForScreen(() => session.exitStatus() !== undefined, 'exit after q');
	assert.equal(session.exitStatus(), 0);
});

test('--replay: the clock on the status line, ] faster, Space pause, . step, S explains, q quits', async () => {
	const file = join(dir, 'e2e.ndjson');
	const recorder = TmuxSession.start(`node ${cli} ${server.monitorUrl} --record ${file} -d 0.5`, SIZE);
	sessions.push(recorder);
	await recorder.waitForScreen(s => s.includes('e2e-keys-client-3'), 'recording the clients');
	await new Promise(resolve => setTimeout(resolve, 3000));
	recorder.type('q');
	await recorder.waitForScreen(() => recorder.exitStatus() !== undefined, 'the recorder exits');
	assert.equal(recorder.exitStatus(), 0);

	const session = TmuxSession.start(`node ${cli} --replay ${file}`, SIZE);
	sessions.push(session);
	await session.waitForScreen(s => /^replay ▶ ×1 · /m.test(s) && s.includes('e2e-keys-client-3'), 'the replay at ×1');
	session.type(']');
	await session.waitForScreen(s => /^replay (▶ ×2|■ end) · /m.test(s), '] doubles the speed');
	session.keys('Space');
	await session.waitForScreen(s => /^replay ⏸ paused · /m.test(s), 'Space pauses');
	session.type(',');
	session.type('.');
	const stepped = await session.waitForScreen(s => /^replay ⏸ paused · \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC · 0:0\d \/ 0:0\d/m.test(s), 'stepped, still paused');
	assert.match(stepped, /Space play\/pause {2}\] faster/);
	session.type('S');
	await session.waitForScreen(s => s.includes('this is a replay of a recording'), 'the signal panel explains');
	session.type('q');
	await session.waitForScreen(() => session.exitStatus() !== undefined, 'exit after q');
	assert.equal(session.exitStatus(), 0);
});
