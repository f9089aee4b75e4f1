import {test} from 'node:test';
import assert from 'node:assert/strict';
import {gzipSync} from 'node:zlib';
import type {Msg} from 'nats';
import {clientLameDuck, kickClient, profilez, remoteCapability, remoteReload, sysCall, type SysRequester} from '../../source/actions/remote.js';

type Call = {subject: string; body: string; timeout?: number};

/** A requester that answers with `reply(subject, body)` (an object is sent as JSON; an Error is thrown). */
function requester(reply: (subject: string, body: string) => unknown): SysRequester & {calls: Call[]} {
	const calls: Call[] = [];
	return {
		calls,
		async request(subject, payload, options) {
			const body = new TextDecoder().decode(payload ?? new Uint8Array());
			calls.push({subject, body, timeout: options?.timeout});
			const answer = reply(subject, body);
			if (answer instanceof Error) throw answer;
			const data = new TextEncoder().encode(typeof answer === 'string' ? answer : JSON.stringify(answer));
			return {data, subject: '_INBOX.x'} as unknown as Msg;
		},
	};
}

const SERVER = {name: 'nats-b', id: 'NB', ver: '2.10.7'};

test('version gate: RELOAD/KICK/LDM/PROFILEZ need 2.10, cpu PROFILEZ 2.10.19', () => {
	const old = remoteCapability('reload', '2.9.10');
	assert.deepEqual(old, {ok: false, reason: 'remote reload ($SYS RELOAD) needs nats-server 2.10.0 or newer; this server runs 2.9.10'});
	assert.deepEqual(remoteCapability('kick', '2.10.0'), {ok: true});
	assert.deepEqual(remoteCapability('client-ldm', '2.11.3'), {ok: true});
	assert.equal(remoteCapability('profilez-cpu', '2.10.18').ok, false);
	assert.equal(remoteCapability('profilez-cpu', '2.10.19').ok, true);
	assert.equal(remoteCapability('profilez', '').ok, false);
});

test('RELOAD, KICK and LDM go to the one server by id with the documented bodies', async () => {
	const nc = requester(() => ({server: SERVER}));
	assert.equal((await remoteReload(nc, 'NB', 1000)).ok, true);
	assert.equal((await kickClient(nc, 'NB', 42, 1000)).ok, true);
	assert.equal((await clientLameDuck(nc, 'NB', 43, 1000)).ok, true);
	assert.deepEqual(
		nc.calls.map(c => [c.subject, c.body]),
		[
			['$SYS.REQ.SERVER.NB.RELOAD', '{}'],
			['$SYS.REQ.SERVER.NB.KICK', '{"cid":42}'],
			['$SYS.REQ.SERVER.NB.LDM', '{"cid":43}'],
		],
	);
	const bad = await kickClient(nc, 'NB.>', 1, 1000);
	assert.equal(!bad.ok && bad.code, 'refused', 'a subject wildcard is never a server id');
	assert.equal((await kickClient(nc, 'NB', 0, 1000)).ok, false);
	assert.equal(nc.calls.length, 3);
});

test('a refusal in the envelope, no responders and timeouts become plain messages', async () => {
	const refused = await sysCall(requester(() => ({server: SERVER, error: {code: 500, description: 'config reload failed: \u001b[31mbad'}})), '$SYS.REQ.SERVER.NB.RELOAD', {}, 1000);
	assert.equal(!refused.ok && refused.message, 'the server refused: config reload failed: ␛[31mbad (500)');
	const nobody = await sysCall(requester(() => Object.assign(new Error('503'), {code: '503'})), '$SYS.REQ.SERVER.NB.RELOAD', {}, 1000);
	assert.match(!nobody.ok ? nobody.message : '', /nobody answers \$SYS\.REQ\.SERVER\.NB\.RELOAD/);
	assert.match(!nobody.ok ? nobody.hint : '', /older than 2\.10/);
	const slow = await sysCall(requester(() => Object.assign(new Error('TIMEOUT'), {code: 'TIMEOUT'})), '$SYS.REQ.SERVER.NB.KICK', {cid: 1}, 2000);
	assert.match(!slow.ok ? slow.message : '', /no reply on .* within 2 s/);
	const garbage = await sysCall(requester(() => 'not json'), 's', {}, 1000);
	assert.match(!garbage.ok ? garbage.message : '', /not JSON/);
});

test('PROFILEZ: base64 profile decoded, errors in data.error, cpu with a duration in ns', async () => {
	const profile = gzipSync(Buffer.from('profile bytes'));
	const nc = requester((_subject, body) => {
		const options = JSON.parse(body) as {name: string};
		if (options.name === 'mutex') return {server: SERVER, data: {error: 'profile "mutex" is empty'}};
		return {server: SERVER, data: {profile: profile.toString('base64')}};
	});
	const heap = await profilez(nc, 'NB', 'heap', 0, 1000);
	assert.deepEqual(heap.ok && [...heap.data], [...profile]);
	const cpu = await profilez(nc, 'NB', 'cpu', 2000, 1000);
	assert.equal(cpu.ok, true);
	assert.deepEqual(JSON.parse(nc.calls[1]!.body), {name: 'cpu', debug: 0, duration: 2_000_000_000});
	assert.equal(nc.calls[1]!.timeout, 3000, 'the request waits the duration plus the timeout');
	const mutex = await profilez(nc, 'NB', 'mutex', 0, 1000);
	assert.match(!mutex.ok ? mutex.message : '', /could not make the mutex profile: profile "mutex" is empty/);
	const tooLong = await profilez(nc, 'NB', 'cpu', 16_000, 1000);
	assert.equal(!tooLong.ok && tooLong.code, 'refused');
});
