// Child process: what one frame costs at 200x50.
//  mode 'app': the real app (Root → App → view) over answers recorded from a real server, set
//    up as the CLI sets it up; each poller change renders one frame synchronously (Ink's debug
//    mode: no throttle), timed from the change to the frame's write (CPU, process.cpuUsage).
//  mode 'lines': the baseline, stock Ink (its own compositor, React's production build) drawing
//    the same screens as 50 plain <Text> rows: what Ink itself costs for those cells.
import {readFileSync} from 'node:fs';
import type {Config} from '../../source/config/types.js';
import type {Source} from '../../source/sources/types.js';
import {FakeStdin, FakeStdout} from '../lib/tty.js';
import {built, emit, readArgs} from '../lib/child.js';
import {applyCliSetup, cliSetup, type CliSetup} from '../lib/cli-setup.js';

type Args = {
	mode: 'app' | 'lines';
	/** app: answers recorded by measure/app.ts; lines: screens emitted by an 'app' run. */
	input: string;
	view?: string;
	sort?: string;
	width: number;
	height: number;
	frames: number;
	warmup: number;
	setup?: CliSetup;
};

const args = readArgs<Args>();
const setup: CliSetup = args.mode === 'lines' ? {production: true, fastFrames: false} : (args.setup ?? cliSetup());
await built<typeof import('../../source/interactive-env.js')>('source/interactive-env.js');
await applyCliSetup(setup);
const React = (await import('react')).default;
// The baseline is stock Ink; the app renders with the Ink it is built with (source/ui/ink.ts).
const {render, Box, Text} = args.mode === 'lines' ? await import('ink') : await built<typeof import('../../source/ui/ink.js')>('source/ui/ink.js');

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const cpuMs = (since: NodeJS.CpuUsage) => {
	const used = process.cpuUsage(since);
	return (used.user + used.system) / 1000;
};

if (args.mode === 'lines') {
	const screens = JSON.parse(readFileSync(args.input, 'utf8')) as string[];
	const tree = (screen: string) =>
		React.createElement(Box, {flexDirection: 'column', width: args.width}, ...screen.split('\n').map((line, i) => React.createElement(Text, {key: i, wrap: 'truncate-end'}, line)));
	const stdout = new FakeStdout(args.width, args.height);
	const instance = render(tree(screens[0]!), {stdout: stdout as never, stdin: new FakeStdin() as never, debug: true, patchConsole: false, exitOnCtrlC: false});
	const cpu: number[] = [];
	for (let i = 0; i < args.warmup + args.frames; i++) {
		const since = process.cpuUsage();
		instance.rerender(tree(screens[(i + 1) % screens.length]!));
		if (i >= args.warmup) cpu.push(cpuMs(since));
	}
	instance.unmount();
	emit({setup, frameCpuMs: median(cpu), frames: cpu.length});
	process.exit(0);
}

const {Root} = await built<typeof import('../../source/root.js')>('source/root.js');
const {Poller} = await built<typeof import('../../source/poll/poller.js')>('source/poll/poller.js');

// Answers by question, handed out in turn so consecutive frames differ as they do live.
const recorded = new Map(JSON.parse(readFileSync(args.input, 'utf8')) as Array<[string, unknown[]]>);
const turns = new Map<string, number>();
const source: Source = {
	transport: 'http',
	description: 'http://127.0.0.1:8222 (recorded)',
	request: (async (request: unknown) => {
		const key = JSON.stringify(request);
		const kind = (request as {kind: string}).kind;
		const list = recorded.get(key) ?? [...recorded].find(([k]) => (JSON.parse(k) as {kind: string}).kind === kind)?.[1];
		if (!list) throw new Error(`nothing recorded for ${key}`);
		const turn = turns.get(key) ?? 0;
		turns.set(key, turn + 1);
		return structuredClone(list[turn % list.length]);
	}) as Source['request'],
	async close() {},
};

const config: Config = {
	transport: 'http',
	urls: ['http://127.0.0.1:8222'],
	tls: {insecure: false},
	intervalMs: 3_600_000,
	timeoutMs: 10_000,
	sort: (args.sort ?? 'pending') as Config['sort'],
	reverse: false,
	state: 'open',
	rawNumbers: false,
	lookup: false,
	showSubs: false,
	demo: false,
	...(args.view ? {view: args.view as Config['view']} : {}),
};
const poller = new Poller(source, {intervalMs: config.intervalMs});

let since: {cpu: NodeJS.CpuUsage} | undefined;
const cpu: number[] = [];
const screens: string[] = [];
let counting = false;
poller.subscribe(() => {
	since ??= {cpu: process.cpuUsage()};
});
const stdout = new FakeStdout(args.width, args.height);
const write = stdout.write;
stdout.write = (chunk, encoding, callback) => {
	if (since && counting) cpu.push(cpuMs(since.cpu));
	since = undefined;
	if (typeof chunk === 'string' && chunk.length > 64) {
		if (screens.length === 0 || screens.at(-1) !== chunk) screens.push(chunk);
		if (screens.length > 4) screens.shift();
	}
	return write(chunk, encoding, callback);
};
const instance = render(React.createElement(Root, {config, source, poller}), {
	stdout: stdout as never,
	stdin: new FakeStdin() as never,
	debug: true,
	patchConsole: false,
	exitOnCtrlC: false,
});
poller.start();
const settle = () => new Promise(resolve => setTimeout(resolve, 5));
await settle();
for (let round = 0; cpu.length < args.frames && round < args.frames * 4 + args.warmup; round++) {
	counting = round >= args.warmup;
	poller.refreshNow();
	await settle();
}
instance.unmount();
await poller.stop();
const plain = (screens.at(-1) ?? '').replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '');
emit({setup, frameCpuMs: median(cpu), frames: cpu.length, screens, screen: plain});
process.exit(0);
