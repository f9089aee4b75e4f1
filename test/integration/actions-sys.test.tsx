// Actions over NATS: RELOAD, KICK, LDM and PROFILEZ exist from nats-server 2.10, so they are
// exercised against a scripted responder subscribed in the system account of a real 2.9.10
// server (every request really travels through that server); the version gate is tested on
// the real 2.9.10 server itself.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtemp, readdir, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {gunzipSync} from 'node:zlib';
import React from 'react';
import {renderToString} from 'ink';
import type {NatsConnection} from 'nats';
import {SignalsController, clientActionOffers} from '../../source/actions/signals-controller.js';
import {ProfilesController} from '../../source/actions/profiles-controller.js';
import {openSysConnection, remoteReload} from '../../source/actions/remote.js';
import {probeFromSource, type ServerProbe} from '../../source/actions/probe.js';
import {SysSource} from '../../source/sources/sys.js';
import type {NatsTarget} from '../../source/config/types.js';
import type {Varz} from '../../source/sources/types.js';
import {ActionPrompt, SignalsView} from '../../source/views/signals.js';
import {ProfilesView} from '../../source/views/profiles.js';
import {configModeAccounts, type ConfigModeAccounts} from '../helpers/accounts.js';
import {startServer, type NatsServer} from '../helpers/server.js';
import {freePort} from '../helpers/ports.js';
import {startResponder, type Responder} from '../helpers/sys-responder.js';
import {makeVarz} from '../helpers/fixtures.js';
import {waitFor} from '../helpers/wait.js';

const REMOTE_HOST = '203.0.113.50';

let accounts: ConfigModeAccounts;
let server: NatsServer;
let profPort: number;
let responder: Responder;
let realHeap: Buffer;
let dir: string;
const connections: NatsConnection[] = [];

function sysTarget(): NatsTarget {
	return {servers: [server.natsUrl], auth: {kind: 'user-password', user: accounts.users.sys.user, password: accounts.users.sys.password}, tls: {insecure: false, first: false}, identity: {warnings: []}};
}

/** A $SYS connection factory like the app's: opened once, on first use. */
function sysFactory(): () => Promise<{ok: true; nc: NatsConnection} | {ok: false; code: 'nats'; message: string; hint: string}> {
	let opened: Promise<Awaited<ReturnType<typeof openSysConnection>>> | undefined;
	return async () => {
		opened ??= openSysConnection(sysTarget(), 3000).then(r => {
			if (r.ok) connections.push(r.nc);
			return r;
		});
		return (await opened) as Awaited<ReturnType<ReturnType<typeof sysFactory>>>;
	};
}

/** varz of the scripted 2.10 server; config_load_time moves when it has been reloaded. */
function scriptedProbe(state: {reloaded: boolean}, version = '2.10.22'): ServerProbe {
	return {
		async varz() {
			return makeVarz({
				server_id: responder.id,
				server_name: responder.name,
				version,
				host: REMOTE_HOST,
				config_load_time: state.reloaded ? '2026-11-22T10:05:00Z' : '2026-11-22T10:00:00Z',
			});
		},
		async healthz() {
			return {status: 'ok', error: '', http_status: 0};
		},
	};
}

before(async () => {
	accounts = configModeAccounts();
	profPort = await freePort();
	dir = await mkdtemp(join(tmpdir(), 'natscope-sys-actions-'));
	server = await startServer({name: 'real-2.9', config: `${accounts.configText}\nprof_port: ${profPort}`});
	responder = await startResponder({url: server.natsUrl, user: accounts.users.sys.user, password: accounts.users.sys.password});
	realHeap = Buffer.from(await (await fetch(`http://127.0.0.1:${profPort}/debug/pprof/heap`)).arrayBuffer());
});

after(async () => {
	await Promise.all(connections.map(nc => nc.close().catch(() => {})));
	await responder?.close();
	await server?.stop();
	await rm(dir, {recursive: true, force: true});
});

function frame(node: React.ReactElement, columns = 160): string {
	return renderToString(node, {columns});
}

test('remote RELOAD over $SYS.REQ.SERVER.<id>.RELOAD, verified by config_load_time (scripted $SYS responder, 2.10+ feature)', async () => {
	const state = {reloaded: false};
	responder.script('RELOAD', () => {
		state.reloaded = true;
		return {};
	});
	const probe = scriptedProbe(state);
	const controller = new SignalsController({transport: 'nats', probe, reachHost: REMOTE_HOST, sys: sysFactory(), timeoutMs: 3000});
	try {
		controller.setServer(await probe.varz(), `${REMOTE_HOST}:4222`);
		await waitFor(() => controller.getState().process.status === 'failed', {timeoutMs: 5000, what: 'discovery to give up'});
		let screen = frame(<SignalsView state={controller.getState()} width={120} height={24} />);
		assert.match(screen, /203\.0\.113\.50 is not this host: signals can only be sent on the server's own host/);
		assert.match(screen, new RegExp(`r  reload configuration +\\$SYS\\.REQ\\.SERVER\\.${responder.id}\\.RELOAD`));
		assert.match(screen, /o  reopen log file +unavailable: no local process \(see above\)/);
		controller.handleKey('o', {});
		assert.deepEqual(controller.getState().panel, {phase: 'idle', notice: "reopen log file is not available: 203.0.113.50 is not this host: signals can only be sent on the server's own host"});
		controller.handleKey('', {escape: true});

		controller.handleKey('r', {});
		screen = frame(<SignalsView state={controller.getState()} width={120} height={24} />);
		assert.match(screen, /Reload the configuration of scripted-2\.10 over NATS\?/);
		controller.handleKey('y', {});
		await waitFor(() => controller.getState().panel.phase === 'done', {timeoutMs: 10_000, what: 'the reload'});
		const panel = controller.getState().panel;
		assert.deepEqual(panel.phase === 'done' && [panel.ok, panel.lines], [true, ['configuration reloaded', 'config_load_time 2026-11-22T10:00:00Z → 2026-11-22T10:05:00Z']]);
		assert.deepEqual(responder.received.filter(r => r.endpoint === 'RELOAD'), [{endpoint: 'RELOAD', body: {}}]);

		responder.script('RELOAD', () => ({error: {code: 500, description: 'config reload failed: bad listen address'}}));
		controller.handleKey('', {escape: true});
		controller.handleKey('r', {});
		controller.handleKey('', {return: true});
		await waitFor(() => controller.getState().panel.phase === 'done', {timeoutMs: 10_000, what: 'the refused reload'});
		screen = frame(<SignalsView state={controller.getState()} width={120} height={24} />);
		assert.match(screen, /✗ the server refused: config reload failed: bad listen address \(500\)/);
	} finally {
		await controller.dispose();
	}
});

test('KICK {"cid":N} from a connection’s detail, confirmed and verified closed (scripted $SYS responder, 2.10+ feature)', async () => {
	let kicked = false;
	responder.script('KICK', () => {
		kicked = true;
		return {};
	});
	const controller = new SignalsController({
		transport: 'nats',
		probe: scriptedProbe({reloaded: false}),
		reachHost: REMOTE_HOST,
		sys: sysFactory(),
		timeoutMs: 3000,
		connectionOpen: async () => !kicked,
	});
	try {
		controller.requestClientAction('kick', {serverId: responder.id, serverName: responder.name, version: '2.10.22', cid: 7, client: 'worker-7'});
		const prompt = frame(<ActionPrompt panel={controller.getState().panel} width={100} />);
		assert.match(prompt, /Kick connection 7 \(worker-7\) from scripted-2\.10\?/);
		assert.match(prompt, new RegExp(`sends \\$SYS\\.REQ\\.SERVER\\.${responder.id}\\.KICK \\{"cid":7\\}`));
		assert.equal(kicked, false, 'nothing sent before the confirmation');
		controller.handleKey('y', {});
		await waitFor(() => controller.getState().panel.phase === 'done', {timeoutMs: 10_000, what: 'the kick'});
		const panel = controller.getState().panel;
		assert.deepEqual(panel.phase === 'done' && [panel.ok, panel.lines], [true, ['connection 7 is closed (kicked by scripted-2.10)']]);
		assert.deepEqual(responder.received.filter(r => r.endpoint === 'KICK').at(-1), {endpoint: 'KICK', body: {cid: 7}});
	} finally {
		await controller.dispose();
	}
});

test('per-client LDM {"cid":N}, confirmed (scripted $SYS responder, 2.10+ feature)', async () => {
	const controller = new SignalsController({transport: 'nats', probe: scriptedProbe({reloaded: false}), reachHost: REMOTE_HOST, sys: sysFactory(), timeoutMs: 3000});
	try {
		controller.requestClientAction('client-ldm', {serverId: responder.id, serverName: responder.name, version: '2.10.22', cid: 9});
		controller.handleKey('n', {});
		assert.deepEqual(controller.getState().panel, {phase: 'idle', notice: 'cancelled: lame duck for one connection ($SYS LDM) was not sent'});
		assert.equal(responder.received.filter(r => r.endpoint === 'LDM').length, 0);
		controller.requestClientAction('client-ldm', {serverId: responder.id, serverName: responder.name, version: '2.10.22', cid: 9});
		controller.handleKey('', {return: true});
		await waitFor(() => controller.getState().panel.phase === 'done', {timeoutMs: 10_000, what: 'the client lame duck'});
		const panel = controller.getState().panel;
		assert.deepEqual(panel.phase === 'done' && [panel.ok, panel.lines], [true, ['scripted-2.10 told connection 9 to move to another server (lame duck)']]);
		assert.deepEqual(responder.received.filter(r => r.endpoint === 'LDM'), [{endpoint: 'LDM', body: {cid: 9}}]);
	} finally {
		await controller.dispose();
	}
});

test('PROFILEZ: a heap and a cpu profile over NATS, written and valid; cpu gated to 2.10.19 (scripted $SYS responder, 2.10+ feature)', async () => {
	responder.script('PROFILEZ', () => ({data: {profile: realHeap.toString('base64')}}));
	const profDir = join(dir, 'profilez');
	const controller = new ProfilesController({transport: 'nats', reachHost: REMOTE_HOST, dir: profDir, timeoutMs: 3000, sys: sysFactory()});
	try {
		controller.setServer(makeVarz({server_id: responder.id, server_name: responder.name, version: '2.10.22', host: REMOTE_HOST}) as Varz);
		assert.deepEqual(controller.getState().origin, {status: 'nats', how: `$SYS.REQ.SERVER.${responder.id}.PROFILEZ`});
		controller.handleKey('h', {});
		await waitFor(() => controller.getState().result !== undefined, {timeoutMs: 10_000, what: 'the heap profile'});
		assert.equal(controller.getState().result?.ok, true, controller.getState().result?.lines.join('\n'));
		controller.handleKey('c', {});
		await waitFor(() => controller.getState().running === undefined && controller.getState().history.length === 2, {timeoutMs: 10_000, what: 'the cpu profile'});
		const bodies = responder.received.filter(r => r.endpoint === 'PROFILEZ').map(r => r.body);
		assert.deepEqual(bodies, [
			{name: 'heap', debug: 0},
			{name: 'cpu', debug: 0, duration: 10_000_000_000},
		]);
		const files = (await readdir(profDir)).sort();
		assert.equal(files.length, 2);
		assert.match(files[0]!, /^cpu-scripted-2\.10-\d{8}-\d{6}\.pprof$/);
		assert.match(files[1]!, /^heap-scripted-2\.10-\d{8}-\d{6}\.pprof$/);
		for (const file of files) assert.ok(gunzipSync(await readFile(join(profDir, file))).length > 0);
		const screen = frame(<ProfilesView state={controller.getState()} width={120} height={24} />);
		assert.match(screen, new RegExp(`from +\\$SYS\\.REQ\\.SERVER\\.${responder.id}\\.PROFILEZ`));
		assert.match(screen, /go tool pprof .*cpu-scripted-2\.10-/);

		controller.setServer(makeVarz({server_id: responder.id, server_name: responder.name, version: '2.10.7', host: REMOTE_HOST, start: '2026-11-22T11:00:00Z'}));
		controller.handleKey('c', {});
		assert.deepEqual(controller.getState().result, {ok: false, lines: ['cpu profiles over NATS ($SYS PROFILEZ cpu) needs nats-server 2.10.19 or newer; this server runs 2.10.7']});
	} finally {
		controller.dispose();
	}
});

test('version gate on the real 2.9.10 server: remote reload, kick and client lame duck shown disabled with the reason', async () => {
	const source = new SysSource(sysTarget(), {timeoutMs: 3000, quietMs: 200});
	const controller = new SignalsController({transport: 'nats', probe: probeFromSource(source), reachHost: REMOTE_HOST, sys: sysFactory(), timeoutMs: 3000});
	try {
		const varz = (await source.request({kind: 'varz'})).replies[0]!.data;
		assert.equal(varz.version, '2.9.10');
		assert.deepEqual(
			clientActionOffers('nats', varz.version).map(o => [o.key, o.enabled, o.reason]),
			[
				['K', false, 'kick ($SYS KICK) needs nats-server 2.10.0 or newer; this server runs 2.9.10'],
				['D', false, 'client lame duck ($SYS LDM) needs nats-server 2.10.0 or newer; this server runs 2.9.10'],
			],
		);
		assert.equal(clientActionOffers('http', '2.10.22')[0]!.enabled, false, 'over HTTP there is no $SYS');

		controller.setServer(varz, `${REMOTE_HOST}:4222`);
		await waitFor(() => controller.getState().process.status === 'failed', {timeoutMs: 5000, what: 'discovery to give up'});
		const reload = controller.getState().offers[0]!;
		assert.equal(reload.enabled, false);
		assert.match(reload.reason ?? '', /remote reload \(\$SYS RELOAD\) needs nats-server 2\.10\.0 or newer; this server runs 2\.9\.10/);
		const screen = frame(<SignalsView state={controller.getState()} width={160} height={24} />);
		assert.match(screen, /r  reload configuration +unavailable: no local process \(see above\); remote reload \(\$SYS RELOAD\) needs nats-server 2\.10\.0 or newer; this server runs 2\.9\.10/);

		controller.requestClientAction('kick', {serverId: varz.server_id, serverName: varz.server_name, version: varz.version, cid: 1});
		assert.deepEqual(controller.getState().panel, {phase: 'idle', notice: 'kick ($SYS KICK) needs nats-server 2.10.0 or newer; this server runs 2.9.10'});

		// And the real 2.9.10 indeed has nobody on the subject.
		const sys = await sysFactory()();
		assert.ok(sys.ok);
		const refused = await remoteReload(sys.nc, varz.server_id, 2000);
		assert.equal(refused.ok, false);
		assert.match(!refused.ok ? refused.message : '', new RegExp(`nobody answers \\$SYS\\.REQ\\.SERVER\\.${varz.server_id}\\.RELOAD`));

		const profiles = new ProfilesController({transport: 'nats', reachHost: REMOTE_HOST, dir, timeoutMs: 3000, sys: sysFactory()});
		profiles.setServer(varz);
		await waitFor(() => profiles.getState().origin.status === 'none', {timeoutMs: 5000, what: 'no profile origin'});
		const origin = profiles.getState().origin;
		assert.match(origin.status === 'none' ? origin.message : '', /profiles over NATS \(\$SYS PROFILEZ\) needs nats-server 2\.10\.0 or newer; this server runs 2\.9\.10/);
		profiles.dispose();
	} finally {
		await controller.dispose();
		await source.close();
	}
});
