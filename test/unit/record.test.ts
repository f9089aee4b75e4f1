// The recorder on its own: what goes into the file (and what never does), gzip that survives a
// kill, a bounded queue for a slow disk, a clear error for a path it cannot write.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {spawnSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {gunzipSync} from 'node:zlib';
import {recordingSource, RecordingWriter, stripUserinfo} from '../../source/sources/record.js';
import {parseRecording} from '../../source/replay/format.js';
import {SourceError, type Gathered, type Kind, type LinkState, type Source, type SourceRequest, type SysEvent} from '../../source/sources/types.js';
import {makeConn, makeConnz, makeVarz} from '../helpers/fixtures.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

async function tempDir(): Promise<string> {
	return mkdtemp(join(tmpdir(), 'natscope-record-'));
}

const SERVER = {id: makeVarz().server_id, name: 'nats-a', address: 'http://127.0.0.1:8222'};

/** A Source that answers from fixtures (the recorder is the thing under test here). */
function fixtureSource(options: {fail?: SourceError; description?: string} = {}): Source & {emit(event: SysEvent): void; setLink(state: LinkState): void} {
	let onEvent: ((event: SysEvent) => void) | undefined;
	const linkListeners = new Set<(state: LinkState) => void>();
	let link: LinkState = 'connected';
	return {
		transport: 'nats',
		description: options.description ?? 'nats://127.0.0.1:4222 ($SYS)',
		linkState: () => link,
		onLinkState(listener) {
			linkListeners.add(listener);
			return () => linkListeners.delete(listener);
		},
		async request<K extends Kind>(request: Extract<SourceRequest, {kind: K}>): Promise<Gathered<K>> {
			if (options.fail) throw options.fail;
			const data = request.kind === 'varz' ? makeVarz() : makeConnz([makeConn({cid: 7, jwt: 'eyJhbGciOiJlZDI1NTE5In0.eyJzdWIiOiJVQUJDIn0.c2lnbmF0dXJl', name: 'worker'})]);
			return {
				replies: [{kind: request.kind, server: SERVER, data: data as never, receivedAt: Date.now(), rttMs: 3}],
				failures: [{address: 'nats-b', error: new SourceError('timeout', 'nats-b did not answer within 1 s', 'check it')}],
			};
		},
		subscribe(_subjects, listener) {
			onEvent = listener;
			return () => {
				onEvent = undefined;
			};
		},
		emit(event: SysEvent) {
			onEvent?.(event);
		},
		setLink(state: LinkState) {
			link = state;
			for (const l of linkListeners) l(state);
		},
		async close() {},
	};
}

function event(subject: string): SysEvent {
	return {
		subject,
		kind: 'connect',
		type: 'io.nats.server.advisory.v1.client_connect',
		timestamp: '2026-11-22T12:00:00Z',
		receivedAt: Date.now(),
		server: 'nats-a',
		reason: '',
		account: 'APP',
		stream: '',
		consumer: '',
		action: '',
		leader: '',
		replicas: [],
		stream_seq: 0,
		deliveries: 0,
		api_subject: '',
		api_error: '',
		detail: '',
	};
}

test('records a header, answers with per-server failures, errors, events and link changes', async () => {
	const dir = await tempDir();
	try {
		const file = join(dir, 'rec.ndjson');
		const inner = fixtureSource();
		const source = recordingSource(inner, file, {natscopeVersion: '9.9.9', note: 'unit'});
		await source.request({kind: 'varz'});
		await source.request({kind: 'connz', query: {sort: 'pending', limit: 5}});
		const seen: string[] = [];
		source.subscribe!(['$SYS.ACCOUNT.*.CONNECT'], e => seen.push(e.subject));
		inner.emit(event('$SYS.ACCOUNT.APP.CONNECT'));
		assert.deepEqual(seen, ['$SYS.ACCOUNT.APP.CONNECT'], 'events pass through to the app');
		inner.setLink('reconnecting');
		await source.close();
		const lines = (await readFile(file, 'utf8')).trim().split('\n').map(l => JSON.parse(l) as Record<string, unknown>);
		assert.deepEqual(
			lines.map(l => l['t']),
			['header', 'link', 'answer', 'answer', 'event', 'link'],
		);
		const header = lines[0]!;
		assert.equal(header['format'], 'natscope-recording');
		assert.equal(header['version'], 1);
		assert.equal(header['natscope'], '9.9.9');
		assert.equal(header['transport'], 'nats');
		assert.equal(header['description'], 'nats://127.0.0.1:4222 ($SYS)');
		assert.equal(header['note'], 'unit');
		const connz = lines[3]!;
		assert.equal(connz['kind'], 'connz');
		assert.deepEqual(connz['request'], {kind: 'connz', query: {sort: 'pending', limit: 5}});
		const reply = (connz['replies'] as Array<Record<string, unknown>>)[0]!;
		assert.deepEqual(reply['server'], SERVER);
		assert.equal(reply['now'], '2026-11-22T12:00:00Z', 'the server clock is on the line');
		assert.equal(typeof reply['at'], 'number', 'the local clock is on the line');
		assert.deepEqual(connz['failures'], [{address: 'nats-b', code: 'timeout', message: 'nats-b did not answer within 1 s', hint: 'check it'}]);
		const conn = ((reply['data'] as Record<string, unknown>)['connections'] as Array<Record<string, unknown>>)[0]!;
		assert.equal(conn['jwt'], '[redacted]', 'a user JWT can be a bearer credential: never written');
		assert.equal(conn['name'], 'worker');
		assert.deepEqual(lines[5], {t: 'link', at: lines[5]!['at'], state: 'reconnecting'});
	} finally {
		await rm(dir, {recursive: true, force: true});
	}
});

test('a whole-request failure is recorded; a cancelled request is not', async () => {
	const dir = await tempDir();
	try {
		const file = join(dir, 'rec.ndjson');
		const failing = recordingSource(fixtureSource({fail: new SourceError('refused', 'connection refused', 'is it running?')}), file, {natscopeVersion: '1'});
		await assert.rejects(failing.request({kind: 'varz'}), SourceError);
		await failing.close();
		const aborted = join(dir, 'aborted.ndjson');
		const cancelled = recordingSource(fixtureSource({fail: new SourceError('aborted', 'request cancelled')}), aborted, {natscopeVersion: '1'});
		await assert.rejects(cancelled.request({kind: 'varz'}), SourceError);
		await cancelled.close();
		const lines = (await readFile(file, 'utf8')).trim().split('\n').map(l => JSON.parse(l) as Record<string, unknown>);
		assert.equal(lines[2]!['t'], 'error');
		assert.equal(lines[2]!['code'], 'refused');
		assert.equal(lines[2]!['message'], 'connection refused');
		assert.equal(lines[2]!['hint'], 'is it running?');
		assert.ok(!(await readFile(aborted, 'utf8')).includes('"error"'));
	} finally {
		await rm(dir, {recursive: true, force: true});
	}
});

test('secrets given to the recorder and userinfo in descriptions never reach the file', async () => {
	const dir = await tempDir();
	try {
		const file = join(dir, 'rec.ndjson.gz');
		const password = 's3cret-Pa$$"word';
		const inner = fixtureSource({description: `nats://admin:${password}@127.0.0.1:4222 ($SYS)`});
		const source = recordingSource(inner, file, {natscopeVersion: '1', secrets: [password]});
		source.subscribe!(['$SYS.>'], () => {});
		inner.emit({...event('$SYS.SERVER.x'), detail: `user admin password ${password}`});
		await source.request({kind: 'varz'});
		await source.close();
		const text = gunzipSync(await readFile(file)).toString('utf8');
		assert.ok(!text.includes('s3cret'), 'the password is nowhere in the file');
		assert.ok(text.includes('"description":"nats://127.0.0.1:4222 ($SYS)"'));
		assert.ok(text.includes('[redacted]'));
		assert.equal(stripUserinfo('http://u:p@h:8222, tls://tok@h2:4222'), 'http://h:8222, tls://h2:4222');
	} finally {
		await rm(dir, {recursive: true, force: true});
	}
});

test('a path that cannot be written fails at once with a clear message', () => {
	assert.throws(
		() => recordingSource(fixtureSource(), '/nonexistent-natscope-dir/rec.ndjson', {natscopeVersion: '1'}),
		(error: unknown) => error instanceof SourceError && error.message === 'cannot write the recording /nonexistent-natscope-dir/rec.ndjson: no such directory',
	);
	assert.throws(
		() => recordingSource(fixtureSource(), tmpdir(), {natscopeVersion: '1'}),
		(error: unknown) => error instanceof SourceError && /is a directory/.test(error.message),
	);
});

test('a slow disk never blocks: beyond the bound entries are dropped, counted and marked by a gap line', async () => {
	const dir = await tempDir();
	try {
		const file = join(dir, 'slow.ndjson');
		const writer = new RecordingWriter(file, 10_000);
		writer.write(`${JSON.stringify({t: 'header', format: 'natscope-recording', version: 1, started: 1})}\n`);
		const line = `${JSON.stringify({t: 'link', at: 1, state: 'connected', pad: 'x'.repeat(1000)})}\n`;
		// All in one turn of the event loop: nothing can reach the disk meanwhile.
		const accepted = Array.from({length: 30}, () => writer.write(line)).filter(Boolean).length;
		assert.ok(accepted >= 8 && accepted <= 10, `about 10 KB accepted (${accepted} lines)`);
		assert.equal(writer.stats().dropped, 30 - accepted);
		await new Promise(resolve => setTimeout(resolve, 50));
		assert.equal(writer.write(line), true, 'accepted again once the disk caught up');
		await writer.close();
		const lines = (await readFile(file, 'utf8')).trim().split('\n').map(l => JSON.parse(l) as Record<string, unknown>);
		const gap = lines.find(l => l['t'] === 'gap');
		assert.equal(gap?.['dropped'], 30 - accepted);
		assert.equal(lines.length, 1 + accepted + 1 + 1);
	} finally {
		await rm(dir, {recursive: true, force: true});
	}
});

test('a killed recorder leaves a gzip file that reads up to its last batch', async () => {
	const dir = await tempDir();
	try {
		const file = join(dir, 'killed.ndjson.gz');
		const script = `
			import {recordingSource} from './source/sources/record.ts';
			const source = {transport: 'http', description: 'http://127.0.0.1:8222', async close() {},
				async request(r) { return {replies: [{kind: r.kind, server: {id: 'S', name: 'n', address: 'a'}, data: {server_id: 'S', now_ms: Date.now(), now: 'x'}, receivedAt: Date.now(), rttMs: 1}], failures: []}; }};
			const rec = recordingSource(source, ${JSON.stringify(file)}, {natscopeVersion: '1'});
			for (let i = 0; i < 20; i++) { await rec.request({kind: 'varz'}); await new Promise(r => setTimeout(r, 5)); }
			// The last batch is written asynchronously: give it its turn, then die without closing.
			await new Promise(r => setTimeout(r, 100));
			process.kill(process.pid, 'SIGKILL');
		`;
		const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {cwd: root, encoding: 'utf8', timeout: 60_000});
		assert.equal(child.signal, 'SIGKILL', child.stderr);
		const parsed = parseRecording(await readFile(file));
		assert.equal(parsed.lines.length, 20, 'every answer before the kill is readable');
		assert.match(parsed.problem?.message ?? '', /ends early/, 'and the missing gzip trailer is reported');
	} finally {
		await rm(dir, {recursive: true, force: true});
	}
});
