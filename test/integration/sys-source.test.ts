// SysSource against real nats-server processes: a 3-node cluster with config-mode accounts, a
// JWT-mode server (operator, MEMORY resolver) and a token-only server.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {connect, credsAuthenticator, type NatsConnection} from 'nats';
import {readFileSync} from 'node:fs';
import {SysSource, sysRequestBody} from '../../source/sources/sys.js';
import {SourceError, type LinkState} from '../../source/sources/types.js';
import type {NatsAuth, NatsTarget} from '../../source/config/types.js';
import {startServer, stopAll, type NatsServer} from '../helpers/server.js';
import {openClients, slowConsumer, firehose, type Clients, type RawClient} from '../helpers/load.js';
import {freePort} from '../helpers/ports.js';
import {waitFor} from '../helpers/wait.js';
import {configModeAccounts, jwtModeAccounts, routed, startConfiguredCluster, tokenConfig, type ConfigModeAccounts, type JwtAccounts} from '../helpers/accounts.js';

const QUIET_MS = 200;
const HOSTILE_NAME = 'evil\u001b[2J\u0007\u202ename';

let accounts: ConfigModeAccounts;
let cluster: NatsServer[];
let jwt: JwtAccounts;
let jwtServer: NatsServer;
let tokenServer: NatsServer;
let token: string;
let jwtDir: string;
let clients: Clients;
let hostile: NatsConnection;
let slow: RawClient;
const sources: SysSource[] = [];
const extraConns: NatsConnection[] = [];

function target(servers: string[], auth: NatsAuth): NatsTarget {
	return {servers, auth, tls: {insecure: false, first: false}, identity: {warnings: []}};
}

function sys(servers: string[], auth: NatsAuth, options: {timeoutMs?: number; quietMs?: number} = {}): SysSource {
	const source = new SysSource(target(servers, auth), {timeoutMs: options.timeoutMs ?? 3000, quietMs: options.quietMs ?? QUIET_MS});
	sources.push(source);
	return source;
}

function sysUser(): NatsAuth {
	return {kind: 'user-password', user: accounts.users.sys.user, password: accounts.users.sys.password};
}

async function failure(promise: Promise<unknown>): Promise<SourceError> {
	try {
		await promise;
	} catch (error) {
		assert.ok(error instanceof SourceError, `rejects with a SourceError, got ${String(error)}`);
		return error;
	}
	throw new Error('expected a failure');
}

function node(i: number): NatsServer {
	const server = cluster[i];
	assert.ok(server);
	return server;
}

before(async () => {
	accounts = configModeAccounts({noAuthUser: true});
	jwtDir = await mkdtemp(join(tmpdir(), 'natscope-jwt-'));
	jwt = await jwtModeAccounts(jwtDir);
	const tokenSetup = tokenConfig();
	token = tokenSetup.token;
	[cluster, jwtServer, tokenServer] = await Promise.all([
		startConfiguredCluster(3, `${accounts.configText}\nwrite_deadline: "60s"`),
		startServer({config: jwt.configText}),
		startServer({config: tokenSetup.configText}),
	]);
	// APP clients on node 1 (no credentials: no_auth_user puts them in APP).
	clients = await openClients(node(0).natsUrl, 6, {namePrefix: 'sys-load'});
	hostile = await connect({servers: node(0).natsUrl, name: HOSTILE_NAME, user: accounts.users.app.user, pass: accounts.users.app.password});
	slow = await slowConsumer('127.0.0.1', node(0).port, 'natscope.slow', {name: 'slow-one'});
	await firehose(clients.conns[0]!, 'natscope.slow', {bytes: 8 * 1024 * 1024, payloadBytes: 8192});
	// Some closed connections, with reasons.
	const closing = await openClients(node(0).natsUrl, 3, {namePrefix: 'sys-closed'});
	await closing.close();
});

after(async () => {
	for (const s of sources) await s.close().catch(() => {});
	for (const c of extraConns) await c.close().catch(() => {});
	slow?.close();
	await hostile?.close().catch(() => {});
	await clients?.close();
	await stopAll();
	if (jwtDir) await rm(jwtDir, {recursive: true, force: true});
});

test('the body uses the $SYS names: integer state, subscriptions, filter_subject only with acc', () => {
	assert.deepEqual(sysRequestBody({kind: 'connz', query: {state: 'closed', subs: 'detail', sort: 'pending', limit: 5, offset: 2, filter_subject: 'a.>'}}, {cluster: 'c1', tags: ['x']}), {
		cluster: 'c1',
		tags: ['x'],
		sort: 'pending',
		offset: 2,
		limit: 5,
		state: 1,
		subscriptions: true,
		subscriptions_detail: true,
	});
	assert.deepEqual(sysRequestBody({kind: 'connz', query: {state: 'all', subs: true, acc: 'APP', filter_subject: 'a.>'}}), {state: 2, subscriptions: true, acc: 'APP', filter_subject: 'a.>'});
	assert.deepEqual(sysRequestBody({kind: 'connz', query: {state: 'open'}}), {state: 0});
	assert.deepEqual(sysRequestBody({kind: 'healthz', query: {'js-enabled-only': true}}, {server_name: 'n1'}), {server_name: 'n1', 'js-enabled-only': true});
});

test('VARZ scatter gathers every server once and ends a quiet window after the last reply', async () => {
	let dials = 0;
	const source = new SysSource(target([node(0).natsUrl], sysUser()), {
		timeoutMs: 3000,
		quietMs: QUIET_MS,
		connect: options => {
			dials++;
			return connect(options);
		},
	});
	sources.push(source);
	assert.equal(source.description, `${node(0).natsUrl} ($SYS)`);
	assert.equal(source.transport, 'nats');

	// Concurrent first requests share one connection.
	const [first, , third] = await Promise.all([source.request({kind: 'varz'}), source.request({kind: 'varz'}), source.request({kind: 'healthz'})]);
	assert.equal(dials, 1);
	assert.equal(source.linkState(), 'connected');
	assert.equal(first.replies.length, 3);
	assert.equal(third.replies.length, 3);

	const started = Date.now();
	const varz = await source.request({kind: 'varz'});
	const done = Date.now();
	assert.equal(varz.failures.length, 0);
	assert.equal(varz.replies.length, 3);
	const ids = new Set(varz.replies.map(r => r.server.id));
	assert.equal(ids.size, 3, 'distinct server ids');
	assert.deepEqual(varz.replies.map(r => r.server.name).sort(), cluster.map(n => n.name).sort());
	for (const reply of varz.replies) {
		assert.equal(reply.data.server_id, reply.server.id);
		assert.equal(reply.data.version, '2.9.10');
		assert.equal(reply.data.cluster, 'natscope-sys');
		assert.equal(reply.server.address, node(0).natsUrl);
		assert.ok(reply.rttMs >= 0 && reply.rttMs < 1000);
	}
	const lastReply = Math.max(...varz.replies.map(r => r.receivedAt));
	const quiet = done - lastReply;
	console.log(`# VARZ scatter: ${done - started} ms in all, ${lastReply - started} ms to the last reply, quiet ${quiet} ms (window ${QUIET_MS})`);
	assert.ok(quiet >= QUIET_MS - 5 && quiet <= QUIET_MS + 250, `ended ${quiet} ms after the last reply`);

	// Other kinds stop as soon as the servers counted by VARZ have answered.
	const connzStarted = Date.now();
	const connz = await source.request({kind: 'connz', query: {limit: 1}});
	const connzDone = Date.now();
	assert.equal(connz.replies.length, 3);
	console.log(`# CONNZ scatter (3 known servers): ${connzDone - connzStarted} ms`);
	assert.ok(connzDone - Math.max(...connz.replies.map(r => r.receivedAt)) < QUIET_MS / 2, 'no quiet window once all known servers answered');
});

test('CONNZ options reach the servers: sort pending, limit, offset, closed state with reasons, subs, acc', async () => {
	const source = sys([node(0).natsUrl], sysUser());
	const one = node(0);
	const mine = <T extends {server: {name: string}}>(replies: T[]): T => {
		const reply = replies.find(r => r.server.name === one.name);
		assert.ok(reply, `a reply from ${one.name}`);
		return reply;
	};

	const pending = mine((await source.request({kind: 'connz', query: {sort: 'pending', limit: 3}})).replies).data;
	assert.equal(pending.limit, 3);
	assert.equal(pending.connections.length, 3);
	assert.equal(pending.connections[0]?.name, 'slow-one');
	assert.ok((pending.connections[0]?.pending_bytes ?? 0) > 0, 'the slow consumer has pending bytes');
	for (let i = 1; i < pending.connections.length; i++) {
		assert.ok(pending.connections[i - 1]!.pending_bytes >= pending.connections[i]!.pending_bytes, 'most pending first');
	}

	const byCid = mine((await source.request({kind: 'connz', query: {sort: 'cid', offset: 2, limit: 2}})).replies).data;
	const http = (await (await fetch(`${one.monitorUrl}/connz?sort=cid&offset=2&limit=2`)).json()) as {connections: Array<{cid: number}>; total: number};
	assert.equal(byCid.offset, 2);
	assert.equal(byCid.limit, 2);
	assert.deepEqual(
		byCid.connections.map(c => c.cid),
		http.connections.map(c => c.cid),
	);

	const closed = mine((await source.request({kind: 'connz', query: {state: 'closed', sort: 'reason', limit: 100}})).replies).data;
	assert.ok(closed.connections.length >= 3, 'closed connections come back for state=1');
	assert.ok(closed.connections.every(c => c.reason !== '' && c.stop !== ''), 'with a reason and a stop time');
	assert.ok(closed.connections.some(c => c.name.startsWith('sys-closed')));

	const detail = mine((await source.request({kind: 'connz', query: {sort: 'cid', subs: 'detail', acc: 'APP', auth: true}})).replies).data;
	const loaded = detail.connections.find(c => c.name === 'sys-load-2');
	assert.ok(loaded, 'an APP connection');
	assert.deepEqual(loaded.subscriptions_list_detail.map(s => s.subject), ['natscope.test.>']);
	assert.ok(detail.connections.every(c => c.account === 'APP'), 'acc filters to APP');

	const filtered = mine((await source.request({kind: 'connz', query: {acc: 'APP', filter_subject: 'natscope.slow', subs: true}})).replies).data;
	assert.ok(filtered.connections.length >= 1);
	assert.ok(
		filtered.connections.every(c => c.subscriptions_list.includes('natscope.slow')),
		'filter_subject (with acc) keeps only connections subscribed to it',
	);
});

test('forServer asks one server; an unknown id gets no-responders', async () => {
	const source = sys([node(0).natsUrl], sysUser());
	const varz = await source.request({kind: 'varz'});
	const two = varz.replies.find(r => r.server.name === node(1).name);
	assert.ok(two);
	const view = source.forServer(two.server.id);
	assert.equal(view.transport, 'nats');
	const started = Date.now();
	const single = await view.request({kind: 'varz'});
	assert.ok(Date.now() - started < QUIET_MS, 'a single request does not wait for a quiet window');
	assert.equal(single.replies.length, 1);
	assert.equal(single.replies[0]?.server.id, two.server.id);
	const connz = await view.request({kind: 'connz', query: {limit: 1}});
	assert.equal(connz.replies.length, 1);
	assert.equal(connz.replies[0]?.data.server_id, two.server.id);
	const health = await view.request({kind: 'healthz'});
	assert.equal(health.replies[0]?.data.status, 'ok');

	const unknown = await failure(source.forServer('NOTASERVER').request({kind: 'varz'}));
	assert.equal(unknown.code, 'no-responders');
	assert.match(unknown.hint, /restart/);
	const bad = await failure(source.forServer('a.b').request({kind: 'varz'}));
	assert.equal(bad.code, 'unknown');
});

test('HEALTHZ over $SYS', async () => {
	const source = sys([node(1).natsUrl], sysUser());
	const health = await source.request({kind: 'healthz'});
	assert.equal(health.replies.length, 3);
	for (const reply of health.replies) {
		assert.equal(reply.data.status, 'ok');
		assert.equal(reply.data.http_status, 0);
	}
});

test('logins: user/password, nkey seed, creds; a token user is not in the system account', async () => {
	const nkey = await sys([node(2).natsUrl], {kind: 'nkey', seed: accounts.users.sysNkey.seed, publicKey: accounts.users.sysNkey.publicKey}).request({kind: 'varz'});
	assert.equal(nkey.replies.length, 3);
	const creds = await sys([jwtServer.natsUrl], {kind: 'creds', file: jwt.users.sys.creds}).request({kind: 'varz'});
	assert.equal(creds.replies.length, 1);
	assert.equal(creds.replies[0]?.server.name, jwtServer.name);
	// 2.9.10 refuses `authorization { token }` together with accounts ("Can not have a token and
	// accounts"), so a token user is always in the global account.
	const tokenUser = await failure(sys([tokenServer.natsUrl], {kind: 'token', token}).request({kind: 'varz'}));
	assert.equal(tokenUser.code, 'no-responders');
	assert.match(tokenUser.hint, /system account/);
	assert.ok(!tokenUser.message.includes(token) && !tokenUser.hint.includes(token));
	const badToken = await failure(sys([tokenServer.natsUrl], {kind: 'token', token: 'wrong-token-value'}).request({kind: 'varz'}));
	assert.equal(badToken.code, 'auth');
	assert.ok(!badToken.message.includes('wrong-token-value'));
});

test('refusals: bad seed, wrong password, app user, denied publish, expired JWT, connection refused', async () => {
	const badSeed = await failure(sys([node(0).natsUrl], {kind: 'nkey', seed: 'SUAMBADSEEDVALUE', publicKey: ''}).request({kind: 'varz'}));
	assert.equal(badSeed.code, 'auth');
	assert.match(badSeed.message, /seed is not valid/);
	assert.ok(!badSeed.message.includes('SUAMBADSEEDVALUE'));

	const wrong = await failure(sys([node(0).natsUrl], {kind: 'user-password', user: 'sys', password: 'not-the-password'}).request({kind: 'varz'}));
	assert.equal(wrong.code, 'auth');
	assert.match(wrong.message, /refused these credentials/);
	assert.ok(!`${wrong.message} ${wrong.hint}`.includes('not-the-password'));

	// A user of another account publishes into its own account, where nobody serves $SYS.REQ:
	// the server answers with a no-responders status (2.9.10, config mode and JWT mode alike).
	const app = await failure(sys([node(0).natsUrl], {kind: 'user-password', user: accounts.users.app.user, password: accounts.users.app.password}).request({kind: 'varz'}));
	assert.equal(app.code, 'no-responders');
	assert.equal(app.hint, 'is this user in the system account?');
	const appJwtSource = sys([jwtServer.natsUrl], {kind: 'creds', file: jwt.users.app.creds});
	const appJwt = await failure(appJwtSource.request({kind: 'varz'}));
	assert.equal(appJwt.code, 'no-responders');
	// …except CONNZ: 2.9.10 imports $SYS.REQ.SERVER.PING.CONNZ into every account, answered with
	// that account's own connections only.
	const scoped = await sys([node(0).natsUrl], {kind: 'user-password', user: accounts.users.app.user, password: accounts.users.app.password}).request({
		kind: 'connz',
		query: {auth: true, limit: 100},
	});
	assert.ok(scoped.replies.length >= 1);
	const scopedAccounts = new Set(scoped.replies.flatMap(r => r.data.connections.map(c => c.account)));
	assert.deepEqual([...scopedAccounts], ['APP']);

	const denied = await failure(sys([node(0).natsUrl], {kind: 'user-password', user: accounts.users.sysDenied.user, password: accounts.users.sysDenied.password}).request({kind: 'varz'}));
	assert.equal(denied.code, 'permission');
	assert.match(denied.message, /\$SYS\.REQ\.SERVER\.PING\.VARZ/);

	const expired = await jwt.mintUser({name: 'expired-user', account: 'SYS', expiresAt: Math.floor(Date.now() / 1000) - 3600});
	const old = await failure(sys([jwtServer.natsUrl], {kind: 'creds', file: expired.creds}).request({kind: 'varz'}));
	assert.equal(old.code, 'auth');
	assert.match(old.message, /expired/);

	const missing = await failure(sys([jwtServer.natsUrl], {kind: 'creds', file: join(jwtDir, 'nope.creds')}).request({kind: 'varz'}));
	assert.equal(missing.code, 'auth');
	assert.match(missing.message, /cannot read creds file .*nope\.creds: no such file/);

	const port = await freePort();
	const refused = await failure(sys([`nats://127.0.0.1:${port}`], {kind: 'none'}).request({kind: 'varz'}));
	assert.equal(refused.code, 'refused');
	assert.equal(refused.message, `connection refused by 127.0.0.1:${port}`);
	assert.match(refused.hint, /client port/);
});

test('abort, envelope errors and malformed replies', async () => {
	const source = sys([jwtServer.natsUrl], {kind: 'creds', file: jwt.users.sys.creds});
	const controller = new AbortController();
	const pending = source.request({kind: 'varz'}, controller.signal);
	controller.abort();
	assert.equal((await failure(pending)).code, 'aborted');

	// Two impostors in the system account answer the scatter: garbage and an error envelope.
	const impostor = await connect({servers: jwtServer.natsUrl, authenticator: credsAuthenticator(readFileSync(jwt.users.sys.creds))});
	extraConns.push(impostor);
	impostor.subscribe('$SYS.REQ.SERVER.PING.VARZ', {callback: (_e, msg) => msg.respond(new TextEncoder().encode('{not json'))});
	impostor.subscribe('$SYS.REQ.SERVER.PING.VARZ', {
		callback: (_e, msg) => msg.respond(new TextEncoder().encode(JSON.stringify({server: {id: 'FAKEID', name: 'fake\u001b[31m'}, error: {code: 500, description: 'boom'}}))),
	});
	await impostor.flush();
	const gathered = await source.request({kind: 'varz'});
	assert.equal(gathered.replies.length, 1);
	assert.equal(gathered.failures.length, 2);
	const malformed = gathered.failures.find(f => f.error.code === 'malformed');
	assert.ok(malformed, 'a malformed reply is a failure');
	const enveloped = gathered.failures.find(f => f.server?.id === 'FAKEID');
	assert.ok(enveloped);
	assert.equal(enveloped.error.code, 'unknown');
	assert.match(enveloped.error.message, /boom/);
	assert.ok(!enveloped.server!.name.includes('\u001b'), 'server names are sanitized');
	await impostor.close();
});

test('a hostile client name comes back sanitized', async () => {
	const source = sys([node(0).natsUrl], sysUser());
	const connz = await source.request({kind: 'connz', query: {acc: 'APP', sort: 'cid', limit: 100}});
	const names = connz.replies.flatMap(r => r.data.connections.map(c => c.name));
	const evil = names.find(n => n.startsWith('evil'));
	assert.ok(evil, 'the hostile connection is listed');
	assert.ok(!/[\u0000-\u001f\u007f\u202e]/.test(evil), `no control characters in ${JSON.stringify(evil)}`);
	assert.ok(evil.includes('\u241b'), 'ESC shown as a control picture');
});

test('servers dying: the scatter returns the rest; losing the connected server reconnects', async () => {
	const source = sys([node(0).natsUrl], sysUser(), {timeoutMs: 3000});
	const states: LinkState[] = [];
	source.onLinkState(state => states.push(state));
	assert.equal((await source.request({kind: 'varz'})).replies.length, 3);

	await node(2).kill();
	const two = await source.request({kind: 'varz'});
	assert.deepEqual(two.replies.map(r => r.server.name).sort(), [node(0).name, node(1).name].sort());
	assert.equal((await source.request({kind: 'connz', query: {limit: 1}})).replies.length, 2);

	// The connected server dies: the client fails over to a node it learned from the cluster.
	await node(0).kill();
	await waitFor(() => states.includes('reconnecting'), {timeoutMs: 5000, what: 'linkState reconnecting'});
	await waitFor(() => source.linkState() === 'connected', {timeoutMs: 10_000, what: 'linkState connected again'});
	assert.deepEqual(states.slice(states.indexOf('reconnecting')), ['reconnecting', 'connected']);
	const survivor = await source.request({kind: 'varz'});
	assert.deepEqual(
		survivor.replies.map(r => r.server.name),
		[node(1).name],
	);

	await Promise.all([node(0).restart(), node(2).restart()]);
	await Promise.all(cluster.map(n => routed(n, 2)));
	await waitFor(async () => (await source.request({kind: 'varz'})).replies.length === 3, {timeoutMs: 10_000, what: 'all three servers answer again'});
	assert.equal(source.linkState(), 'connected');
});

test('TLS: the CA is used, an untrusted certificate and a TLS-first mismatch are tls errors', async () => {
	const secure = await startServer({https: true});
	const certs = secure.certs!;
	const tlsTarget = (tls: Partial<NatsTarget['tls']>): NatsTarget => ({...target([secure.natsUrl], {kind: 'none'}), tls: {insecure: false, first: false, ...tls}});
	const make = (t: NatsTarget): SysSource => {
		const source = new SysSource(t, {timeoutMs: 2000, quietMs: QUIET_MS});
		sources.push(source);
		return source;
	};
	// Connected over TLS (the global account has no $SYS responders, which proves the login).
	const trusted = await failure(make(tlsTarget({ca: certs.ca})).request({kind: 'varz'}));
	assert.equal(trusted.code, 'no-responders');
	const untrusted = await failure(make(tlsTarget({})).request({kind: 'varz'}));
	assert.equal(untrusted.code, 'tls');
	assert.match(untrusted.hint, /--tlsca/);
	// 2.9.10 has no handshake_first: the client's TLS hello meets a plain INFO.
	const first = await failure(make(tlsTarget({ca: certs.ca, first: true})).request({kind: 'varz'}));
	assert.ok(first.code === 'tls' || first.code === 'timeout', `tls first → ${first.code}: ${first.message}`);
	console.log(`# tls first against 2.9.10: ${first.code}: ${first.message} (${first.hint})`);
	const missingCa = await failure(make(tlsTarget({ca: join(jwtDir, 'no-ca.pem')})).request({kind: 'varz'}));
	assert.equal(missingCa.code, 'tls');
	console.log(`# missing CA: ${missingCa.message} (${missingCa.hint})`);
	await secure.stop();
});
