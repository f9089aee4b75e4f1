// Terminal faults, with the built CLI against a real nats-server: a 40x10 terminal, a storm of
// resizes, stdout that is not a terminal, stdin closed, and the terminal going away.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import stringWidth from 'string-width';
import {startServer, stopAll, type NatsServer} from '../helpers/server.js';
import {openClients, type Clients} from '../helpers/load.js';
import {waitFor} from '../helpers/wait.js';
import {CLI, assertFits, assertNoStack, runCli} from '../helpers/cli-run.js';
import {TmuxSession} from '../e2e/tmux.js';

let server: NatsServer;
let clients: Clients;
const sessions: TmuxSession[] = [];

before(async () => {
	server = await startServer();
	clients = await openClients(server.natsUrl, 5, {namePrefix: 'term-load'});
});

after(async () => {
	for (const session of sessions) session.kill();
	await clients?.close();
	await stopAll();
});

function start(size: {width: number; height: number}, redirect = ''): TmuxSession {
	const session = TmuxSession.start(`node ${CLI} ${server.monitorUrl} -d 0.2${redirect}`, size);
	sessions.push(session);
	return session;
}

function resize(session: TmuxSession, width: number, height: number): void {
	execFileSync('tmux', ['resize-window', '-t', session.name, '-x', String(width), '-y', String(height)]);
}

/** The pid of the app in the pane (the shell's child; meow renames the process "natscope"). */
function appPid(session: TmuxSession): number | undefined {
	const shell = execFileSync('tmux', ['list-panes', '-t', session.name, '-F', '#{pane_pid}'], {encoding: 'utf8'}).trim();
	const children = readFileSync(`/proc/${shell}/task/${shell}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
	for (const pid of children) {
		const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
		if (cmd.includes('cli.js') || cmd.startsWith('natscope')) return Number(pid);
	}
	return undefined;
}

/** The connections table is drawn once, whole and aligned, at this width. */
function assertTableIntact(screen: string, width: number, what: string): void {
	assertFits(screen, width, what);
	assertNoStack(screen, what);
	const lines = screen.split('\n');
	const headers = lines.filter(l => /\bCID\b/.test(l) && l.includes('NAME'));
	assert.equal(headers.length, 1, `${what}: one table header, no leftovers of earlier frames\n${screen}`);
	assert.equal(lines.filter(l => l.includes(server.name)).length, 1, `${what}: one overview line\n${screen}`);
	const header = headers[0]!;
	const nameAt = stringWidth(header.slice(0, header.indexOf('NAME')));
	const rows = lines.filter(l => /term-load-\d/.test(l));
	assert.equal(rows.length, 5, `${what}: every client row\n${screen}`);
	for (const row of rows) assert.equal(stringWidth(row.slice(0, row.indexOf('term-load'))), nameAt, `${what}: NAME column aligned: ${row}`);
}

test('a 40x10 terminal: a clear message instead of a broken table, the table once there is room', async () => {
	const session = start({width: 40, height: 10});
	const screen = await session.waitForScreen(s => /too small/.test(s.replace(/\n/g, ' ')), 'the too-small message');
	const text = screen.replace(/\s+/g, ' ');
	assert.match(text, /Terminal 40x10 is too small: natscope needs at least 60x12\./);
	assert.match(text, /Enlarge the window, or press q to quit\./);
	assertFits(screen, 40, '40x10');
	assertNoStack(screen, '40x10');
	assert.equal(session.exitStatus(), undefined, 'still running');
	resize(session, 100, 24);
	// The first frame at the new size can still hold the small page (1 row) until the page of the
	// new size has been fetched: wait for that page, then check the table.
	const grown = await session.waitForScreen(s => (s.match(/term-load-\d/g) ?? []).length === 5 && !s.includes('too small'), 'the table after growing');
	assertTableIntact(grown, 100, 'after growing');
	session.keys('q');
	await session.waitForScreen(() => session.exitStatus() !== undefined, 'q quits');
	assert.equal(session.exitStatus(), 0);
});

test('a resize storm: 60 sizes in a row, then one clean frame at the final size', async () => {
	const session = start({width: 120, height: 30});
	await session.waitForScreen(s => s.includes('term-load-5'), 'the table');
	const sizes: Array<[number, number]> = [];
	for (let i = 0; i < 60; i++) sizes.push([30 + ((i * 37) % 150), 8 + ((i * 13) % 40)]);
	for (const [width, height] of sizes) resize(session, width, height);
	resize(session, 90, 24);
	const screen = await session.waitForScreen(s => {
		try {
			assertTableIntact(s, 90, 'settled');
			return true;
		} catch {
			return false;
		}
	}, 'a clean frame at 90x24');
	assertTableIntact(screen, 90, 'after the storm');
	assert.equal(session.exitStatus(), undefined, 'survived the storm');
	session.keys('q');
	await session.waitForScreen(() => session.exitStatus() !== undefined, 'q quits');
	assert.equal(session.exitStatus(), 0);
});

test('stdout not a terminal: the TUI refuses with one line (exit 2); the snapshots work', async () => {
	const tui = await runCli([server.monitorUrl]);
	assert.equal(tui.code, 2);
	assert.equal(tui.stderr, 'natscope: the interactive view needs a terminal; use --once, --json or --delimiter for scripts.\n');
	assert.equal(tui.stdout, '');
	const once = await runCli([server.monitorUrl, '--once', '-d', '0.2']);
	assert.equal(once.code, 0, once.stderr);
	assert.match(once.stdout, /term-load-5/);
	assert.doesNotMatch(once.stdout, /\u001b/, 'no escape codes into a pipe');
});

test('stdin closed: the TUI refuses with one line, the snapshots do not need stdin', async () => {
	const session = start({width: 100, height: 20}, ' <&-');
	const screen = await session.waitForScreen(s => /natscope exited with \d+/.test(s), 'exit with stdin closed');
	assert.equal(session.exitStatus(), 2);
	assert.match(screen, /natscope: the interactive view needs a terminal; use --once, --json or --delimiter for scripts\./);
	assertNoStack(screen, 'stdin closed');
	const once = TmuxSession.start(`node ${CLI} ${server.monitorUrl} --once -d 0.2 <&-`, {width: 200, height: 30});
	sessions.push(once);
	const printed = await once.waitForScreen(s => /natscope exited with \d+/.test(s), 'the snapshot with stdin closed');
	assert.equal(once.exitStatus(), 0, printed);
	assert.match(printed, /term-load-5/);
});

test('the terminal goes away (tmux session killed): the app exits instead of spinning', async () => {
	const session = start({width: 100, height: 24});
	await session.waitForScreen(s => s.includes('term-load-5'), 'the table');
	const pid = appPid(session);
	assert.ok(pid, 'found the app process');
	session.kill();
	await waitFor(() => !existsSync(`/proc/${pid}`) || /^\S+ \S+ Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/\(.*\)/, 'x')), {
		timeoutMs: 10_000,
		what: `natscope (pid ${pid}) gone after its terminal closed`,
	});
});
