// The monitoring port's HTTP client: response framing from any split of the bytes, and the
// socket's life (reuse, a keep-alive socket the server closed, a cut mid-body, abort). The real
// nats-server is in the integration and fault tests; the raw TCP server here is for what a real
// server cannot be made to do on demand (split a response at every byte, close an idle socket).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import {BodyTooLargeError, HttpClient, HttpParseError, IncompleteResponseError, ResponseParser} from '../../source/sources/http-client.js';

/** Feed `bytes` to a parser in two pieces split at `at`; the parser and whether it completed. */
function feedSplit(bytes: Buffer, at: number, maxBody = 1 << 20): {parser: ResponseParser; complete: boolean} {
	const parser = new ResponseParser(maxBody);
	const first = parser.push(bytes.subarray(0, at));
	const complete = first || parser.push(bytes.subarray(at));
	return {parser, complete};
}

const LENGTH = Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{"now":"é1"}');
const CHUNKED = Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\n{"a":\r\nA\r\n[1,2,3,4]}\r\n0\r\nX-Trailer: 1\r\n\r\n');

test('a Content-Length body is read whole from any split of its bytes', () => {
	for (let at = 0; at <= LENGTH.length; at++) {
		const {parser, complete} = feedSplit(LENGTH, at);
		assert.ok(complete, `split at ${at}`);
		assert.equal(parser.status, 200);
		assert.equal(parser.body().toString('utf8'), '{"now":"é1"}');
		assert.equal(parser.headers.get('content-type'), 'application/json');
		assert.equal(parser.keepAlive, true);
		assert.equal(parser.extra.length, 0);
	}
});

test('a chunked body (extensions, trailers) is read whole from any split of its bytes', () => {
	for (let at = 0; at <= CHUNKED.length; at++) {
		const {parser, complete} = feedSplit(CHUNKED, at);
		assert.ok(complete, `split at ${at}`);
		assert.equal(parser.body().toString('utf8'), '{"a":[1,2,3,4]}');
	}
	// Byte by byte as well.
	const parser = new ResponseParser(1 << 20);
	let complete = false;
	for (const byte of CHUNKED) complete = parser.push(Buffer.from([byte]));
	assert.ok(complete);
	assert.equal(parser.body().toString('utf8'), '{"a":[1,2,3,4]}');
});

test('a body without a length ends with the connection, and the socket is not reused', () => {
	const parser = new ResponseParser(1 << 20);
	assert.equal(parser.push(Buffer.from('HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n')), false);
	assert.equal(parser.end(), true);
	assert.equal(parser.status, 400);
	assert.equal(parser.keepAlive, false);
	assert.match(parser.body().toString(), /HTTPS server/);
});

test('Connection: close, HTTP/1.0, 204, an interim 100 and bytes past the end', () => {
	const closing = new ResponseParser(100);
	assert.ok(closing.push(Buffer.from('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}')));
	assert.equal(closing.keepAlive, false);
	const old = new ResponseParser(100);
	assert.ok(old.push(Buffer.from('HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}')));
	assert.equal(old.keepAlive, false);
	const empty = new ResponseParser(100);
	assert.ok(empty.push(Buffer.from('HTTP/1.1 204 No Content\r\n\r\n')));
	assert.equal(empty.body().length, 0);
	const interim = new ResponseParser(100);
	assert.ok(interim.push(Buffer.from('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 503 Service Unavailable\r\nContent-Length: 2\r\n\r\n{}')));
	assert.equal(interim.status, 503);
	const extra = new ResponseParser(100);
	assert.ok(extra.push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}garbage')));
	assert.equal(extra.extra.toString(), 'garbage');
	// Cut before the end: not complete, and end() does not complete it.
	const cut = new ResponseParser(100);
	assert.equal(cut.push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n{"a"')), false);
	assert.equal(cut.end(), false);
	assert.equal(cut.started, true);
});

test('a NATS client port greeting is not HTTP: the error carries the bytes, as node:http did', () => {
	const parser = new ResponseParser(100);
	assert.throws(
		() => parser.push(Buffer.from('INFO {"server_id":"N1"}\r\n')),
		(error: unknown) => error instanceof HttpParseError && error.code === 'HPE_INVALID_CONSTANT' && error.rawPacket.toString('latin1').startsWith('INFO '),
	);
	assert.throws(() => new ResponseParser(100).push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n')), HttpParseError);
	assert.throws(() => new ResponseParser(100).push(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')), HttpParseError);
	assert.throws(() => new ResponseParser(100).push(Buffer.from('HTTP/1.1 200 OK\r\nno colon\r\n\r\n')), HttpParseError);
});

test('bodies past the cap stop at once, declared or streamed', () => {
	assert.throws(() => new ResponseParser(10).push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n')), BodyTooLargeError);
	const streamed = new ResponseParser(10);
	streamed.push(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n'));
	assert.throws(() => streamed.push(Buffer.from('8\r\n12345678\r\n')), BodyTooLargeError);
});

type Script = (socket: net.Socket, request: string, index: number) => void;

/** A raw TCP server on loopback answering each request as `script` says; counts connections. */
async function rawServer(script: Script): Promise<{url: URL; connections: () => number; requests: string[]; close: () => Promise<void>}> {
	let connections = 0;
	const requests: string[] = [];
	const sockets = new Set<net.Socket>();
	const server = net.createServer(socket => {
		connections++;
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		let buffered = '';
		socket.on('data', data => {
			buffered += data.toString('latin1');
			for (let end = buffered.indexOf('\r\n\r\n'); end >= 0; end = buffered.indexOf('\r\n\r\n')) {
				const request = buffered.slice(0, end);
				buffered = buffered.slice(end + 4);
				requests.push(request);
				script(socket, request, requests.length - 1);
			}
		});
		socket.on('error', () => {});
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as net.AddressInfo;
	return {
		url: new URL(`http://127.0.0.1:${port}`),
		connections: () => connections,
		requests,
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise(resolve => server.close(resolve));
		},
	};
}

const ok = (body: string): string => `HTTP/1.1 200 OK\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

test('requests reuse one keep-alive socket; each response may arrive in many pieces', async () => {
	const server = await rawServer((socket, request, index) => {
		const answer = ok(`{"n":${index}}`);
		// One byte at a time for the first answer, whole for the others.
		if (index === 0) for (const byte of Buffer.from(answer)) socket.write(Buffer.from([byte]));
		else socket.write(answer);
	});
	const client = new HttpClient(server.url);
	try {
		for (let i = 0; i < 3; i++) {
			const response = await client.get(`/varz?i=${i}`, 1 << 20).response;
			assert.equal(response.status, 200);
			assert.deepEqual(JSON.parse(response.body.toString()), {n: i});
		}
		assert.equal(server.connections(), 1, 'one socket for three requests');
		assert.match(server.requests[0]!, /^GET \/varz\?i=0 HTTP\/1\.1\r\nHost: 127\.0\.0\.1:\d+\r\n/);
		assert.match(server.requests[0]!, /\r\nAccept: application\/json/);
	} finally {
		client.destroy();
		await server.close();
	}
});

test('a keep-alive socket the server closed while idle: the next request goes out on a new one', async () => {
	const server = await rawServer((socket, _request, index) => {
		socket.write(ok(`{"n":${index}}`));
		// The server drops the connection right after its first answer (an idle timeout, a restart).
		if (index === 0) setTimeout(() => socket.destroy(), 20);
	});
	const client = new HttpClient(server.url);
	try {
		await client.get('/varz', 1 << 20).response;
		await new Promise(resolve => setTimeout(resolve, 100));
		const second = await client.get('/varz', 1 << 20).response;
		assert.deepEqual(JSON.parse(second.body.toString()), {n: 1});
		assert.equal(server.connections(), 2);
	} finally {
		client.destroy();
		await server.close();
	}
});

test('a reused socket reset as the request goes out is retried once; a fresh one is not', async () => {
	let resetNext = true;
	const server = await rawServer((socket, _request, index) => {
		if (index === 1 && resetNext) {
			resetNext = false;
			socket.resetAndDestroy();
			return;
		}
		socket.write(ok(`{"n":${index}}`));
	});
	const client = new HttpClient(server.url);
	try {
		await client.get('/varz', 1 << 20).response;
		const retried = await client.get('/varz', 1 << 20).response;
		assert.deepEqual(JSON.parse(retried.body.toString()), {n: 2});
	} finally {
		client.destroy();
		await server.close();
	}
	const refusing = await rawServer(socket => socket.destroy());
	const fresh = new HttpClient(refusing.url);
	try {
		await assert.rejects(fresh.get('/varz', 1 << 20).response, (error: NodeJS.ErrnoException) => error.code === 'ECONNRESET');
		assert.equal(refusing.requests.length, 1, 'not retried');
	} finally {
		fresh.destroy();
		await refusing.close();
	}
});

test('a cut mid-body, abort, and destroy', async () => {
	const server = await rawServer((socket, request) => {
		if (request.includes('/cut')) {
			socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"partial"');
			setTimeout(() => socket.destroy(), 20);
		}
		// /stall: never answered.
	});
	const client = new HttpClient(server.url);
	try {
		await assert.rejects(client.get('/cut', 1 << 20).response, IncompleteResponseError);
		const stalled = client.get('/stall', 1 << 20);
		setTimeout(() => stalled.abort(), 50);
		await assert.rejects(stalled.response, (error: Error) => error.name === 'AbortError');
		const pending = client.get('/stall', 1 << 20);
		await new Promise(resolve => setTimeout(resolve, 50));
		client.destroy();
		await assert.rejects(pending.response);
		await assert.rejects(client.get('/varz', 1 << 20).response, (error: Error) => error.name === 'AbortError');
	} finally {
		client.destroy();
		await server.close();
	}
});

test('user:password in the URL becomes a Basic Authorization header, as node:http sent it', async () => {
	const server = await rawServer(socket => socket.write(ok('{}')));
	const url = new URL(server.url);
	url.username = 'mon%40x';
	url.password = 'p%3Aw';
	const client = new HttpClient(url);
	try {
		await client.get('/varz', 1 << 20).response;
		const header = /\r\nAuthorization: Basic (\S+)/.exec(server.requests[0]!)?.[1];
		assert.equal(Buffer.from(header ?? '', 'base64').toString(), 'mon@x:p:w');
		// Not valid percent-encoding: sent as typed rather than failing the source.
		const odd = new URL(server.url);
		odd.username = 'a%ZZb';
		const oddClient = new HttpClient(odd);
		await oddClient.get('/varz', 1 << 20).response;
		oddClient.destroy();
		const second = /\r\nAuthorization: Basic (\S+)/.exec(server.requests[1]!)?.[1];
		assert.equal(Buffer.from(second ?? '', 'base64').toString(), 'a%ZZb:');
	} finally {
		client.destroy();
		await server.close();
	}
});
