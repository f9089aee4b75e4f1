import {test} from 'node:test';
import assert from 'node:assert/strict';
import {equivalentCommand, killFailure, lameDuckLines, parseSignalAction, sendSignal, verifyReload} from '../../source/actions/signals.js';
import type {ServerProbe} from '../../source/actions/probe.js';
import {makeFakeProc, startedMs} from '../helpers/fake-proc.js';
import {makeVarz} from '../helpers/fixtures.js';

const NATS = '/usr/sbin/nats-server';

test('actions map to nats-server signals and the equivalent command', () => {
	assert.equal(equivalentCommand('reload', 12), 'nats-server --signal reload=12');
	assert.equal(equivalentCommand('ldm', 12), 'nats-server --signal ldm=12');
	assert.equal(parseSignalAction('reload'), 'reload');
	assert.equal(parseSignalAction('SIGUSR1'), 'reopen');
	assert.equal(parseSignalAction('lame-duck'), 'ldm');
	assert.equal(parseSignalAction('stop'), undefined, 'stop/quit/term are not offered');
});

test('EPERM and ESRCH in plain words', () => {
	const eperm = killFailure('EPERM', 77, 'reload');
	assert.equal(eperm.code, 'EPERM');
	assert.equal(eperm.message, 'not permitted to send SIGHUP to pid 77: it belongs to another user');
	assert.equal(eperm.hint, "run natscope as the server's user (or root)");
	const esrch = killFailure('ESRCH', 77, 'ldm');
	assert.equal(esrch.message, 'pid 77 is gone (no such process): nothing was signalled');
});

test('sendSignal checks the process first and sends the right signal', async () => {
	const proc = await makeFakeProc([], [
		{pid: 10, exe: NATS, startSeconds: 10},
		{pid: 11, exe: '/usr/bin/sleep', comm: 'sleep'},
	]);
	const sent: Array<[number, string]> = [];
	const kill = (pid: number, sig: NodeJS.Signals): void => {
		sent.push([pid, sig]);
	};
	try {
		assert.deepEqual(await sendSignal(10, 'reopen', {proc: proc.root, kill}), {ok: true});
		assert.deepEqual(sent, [[10, 'SIGUSR1']]);

		const refused = await sendSignal(11, 'reload', {proc: proc.root, kill});
		assert.equal(!refused.ok && refused.code, 'refused');
		assert.match(!refused.ok ? refused.message : '', /not nats-server: refusing/);

		const gone = await sendSignal(12, 'reload', {proc: proc.root, kill});
		assert.equal(!gone.ok && gone.code, 'ESRCH');

		const other = await sendSignal(10, 'ldm', {proc: proc.root, kill, serverStartMs: startedMs(9000)});
		assert.equal(!other.ok && other.code, 'refused', 'a nats-server started at another time is another server');
		assert.equal(sent.length, 1, 'nothing sent to refused pids');

		const eperm = await sendSignal(10, 'ldm', {
			proc: proc.root,
			kill: () => {
				throw Object.assign(new Error('kill EPERM'), {code: 'EPERM'});
			},
		});
		assert.equal(!eperm.ok && eperm.code, 'EPERM');
		const race = await sendSignal(10, 'ldm', {
			proc: proc.root,
			kill: () => {
				throw Object.assign(new Error('kill ESRCH'), {code: 'ESRCH'});
			},
		});
		assert.match(!race.ok ? race.message : '', /pid 10 is gone \(no such process\)/);
	} finally {
		await proc.cleanup();
	}
});

function probeWith(loadTimes: string[]): ServerProbe & {calls: number} {
	const probe = {
		calls: 0,
		async varz() {
			const time = loadTimes[Math.min(probe.calls, loadTimes.length - 1)]!;
			probe.calls++;
			return makeVarz({config_load_time: time, max_payload: probe.calls > 1 ? 524288 : 1048576});
		},
		async healthz() {
			return {status: 'ok', error: '', http_status: 200};
		},
	};
	return probe;
}

test('verifyReload waits for config_load_time to change, and says so when it does not', async () => {
	const before = makeVarz({config_load_time: '2026-01-01T00:00:00Z', max_payload: 1048576});
	const changed = await verifyReload(probeWith(['2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-01-01T00:05:00Z']), before, {intervalMs: 5});
	assert.equal(changed.ok, true);
	assert.deepEqual(changed.ok && changed.lines, ['config_load_time 2026-01-01T00:00:00Z → 2026-01-01T00:05:00Z', 'max_payload 1048576 → 524288']);
	const same = await verifyReload(probeWith(['2026-01-01T00:00:00Z']), before, {intervalMs: 5, timeoutMs: 60});
	assert.equal(!same.ok && same.code, 'unverified');
	assert.match(!same.ok ? same.hint : '', /rejected the new configuration/);
});

test('lame-duck progress lines tick off each stage', () => {
	assert.deepEqual(lameDuckLines({refusing: true, connections: 2, initialConnections: 3, healthRed: true, exited: false, elapsedMs: 1200}), [
		'✓ stops accepting new connections',
		'… connections drain (2 of 3 left)',
		'✓ health turns red',
		'… the server exits',
	]);
	assert.deepEqual(lameDuckLines({refusing: true, connections: 1, healthRed: true, exited: true, elapsedMs: 14_260}).slice(1), [
		'✓ connections drain',
		'✓ health turns red',
		'✓ the server exits after 14.3 s',
	]);
});
