// The measurement loop both in-process children share (measure/app.ts, measure/source-floor.ts):
// count the completed answers of one poller need, ask again every warmupIntervalMs during the
// warm-up, and mark the process at each window boundary (after the warm-up, then every
// `refreshes` answers). A child that takes three times its plan (plus a minute) says so and exits.
import type {Poller} from '../../source/poll/poller.js';
import {emit} from './child.js';

export type WindowPlan = {intervalMs: number; warmupIntervalMs?: number; warmup: number; refreshes: number; windows: number};

/** Rows in the first /connz answer of `need`, for the log (0 for other needs). */
function rowsOf(poller: Poller, need: string): number {
	const replies = poller.getSnapshot().needs.get(need)?.current?.replies ?? [];
	return replies.reduce((n, r) => n + ((r.data as {connections?: unknown[]}).connections?.length ?? 0), 0);
}

/**
 * Resolves after the last boundary; `mark(index)` runs at each (index 0 … windows), in the same
 * turn as the answer that reached it. Call it right after the poller starts.
 */
export async function runWindows(poller: Poller, need: string, plan: WindowPlan, mark: (index: number) => void, lastWords: () => string = () => ''): Promise<{rows: number}> {
	const boundaries = Array.from({length: plan.windows + 1}, (_, i) => plan.warmup + i * plan.refreshes);
	let counted = 0;
	let rows = 0;
	let finish: () => void = () => {};
	const finished = new Promise<void>(resolve => (finish = resolve));
	// The warm-up asks again every warmupIntervalMs (as `r` would): the app's state and the poller
	// keep the measured interval, so nothing on screen differs, but V8 gets its calls sooner.
	const warming = plan.warmupIntervalMs ? setInterval(() => poller.refreshNow(), plan.warmupIntervalMs) : undefined;
	const unsubscribe = poller.subscribe(() => {
		const completions = poller.getSnapshot().needs.get(need)?.completions ?? 0;
		if (completions === counted) return;
		counted = completions;
		if (counted === 1) rows = rowsOf(poller, need);
		if (counted >= plan.warmup) clearInterval(warming);
		const index = boundaries.indexOf(counted);
		if (index < 0) return;
		mark(index);
		if (index === boundaries.length - 1) finish();
	});
	// Also what keeps the process alive: the poller's timers do not (the TUI's terminal does).
	const deadline = setTimeout(() => {
		emit({error: `timed out after ${counted} refreshes${lastWords()}`});
		process.exit(1);
	}, (plan.warmup * (plan.warmupIntervalMs ?? plan.intervalMs) + plan.refreshes * plan.windows * plan.intervalMs) * 3 + 60_000);
	await finished;
	clearTimeout(deadline);
	unsubscribe();
	return {rows};
}
