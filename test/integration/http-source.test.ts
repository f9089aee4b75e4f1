// HttpSource against a real nats-server; a local fake HTTP server only for what a real server
// cannot be made to do (malformed JSON, 500s, stalls, huge bodies).
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import {HttpSource} from '../../source/sources/http.js';
import {parseInPieces} from '../../source/sources/json-pieces.js';
import {SourceError} from '../../source/sources/types.js';
import {startServer, stopAll, type NatsServer} from '../helpers/server.js';
import {openClients, slowConsumer, firehose, type Clients} from '../helpers/load.js';
import {freePort} from '../helpers/ports.js';
import {waitFor} from '../helpers/wait.js';

let server: NatsServer;
let clients: Clients;
const sources: HttpSource[] = [];

function source(url: string, timeoutMs = 3000, maxBodyBytes?: number, tls?: {ca?: string; insecure?: boolean}): HttpSource {
	const created = new HttpSource({url, timeoutMs, maxBodyBytes, tls});
	sources.push(created);
	return created;
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

before(async () => {
	server = await startServer({config: 'write_deadline: "60s"'});
	clients = await openClients(server.natsUrl, 50, {namePrefix: 'paging'});
});

after(async () => {
	for (const s of sources) await s.close();
	await clients?.close();
	await stopAll();
});

test('varz, connz and healthz decode to what the server sent', async () => {
	const http = source(server.monitorUrl);
	const [varz, raw] = await Promise.all([http.request({kind: 'varz'}), fetch(`${server.monitorUrl}/varz`).then(r => r.json() as Promise<Record<string, unknown>>)]);
	const data = varz.replies[0]!.data;
	assert.equal(data.server_id, raw['server_id']);
	assert.equal(data.version, '2.9.10');
	assert.equal(data.max_pending, raw['max_pending']);
	assert.ok(data.now_ms > 0 && Math.abs(data.now_ms - Date.now()) < 60_000, 'now with nanoseconds parses');
	assert.equal(varz.replies[0]!.server.id, raw['server_id']);

	const connz = await http.request({kind: 'connz', query: {sort: 'cid', limit: 1024, auth: true}});
	const rawConnz = (await fetch(`${server.monitorUrl}/connz?sort=cid&limit=1024&auth=1`).then(r => r.json())) as {total: number; connections: Array<{cid: number; name: string}>};
	assert.equal(connz.replies[0]!.data.total, rawConnz.total);
	assert.deepEqual(
		connz.replies[0]!.data.connections.map(c => [c.cid, c.name]),
		rawConnz.connections.map(c => [c.cid, c.name]),
	);
	assert.deepEqual(connz.replies[0]!.server, {id: raw['server_id'], name: raw['server_name'], address: server.monitorUrl}, 'connz labelled with the name learned from varz');
	assert.ok(connz.replies[0]!.rttMs >= 0 && connz.replies[0]!.receivedAt <= Date.now());
	const health = await http.request({kind: 'healthz'});
	assert.deepEqual(health.replies[0]!.data, {status: 'ok', error: '', http_status: 200});
	assert.equal(health.replies[0]!.server.id, raw['server_id'], 'healthz is labelled with the id learned from varz');
});

test('subs=1 and subs=detail decode the subscription lists', async () => {
	const http = source(server.monitorUrl);
	const [one] = clients.conns;
	const listed = await http.request({kind: 'connz', query: {sort: 'cid', limit: 1, subs: true}});
	const rawListed = (await fetch(`${server.monitorUrl}/connz?sort=cid&limit=1&subs=1`).then(r => r.json())) as {connections: Array<{subscriptions_list: string[]}>};
	assert.ok(one);
	assert.deepEqual(listed.replies[0]!.data.connections[0]!.subscriptions_list, rawListed.connections[0]!.subscriptions_list);
	assert.deepEqual(listed.replies[0]!.data.connections[0]!.subscriptions_list, ['natscope.test.>']);
	const detailed = await http.request({kind: 'connz', query: {sort: 'cid', limit: 1, subs: 'detail'}});
	const [detail] = detailed.replies[0]!.data.connections[0]!.subscriptions_list_detail;
	assert.ok(detail, 'one detailed subscription');
	assert.equal(detail.subject, 'natscope.test.>');
	assert.equal(detail.cid, detailed.replies[0]!.data.connections[0]!.cid);
	assert.match(detail.sid, /^\d+$/);
	assert.equal(detail.qgroup, '');
});

test('connz pages with offset and limit', async () => {
	const http = source(server.monitorUrl);
	const first = await http.request({kind: 'connz', query: {sort: 'cid', offset: 0, limit: 20}});
	const third = await http.request({kind: 'connz', query: {sort: 'cid', offset: 40, limit: 20}});
	assert.equal(first.replies[0]!.data.connections.length, 20);
	assert.equal(third.replies[0]!.data.connections.length, 10);
	assert.equal(third.replies[0]!.data.offset, 40);
	assert.equal(third.replies[0]!.data.total, 50);
	const lastCid = Math.max(...first.replies[0]!.data.connections.map(c => c.cid));
	assert.ok(third.replies[0]!.data.connections.every(c => c.cid > lastCid));
});

test('sort=pending puts a slow consumer first; its hostile name arrives harmless', async () => {
	const slow = await slowConsumer('127.0.0.1', server.port, 'firehose.http', {name: 'evil\u001b]0;pwned\u0007\u001b[2J'});
	try {
		await firehose(clients.conns[0]!, 'firehose.http', {bytes: 8 * 1024 * 1024, payloadBytes: 8192});
		const http = source(server.monitorUrl);
		let top = undefined as undefined | {name: string; pending_bytes: number};
		await waitFor(
			async () => {
				const answer = await http.request({kind: 'connz', query: {sort: 'pending', limit: 5}});
				top = answer.replies[0]!.data.connections[0];
				return (top?.pending_bytes ?? 0) > 0;
			},
			{timeoutMs: 10_000, what: 'pending bytes on the slow consumer'},
		);
		assert.equal(top!.name, 'evil␛]0;pwned␇␛[2J');
		assert.doesNotMatch(top!.name, /[\u0000-\u001f\u007f-\u009f]/);
	} finally {
		slow.close();
	}
});

test('closed connections come back with their reason', async () => {
	const gone = await openClients(server.natsUrl, 2, {namePrefix: 'leaving'});
	await gone.close();
	const http = source(server.monitorUrl);
	await waitFor(
		async () => {
			const answer = await http.request({kind: 'connz', query: {state: 'closed', sort: 'stop', limit: 100}});
			return answer.replies[0]!.data.connections.some(c => c.name.startsWith('leaving-') && c.reason === 'Client Closed' && c.stop !== '');
		},
		{timeoutMs: 5000, what: 'closed connections listed with a reason'},
	);
});

test('the NATS client port is recognised and the hint names 8222; credentials never show', async () => {
	const error = await failure(source(`http://admin:s3cret@127.0.0.1:${server.port}`).request({kind: 'varz'}));
	assert.equal(error.code, 'wrong-port');
	assert.equal(error.message, `127.0.0.1:${server.port} is a NATS client port, not the monitoring port`);
	assert.match(error.hint, /8222/);
	assert.doesNotMatch(`${error.message} ${error.hint}`, /s3cret|admin/);
});

test('HTTPS monitoring: CA, insecure, and both kinds of TLS mismatch', async () => {
	const secure = await startServer({https: true});
	try {
		const certs = secure.certs!;
		const trusted = await source(secure.monitorUrl, 3000, undefined, {ca: certs.ca}).request({kind: 'varz'});
		assert.equal(trusted.replies[0]!.data.version, '2.9.10');
		await source(secure.monitorUrl, 3000, undefined, {insecure: true}).request({kind: 'healthz'});
		const untrusted = await failure(source(secure.monitorUrl).request({kind: 'varz'}));
		assert.equal(untrusted.code, 'tls');
		assert.match(untrusted.hint, /--tlsca/);
		const plainToTls = await failure(source(`http://127.0.0.1:${secure.httpPort}`).request({kind: 'varz'}));
		assert.equal(plainToTls.code, 'tls');
		assert.match(plainToTls.hint, /https:\/\//);
		const tlsToPlain = await failure(source(`https://127.0.0.1:${server.httpPort}`).request({kind: 'varz'}));
		assert.equal(tlsToPlain.code, 'tls');
		assert.match(tlsToPlain.message, /wrong version number/);
		assert.match(tlsToPlain.hint, /http:\/\//);
		assert.throws(
			() => new HttpSource({url: secure.monitorUrl, timeoutMs: 1000, tls: {ca: `${secure.dir}/missing-ca.pem`}}),
			(e: unknown) => e instanceof SourceError && e.code === 'tls' && /cannot read CA file .*missing-ca\.pem: no such file/.test(e.message),
		);
	} finally {
		await secure.stop();
	}
});

test('refused, and a killed server that comes back is picked up by the same source', async () => {
	const port = await freePort();
	const refused = await failure(source(`http://127.0.0.1:${port}`).request({kind: 'varz'}));
	assert.equal(refused.code, 'refused');

	const own = await startServer();
	const http = source(own.monitorUrl);
	await http.request({kind: 'varz'});
	await own.kill();
	const down = await failure(http.request({kind: 'varz'}));
	assert.ok(['refused', 'reset'].includes(down.code), `down: ${down.code}`);
	await own.restart();
	const back = await http.request({kind: 'varz'});
	assert.equal(back.replies[0]!.data.version, '2.9.10');
	await own.stop();
});

test('fake HTTP server: malformed JSON, 500, stall, huge body, abort (what a real server cannot be made to do)', async () => {
	const fake = http.createServer((request, response) => {
		const path = request.url ?? '';
		if (path.startsWith('/malformed/varz')) response.end('{"server_id": "x", oops');
		else if (path.startsWith('/error/varz')) {
			response.statusCode = 500;
			response.end('internal \u001b[31merror');
		} else if (path.startsWith('/stall/varz')) response.write('{');
		else if (path.startsWith('/declared/varz')) {
			response.setHeader('content-length', String(10 * 1024 * 1024));
			response.write('{');
		} else if (path.startsWith('/huge/varz')) {
			response.write('{"x":"');
			const chunk = 'a'.repeat(64 * 1024);
			const pump = () => {
				while (response.write(chunk)) {
					if (response.destroyed) return;
				}
				response.once('drain', pump);
			};
			pump();
		} else if (path.startsWith('/unhealthy/healthz')) {
			response.statusCode = 503;
			response.end('{"status":"unavailable","error":"JetStream has not current"}');
		} else response.end('{}');
	});
	await new Promise<void>(resolve => fake.listen(0, '127.0.0.1', resolve));
	const port = (fake.address() as {port: number}).port;
	const base = `http://127.0.0.1:${port}`;
	try {
		assert.equal((await failure(source(`${base}/malformed`).request({kind: 'varz'}))).code, 'malformed');
		const status = await failure(source(`${base}/error`).request({kind: 'varz'}));
		assert.equal(status.code, 'http-status');
		assert.match(status.message, /HTTP 500/);
		assert.doesNotMatch(status.message, /\u001b/);
		const started = Date.now();
		assert.equal((await failure(source(`${base}/stall`, 300).request({kind: 'varz'}))).code, 'timeout');
		assert.ok(Date.now() - started < 2000, 'the timeout is honoured');
		const huge = await failure(source(`${base}/huge`, 10_000, 1024 * 1024).request({kind: 'varz'}));
		assert.equal(huge.code, 'too-large');
		assert.match(huge.message, /more than 1 MiB/);
		assert.equal((await failure(source(`${base}/declared`, 10_000, 1024 * 1024).request({kind: 'varz'}))).code, 'too-large', 'a declared length over the cap fails before reading');
		const controller = new AbortController();
		const pending = source(`${base}/stall`, 10_000).request({kind: 'varz'}, controller.signal);
		controller.abort();
		assert.equal((await failure(pending)).code, 'aborted');
		const unhealthy = await source(`${base}/unhealthy`).request({kind: 'healthz'});
		assert.deepEqual(unhealthy.replies[0]!.data, {status: 'unavailable', error: 'JetStream has not current', http_status: 503});
		const empty = await source(base).request({kind: 'varz'});
		assert.equal(empty.replies[0]!.data.connections, 0, 'missing fields default');
	} finally {
		fake.closeAllConnections();
		await new Promise(resolve => fake.close(resolve));
	}
});

test('a large /connz from the real server parses in pieces to what JSON.parse gives', async () => {
	const more = await openClients(server.natsUrl, 600, {namePrefix: 'clé-🚀-piece'});
	try {
		const body = await new Promise<Buffer>((resolve, reject) => {
			http
				.get(`${server.monitorUrl}/connz?limit=1024&subs=1&auth=1`, response => {
					const chunks: Buffer[] = [];
					response.on('data', (chunk: Buffer) => chunks.push(chunk));
					response.on('end', () => resolve(Buffer.concat(chunks)));
				})
				.on('error', reject);
		});
		assert.ok(body.length > 128 * 1024, `the answer is large (${body.length} bytes)`);
		const pieces = parseInPieces(body, 'connections');
		assert.notEqual(pieces, undefined, "nats-server's layout takes the pieces path");
		assert.deepEqual(pieces, JSON.parse(body.toString('utf8')));
		const answer = await source(server.monitorUrl).request({kind: 'connz', query: {sort: 'cid', limit: 1024}});
		const names = answer.replies[0]!.data.connections.map(c => c.name);
		assert.ok(names.length >= 650, `every connection in one answer (${names.length})`);
		assert.equal(names.filter(name => name.startsWith('clé-🚀-piece')).length, 600);
	} finally {
		await more.close();
	}
});
