// The built CLI against a real nats-server: the TUI in tmux, and the one-shot modes.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {readFile, mkdtemp} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {startServer, stopAll, type NatsServer} from '../helpers/server.js';
import {openClients, slowConsumer, firehose} from '../helpers/load.js';
import {freePort} from '../helpers/ports.js';
import {TmuxSession} from './tmux.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

let server: NatsServer;
let clients: Awaited<ReturnType<typeof openClients>>;
let slow: Awaited<ReturnType<typeof slowConsumer>>;
let evil: Awaited<ReturnType<typeof slowConsumer>>;
const sessions: TmuxSession[] = [];

function run(args: string[], timeoutMs = 20_000): Promise<{code: number; stdout: string; stderr: string}> {
	return new Promise(resolve => {
		execFile(process.execPath, [cli, ...args], {timeout: timeoutMs, env: {...process.env, NO_COLOR: '1'}}, (error, stdout, stderr) => {
			const code = error ? (typeof error.code === 'number' ? error.code : 99) : 0;
			resolve({code, stdout, stderr});
		});
	});
}

before(async () => {
	server = await startServer({config: 'write_deadline: "60s"\nmax_pending: 67108864'});
	clients = await openClients(server.natsUrl, 12, {namePrefix: 'e2e-worker', subjects: ['jobs.>']});
	slow = await slowConsumer('127.0.0.1', server.port, 'firehose', {name: 'slowpoke'});
	evil = await slowConsumer('127.0.0.1', server.port, 'quiet', {name: 'evil\u001b]0;pwned\u0007\u001b[2J'});
	await firehose(clients.conns[0]!, 'firehose', {bytes: 8 * 1024 * 1024, payloadBytes: 8 * 1024});
});

after(async () => {
	for (const session of sessions) session.kill();
	slow?.close();
	evil?.close();
	await clients?.close();
	await stopAll();
});

test('TUI in tmux: start, sort by pending with keys, open detail, go back, quit', async () => {
	const session = TmuxSession.start(`node ${cli} ${server.monitorUrl}`, {width: 100, height: 30});
	sessions.push(session);
	let screen = await session.waitForScreen(s => s.includes('PENDING') && s.includes('e2e-worker') && s.includes('v2.9.10'), 'connections table and header');
	assert.match(screen, /v2\.9\.10/);
	assert.match(screen, /evil␛\]0;pwned␇/, 'the hostile name is visible text, and the screen was not cleared by it');
	assert.match(screen, /showing 1–\d+ of 14/);

	session.keys('o');
	await session.waitForScreen(s => s.includes('sort by'), 'sort prompt');
	session.type('pend');
	session.keys('Tab', 'Enter');
	// The sort marker shows at once; the rows come with the answer to the new question.
	const firstRow = (s: string) => {
		const rows = s.split('\n');
		return rows[rows.findIndex(line => line.includes('PENDING')) + 1] ?? '';
	};
	screen = await session.waitForScreen(s => /sort pending ▼/.test(s) && /PENDING ?▼/.test(s) && !firstRow(s).includes('waiting for'), 'sorted by pending');
	assert.match(firstRow(screen), /slowpoke/, 'the slow consumer is first by pending bytes');

	session.keys('Enter');
	screen = await session.waitForScreen(s => s.includes('Connection') && /cid \d+ slowpoke/.test(s), 'detail view');
	assert.match(screen, /pending/);
	session.keys('Escape');
	await session.waitForScreen(s => s.includes('PENDING') && s.includes('e2e-worker'), 'back to the list');

	session.keys('?');
	await session.waitForScreen(s => s.includes('Show or close this help'), 'help');
	session.keys('?');
	await session.waitForScreen(s => s.includes('PENDING'), 'help closed');

	session.keys('d');
	await session.waitForScreen(s => /localhost:\d+/.test(s), 'reverse DNS names 127.0.0.1 (from /etc/hosts), in the background');

	session.keys('q');
	await session.waitForScreen(() => session.exitStatus() !== undefined, 'exit after q');
	assert.equal(session.exitStatus(), 0);
	assert.doesNotMatch(session.screen(), /PENDING/, 'the alternate screen is left, the shell screen restored');
});

test('TUI in tmux: a wrong port says it is the client port and keeps running', async () => {
	const session = TmuxSession.start(`node ${cli} 127.0.0.1:${server.port}`, {width: 80, height: 24});
	sessions.push(session);
	const screen = await session.waitForScreen(s => s.includes('8222'), 'wrong-port message');
	assert.match(screen, /client port/);
	assert.equal(session.exitStatus(), undefined, 'still running');
	session.keys('C-c');
	await session.waitForScreen(() => session.exitStatus() !== undefined, 'exit after Ctrl-C');
	assert.equal(session.exitStatus(), 0);
});

test('--once prints one plain-text snapshot with rates and exits 0', async () => {
	const {code, stdout, stderr} = await run([server.monitorUrl, '--once', '--sort', 'pending', '-d', '0.5']);
	assert.equal(code, 0, stderr);
	assert.doesNotMatch(stdout, /\u001B/, 'no escape codes without a TTY');
	const lines = stdout.split('\n');
	const header = lines.findIndex(line => line.includes('PENDING'));
	assert.ok(header > 0);
	assert.match(lines[header + 1]!, /slowpoke/);
	assert.match(stdout, /showing 1–14 of 14/);
	assert.ok(stdout.includes('evil␛]0;pwned␇␛[2J'), 'a hostile client name is printed as harmless text');
});

test('--json prints one document with raw numbers; -o writes a file (nats-top flags)', async () => {
	const {code, stdout} = await run([server.monitorUrl, '--json', '-sort', 'pending', '-d', '0.5']);
	assert.equal(code, 0);
	const document = JSON.parse(stdout) as {server: {server_name: string; connections: number}; connections: {rows: Array<{name: string; pending_bytes: number; msgs_to_per_sec: number | null}>}};
	assert.equal(document.server.connections, 14);
	assert.equal(document.connections.rows.length, 14);
	assert.ok(document.connections.rows.some(r => r.name === 'evil␛]0;pwned␇␛[2J'));
	assert.doesNotMatch(stdout, /\\u001b|\u001b/i, 'no escape character, raw or JSON-escaped');
	assert.equal(document.connections.rows[0]!.name, 'slowpoke');
	assert.ok(document.connections.rows[0]!.pending_bytes > 0);
	assert.equal(typeof document.connections.rows[1]!.msgs_to_per_sec, 'number', 'rates from two samples');

	const dir = await mkdtemp(join(tmpdir(), 'natscope-e2e-'));
	const file = join(dir, 'top.txt');
	const written = await run(['-s', '127.0.0.1', '-m', String(server.httpPort), '-n', '5', '-o', file, '-d', '0.5']);
	assert.equal(written.code, 0, written.stderr);
	const text = await readFile(file, 'utf8');
	assert.match(text, /showing 1–5 of the first 5 of 14/);

	const csv = await run([server.monitorUrl, '--delimiter', ',', '--sort', 'cid', '-d', '0.5']);
	assert.equal(csv.code, 0);
	const csvLines = csv.stdout.trim().split('\n');
	assert.match(csvLines[0]!, /^cid,name,host,account,subscriptions,pending_bytes/);
	assert.equal(csvLines.length, 15);

	const twice = await run([server.monitorUrl, '--json', '-r', '2', '-d', '0.3']);
	assert.equal(twice.code, 0);
	const documents = twice.stdout.trim().split('\n').map(line => JSON.parse(line) as {time: string});
	assert.equal(documents.length, 2, '-r 2 prints two documents, one per line');
	assert.ok(Date.parse(documents[1]!.time) > Date.parse(documents[0]!.time));
});

test('exit codes: 1 when the server is unreachable, 2 on bad usage', async () => {
	const port = await freePort();
	const down = await run([`127.0.0.1:${port}`, '--once', '--timeout', '2']);
	assert.equal(down.code, 1);
	assert.match(down.stderr, /refused/i);
	assert.doesNotMatch(down.stderr, /\n\s+at /, 'no stack trace');
	const bad = await run(['--sort', 'bogus', '--once']);
	assert.equal(bad.code, 2);
	assert.match(bad.stderr, /--sort/);
	assert.match(bad.stderr, /--help/);
});
