// Lame-duck mode end to end on a real nats-server 2.9.10 (lame_duck_duration 30 s, the minimum,
// grace 1 s): the signal panel finds the process, asks for the server name, sends SIGUSR2 and
// follows the server until it exits; both clients are evicted; natscope's panel keeps running
// and shows the server gone.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import {render} from 'ink-testing-library';
import {connect, type NatsConnection} from 'nats';
import {SignalsController} from '../../source/actions/signals-controller.js';
import {probeFromSource} from '../../source/actions/probe.js';
import {HttpSource} from '../../source/sources/http.js';
import {SignalsView} from '../../source/views/signals.js';
import {runSubcommand} from '../../source/actions/commands.js';
import {captureIo} from '../helpers/command-io.js';
import {startServer, type NatsServer} from '../helpers/server.js';
import {waitFor} from '../helpers/wait.js';

let server: NatsServer;
let source: HttpSource;
const clients: NatsConnection[] = [];

before(async () => {
	server = await startServer({name: 'ldm-test', config: 'lame_duck_duration: "30s"\nlame_duck_grace_period: "1s"'});
	source = new HttpSource({url: server.monitorUrl, timeoutMs: 2000});
	for (const name of ['client-1', 'client-2']) clients.push(await connect({servers: server.natsUrl, name, reconnect: false, maxReconnectAttempts: 0}));
});

after(async () => {
	await Promise.all(clients.map(nc => nc.close().catch(() => {})));
	await source?.close();
	await server?.stop();
});

const key = (input: string, extra: Record<string, boolean> = {}) => [input, extra] as const;

test('lame duck from the signal panel: stops accepting, drains both clients, health red, exits; the panel keeps running', {timeout: 120_000}, async () => {
	const pid = server.pid!;
	const controller = new SignalsController({transport: 'http', probe: probeFromSource(source), reachHost: '127.0.0.1', reachPort: server.httpPort, timeoutMs: 2000, pollMs: 200});
	const view = render(<SignalsView state={controller.getState()} width={100} height={24} />);
	const frames: string[] = [];
	controller.subscribe(() => {
		view.rerender(<SignalsView state={controller.getState()} width={100} height={24} />);
		frames.push(view.lastFrame() ?? '');
	});
	try {
		const gathered = await source.request({kind: 'varz'});
		controller.setServer(gathered.replies[0]!.data, `127.0.0.1:${server.httpPort}`);
		await waitFor(() => controller.getState().process.status === 'found', {timeoutMs: 10_000, what: 'the process found'});
		assert.match(view.lastFrame() ?? '', new RegExp(`process  pid ${pid} \\(listening on 127\\.0\\.0\\.1:${server.httpPort}\\)`));
		assert.match(view.lastFrame() ?? '', /L  lame-duck mode {10}SIGUSR2 to pid/);

		assert.equal(controller.handleKey(...key('L')), true);
		assert.match(view.lastFrame() ?? '', /Type the server name \(ldm-test\) and Enter to confirm/);
		assert.match(view.lastFrame() ?? '', new RegExp(`same as: nats-server --signal ldm=${pid}`));
		for (const ch of 'ldm-test') controller.handleKey(...key(ch));
		assert.match(view.lastFrame() ?? '', /> ldm-test█/);
		const started = Date.now();
		controller.handleKey(...key('', {return: true}));

		await waitFor(() => controller.getState().panel.phase === 'done', {timeoutMs: 90_000, intervalMs: 200, what: 'lame duck to finish'});
		const panel = controller.getState().panel;
		assert.equal(panel.phase === 'done' && panel.ok, true, JSON.stringify(panel));
		const seconds = (Date.now() - started) / 1000;

		const all = frames.join('\n');
		assert.match(all, /✓ stops accepting new connections/);
		assert.match(all, /✓ health turns red/);
		assert.match(all, /connections drain \(1 of 2 left\)|connections drain \(2 of 2 left\)/, 'the drain was seen under way');
		const last = view.lastFrame() ?? '';
		assert.match(last, /✓ ldm-test \(pid \d+\) left lame-duck mode and exited/);
		assert.match(last, /✓ the server exits after/);
		assert.match(last, new RegExp(`process  pid ${pid} has exited — natscope keeps running`));

		await waitFor(() => clients.every(nc => nc.isClosed()), {timeoutMs: 5000, what: 'both clients evicted'});
		assert.ok(seconds >= 1, `at least the 1 s grace period (${seconds.toFixed(1)} s)`);

		// Still alive and answering keys: the actions now say why they are unavailable.
		assert.equal(controller.handleKey(...key('', {escape: true})), true);
		controller.handleKey(...key('o'));
		assert.match(view.lastFrame() ?? '', new RegExp(`reopen log file is not available: the server \\(pid ${pid}\\) has exited`));
	} finally {
		await controller.dispose();
		view.unmount();
	}
});

test('natscope signal ldm --yes: prints each step and returns when the server has exited', {timeout: 120_000}, async () => {
	const other = await startServer({name: 'ldm-cmd', config: 'lame_duck_duration: "30s"\nlame_duck_grace_period: "1s"'});
	const client = await connect({servers: other.natsUrl, name: 'victim', reconnect: false, maxReconnectAttempts: 0});
	try {
		const pid = other.pid!;
		const io = captureIo();
		const code = await runSubcommand('signal', ['ldm', '--yes', other.monitorUrl], io, {pollMs: 200});
		assert.equal(code, 0, io.err());
		assert.match(io.err(), new RegExp(`same as: nats-server --signal ldm=${pid}`));
		const out = io.out();
		assert.match(out, new RegExp(`^SIGUSR2 sent to pid ${pid}: lame-duck mode$`, 'm'));
		assert.match(out, /^✓ stops accepting new connections$/m);
		assert.match(out, /^✓ health turns red$/m);
		assert.match(out, /^✓ the server exits after \d+(\.\d)? s$/m);
		assert.match(out, new RegExp(`^ldm-cmd \\(pid ${pid}\\) has exited$`, 'm'));
		await waitFor(() => client.isClosed(), {timeoutMs: 5000, what: 'the client evicted'});
	} finally {
		await client.close().catch(() => {});
		await other.stop();
	}
});
