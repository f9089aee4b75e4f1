import {test} from 'node:test';
import assert from 'node:assert/strict';
import {SignalsController} from '../../source/actions/signals-controller.js';
import {reachOf} from '../../source/actions/controller.js';
import type {ServerProbe} from '../../source/actions/probe.js';
import {makeFakeProc, startedMs} from '../helpers/fake-proc.js';
import {makeVarz} from '../helpers/fixtures.js';
import {waitFor} from '../helpers/wait.js';

const NATS = '/usr/sbin/nats-server';

async function setup(kill: (pid: number, signal: NodeJS.Signals) => void, options: {reloads?: boolean} = {}) {
	const proc = await makeFakeProc([{inode: 500, port: 8222}], [{pid: 10, exe: NATS, sockets: [500], startSeconds: 100}]);
	const state = {loads: 0};
	const varz = () =>
		makeVarz({start: new Date(startedMs(100.4)).toISOString(), http_port: 8222, config_load_time: state.loads > 0 ? '2026-11-22T10:05:00Z' : '2026-11-22T10:00:00Z'});
	const probe: ServerProbe = {varz: async () => varz(), healthz: async () => ({status: 'ok', error: '', http_status: 200})};
	const controller = new SignalsController({
		transport: 'http',
		probe,
		reachHost: '127.0.0.1',
		reachPort: 8222,
		timeoutMs: 1000,
		proc: proc.root,
		kill: (pid, signal) => {
			kill(pid, signal);
			if (options.reloads !== false) state.loads++;
		},
	});
	controller.setServer(varz(), '127.0.0.1:8222');
	await waitFor(() => controller.getState().process.status === 'found', {timeoutMs: 2000, what: 'the fake process'});
	return {controller, proc};
}

test('reload from the panel: confirm, SIGHUP to the found pid, verified by config_load_time', async () => {
	const sent: Array<[number, string]> = [];
	const {controller, proc} = await setup((pid, signal) => sent.push([pid, signal]));
	try {
		assert.deepEqual(controller.getState().process, {status: 'found', pid: 10, how: 'listening on 127.0.0.1:8222'});
		assert.deepEqual(
			controller.getState().offers.map(o => [o.key, o.enabled, o.via]),
			[
				['r', true, 'SIGHUP to pid 10'],
				['o', true, 'SIGUSR1 to pid 10'],
				['L', true, 'SIGUSR2 to pid 10'],
			],
		);
		assert.equal(controller.handleKey('x', {}), false, 'other keys are the app’s');
		assert.equal(controller.handleKey('r', {}), true);
		assert.equal(controller.getState().panel.phase, 'confirm');
		assert.deepEqual(sent, [], 'nothing before the confirmation');
		assert.equal(controller.handleKey('q', {}), true, 'the prompt takes every key (q does not quit under it)');
		controller.handleKey('y', {});
		await waitFor(() => controller.getState().panel.phase === 'done', {timeoutMs: 3000, what: 'the reload'});
		assert.deepEqual(sent, [[10, 'SIGHUP']]);
		const panel = controller.getState().panel;
		assert.deepEqual(panel.phase === 'done' && [panel.ok, panel.lines], [true, ['configuration reloaded', 'config_load_time 2026-11-22T10:00:00Z → 2026-11-22T10:05:00Z']]);
		assert.equal(controller.getState().server?.configLoadTime, '2026-11-22T10:05:00Z', 'the panel shows the new load time');
	} finally {
		await controller.dispose();
		await proc.cleanup();
	}
});

test('EPERM from kill is shown in plain words', async () => {
	const {controller, proc} = await setup(() => {
		throw Object.assign(new Error('kill EPERM'), {code: 'EPERM'});
	});
	try {
		controller.handleKey('o', {});
		controller.handleKey('', {return: true});
		await waitFor(() => controller.getState().panel.phase === 'done', {timeoutMs: 3000, what: 'the refusal'});
		const panel = controller.getState().panel;
		assert.deepEqual(panel.phase === 'done' && [panel.ok, panel.lines], [false, ['not permitted to send SIGUSR1 to pid 10: it belongs to another user', "run natscope as the server's user (or root)"]]);
	} finally {
		await controller.dispose();
		await proc.cleanup();
	}
});

test('while an action runs, q and other app keys pass through; Esc stops waiting', async () => {
	const {controller, proc} = await setup(() => {}, {reloads: false});
	try {
		controller.handleKey('r', {});
		controller.handleKey('y', {});
		await waitFor(() => {
			const panel = controller.getState().panel;
			return panel.phase === 'running' && panel.lines.length > 0;
		}, {timeoutMs: 2000, what: 'the reload to wait'});
		assert.equal(controller.handleKey('q', {}), false, 'q still quits');
		assert.equal(controller.handleKey('r', {}), true, 'a second action waits its turn');
		assert.equal(controller.handleKey('', {escape: true}), true);
		await waitFor(() => controller.getState().panel.phase === 'done', {timeoutMs: 2000, what: 'the cancel'});
		const panel = controller.getState().panel;
		assert.deepEqual(panel.phase === 'done' && [panel.ok, panel.lines], [false, ['stopped waiting for the reload']]);
	} finally {
		await controller.dispose();
		await proc.cleanup();
	}
});

test('reachOf: host and port of the first address', () => {
	assert.deepEqual(reachOf({transport: 'http', urls: ['http://[::1]:8223'], nats: undefined}), {host: '::1', port: 8223});
	assert.deepEqual(reachOf({transport: 'http', urls: ['https://nats.example.com'], nats: undefined}), {host: 'nats.example.com', port: 443});
	assert.deepEqual(
		reachOf({transport: 'nats', urls: [], nats: {servers: ['nats://10.0.0.5'], auth: {kind: 'none'}, tls: {insecure: false, first: false}, identity: {warnings: []}}}),
		{host: '10.0.0.5', port: 4222},
	);
});
