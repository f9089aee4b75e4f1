// Events decoding and lines per type, the bounded buffer, and the routes, gateways, leafnodes
// and health models on fixed answers.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {decodeEvent} from '../../source/sources/decode.js';
import {buildEventsModel, eventLine, eventText, EventBuffer} from '../../source/model/events.js';
import {buildGatewaysModel, buildLeafnodesModel, buildRoutesModel, linkRates} from '../../source/model/topology.js';
import {buildHealthModel, wrap} from '../../source/model/health.js';
import {panelText} from '../../source/model/panel.js';
import {SourceError} from '../../source/sources/types.js';
import {context, failure, reply, S1, S2, status} from '../helpers/panel-fixtures.js';

const TS = '2026-01-02T03:04:05.123456789Z';
const SERVER = {name: 'n1', id: 'NS1'};
const CLIENT = {id: 7, acc: 'APP', user: 'alice', name: 'worker', host: '10.0.0.5', lang: 'go', ver: '1.31.0', kind: 'Client', rtt: 1_200_000};

function line(subject: string, payload: Record<string, unknown>): string {
	return eventText(eventLine(decodeEvent(subject, JSON.stringify({timestamp: TS, ...payload}), 0)));
}

test('events: one line per type, worded by what happened', () => {
	const adv = (t: string) => `io.nats.jetstream.advisory.v1.${t}`;
	const cases: Array<[string, Record<string, unknown>, RegExp]> = [
		['$SYS.ACCOUNT.APP.CONNECT', {type: 'io.nats.server.advisory.v1.client_connect', server: SERVER, client: CLIENT}, /^03:04:05\S* CONNECT\s+cid 7 "worker" user alice acc APP 10\.0\.0\.5 go 1\.31\.0 on n1$/],
		['$SYS.ACCOUNT.APP.DISCONNECT', {type: 'io.nats.server.advisory.v1.client_disconnect', server: SERVER, client: CLIENT, reason: 'Client Closed', sent: {msgs: 3, bytes: 300}, received: {msgs: 4, bytes: 4096}}, /DISCONNECT\s+cid 7 "worker" .* reason "Client Closed" sent 3 msgs\/300B recv 4 msgs\/4\.0KiB on n1$/],
		['$SYS.SERVER.NS1.CLIENT.AUTH.ERR', {type: 'io.nats.server.advisory.v1.client_disconnect', server: SERVER, client: {...CLIENT, user: 'mallory'}, reason: 'Authentication Failure'}, /AUTH ERROR\s+cid 7 "worker" user mallory .* reason "Authentication Failure" on n1$/],
		['$JS.EVENT.ADVISORY.STREAM.CREATED.ORDERS', {type: adv('stream_action'), stream: 'ORDERS', action: 'create'}, /STREAM CREATED\s+ORDERS$/],
		['$JS.EVENT.ADVISORY.STREAM.DELETED.ORDERS', {type: adv('stream_action'), stream: 'ORDERS', action: 'delete'}, /STREAM DELETED\s+ORDERS$/],
		['$JS.EVENT.ADVISORY.CONSUMER.CREATED.ORDERS.billing', {type: adv('consumer_action'), stream: 'ORDERS', consumer: 'billing', action: 'create'}, /CONSUMER CREATED ORDERS > billing$/],
		['$JS.EVENT.ADVISORY.STREAM.LEADER_ELECTED.ORDERS', {type: adv('stream_leader_elected'), stream: 'ORDERS', leader: 'n2', replicas: [{name: 'n1', current: true}, {name: 'n3', current: false}]}, /LEADER\s+stream ORDERS leader n2 replicas n1 n3$/],
		['$JS.EVENT.ADVISORY.STREAM.QUORUM_LOST.ORDERS', {type: adv('stream_quorum_lost'), stream: 'ORDERS', replicas: [{name: 'n3'}]}, /QUORUM LOST\s+stream ORDERS replicas n3$/],
		['$JS.EVENT.ADVISORY.CONSUMER.LEADER_ELECTED.ORDERS.billing', {type: adv('consumer_leader_elected'), stream: 'ORDERS', consumer: 'billing', leader: 'n1'}, /LEADER\s+consumer ORDERS > billing leader n1$/],
		['$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.ORDERS.billing', {type: adv('max_deliver'), stream: 'ORDERS', consumer: 'billing', stream_seq: 41, deliveries: 5}, /MAX DELIVER\s+ORDERS > billing seq 41 after 5 deliveries$/],
		['$JS.EVENT.ADVISORY.CONSUMER.MSG_NAKED.ORDERS.billing', {type: adv('nak'), stream: 'ORDERS', consumer: 'billing', stream_seq: 9, deliveries: 2}, /NAK\s+ORDERS > billing seq 9 delivery 2$/],
		['$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED.ORDERS.billing', {type: adv('terminated'), stream: 'ORDERS', consumer: 'billing', stream_seq: 10, deliveries: 1, reason: 'bad payload'}, /TERMINATED\s+ORDERS > billing seq 10 delivery 1 reason "bad payload"$/],
		['$JS.EVENT.ADVISORY.API', {type: adv('api_audit'), server: 'n1', subject: '$JS.API.STREAM.CREATE.X', account: 'APP', response: '{"error":{"code":400,"description":"stream name already in use"}}'}, /API\s+\$JS\.API\.STREAM\.CREATE\.X acc APP error: stream name already in use on n1$/],
		['$SYS.SERVER.NS1.SHUTDOWN', {server: 'n1'}, /SHUTDOWN\s+n1$/],
		['$SYS.SERVER.NS1.LAMEDUCK', {server: 'n1'}, /LAME DUCK\s+n1$/],
		['$JS.EVENT.ADVISORY.SOMETHING_NEW', {type: adv('something_new'), x: 1}, /SOMETHING_NE\s+\$JS\.EVENT\.ADVISORY\.SOMETHING_NEW timestamp,type,x$/],
	];
	for (const [subject, payload, expected] of cases) assert.match(line(subject, payload), expected, subject);
	// Not JSON at all: an 'other' line with the start of the payload, no exception.
	assert.match(eventText(eventLine(decodeEvent('$SYS.X', 'not json\u001b[2J', 0))), /EVENT\s+\$SYS\.X not json␛\[2J$/);
	assert.equal(eventLine(decodeEvent('$SYS.ACCOUNT.APP.CONNECT', '{"type":"io.nats.server.advisory.v1.client_connect"}', 0)).tone, 'ok');
});

test('events: hostile client names and reasons are pictures, never escapes', () => {
	const evil = 'x\u001b]0;pwned\u0007\u202e\u0085y';
	const text = line('$SYS.ACCOUNT.APP.DISCONNECT', {type: 'io.nats.server.advisory.v1.client_disconnect', server: {name: evil}, client: {...CLIENT, name: evil, user: evil, lang: evil}, reason: evil});
	assert.doesNotMatch(text, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
	assert.match(text, /␛\]0;pwned␇/);
});

test('event buffer: bounded, counts what fell off, clear resets; the model filters and freezes while paused', () => {
	const buffer = new EventBuffer(3);
	const event = (n: number) => decodeEvent('$SYS.ACCOUNT.APP.CONNECT', JSON.stringify({type: 'io.nats.server.advisory.v1.client_connect', client: {id: n, name: n % 2 ? 'odd' : 'even'}}), 0);
	for (let i = 1; i <= 5; i++) buffer.push(event(i));
	assert.deepEqual([buffer.size, buffer.received, buffer.dropped], [3, 5, 2]);
	assert.deepEqual(buffer.entries().map(e => e.seq), [3, 4, 5]);
	const model = buildEventsModel(context([], {events: buffer}));
	assert.equal(model.summary, '3 events · 5 received · 2 dropped (buffer 3) · scrolled (End follows)');
	assert.deepEqual(model.json['dropped'], 2);
	const odd = buildEventsModel(context([], {events: buffer, panel: {filter: 'odd'} as never}));
	assert.equal(odd.total, 2);
	assert.match(odd.summary, /^2 events of 3/);
	const frozen = buildEventsModel(context([], {events: buffer, paused: true, eventsFrozenAt: 4}));
	assert.equal(frozen.total, 2);
	assert.match(frozen.summary, /paused: 1 new held/);
	const following = buildEventsModel(context([], {events: buffer, panel: {follow: true} as never}));
	assert.equal(following.selected, 2, 'follow keeps the newest selected');
	buffer.clear();
	assert.deepEqual([buffer.size, buffer.received, buffer.dropped], [0, 0, 0]);
	assert.match(buildEventsModel(context([], {events: buffer})).sections[0]!.empty!, /^listening on \$SYS\.ACCOUNT\.\*\.CONNECT/);
	const http = buildEventsModel(context([]));
	assert.match(http.sections[0]!.empty!, /needs the NATS transport/);
	assert.equal(http.json['error'], http.sections[0]!.empty);
	assert.deepEqual(buildEventsModel(context([], {events: buffer, eventsError: 'events: permissions violation'})).notes, ['events: permissions violation']);
});

const route = (rid: number, remote: string, name: string, o: Record<string, unknown> = {}) => ({rid, remote_id: remote, remote_name: name, ip: '127.0.0.1', port: 6000 + rid, rtt: '1.5ms', uptime: '1m', pending_size: 0, subscriptions: 4, in_msgs: 0, out_msgs: 0, in_bytes: 0, out_bytes: 0, did_solicit: rid % 2 === 1, ...o});

test('routes: a row per route per server with remote name and RTT, rates on the server clock, a note when counts differ', () => {
	const at = (now: string, out: number) => [
		reply('routez', S1, {server_id: 'NS1', server_name: 'n1', now, routes: [route(1, 'NS2', 'n2', {out_msgs: out, out_bytes: out * 10, pending_size: 2048}), route(2, 'NS3', '')]}),
		reply('routez', S2, {server_id: 'NS2', server_name: 'n2', now, routes: [route(1, 'NS1', 'n1')]}),
	];
	const ctx = context([status('routez', 'routez', at('2026-01-01T00:00:02Z', 300), at('2026-01-01T00:00:00Z', 100))], {serverNames: new Map([['NS3', 'n3']]), width: 200});
	const model = buildRoutesModel(ctx);
	const text = panelText(model).join('\n');
	assert.match(text, /n1\s+n2\s+NS2\s+127\.0\.0\.1:6001\s+1\.5ms\s+2048\s+4\s+0\/s\s+100\/s/);
	assert.match(text, /n1\s+n3\s+NS3/, 'remote name from /varz when 2.9.10 routez has none');
	assert.deepEqual(model.notes, ['routes differ between servers: n2 has 1']);
	assert.equal(model.records[0]!['msgs_out_per_sec'], 100);
	assert.deepEqual(model.json['per_server'], {n1: 2, n2: 1});
	assert.equal(model.sections[0]!.lines[0]!.tone, 'warn', 'pending bytes on a route');
	assert.equal(linkRates({in_msgs: 10, out_msgs: 0, in_bytes: 0, out_bytes: 0}, {in_msgs: 5, out_msgs: 0, in_bytes: 0, out_bytes: 0}, 1000), undefined, 'a counter reset shows no rate');
	const totals = buildRoutesModel({...ctx, mode: 'totals'});
	assert.match(totals.sections[0]!.header!, /MSGS_IN\s+MSGS_OUT/);
	assert.match(buildRoutesModel(context([status('routez', 'routez', [reply('routez', S1, {server_id: 'NS1', now: '2026-01-01T00:00:00Z', routes: []})])])).sections[0]!.empty!, /not part of a cluster/);
});

test('gateways and leafnodes: direction, state, RTT; a gateway without a connection is down', () => {
	const gw = reply('gatewayz', S1, {server_id: 'NS1', now: '2026-01-01T00:00:00Z', name: 'EAST', outbound_gateways: {WEST: {configured: true, connection: {cid: 3, ip: '10.1.1.1', port: 7222, rtt: '12ms', subscriptions: 2}}, NORTH: {configured: true}}, inbound_gateways: {WEST: [{configured: false, connection: {cid: 4, ip: '10.1.1.1', port: 50000, rtt: '11ms'}}]}});
	const model = buildGatewaysModel(context([status('gatewayz', 'gatewayz', [gw])], {width: 150}));
	const text = panelText(model).join('\n');
	assert.match(model.summary, /^3 gateway links \(2 out, 1 in\), 1 down/);
	assert.match(text, /n1 \(EAST\)\s+out\s+NORTH\s+down\s+yes\s+—/);
	assert.match(text, /n1 \(EAST\)\s+out\s+WEST\s+connected\s+yes\s+10\.1\.1\.1:7222\s+12ms/);
	assert.match(text, /n1 \(EAST\)\s+in\s+WEST\s+connected\s+no/);
	assert.equal(model.sections[0]!.lines.find(l => l.text.includes('NORTH'))!.tone, 'error');
	const leaf = reply('leafz', S1, {server_id: 'NS1', now: '2026-01-01T00:00:00Z', leafnodes: 1, leafs: [{name: 'edge\u001b[31m', account: 'APP', ip: '10.2.2.2', port: 40000, rtt: '3ms', subscriptions: 5, is_spoke: true}]});
	const leafs = buildLeafnodesModel(context([status('leafz', 'leafz', [leaf])], {width: 150}));
	assert.match(panelText(leafs).join('\n'), /n1\s+edge␛\[31m\s+APP\s+10\.2\.2\.2:40000\s+3\.0ms\s+5/);
	assert.equal(leafs.records[0]!['is_spoke'], true);
});

test('health: three variants per server, unhealthy first, errors wrapped in full, no answer with its reason', () => {
	const ok = (s: {id: string; name: string}) => reply('healthz', s, {status: 'ok'});
	const bad = reply('healthz', S2, {status: 'unavailable', error: 'JetStream has not established contact with a meta leader'});
	const details = reply('healthz', S2, {status: 'error', errors: [{type: 'STREAM', account: 'APP', stream: 'ORDERS', error: 'stream not current'}]});
	const ctx = context(
		[
			status('healthz', 'healthz', [ok(S1), bad]),
			status('healthz-js-enabled', 'healthz', [ok(S1), details]),
			status('healthz-js-server', 'healthz', [ok(S1)], undefined, [failure('n3', 'timed out after 2000 ms')]),
		],
		{width: 60},
	);
	const model = buildHealthModel(ctx);
	const text = panelText(model);
	assert.match(text[1]!, /^n2\s+unavailable\s+error\s+—/);
	assert.match(text.join('\n'), /plain: unavailable \(HTTP 503\) — JetStream has not\n\s+established contact with a meta leader/);
	assert.match(text.join('\n'), /js-enabled-only: error \(HTTP 503\) — STREAM APP ORDERS:\s+stream not current/);
	assert.match(text.join('\n'), /n3\s+…?—?\s*\S*\s*\S*\s*no answer\n\s+js-server-only: timed out after 2000 ms \(is it running\?\)/);
	assert.ok(text.every(l => l.length <= 60), 'wrapped to the width');
	assert.match(model.summary, /^3 servers, 2 unhealthy/);
	const records = model.records;
	assert.deepEqual(records.find(r => r['server_name'] === 'n2'), {server_name: 'n2', server_id: 'NS2', plain: 'unavailable', plain_error: 'JetStream has not established contact with a meta leader', 'js-enabled-only': 'error', 'js-enabled-only_error': '', 'js-server-only': '', 'js-server-only_error': ''});
	assert.deepEqual(wrap('a b c', 10), ['a b c']);
	assert.deepEqual(wrap('x'.repeat(25), 10), ['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
	const waiting = buildHealthModel(context([status('healthz', 'healthz', undefined, undefined, [], new SourceError('refused', 'connection refused', 'is the server running?'))]));
	assert.equal(waiting.sections[0]!.empty, '✖ connection refused — is the server running?');
});
