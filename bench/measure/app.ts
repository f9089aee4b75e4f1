// Child process: the real natscope TUI (Root → App, Poller, HttpSource or SysSource) rendered by
// Ink into a fake 200x50 terminal, against a real server. Prints one JSON line: CPU ms per
// refresh (process.cpuUsage, user + system) for each measurement window. A refresh is one
// completed /connz answer; everything the process does between two of them (varz, healthz,
// decode, model, React, Ink, the clock tick) is charged to it.
import type {Config} from '../../source/config/types.js';
import type {Source} from '../../source/sources/types.js';
import type {ConnzSortKey} from '../../source/sources/types.js';
import {readdirSync, readFileSync} from 'node:fs';
import {FakeStdin, FakeStdout} from '../lib/tty.js';
import {built, emit, readArgs} from '../lib/child.js';
import {runWindows} from '../lib/windows.js';
import {applyCliSetup, cliSetup, type CliSetup} from '../lib/cli-setup.js';

export type AppArgs = {
	url?: string;
	/** Several monitoring URLs (the CLI's MultiHttpSource), e.g. every server of a cluster. */
	urls?: string[];
	nats?: {servers: string[]; user: string; password: string};
	sort: ConnzSortKey;
	rows?: number;
	intervalMs: number;
	/** Refresh interval during the warm-up (default intervalMs): V8 optimizes a function after enough calls, not after enough seconds. */
	warmupIntervalMs?: number;
	warmup: number;
	refreshes: number;
	windows: number;
	width: number;
	height: number;
	/** What to switch on; default: what cli.tsx switches on. */
	setup?: CliSetup;
	/** Write every answer the app got (up to 8 per question) here, for the frame measurement. */
	record?: string;
	/** --view NAME, where the app has views beyond connections. */
	view?: string;
	/** The poller need whose answers count as refreshes (default connz; jsz for the JetStream view). */
	need?: string;
};

const args = readArgs<AppArgs>();
const setup = args.setup ?? cliSetup();
// As cli.tsx: the runtime first, then whatever loads React and Ink.
await built<typeof import('../../source/interactive-env.js')>('source/interactive-env.js');
await applyCliSetup(setup);
const React = (await import('react')).default;
// The Ink the built app uses (bundled by the build: source/ui/ink.ts), not node_modules' own.
const {render} = await built<typeof import('../../source/ui/ink.js')>('source/ui/ink.js');
const {Root, INK_RENDER_OPTIONS} = await built<typeof import('../../source/root.js')>('source/root.js');
const {Poller} = await built<typeof import('../../source/poll/poller.js')>('source/poll/poller.js');
const {HttpSource} = await built<typeof import('../../source/sources/http.js')>('source/sources/http.js');
const {MultiHttpSource} = await built<typeof import('../../source/sources/multi-http.js')>('source/sources/multi-http.js');
const {SysSource} = await built<typeof import('../../source/sources/sys.js')>('source/sources/sys.js');

const config: Config = {
	transport: args.nats ? 'nats' : 'http',
	urls: args.urls ?? (args.url ? [args.url] : []),
	tls: {insecure: false},
	intervalMs: args.intervalMs,
	timeoutMs: 10_000,
	sort: args.sort,
	reverse: false,
	state: 'open',
	rawNumbers: false,
	lookup: false,
	showSubs: false,
	demo: false,
	...(args.view ? {view: args.view as Config['view']} : {}),
	...(args.rows !== undefined ? {rows: args.rows} : {}),
	...(args.nats
		? {
				nats: {
					servers: args.nats.servers,
					auth: {kind: 'user-password', user: args.nats.user, password: args.nats.password},
					tls: {insecure: false, first: false},
					identity: {warnings: []},
				},
			}
		: {}),
};

const source: Source = config.nats
	? new SysSource(config.nats, {timeoutMs: 10_000})
	: config.urls.length > 1
		? new MultiHttpSource(config.urls, {timeoutMs: 10_000, tls: config.tls})
		: new HttpSource({url: config.urls[0]!, timeoutMs: 10_000});
const recorded = new Map<string, unknown[]>();
if (args.record) {
	const ask = source.request.bind(source) as (request: unknown, signal?: AbortSignal) => Promise<unknown>;
	(source as {request: unknown}).request = async (request: unknown, signal?: AbortSignal) => {
		const answer = await ask(request, signal);
		const key = JSON.stringify(request);
		const list = recorded.get(key) ?? [];
		if (list.length < 8) list.push(answer);
		recorded.set(key, list);
		return answer;
	};
}
const poller = new Poller(source, {intervalMs: config.intervalMs});
const stdout = new FakeStdout(args.width, args.height, true);
const stdin = new FakeStdin();

// CPU per thread (Linux): main thread vs V8's and libuv's helpers, over all windows together.
function threadTicks(): Map<string, number> {
	const ticks = new Map<string, number>();
	try {
		for (const tid of readdirSync('/proc/self/task')) {
			const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			const name = tid === String(process.pid) ? 'main' : readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
			ticks.set(`${name}#${tid}`, Number(fields[11]) + Number(fields[12]));
		}
	} catch {}
	return ticks;
}
let threadsAtStart: Map<string, number> | undefined;
let threadsAtEnd: Map<string, number> | undefined;
const marks: Array<{cpu: NodeJS.CpuUsage; bytes: number; at: number; frames: number; inkMs: number}> = [];
let frames = 0;
let inkMs = 0;
const need = args.need ?? 'connz';

// No JSX in this file: its runtime import would load React before the setup above.
const instance = render(React.createElement(Root, {config, source, poller}), {
	stdout: stdout as unknown as NodeJS.WriteStream,
	stdin: stdin as unknown as NodeJS.ReadStream,
	stderr: new FakeStdout(args.width, args.height) as unknown as NodeJS.WriteStream,
	...INK_RENDER_OPTIONS,
	patchConsole: false,
	onRender: ({renderTime}) => {
		frames++;
		inkMs += renderTime;
	},
});

const {rows} = await runWindows(
	poller,
	need,
	args,
	index => {
		marks.push({cpu: process.cpuUsage(), bytes: stdout.bytes, at: performance.now(), frames, inkMs});
		if (index === 0) threadsAtStart = threadTicks();
		if (index === args.windows) threadsAtEnd = threadTicks();
	},
	() => `; last screen:\n${stdout.last.slice(-2000)}`,
);
// Let the last frame out before reading the screen.
await new Promise(resolve => setTimeout(resolve, 100));
const windows = marks.slice(1).map((mark, i) => {
	// From this window's first mark to its last (process.cpuUsage(previous) would run to now).
	const cpu = {user: mark.cpu.user - marks[i]!.cpu.user, system: mark.cpu.system - marks[i]!.cpu.system};
	return {
		cpuMs: (cpu.user + cpu.system) / 1000 / args.refreshes,
		/** Of cpuMs, the time in the kernel (socket writes and reads, timers, the terminal write). */
		systemMs: cpu.system / 1000 / args.refreshes,
		wallMs: (mark.at - marks[i]!.at) / args.refreshes,
		bytes: (mark.bytes - marks[i]!.bytes) / args.refreshes,
		frames: (mark.frames - marks[i]!.frames) / args.refreshes,
		inkRenderMs: (mark.inkMs - marks[i]!.inkMs) / args.refreshes,
	};
});
// The last frame as text, for a look at what was measured (and a check that rows were drawn).
const screen = stdout.last.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '').replace(/^\n+/, '');
if (args.record) (await import('node:fs')).writeFileSync(args.record, JSON.stringify([...recorded]));
const asked = poller.getSnapshot().needs.get('connz')?.request;
const measured = args.refreshes * args.windows;
const threadMs: Record<string, number> = {};
for (const [key, end] of threadsAtEnd ?? []) {
	const name = key.slice(0, key.indexOf('#'));
	threadMs[name] = (threadMs[name] ?? 0) + ((end - (threadsAtStart?.get(key) ?? 0)) * 10) / measured;
}
emit({threadMs, query: asked?.kind === 'connz' ? asked.query : undefined, setup, react: process.env['NODE_ENV'] === 'production' ? 'production' : 'development', windows, rowsFetched: rows, rssMiB: process.memoryUsage().rss / 1048576, screen});
instance.unmount();
await poller.stop();
await source.close();
process.exit(0);
