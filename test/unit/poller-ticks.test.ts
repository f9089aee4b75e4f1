// One refresh, one message: the poller asks the needs due together in one tick and tells its
// subscribers once the tick's answers are in (or after the hold, when one of them hangs). Every
// message is a React update and an Ink frame, so answers told one by one drew three frames.
import {mock, test} from 'node:test';
import assert from 'node:assert/strict';
import {dueTogether, holdMs, Poller, type NeedStatus} from '../../source/poll/poller.js';
import {SourceError, type Gathered, type Source, type SourceRequest, type Varz} from '../../source/sources/types.js';

type Plan = {delayMs: number; hang?: boolean; fail?: SourceError};

/** A scripted Source: each kind answers after its own delay, hangs or fails (until told otherwise). */
function timed(plans: Record<string, Plan>) {
	const calls: Array<{kind: string; at: number}> = [];
	const source: Source = {
		transport: 'http',
		description: 'timed',
		async request(request: SourceRequest, signal?: AbortSignal) {
			calls.push({kind: request.kind, at: Date.now()});
			const plan = plans[request.kind]!;
			if (plan.hang) {
				await new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(new SourceError('aborted', 'aborted'))));
			}
			await new Promise(resolve => setTimeout(resolve, plan.delayMs));
			if (plan.fail) throw plan.fail;
			const data = {server_id: 'S1', now_ms: Date.now()} as unknown as Varz;
			return {replies: [{kind: request.kind, server: {id: 'S1', name: 's1', address: 'x'}, data, receivedAt: Date.now(), rttMs: 1}], failures: []} as Gathered<never>;
		},
		async close() {},
	};
	return {source, calls};
}

const NEEDS = [
	{id: 'varz', request: {kind: 'varz'} as const},
	{id: 'healthz', request: {kind: 'healthz'} as const},
	{id: 'connz', request: {kind: 'connz', query: {}} as const},
];

async function until(condition: () => boolean, ms = 5000): Promise<void> {
	const end = Date.now() + ms;
	while (!condition()) {
		if (Date.now() > end) throw new Error('condition not met in time');
		await new Promise(resolve => setTimeout(resolve, 5));
	}
}

/**
 * The tests that measure the poller's waits run on node:test's mocked setTimeout and Date: the
 * clock moves 1 ms at a time, and promises settle between steps, so every figure is exact and
 * nothing depends on how fast or busy the machine is.
 */
function fakeClock(): {runUntil: (condition: () => boolean, maxMs?: number) => Promise<void>; [Symbol.dispose]: () => void} {
	mock.timers.enable({apis: ['setTimeout', 'Date'], now: 1_000_000});
	return {
		async runUntil(condition, maxMs = 10_000) {
			for (let ms = 0; !condition(); ms++) {
				if (ms >= maxMs) throw new Error(`condition not met in ${maxMs} ms of the mocked clock`);
				mock.timers.tick(1);
				await new Promise(resolve => setImmediate(resolve));
			}
		},
		[Symbol.dispose]: () => mock.timers.reset(),
	};
}

/** What each message to subscribers showed: completions per need. */
function watch(poller: Poller) {
	const told: Array<Record<string, number>> = [];
	poller.subscribe(() => {
		const snapshot = poller.getSnapshot();
		told.push(Object.fromEntries([...snapshot.needs].map(([id, s]) => [id, s.completions])));
	});
	return told;
}

test('answers of one tick are told once, after the slowest, and the ticks stay together', async () => {
	using clock = fakeClock();
	const {source, calls} = timed({varz: {delayMs: 1}, healthz: {delayMs: 5}, connz: {delayMs: 40}});
	// The hold (200 ms) is far longer than the slowest answer, even on a loaded machine.
	const poller = new Poller(source, {intervalMs: 400});
	const told = watch(poller);
	poller.setNeeds(NEEDS);
	told.length = 0; // setNeeds' own message
	poller.start();
	await clock.runUntil(() => (poller.getSnapshot().needs.get('connz')?.completions ?? 0) >= 4);
	await poller.stop();
	const withAnswers = told.filter(t => Object.values(t).some(n => n > 0));
	// Every message has all three needs at the same count: never varz ahead of connz.
	for (const t of withAnswers) assert.ok(t['varz'] === t['connz'] && t['healthz'] === t['connz'], `one tick per message: ${JSON.stringify(t)}`);
	assert.equal(told.length, withAnswers.length, 'going in flight told nothing (no need was failing)');
	assert.deepEqual(
		withAnswers.map(t => t['connz']),
		[1, 2, 3, 4],
		'one message per refresh',
	);
	// The three kinds are asked in the same tick each time, although varz answers 40 ms sooner:
	// one after another, each when the one before has answered.
	for (let tick = 0; tick < 4; tick++) {
		const asked = calls.filter((_c, i) => Math.floor(i / 3) === tick);
		assert.deepEqual(asked.map(c => c.kind), ['varz', 'healthz', 'connz'], `tick ${tick} in turn`);
		// varz answers in 1 ms, healthz in 5: connz goes out 6 ms after varz, well within the hold.
		assert.equal(asked[2]!.at - asked[0]!.at, 6, `tick ${tick} asked in turn (${asked.map(c => c.at).join(', ')})`);
	}
	// And an interval after the slowest answer (connz, 40 ms), never sooner.
	const connzCalls = calls.filter(c => c.kind === 'connz').map(c => c.at);
	for (let i = 1; i < connzCalls.length; i++) assert.ok(connzCalls[i]! - connzCalls[i - 1]! >= 400 + 40, `interval after the last answer (${connzCalls.join(', ')})`);
});

test('a hung request holds the others back for half an interval, not until it answers', async () => {
	using clock = fakeClock();
	const {source, calls} = timed({varz: {delayMs: 1}, healthz: {delayMs: 1}, connz: {delayMs: 1, hang: true}});
	const poller = new Poller(source, {intervalMs: 2000});
	const told = watch(poller);
	poller.setNeeds(NEEDS);
	told.length = 0;
	poller.start();
	// The snapshot has the answers at once (each with its own okAt) …
	await clock.runUntil(() => poller.getSnapshot().needs.get('varz')?.completions === 1);
	assert.equal(told.length, 0, '… but subscribers hear of them only after the hold');
	await clock.runUntil(() => told.length > 0);
	const waited = Date.now() - calls[0]!.at;
	// The hold (half of 2 s) from the first answer, 1 ms after the tick went out.
	assert.ok(waited >= holdMs(2000) && waited <= holdMs(2000) + 3, `told after the hold (${waited} ms)`);
	assert.deepEqual(told[0], {varz: 1, healthz: 1, connz: 0});
	assert.equal(poller.getSnapshot().needs.get('connz')?.inFlight, true);
	await poller.stop();
});

test('a failing need going in flight is told: its line reads "retrying now"', async () => {
	const refused = new SourceError('refused', 'connection refused');
	const {source} = timed({varz: {delayMs: 1, fail: refused}});
	const poller = new Poller(source, {intervalMs: 20, maxBackoffMs: 40});
	const told: boolean[] = [];
	poller.subscribe(() => told.push(poller.getSnapshot().needs.get('varz')?.inFlight ?? false));
	poller.setNeeds([NEEDS[0]!]);
	poller.start();
	await until(() => (poller.getSnapshot().needs.get('varz')?.consecutiveErrors ?? 0) >= 3);
	await poller.stop();
	// The first attempt had no error yet: not told; every retry after a failure is.
	assert.ok(told.filter(Boolean).length >= 2, `retries told: ${JSON.stringify(told)}`);
});

test('a hung request makes the next of its tick wait 1 s for its turn, no longer', async () => {
	using clock = fakeClock();
	const {source, calls} = timed({varz: {delayMs: 1, hang: true}, healthz: {delayMs: 1}, connz: {delayMs: 1}});
	const poller = new Poller(source, {intervalMs: 4000});
	poller.setNeeds(NEEDS);
	poller.start();
	await clock.runUntil(() => poller.getSnapshot().needs.get('connz')?.completions === 1);
	await poller.stop();
	const at = (kind: string) => calls.find(c => c.kind === kind)!.at;
	assert.equal(at('healthz') - at('varz'), 1000, 'healthz waited 1 s for the hung varz');
	assert.equal(at('connz') - at('healthz'), 1, 'connz went out when healthz answered (1 ms later)');
});

test('dueTogether: the due needs, and the healthy ones due within half an interval', () => {
	const status = (id: string, nextAt: number | undefined, extra: Partial<NeedStatus> = {}): NeedStatus => ({
		id,
		request: {kind: 'varz'},
		partialFailures: [],
		consecutiveErrors: 0,
		inFlight: false,
		completions: 1,
		nextAt,
		...extra,
	});
	const now = 10_000;
	assert.deepEqual([...dueTogether([status('a', 10_100), status('b', 10_400)], now, 1000)], [], 'nothing due: nothing pulled in');
	assert.deepEqual([...dueTogether([status('a', 9_990), status('b', 10_400), status('c', 10_600)], now, 1000)].sort(), ['a', 'b'], 'b is within 500 ms, c is not');
	assert.deepEqual([...dueTogether([status('a', 9_990), status('b', 10_100, {consecutiveErrors: 2})], now, 1000)], ['a'], 'a failing need keeps its backoff');
	assert.deepEqual([...dueTogether([status('a', 9_990), status('b', undefined, {inFlight: true})], now, 1000)], ['a'], 'in flight is never asked twice');
	assert.deepEqual([...dueTogether([status('a', 9_990, {consecutiveErrors: 1}), status('b', 10_200)], now, 1000)].sort(), ['a', 'b'], 'a due retry takes the healthy ones along');
});

test('holdMs: half an interval, 1 s at most', () => {
	assert.equal(holdMs(500), 250);
	assert.equal(holdMs(1000), 500);
	assert.equal(holdMs(10_000), 1000);
});
