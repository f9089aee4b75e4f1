// `natscope --demo`, the README's first command, in tmux as a user runs it: no server anywhere,
// every view populated within 5 s of pressing its key, and q leaves cleanly. Also a --record of
// a live server replayed with --replay (both through the CLI) shows the same server, and a
// recording cut short says where on screen and replays what came before.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {startServer, stopAll, type NatsServer} from '../helpers/server.js';
import {openClients, type Clients} from '../helpers/load.js';
import {TmuxSession} from './tmux.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const SIZE = {width: 120, height: 32};
/** The promise: every view populated within 5 s. */
const POPULATED_MS = 5000;
const sessions: TmuxSession[] = [];
let dir: string;

before(async () => {
	dir = await mkdtemp(join(tmpdir(), 'natscope-e2e-demo-'));
});

after(async () => {
	for (const session of sessions) session.kill();
	await stopAll();
	if (dir) await rm(dir, {recursive: true, force: true});
});

function start(command: string, size = SIZE): TmuxSession {
	const session = TmuxSession.start(command, size);
	sessions.push(session);
	return session;
}

async function quits(session: TmuxSession): Promise<void> {
	session.type('q');
	await session.waitForScreen(() => session.exitStatus() !== undefined, 'exit after q');
	assert.equal(session.exitStatus(), 0);
	assert.doesNotMatch(session.screen(), /Error|at .*\.js:\d+/, 'no stack trace after quitting');
}

/** Lines of the table under the header row (the one that starts with `first`). */
function rowsUnder(screen: string, first: RegExp): string[] {
	const lines = screen.split('\n');
	const header = lines.findIndex(line => first.test(line));
	if (header < 0) return [];
	const rows: string[] = [];
	for (const line of lines.slice(header + 1)) {
		if (line.trim() === '') break;
		rows.push(line);
	}
	return rows;
}

test('--demo: connections, servers, JetStream with the lagging replica, every other view populated within 5 s, q quits', {timeout: 120_000}, async () => {
	const session = start(`node ${cli} --demo`);
	const started = Date.now();
	let screen = await session.waitForScreen(s => /^replay ▶ ×1 · /m.test(s) && rowsUnder(s, /^SERVER +CID/).length >= 10, 'connections of three servers', POPULATED_MS);
	const firstFrameMs = Date.now() - started;
	assert.match(screen, /orders-worker-\d/);
	assert.match(screen, /nats-east-1/);
	assert.match(screen, /nats-east-3/);

	// Each view by its key; each must show rows (or its own populated panel) within 5 s.
	const views: Array<{key: string; what: string; ready: (s: string) => boolean}> = [
		{key: '2', what: 'servers', ready: s => rowsUnder(s, /^SERVER▲? +CLUSTER/).filter(l => /nats-east-\d/.test(l)).length === 3},
		{key: '3', what: 'JetStream', ready: s => /Meta group nats-east · 3 peers · leader nats-east-\d/.test(s) && rowsUnder(s, /^SERVER▲? +MEMORY/).length >= 3},
		{key: '4', what: 'streams', ready: s => /^ORDERS +APP +file +3 /m.test(s) && /^ORDERS_ARCHIVE /m.test(s) && /^ORDERS_ARCHIVE +mirror +ORDERS/m.test(s)},
		{key: '5', what: 'routes', ready: s => rowsUnder(s, /^SERVER▲? /).filter(l => /nats-east-\d.*nats-east-\d/.test(l)).length >= 6},
		{key: '6', what: 'gateways', ready: s => /nats-west/.test(s) && rowsUnder(s, /^SERVER▲? /).length >= 2},
		{key: '7', what: 'leafnodes', ready: s => /^1 leafnode connection/m.test(s) && rowsUnder(s, /^SERVER▲? /).length === 1},
		{key: '8', what: 'health', ready: s => /all healthy/.test(s) && rowsUnder(s, /^SERVER +HEALTHZ/).length >= 3},
		{key: '1', what: 'connections again', ready: s => rowsUnder(s, /^SERVER +CID/).length >= 10},
	];
	const timings: string[] = [`connections ${firstFrameMs} ms`];
	for (const view of views) {
		session.type(view.key);
		const pressed = Date.now();
		screen = await session.waitForScreen(view.ready, `the ${view.what} view populated`, POPULATED_MS);
		timings.push(`${view.what} ${Date.now() - pressed} ms`);
	}
	// The events view shows events as they come: the recording has a client come and go and a
	// consumer created and deleted every few seconds.
	session.type('9');
	await session.waitForScreen(s => /^\d\d:\d\d:\d\d +[A-Z]{3,}/m.test(s), 'events from the recording', POPULATED_MS);

	// The lagging replica: at ×2 the stopped follower comes round within a loop of the demo; the
	// streams view flags it and its replica line says for how long.
	session.type('4');
	session.type(']');
	session.type('x');
	screen = await session.waitForScreen(s => /^ORDERS +APP .*[⚠✖]/m.test(s) && /└ nats-east-\d .*(⚠ behind \d+ refreshes|✖ offline)/.test(s), 'ORDERS with a lagging replica', 45_000);
	process.stderr.write(`demo: ${timings.join(', ')}\n`);
	await quits(session);
});

test('--record of a live server through the CLI, then --replay of that file: the same server and clients; a cut file says where', {timeout: 60_000}, async () => {
	const server: NatsServer = await startServer({name: 'e2e-recorded-node'});
	const clients: Clients = await openClients(server.natsUrl, 4, {namePrefix: 'e2e-rec-client'});
	try {
		const file = join(dir, 'incident.ndjson.gz');
		const recorder = start(`node ${cli} ${server.monitorUrl} --record ${file} -d 0.5`);
		const live = await recorder.waitForScreen(s => s.includes('e2e-rec-client-4') && /e2e-recorded-node/.test(s), 'the live server, recording');
		await new Promise(resolve => setTimeout(resolve, 2500));
		await quits(recorder);
		const bytes = await readFile(file);
		assert.equal(bytes[0], 0x1f, 'a .gz name gives a gzip file');

		const replay = start(`node ${cli} --replay ${file}`);
		const replayed = await replay.waitForScreen(s => /^replay ▶ ×1 · /m.test(s) && s.includes('e2e-rec-client-4'), 'the replay');
		assert.match(replayed, /e2e-recorded-node/);
		assert.equal(replayed.match(/e2e-rec-client-\d/g)?.length, live.match(/e2e-rec-client-\d/g)?.length, 'the same clients');
		assert.doesNotMatch(replayed, /⚠ line/, 'a whole file has no warning');
		await quits(replay);

		// The same recording cut mid-line (plain NDJSON): what came before replays, and the status
		// line names the line where it was cut.
		const {gunzipSync} = await import('node:zlib');
		const text = gunzipSync(bytes).toString('utf8');
		const lines = text.trimEnd().split('\n');
		const cut = join(dir, 'cut.ndjson');
		const keep = Math.floor(lines.length * 0.6);
		await writeFile(cut, `${lines.slice(0, keep).join('\n')}\n${lines[keep]!.slice(0, 25)}`);
		const damaged = start(`node ${cli} --replay ${cut}`);
		const shown = await damaged.waitForScreen(s => s.includes('e2e-rec-client-4') && /⚠ line \d+: cut off/.test(s), 'the part before the cut, and where it was cut');
		assert.match(shown, new RegExp(`⚠ line ${keep + 1}: cut off`));
		await quits(damaged);

		// Not a recording at all: one clear line naming the file and line 1, exit 1, no stack.
		const junk = join(dir, 'junk.ndjson');
		await writeFile(junk, 'hello\n');
		const refused = start(`node ${cli} --replay ${junk}`);
		const said = await refused.waitForScreen(s => /natscope exited with \d+/.test(s), 'refused');
		assert.match(said, /junk\.ndjson: line 1: not a natscope recording/);
		assert.equal(refused.exitStatus(), 1);
		assert.doesNotMatch(said, /at .*\.js:\d+/);
	} finally {
		await clients.close();
	}
});
