// Child process: b without the UI. The app's poller and HTTP source asking what the connections
// view asks (/varz and the same /connz every refresh, /healthz every 5 s), each answer decoded as
// the app decodes it, and nothing drawn. CPU ms per refresh (a completed /connz), windows and
// warm-up as app.ts; what b costs above this is React, Ink and the view.
import type {ConnzQuery} from '../../source/sources/types.js';
import {built, emit, readArgs} from '../lib/child.js';
import {runWindows, type WindowPlan} from '../lib/windows.js';

type Args = WindowPlan & {url: string; query: ConnzQuery};
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
const marks: NodeJS.CpuUsage[] = [];
poller.start();
const {rows} = await runWindows(poller, 'connz', args, () => marks.push(process.cpuUsage()));
const windows = marks.slice(1).map((mark, i) => ({cpuMs: (mark.user - marks[i]!.user + mark.system - marks[i]!.system) / 1000 / args.refreshes}));
emit({windows, rowsFetched: rows});
await poller.stop();
await source.close();
process.exit(0);
