// The events view over the NATS transport: a system-account user's SysSource subscription on a
// real nats-server 2.9.10, decoded into the events model as the app shows it.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {AckPolicy, connect, type NatsConnection} from 'nats';
import {SysSource} from '../../source/sources/sys.js';
import {EVENT_SUBJECTS} from '../../source/model/events.js';
import {configModeAccounts, type ConfigModeAccounts} from '../helpers/accounts.js';
import {startServer, type NatsServer} from '../helpers/server.js';
import {watchView, type ViewWatch} from '../helpers/panels.js';
import {runOneShot} from '../../source/oneshot.js';
import type {Config} from '../../source/config/types.js';

let accounts: ConfigModeAccounts;
let server: NatsServer;
let source: SysSource;
let watch: ViewWatch;

const lines = () => watch.model().sections[0]!.lines.map(l => l.text);

before(async () => {
	accounts = configModeAccounts({appJetStream: true});
	server = await startServer({name: 'events-1', jetstream: true, config: accounts.configText});
	source = new SysSource(
		{servers: [server.natsUrl], auth: {kind: 'user-password', user: accounts.users.sys.user, password: accounts.users.sys.password}, tls: {insecure: false, first: false}, identity: {warnings: []}},
		{timeoutMs: 2000, quietMs: 150},
	);
	watch = watchView(source, 'events', {intervalMs: 500, subscribeEvents: EVENT_SUBJECTS});
	// The poller's first answer travels the same connection, after the subscriptions.
	await watch.answers(1, 'varz');
});

after(async () => {
	await watch?.stop();
	await source?.close();
	await server?.stop();
});

function app(name: string): Promise<NatsConnection> {
	return connect({servers: server.natsUrl, name, user: accounts.users.app.user, pass: accounts.users.app.password});
}

test('a client connecting and closing gives CONNECT and DISCONNECT lines with its name, account and the reason', {timeout: 20_000}, async () => {
	const nc = await app('evt-client');
	await watch.until(m => m.sections[0]!.lines.some(l => /CONNECT\s+cid \d+ "evt-client" user app acc APP 127\.0\.0\.1 nats\.js/.test(l.text)), 'the CONNECT line');
	await nc.close();
	const model = await watch.until(m => m.sections[0]!.lines.some(l => /DISCONNECT\s+cid \d+ "evt-client".*reason "Client Closed"/.test(l.text)), 'the DISCONNECT line');
	const disconnect = model.sections[0]!.lines.find(l => l.text.includes('DISCONNECT') && l.text.includes('evt-client'))!;
	assert.match(disconnect.text, /^\d\d:\d\d:\d\d(\.\d+)? DISCONNECT\s+cid \d+ "evt-client" user app acc APP .*sent \d+ msgs\/\S+ recv \d+ msgs\/\S+ on events-1$/);
	const json = model.json['events'] as Array<Record<string, unknown>>;
	const connectEvent = json.find(e => e['kind'] === 'connect' && String(e['text']).includes('evt-client'))!;
	assert.equal(connectEvent['subject'], '$SYS.ACCOUNT.APP.CONNECT');
	assert.equal(connectEvent['type'], 'io.nats.server.advisory.v1.client_connect');
	// `/` filters the lines.
	const filtered = watch.model({filter: 'disconnect'});
	assert.ok(filtered.sections[0]!.lines.length >= 1);
	assert.ok(filtered.sections[0]!.lines.every(l => l.text.includes('DISCONNECT')));
	assert.match(filtered.summary, /^\d+ events? of \d+ · \d+ received · 0 dropped \(buffer 1000\)/);
});

test('a wrong password gives an AUTH ERROR line', {timeout: 20_000}, async () => {
	await connect({servers: server.natsUrl, name: 'intruder', user: 'app', pass: 'wrong', reconnect: false}).then(
		nc => nc.close(),
		() => undefined,
	);
	await watch.until(m => m.sections[0]!.lines.some(l => /AUTH ERROR\s+cid \d+ "intruder" user app .*reason "Authentication Failure"/.test(l.text)), 'the AUTH ERROR line');
});

test('JetStream advisories of the stream account (exported to SYS): stream and consumer created, nak, max deliveries, terminated, deleted', {timeout: 45_000}, async () => {
	const nc = await app('evt-js');
	try {
		const jsm = await nc.jetstreamManager();
		await jsm.streams.add({name: 'EVENTS_ORDERS', subjects: ['evorders.>']});
		await watch.until(m => m.sections[0]!.lines.some(l => /STREAM CREATED\s+EVENTS_ORDERS/.test(l.text)), 'the stream created advisory');
		await jsm.consumers.add('EVENTS_ORDERS', {durable_name: 'billing', ack_policy: AckPolicy.Explicit, max_deliver: 2, ack_wait: 30_000_000_000});
		await watch.until(m => m.sections[0]!.lines.some(l => /CONSUMER CREATED\s+EVENTS_ORDERS > billing/.test(l.text)), 'the consumer created advisory');
		const js = nc.jetstream();
		await js.publish('evorders.a', new Uint8Array(4));
		await js.publish('evorders.b', new Uint8Array(4));
		const consumer = await js.consumers.get('EVENTS_ORDERS', 'billing');
		// Seq 1: nak'd twice → max deliveries. Seq 2: terminated.
		for (let i = 0; i < 3; i++) {
			const m = await consumer.next({expires: 2000});
			if (!m) break;
			if (m.seq === 1) m.nak();
			else m.term();
			await nc.flush();
		}
		const model = await watch.until(
			m => ['NAK', 'MAX DELIVER', 'TERMINATED'].every(label => m.sections[0]!.lines.some(l => l.text.includes(` ${label} `))),
			'nak, max deliveries and terminated advisories',
		);
		const text = model.sections[0]!.lines.map(l => l.text).join('\n');
		assert.match(text, /NAK\s+EVENTS_ORDERS > billing seq 1 delivery 1/);
		assert.match(text, /MAX DELIVER\s+EVENTS_ORDERS > billing seq 1 after 2 deliveries/);
		assert.match(text, /TERMINATED\s+EVENTS_ORDERS > billing seq 2 delivery 1/);
		// nats-server 2.9.10 queues a stream's deleted advisory on the stream's own send loop and
		// then stops that loop; the loop's select can take the stop first and drop the advisory
		// (seen once in ~40 full runs). A deleted stream's line is what this checks, so a spare
		// stream is deleted when the first advisory was lost.
		const deleted = async (name: string, timeoutMs: number): Promise<boolean> => {
			await jsm.streams.delete(name);
			const pattern = new RegExp(`STREAM DELETED\\s+${name}`);
			return watch.until(m => m.sections[0]!.lines.some(l => pattern.test(l.text)), `the stream deleted advisory of ${name}`, timeoutMs).then(
				() => true,
				() => false,
			);
		};
		let seen = await deleted('EVENTS_ORDERS', 5_000);
		for (let spare = 1; !seen && spare <= 3; spare++) {
			await jsm.streams.add({name: `EVENTS_SPARE_${spare}`, subjects: [`evspare${spare}.>`]});
			seen = await deleted(`EVENTS_SPARE_${spare}`, 4_000);
		}
		assert.ok(seen, 'a STREAM DELETED line for a deleted stream');
		// API audit lines carry the API subject.
		assert.ok(lines().some(l => /API\s+\$JS\.API\.STREAM\.CREATE\.EVENTS_ORDERS/.test(l)));
	} finally {
		await nc.close();
	}
});

test('--view events --json over NATS prints what arrived within the interval', {timeout: 20_000}, async () => {
	const own = new SysSource(
		{servers: [server.natsUrl], auth: {kind: 'user-password', user: accounts.users.sys.user, password: accounts.users.sys.password}, tls: {insecure: false, first: false}, identity: {warnings: []}},
		{timeoutMs: 2000, quietMs: 150},
	);
	const out: string[] = [];
	const err: string[] = [];
	const config = {transport: 'nats', view: 'events', output: {kind: 'json'}, intervalMs: 1500, refreshes: 1, rawNumbers: true, lagWarnRefreshes: 3} as unknown as Config;
	const code = await runOneShot(config, own, {
		stdout: t => out.push(t),
		stderr: t => err.push(t),
		// During the interval a client comes and goes.
		sleep: async ms => {
			await new Promise(resolve => setTimeout(resolve, 200));
			const nc = await app('oneshot-visitor');
			await nc.close();
			await new Promise(resolve => setTimeout(resolve, ms));
		},
		now: () => new Date(),
		width: 200,
	});
	assert.equal(code, 0, err.join(''));
	const doc = JSON.parse(out.join('')) as {view: string; received: number; dropped: number; events: Array<{label: string; text: string; subject: string}>};
	assert.equal(doc.view, 'events');
	assert.equal(doc.dropped, 0);
	assert.ok(doc.events.some(e => e.label === 'CONNECT' && e.text.includes('"oneshot-visitor"') && e.subject === '$SYS.ACCOUNT.APP.CONNECT'));
	assert.ok(doc.events.some(e => e.label === 'DISCONNECT' && e.text.includes('"oneshot-visitor"')));
});
