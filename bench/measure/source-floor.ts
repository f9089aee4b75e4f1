// Child process: b without the UI. The app's poller and HTTP source asking what the connections
// view asks (/varz and the same /connz every refresh, /healthz every 5 s), each answer decoded as
// the app decodes it, and nothing drawn. CPU ms per refresh (a completed /connz), windows and
// warm-up as app.ts; what b costs above this is React, Ink and the view.
import type {ConnzQuery} from '../../source/sources/types.js';
import {built, emit, readArgs} from '../lib/child.js';

type Args = {url: string; query: ConnzQuery; intervalMs: number; warmupIntervalMs?: number; warmup: number; refreshes: number; windows: number};
const args = readArgs<Args>();
const {Poller} = await built<typeof import('../../source/poll/poller.js')>('source/poll/poller.js');
const {HttpSource} = await built<typeof import('../../source/sources/http.js')>('source/sources/http.js');

const source = new HttpSource({url: args.url, timeoutMs: 10_000});
const poller = new Poller(source, {intervalMs: args.intervalMs});
poller.setNeeds([
	{id: 'varz', request: {kind: 'varz'}},
	{id: 'connz', request: {kind: 'connz', query: args.query}},
	{id: 'healthz', request: {kind: 'healthz'}, everyMs: 5000},
]);
const boundaries = new Set(Array.from({length: args.windows + 1}, (_, i) => args.warmup + i * args.refreshes));
const marks: NodeJS.CpuUsage[] = [];
let counted = 0;
let rows = 0;
let warming: NodeJS.Timeout | undefined;
let finish: () => void = () => {};
const finished = new Promise<void>(resolve => (finish = resolve));
poller.subscribe(() => {
	const status = poller.getSnapshot().needs.get('connz');
	const completions = status?.completions ?? 0;
	if (completions === counted) return;
	counted = completions;
	if (counted === 1) rows = status!.current!.replies.reduce((n, r) => n + (r.data as {connections: unknown[]}).connections.length, 0);
	if (counted >= args.warmup) clearInterval(warming);
	if (boundaries.has(counted)) {
		marks.push(process.cpuUsage());
		if (marks.length === boundaries.size) finish();
	}
});
poller.start();
if (args.warmupIntervalMs) warming = setInterval(() => poller.refreshNow(), args.warmupIntervalMs);
// The poller's timers do not keep a process alive (the TUI's terminal does); this does, and
// gives up as app.ts does.
const deadline = setTimeout(() => {
	emit({error: `timed out after ${counted} refreshes`});
	process.exit(1);
}, (args.warmup * (args.warmupIntervalMs ?? args.intervalMs) + args.refreshes * args.windows * args.intervalMs) * 3 + 60_000);
await finished;
clearTimeout(deadline);
const windows = marks.slice(1).map((mark, i) => ({cpuMs: (mark.user - marks[i]!.user + mark.system - marks[i]!.system) / 1000 / args.refreshes}));
emit({windows, rowsFetched: rows});
await poller.stop();
await source.close();
process.exit(0);
