import {test} from 'node:test';
import assert from 'node:assert/strict';
import {Poller} from '../../source/poll/poller.js';
import {History} from '../../source/poll/history.js';
import {SourceError, type Gathered, type Source, type SourceRequest, type Varz} from '../../source/sources/types.js';

// A scripted Source (our own interface, not a stand-in for nats-server): each call takes the next
// scripted outcome, so the poller's schedule, backoff and recovery can be observed exactly.
type Outcome = {ok: number} | {fail: SourceError} | {hang: true};

function scripted(outcomes: Outcome[]) {
	const calls: Array<{request: SourceRequest; at: number}> = [];
	let inFlight = 0;
	let maxInFlight = 0;
	const source: Source = {
		transport: 'http',
		description: 'scripted',
		async request(request, signal) {
			calls.push({request, at: Date.now()});
			inFlight++;
			maxInFlight = Math.max(maxInFlight, inFlight);
			const outcome = outcomes.shift() ?? {ok: 0};
			try {
				if ('hang' in outcome) {
					await new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(new SourceError('aborted', 'aborted'))));
				}
				await new Promise(resolve => setTimeout(resolve, 2));
				if ('fail' in outcome) throw outcome.fail;
				const data = {server_id: 'S1', now_ms: outcome.ok, in_msgs: outcome.ok} as unknown as Varz;
				return {replies: [{kind: 'varz', server: {id: 'S1', name: 's1', address: 'x'}, data, receivedAt: Date.now(), rttMs: 1}], failures: []} as Gathered<never>;
			} finally {
				inFlight--;
			}
		},
		async close() {},
	};
	return {source, calls, maxInFlight: () => maxInFlight};
}

async function until(condition: () => boolean, ms = 3000): Promise<void> {
	const end = Date.now() + ms;
	while (!condition()) {
		if (Date.now() > end) throw new Error('condition not met in time');
		await new Promise(resolve => setTimeout(resolve, 5));
	}
}

test('fetches at once, then on the interval, keeping the previous answer for rates', async () => {
	const {source, calls} = scripted([{ok: 1}, {ok: 2}, {ok: 3}]);
	const poller = new Poller(source, {intervalMs: 30});
	poller.setNeeds([{id: 'varz', request: {kind: 'varz'}}]);
	poller.start();
	await until(() => (poller.getSnapshot().needs.get('varz')?.completions ?? 0) >= 3);
	await poller.stop();
	const status = poller.getSnapshot().needs.get('varz')!;
	assert.equal((status.current?.replies[0]?.data as Varz).now_ms, 3);
	assert.equal((status.previous?.replies[0]?.data as Varz).now_ms, 2);
	const gaps = calls.slice(1).map((c, i) => c.at - calls[i]!.at);
	for (const gap of gaps) assert.ok(gap >= 25, `interval respected (gap ${gap} ms)`);
	assert.equal(poller.history.get('varz', 'S1').length, 3);
});

test('on failure keeps the last good answer, backs off, and recovers', async () => {
	const refused = new SourceError('refused', 'connection refused', 'is it running?');
	const {source, calls} = scripted([{ok: 1}, {fail: refused}, {fail: refused}, {ok: 4}]);
	const poller = new Poller(source, {intervalMs: 20, maxBackoffMs: 1000});
	poller.setNeeds([{id: 'varz', request: {kind: 'varz'}}]);
	poller.start();
	await until(() => poller.getSnapshot().needs.get('varz')?.consecutiveErrors === 2);
	let status = poller.getSnapshot().needs.get('varz')!;
	assert.equal(status.error?.code, 'refused');
	assert.equal((status.current?.replies[0]?.data as Varz).now_ms, 1, 'last good data stays');
	await until(() => poller.getSnapshot().needs.get('varz')?.completions === 2);
	status = poller.getSnapshot().needs.get('varz')!;
	assert.equal(status.error, undefined);
	assert.equal(status.consecutiveErrors, 0);
	await poller.stop();
	// backoff doubles: 20·2 = 40 ms after the first failure, 20·4 = 80 ms after the second
	assert.ok(calls[2]!.at - calls[1]!.at >= 35, 'first retry waited ~40 ms');
	assert.ok(calls[3]!.at - calls[2]!.at >= 70, 'second retry waited ~80 ms');
});

test('backoff stops at its ceiling, and never below the interval', async () => {
	const refused = new SourceError('refused', 'connection refused');
	const clock = {now: 0};
	const failing = (): Source => ({transport: 'http', description: 'down', request: async () => Promise.reject(refused), close: async () => {}});
	const waits = async (intervalMs: number, maxBackoffMs: number | undefined): Promise<number[]> => {
		const poller = new Poller(failing(), {intervalMs, maxBackoffMs, now: () => clock.now});
		const seen: number[] = [];
		poller.setNeeds([{id: 'varz', request: {kind: 'varz'}}]);
		poller.start();
		for (let errors = 1; errors <= 8; errors++) {
			await until(() => poller.getSnapshot().needs.get('varz')?.consecutiveErrors === errors);
			const status = poller.getSnapshot().needs.get('varz')!;
			seen.push(status.nextAt! - clock.now);
			poller.refreshNow();
		}
		await poller.stop();
		return seen;
	};
	assert.deepEqual(await waits(200, undefined), [400, 800, 1600, 3200, 5000, 5000, 5000, 5000], 'doubling up to 5 s by default');
	assert.deepEqual(await waits(10_000, undefined), [10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000], 'a long interval is its own ceiling');
});

test('a changed question aborts the one in flight and never lets the stale answer land', async () => {
	const {source, calls, maxInFlight} = scripted([{hang: true}, {ok: 7}]);
	const poller = new Poller(source, {intervalMs: 1000});
	poller.setNeeds([{id: 'connz', request: {kind: 'connz', query: {offset: 0}}}]);
	poller.start();
	await until(() => calls.length === 1);
	poller.setNeeds([{id: 'connz', request: {kind: 'connz', query: {offset: 20}}}]);
	await until(() => poller.getSnapshot().needs.get('connz')?.completions === 1);
	await poller.stop();
	const status = poller.getSnapshot().needs.get('connz')!;
	assert.deepEqual(status.currentRequest, {kind: 'connz', query: {offset: 20}});
	assert.equal(status.error, undefined, 'the aborted request left no error behind');
	assert.equal(maxInFlight(), 1, 'never two requests of one need in flight at once (the first was aborted first)');
});

test('paused polls nothing; resuming fetches at once', async () => {
	const {source, calls} = scripted([]);
	const poller = new Poller(source, {intervalMs: 10});
	poller.setNeeds([{id: 'varz', request: {kind: 'varz'}}]);
	poller.setPaused(true);
	poller.start();
	await new Promise(resolve => setTimeout(resolve, 60));
	assert.equal(calls.length, 0);
	poller.setPaused(false);
	await until(() => calls.length >= 1);
	await poller.stop();
});

test('history keeps varz only, bounded per server', () => {
	const history = new History(3);
	for (let i = 0; i < 5; i++) {
		history.push({kind: 'varz', server: {id: 'A', name: 'a', address: ''}, data: {now_ms: i} as unknown as Varz, receivedAt: i, rttMs: 0});
	}
	history.push({kind: 'connz', server: {id: 'A', name: 'a', address: ''}, data: {} as never, receivedAt: 5, rttMs: 0});
	assert.deepEqual(history.get('varz', 'A').map(r => (r.data as Varz).now_ms), [2, 3, 4]);
	assert.equal(history.get('connz', 'A').length, 0);
});

test('a need with everyMs is asked that seldom, the others every interval; wanted more often, it is asked at once', async () => {
	const {source, calls} = scripted([]);
	// The poller's clock is the test's: it moves only when the test moves it, so what is due
	// depends on no machine's speed (its timers spin harmlessly while the clock stands still).
	const clock = {now: 0};
	const poller = new Poller(source, {intervalMs: 20, now: () => clock.now});
	const kinds = () => calls.map(c => c.request.kind);
	const count = (kind: string) => kinds().filter(k => k === kind).length;
	/** Move the clock one interval at a time, each time until /varz has been asked again. */
	const advance = async (ms: number) => {
		for (let moved = 0; moved < ms; moved += 20) {
			const asked = count('varz');
			clock.now += 20;
			await until(() => count('varz') > asked && [...poller.getSnapshot().needs.values()].every(n => !n.inFlight));
		}
	};
	poller.setNeeds([
		{id: 'varz', request: {kind: 'varz'}},
		{id: 'healthz', request: {kind: 'healthz'}, everyMs: 1000},
	]);
	poller.start();
	await until(() => count('varz') === 1 && count('healthz') === 1 && [...poller.getSnapshot().needs.values()].every(n => !n.inFlight));
	await advance(960);
	assert.equal(count('healthz'), 1, `asked once while /varz was asked ${count('varz')} times`);
	await advance(40);
	assert.equal(count('healthz'), 2, 'asked again once its 1 s had passed');
	assert.equal(count('varz'), 51, 'and /varz every 20 ms meanwhile');
	// The health view opened: the same question, now wanted every interval: asked at once.
	poller.setNeeds([
		{id: 'varz', request: {kind: 'varz'}},
		{id: 'healthz', request: {kind: 'healthz'}},
	]);
	// Wait for that answer too: a question still in flight when the clock moves is not asked
	// again at that tick, which would make this count depend on the machine's speed.
	await until(() => count('healthz') === 3 && [...poller.getSnapshot().needs.values()].every(n => !n.inFlight));
	await advance(60);
	await poller.stop();
	assert.equal(count('healthz'), 6, 'then with every /varz, not after the old 1 s');
});
