// Replay without servers: the clock (speed, pause, steps, loop), reading files (bad lines,
// cut-off gzip, hostile strings), deriving answers, and what a request gets when.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {gzipSync, deflateRawSync} from 'node:zlib';
import {
	clockEnded,
	clockTime,
	fasterSpeed,
	formatOffset,
	initialClock,
	realDelayUntil,
	replayStatus,
	seekTo,
	slowerSpeed,
	stepTarget,
	withPaused,
	withSpeed,
} from '../../source/replay/controller.js';
import {parseRecording, RecordingError, requestKey} from '../../source/replay/format.js';
import {canDerive, deriveConnz} from '../../source/replay/derive.js';
import {ReplaySource, replayFromBytes} from '../../source/sources/replay.js';
import {SourceError, type Connz, type Gathered, type SourceRequest, type Varz} from '../../source/sources/types.js';
import {makeConn, makeConnz, makeVarz} from '../helpers/fixtures.js';

const T0 = Date.parse('2026-11-22T12:00:00Z');
const SERVER = {id: makeVarz().server_id, name: 'nats-a', address: 'http://127.0.0.1:8222'};
const HEADER = {t: 'header', format: 'natscope-recording', version: 1, natscope: '0.1.0', transport: 'http', description: 'http://127.0.0.1:8222', started: T0, startedIso: new Date(T0).toISOString()};

function answer(at: number, request: SourceRequest, data: unknown): Record<string, unknown> {
	return {t: 'answer', at, rtt: 2, kind: request.kind, request, replies: [{server: SERVER, at, rtt: 2, data}], failures: []};
}

function varzAt(i: number): Varz {
	return makeVarz({now_ms: T0 + i * 1000, now: new Date(T0 + i * 1000).toISOString(), in_msgs: 1000 * i});
}

function fileOf(lines: unknown[]): Buffer {
	return Buffer.from(lines.map(l => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
}

/** Five refresh rounds a second apart: varz then connz (sorted by pending, all rows). */
function fiveRounds(): unknown[] {
	const lines: unknown[] = [HEADER];
	for (let i = 0; i < 5; i++) {
		lines.push(answer(T0 + i * 1000 + 10, {kind: 'varz'}, varzAt(i)));
		const conns = [makeConn({cid: 1, pending_bytes: 10 * i, name: 'a'}), makeConn({cid: 2, pending_bytes: 100, name: 'b'}), makeConn({cid: 3, pending_bytes: 0, name: 'c'})];
		lines.push(answer(T0 + i * 1000 + 20, {kind: 'connz', query: {sort: 'pending', offset: 0, limit: 50, state: 'open'}}, makeConnz(conns, {now_ms: T0 + i * 1000, offset: 0, limit: 50})));
	}
	return lines;
}

function clock(start = 0): {now: () => number; advance: (ms: number) => void} {
	let t = start;
	return {now: () => t, advance: ms => void (t += ms)};
}

async function settled<T>(promise: Promise<T>, ms = 30): Promise<{value?: T; error?: unknown; pending: boolean}> {
	let result: {value?: T; error?: unknown; pending: boolean} = {pending: true};
	promise.then(
		value => void (result = {value, pending: false}),
		(error: unknown) => void (result = {error, pending: false}),
	);
	await new Promise(resolve => setTimeout(resolve, ms));
	return result;
}

// --- the clock -----------------------------------------------------------------------------

test('the clock runs at the chosen speed, stands still when paused and stops at the end', () => {
	let state = initialClock(1000, 11_000, 0);
	assert.equal(clockTime(state, 2000), 3000);
	state = withSpeed(state, 4, 2000);
	assert.equal(clockTime(state, 3000), 7000);
	state = withPaused(state, true, 3000);
	assert.equal(clockTime(state, 60_000), 7000);
	state = withPaused(state, false, 60_000);
	assert.equal(clockTime(state, 61_000), 11_000, 'stops at the end');
	assert.equal(clockEnded(state, 61_000), true);
	const loop = initialClock(1000, 11_000, 0, {loop: true});
	assert.equal(clockTime(loop, 10_000), 11_000);
	assert.equal(clockTime(loop, 10_001), 1000, 'a loop starts over');
	assert.equal(clockEnded(loop, 50_000), false);
	assert.equal(clockTime(seekTo(state, 99_999, 0), 0), 11_000, 'seeks are clamped');
});

test('speeds step through 0.25 … 64 and stay inside', () => {
	assert.equal(fasterSpeed(1), 2);
	assert.equal(fasterSpeed(64), 64);
	assert.equal(slowerSpeed(1), 0.5);
	assert.equal(slowerSpeed(0.25), 0.25);
	assert.equal(withSpeed(initialClock(0, 10, 0), 1000, 0).speed, 64);
});

test('real delay until a recording time follows speed, pause and loops', () => {
	const state = withSpeed(initialClock(0, 10_000, 0), 2, 0);
	assert.equal(realDelayUntil(state, 4000, 0), 2000);
	assert.equal(realDelayUntil(withPaused(state, true, 0), 4000, 0), undefined);
	assert.equal(realDelayUntil(state, 0, 1000), undefined, 'never again without a loop');
	const loop = initialClock(0, 10_000, 0, {loop: true});
	assert.equal(realDelayUntil(loop, 0, 9000), 1001);
});

test('steps go round by round and stop at either end', () => {
	const ticks = [100, 1100, 2100, 3100];
	assert.equal(stepTarget(ticks, 150, 1, 4000), 2099, 'next round shown complete: just before the one after it');
	assert.equal(stepTarget(ticks, 2099, 1, 4000), 3099);
	assert.equal(stepTarget(ticks, 3099, 1, 4000), 4000, 'the last round: to the end');
	assert.equal(stepTarget(ticks, 4000, 1, 4000), 4000, 'nowhere further');
	assert.equal(stepTarget(ticks, 2099, -1, 4000), 1099);
	assert.equal(stepTarget(ticks, 1099, -1, 4000), 1099, 'not before the first round');
});

test('the status line names mode, speed, the recording clock and the position', () => {
	const state = withSpeed(initialClock(T0, T0 + 300_000, 0), 2, 0);
	assert.equal(replayStatus(state, 22_500), 'replay ▶ ×2 · 2026-11-22 12:00:45 UTC · 0:45 / 5:00');
	assert.equal(replayStatus(withPaused(state, true, 0), 0), 'replay ⏸ paused · 2026-11-22 12:00:00 UTC · 0:00 / 5:00');
	assert.equal(replayStatus(state, 10_000_000), 'replay ■ end · 2026-11-22 12:05:00 UTC · 5:00 / 5:00');
	assert.equal(replayStatus(withSpeed(initialClock(T0, T0, 0, {loop: true}), 0.5, 0), 0), 'replay ▶ ×.5 · 2026-11-22 12:00:00 UTC · 0:00 / 0:00 ⟲');
	assert.equal(formatOffset(3_723_000), '1:02:03');
});

// --- reading files -------------------------------------------------------------------------

test('a corrupt line stops reading there: a clear error naming it, and everything before it', () => {
	const lines = fiveRounds();
	lines.splice(4, 0, '{"t":"answer","at":');
	const parsed = parseRecording(fileOf(lines));
	assert.equal(parsed.lines.length, 3);
	assert.equal(parsed.problem?.line, 5);
	assert.equal(parsed.problem?.message, 'line 5: not valid JSON (the file may be cut off or damaged here); replaying the 3 entries before it');
	const wrong = fiveRounds();
	wrong[3] = {t: 'answer', at: T0, kind: 'connz', request: {kind: 'connz', query: {}}, replies: [{server: SERVER, data: {connections: 'no'}}], failures: []};
	assert.match(parseRecording(fileOf(wrong)).problem?.message ?? '', /^line 4: a connz reply that does not look like one; replaying the 2 entries before it$/);
});

test('a recording cut off mid-line, or a gzip stream without its end, replays what came before', () => {
	const whole = fileOf(fiveRounds());
	const cut = whole.subarray(0, whole.length - 40);
	const parsed = parseRecording(cut);
	assert.equal(parsed.lines.length, 9);
	assert.equal(parsed.problem?.message, 'line 11: cut off (the recording ended mid-line); replaying the 9 entries before it');
	const gz = gzipSync(whole);
	const gzCut = parseRecording(gz.subarray(0, gz.length - 8));
	assert.equal(gzCut.lines.length, 10, 'the trailer is missing but every line is there');
	assert.match(gzCut.problem?.message ?? '', /gzip stream ends early/);
	assert.equal(parseRecording(gz).problem, undefined);
	assert.ok(deflateRawSync(whole).length > 0);
});

test('a file that is not a recording, or from a newer format, is refused at line 1', () => {
	assert.throws(() => parseRecording(Buffer.from('hello\n')), (e: unknown) => e instanceof RecordingError && e.message === 'line 1: not a natscope recording (the first line is not JSON)');
	assert.throws(() => parseRecording(Buffer.from('{"t":"answer"}\n')), /no natscope-recording header/);
	assert.throws(() => parseRecording(Buffer.from(JSON.stringify({...HEADER, version: 2}))), /format 2 by a newer natscope; this one reads format 1/);
	assert.throws(() => parseRecording(Buffer.from('')), /empty/);
	assert.throws(() => replayFromBytes(Buffer.from('junk'), 'x.ndjson'), (e: unknown) => e instanceof SourceError && e.message.startsWith('x.ndjson: line 1: not a natscope recording'));
});

test('strings from a recording are sanitized again: a recording is a file someone handed over', () => {
	const lines = [HEADER, answer(T0, {kind: 'varz'}, makeVarz({server_name: 'evil\u001b[2J\u0007name'}))];
	const parsed = parseRecording(fileOf(lines));
	const data = (parsed.lines[0] as {replies: Array<{data: Varz}>}).replies[0]!.data;
	assert.equal(data.server_name, 'evil␛[2J␇name');
});

test('request keys ignore key order and undefined options', () => {
	assert.equal(requestKey({kind: 'connz', query: {sort: 'cid', limit: 5}}), requestKey({kind: 'connz', query: {limit: 5, sort: 'cid', acc: undefined}}));
});

// --- deriving answers ---------------------------------------------------------------------

test('a /connz answer with every connection answers another sort, page or filter like the server', () => {
	const conns = [
		makeConn({cid: 1, pending_bytes: 5, account: 'A', subscriptions_list: ['orders.>']}),
		makeConn({cid: 2, pending_bytes: 50, account: 'B', subscriptions_list: ['telemetry.raw']}),
		makeConn({cid: 3, pending_bytes: 20, account: 'A', subscriptions_list: ['orders.new']}),
	];
	const full = makeConnz(conns);
	const recorded = {sort: 'cid', offset: 0, limit: 1024, subs: true, auth: true} as const;
	const asked = {sort: 'pending', offset: 1, limit: 1, auth: true} as const;
	assert.equal(canDerive({kind: 'connz', query: recorded}, {kind: 'connz', query: asked}, [full]), true);
	const derived = deriveConnz(recorded, asked, full);
	assert.deepEqual(derived.connections.map(c => c.cid), [3], 'second by pending (descending)');
	assert.equal(derived.total, 3);
	assert.deepEqual(derived.connections[0]!.subscriptions_list, [], 'subscriptions only when asked');
	const bySubject = deriveConnz(recorded, {filter_subject: 'orders.*', subs: true}, full);
	assert.deepEqual(bySubject.connections.map(c => c.cid), [1, 3]);
	assert.deepEqual(deriveConnz(recorded, {acc: 'B', auth: true}, full).connections.map(c => c.cid), [2]);
	assert.equal(canDerive({kind: 'connz', query: recorded}, {kind: 'connz', query: {state: 'closed'}}, [full]), false, 'closed ones are another question');
	assert.equal(canDerive({kind: 'connz', query: {}}, {kind: 'connz', query: {subs: 'detail'}}, [full]), false, 'no detail recorded');
	const all = makeConnz([...conns, makeConn({cid: 9, stop: '2026-11-22T11:59:00Z', reason: 'Client Closed'})]);
	assert.equal(canDerive({kind: 'connz', query: {state: 'all'}}, {kind: 'connz', query: {state: 'closed'}}, [all]), true, 'a full state=all answer holds the closed ones');
	assert.deepEqual(deriveConnz({state: 'all'}, {state: 'closed'}, all).connections.map(c => c.cid), [9]);
	assert.deepEqual(deriveConnz({state: 'all'}, {state: 'open', sort: 'cid'}, all).connections.map(c => c.cid), [1, 2, 3]);
	const page = makeConnz(conns.slice(0, 2), {total: 10, offset: 0, limit: 2});
	assert.equal(canDerive({kind: 'connz', query: {sort: 'cid', limit: 2}}, {kind: 'connz', query: {sort: 'pending', limit: 2}}, [page]), false, 'a partial answer in one order says nothing of another');
	assert.equal(canDerive({kind: 'connz', query: {sort: 'cid', limit: 2}}, {kind: 'connz', query: {sort: 'cid', limit: 1}}, [page]), true, 'a page inside the recorded page');
	assert.equal(canDerive({kind: 'jsz', query: {streams: true, consumers: true, config: true}}, {kind: 'jsz', query: {streams: true}}, [{}]), true, 'more detail answers a question for less');
	assert.equal(canDerive({kind: 'jsz', query: {}}, {kind: 'jsz', query: {leader_only: true}}, [{}]), false);
});

// --- the source -----------------------------------------------------------------------------

test('requests get the answer at the replay clock, and wait for a newer one rather than repeat', async () => {
	const time = clock();
	const replay = replayFromBytes(fileOf(fiveRounds()), 'rec', {now: time.now, paused: true});
	try {
		const first = (await replay.request({kind: 'varz'})) as Gathered<'varz'>;
		assert.equal(first.replies[0]!.data.now_ms, T0, 'the first sample at once, even before its time');
		const second = replay.request({kind: 'varz'});
		assert.equal((await settled(second)).pending, true, 'paused: the same sample is not served twice');
		replay.step(1);
		assert.equal((await settled(second)).pending, true, 'round 0 complete is what it already has');
		replay.step(1);
		assert.equal(((await second) as Gathered<'varz'>).replies[0]!.data.now_ms, T0 + 1000, 'a step serves the waiting request');
		replay.step(1);
		assert.equal(replay.clock(), T0 + 3000 + 10 - 1, 'round 2 complete: just before round 3 begins');
		const third = (await replay.request({kind: 'varz'})) as Gathered<'varz'>;
		assert.equal(third.replies[0]!.data.now_ms, T0 + 2000);
		assert.equal(replay.status(), 'replay ⏸ paused · 2026-11-22 12:00:03 UTC · 0:03 / 0:04');
	} finally {
		await replay.close();
	}
});

test('a step back serves the sample before the target first, so rates come back', async () => {
	const replay = replayFromBytes(fileOf(fiveRounds()), 'rec', {now: clock().now, paused: true});
	try {
		replay.seek(T0 + 4020);
		assert.equal(((await replay.request({kind: 'varz'})) as Gathered<'varz'>).replies[0]!.data.now_ms, T0 + 4000);
		replay.step(-1);
		replay.step(-1);
		assert.equal(((await replay.request({kind: 'varz'})) as Gathered<'varz'>).replies[0]!.data.now_ms, T0 + 1000, 'the one before round 3');
		assert.equal(((await replay.request({kind: 'varz'})) as Gathered<'varz'>).replies[0]!.data.now_ms, T0 + 2000, 'then round 3');
	} finally {
		await replay.close();
	}
});

test('playing: a waiting request is answered when the replay clock reaches the next sample, at ×16', {timeout: 10_000}, async () => {
	// The replay's clock is the test's: nothing here depends on how fast the machine is.
	const time = clock(1_000_000);
	const replay = replayFromBytes(fileOf(fiveRounds()), 'rec', {speed: 16, now: time.now});
	try {
		const first = (await replay.request({kind: 'varz'})) as Gathered<'varz'>;
		const waiting = replay.request({kind: 'varz'}) as Promise<Gathered<'varz'>>;
		// 40 ms at ×16 is 640 ms of recording: the next sample (1 s later) is not due yet.
		time.advance(40);
		assert.equal((await settled(waiting, 100)).pending, true, 'not before the next sample');
		// 30 ms more is 1,120 ms of recording: past it (at ×1 it would take a whole second).
		time.advance(30);
		const next = await waiting;
		assert.equal(next.replies[0]!.data.now_ms, first.replies[0]!.data.now_ms! + 1000, 'the next sample');
		assert.equal(replay.speed(), 16);
		replay.slower();
		assert.equal(replay.speed(), 8);
	} finally {
		await replay.close();
	}
});

test('a question the recording can answer only by deriving, and one it cannot answer at all', async () => {
	const replay = replayFromBytes(fileOf(fiveRounds()), 'rec', {now: clock().now, paused: true});
	try {
		const byCid = (await replay.request({kind: 'connz', query: {sort: 'cid', offset: 0, limit: 2, state: 'open'}})) as Gathered<'connz'>;
		assert.deepEqual(byCid.replies[0]!.data.connections.map(c => c.cid), [1, 2]);
		assert.equal(byCid.replies[0]!.data.total, 3);
		await assert.rejects(replay.request({kind: 'jsz', query: {}}), (e: unknown) => e instanceof SourceError && e.message === 'the recording holds no jsz answers');
		await assert.rejects(
			replay.request({kind: 'connz', query: {state: 'closed'}}),
			(e: unknown) => e instanceof SourceError && e.message === 'the recording has no answer to this connz question (state closed)',
		);
	} finally {
		await replay.close();
	}
});

test('recorded failures replay as failures; cancelled and closed requests end', async () => {
	const lines = [
		HEADER,
		{t: 'error', at: T0 + 5, rtt: 1, kind: 'varz', request: {kind: 'varz'}, code: 'refused', message: 'connection refused', hint: 'is it running?'},
		answer(T0 + 1000, {kind: 'varz'}, varzAt(1)),
	];
	const replay = replayFromBytes(fileOf(lines), 'rec', {now: clock().now, paused: true});
	await assert.rejects(replay.request({kind: 'varz'}), (e: unknown) => e instanceof SourceError && e.code === 'refused' && e.hint === 'is it running?');
	const controller = new AbortController();
	const waiting = replay.request({kind: 'varz'}, controller.signal);
	replay.step(1);
	assert.equal(((await waiting) as Gathered<'varz'>).replies[0]!.data.now_ms, T0 + 1000);
	const cancelled = replay.request({kind: 'varz'}, controller.signal);
	controller.abort();
	await assert.rejects(cancelled, (e: unknown) => e instanceof SourceError && e.code === 'aborted');
	const pending = replay.request({kind: 'varz'});
	await replay.close();
	await assert.rejects(pending, (e: unknown) => e instanceof SourceError && e.code === 'aborted');
});

test('events and link changes replay at their time to matching subscriptions', async () => {
	const ev = (at: number, subject: string) => ({t: 'event', at, event: {subject, kind: 'connect', type: '', timestamp: '', receivedAt: 0, server: 'a', reason: '', account: '', stream: '', consumer: '', action: '', leader: '', replicas: [], stream_seq: 0, deliveries: 0, api_subject: '', api_error: '', detail: ''}});
	const lines = [HEADER, {t: 'link', at: T0, state: 'connected'}, answer(T0 + 10, {kind: 'varz'}, varzAt(0)), ev(T0 + 500, '$SYS.ACCOUNT.A.CONNECT'), ev(T0 + 600, 'other.subject'), {t: 'link', at: T0 + 700, state: 'reconnecting'}, answer(T0 + 1010, {kind: 'varz'}, varzAt(1))];
	const replay = new ReplaySource(parseRecording(fileOf(lines)), {now: clock().now, paused: true});
	try {
		const seen: string[] = [];
		const links: string[] = [];
		replay.subscribe(['$SYS.ACCOUNT.*.CONNECT'], e => seen.push(e.subject));
		replay.onLinkState!(state => links.push(state));
		assert.equal(replay.linkState!(), 'connected');
		replay.step(1);
		assert.deepEqual(seen, ['$SYS.ACCOUNT.A.CONNECT']);
		assert.deepEqual(links, ['reconnecting']);
	} finally {
		await replay.close();
	}
});

test('a replay keeps the recorded description and says what was wrong with the file, also on its status line', () => {
	const lines = fiveRounds();
	lines.push('garbage');
	const replay = replayFromBytes(fileOf(lines), 'rec', {paused: true});
	assert.equal(replay.description, 'http://127.0.0.1:8222');
	assert.equal(replay.transport, 'replay');
	assert.equal(replay.warning, 'line 12: not valid JSON (the file may be cut off or damaged here); replaying the 10 entries before it');
	assert.match(replay.status(), /^replay ⏸ paused · .* · ⚠ line 12: not valid JSON$/, 'the status line says where the file is bad');
	assert.doesNotMatch(replayFromBytes(fileOf(fiveRounds()), 'rec', {paused: true}).status(), /⚠/);
	void replay.close();
	const connz = (fiveRounds()[2] as {replies: Array<{data: Connz}>}).replies[0]!.data;
	assert.equal(connz.connections.length, 3);
});

test('the demo starts where every recorded question has had its first answer, and loops back there', () => {
	const lines = fiveRounds();
	// A view opened 3.5 s into the recording: its first answer marks the start.
	lines.push(answer(T0 + 3500, {kind: 'routez'}, {server_id: 'x', now: new Date(T0 + 3500).toISOString(), num_routes: 0, routes: []}));
	const time = clock(1_000_000);
	const replay = replayFromBytes(fileOf(lines), 'demo', {loop: true, skipWarmup: true, paused: true, now: time.now});
	const plain = replayFromBytes(fileOf(lines), 'rec', {paused: true, now: time.now});
	try {
		assert.equal(replay.span().start, T0 + 3500);
		assert.equal(replay.clock(), T0 + 3500);
		assert.ok(plain.span().start <= T0 + 10, 'a replay of a user recording starts at its beginning');
	} finally {
		void replay.close();
		void plain.close();
	}
});
