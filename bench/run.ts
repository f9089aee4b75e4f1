// npm run bench: natscope against real nats-servers under real client load, every figure next
// to its baseline from the same run. Prints a table and writes bench/results.json.
//   npm run bench               the full run (about 8 minutes on 2 cores)
//   npm run bench -- --quick    one run per measurement and shorter windows (a smoke test)
//   npm run bench -- --profile DIR   also write .cpuprofile files of the app children to DIR
//   npm run bench -- --only a,b      only these measurements (a, b, c, d, e, f; b = b1 and b10,
//       d = d, d1, d0, e = e, e0, f = f, f2, f3); the full set when left out
//   npm run bench -- --assume production,fast-frames   measure the in-process app as if cli.tsx
//       switched these on (a what-if, labelled as such; d and e always run the built CLI)
import {execFileSync, spawn} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {stopAll} from '../test/helpers/server.js';
import {connzParams} from '../source/sources/http.js';
import type {ConnzQuery} from '../source/sources/types.js';
import {childEnv, runChild} from './lib/child.js';
import {cliSetup, type CliSetup} from './lib/cli-setup.js';
import {fixed, median, table} from './lib/stats.js';
import {jetStreamCluster, loadedCluster, loadSingle, singleServer, type ClusterSetup, type JetStreamSetup} from './lib/load.js';
import {NEED_JSZ, NEED_JSZ_STREAMS} from '../source/model/jetstream.js';
import {peakRss, type RssSample} from './lib/rss.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const PROFILE = argv.includes('--profile') ? argv[argv.indexOf('--profile') + 1] : undefined;
const ASSUME = argv.includes('--assume') ? (argv[argv.indexOf('--assume') + 1] ?? '').split(',') : [];
const ONLY = argv.includes('--only') ? (argv[argv.indexOf('--only') + 1] ?? '').split(',').map(s => s.trim()).filter(Boolean) : [];
const GROUPS = ['a', 'b', 'c', 'd', 'e', 'f'];
for (const id of ONLY) if (!GROUPS.includes(id)) throw new Error(`--only ${id}: measurements are ${GROUPS.join(', ')}`);
/** Whether measurement group `id` (a letter) runs: all of them unless --only names some. */
const want = (id: string): boolean => ONLY.length === 0 || ONLY.includes(id);
const RUNS = QUICK ? 1 : 3;
const WIDTH = 200;
const HEIGHT = 50;
const INTERVAL_MS = 500;
// Per refresh: the median of five short windows of 3 refreshes at the 0.5 s interval, after a
// warm-up of 150 refreshes asked every 20 ms (app and baselines alike). V8 optimizes a function
// after enough calls, not enough seconds: after 12 refreshes at 0.5 s the app was still compiling
// on V8's helper threads (~5 ms per refresh of TurboFan, by --trace-opt), work a monitor does
// once in its first minutes, not on every refresh. About 8 s after a Node process starts, V8's
// memory reducer runs one full GC of the start-up garbage (50-65 ms in a fetch-only child); it
// lands in one or two of the five windows, never in the median.
const WINDOW = {warmup: QUICK ? 60 : 150, warmupIntervalMs: 20, refreshes: QUICK ? 6 : 3, windows: QUICK ? 1 : 5};
const ONCE_RUNS = QUICK ? 3 : 7;
const RSS_SECONDS = QUICK ? 10 : 60;
/** e0: the start-up peak is reached within seconds; with nothing to list, memory stays level after. */
const RSS_EMPTY_SECONDS = QUICK ? 5 : 20;
const JS_STREAMS = QUICK ? 10 : 40;
const started = performance.now();
const tmp = mkdtempSync(join(os.tmpdir(), 'natscope-bench-'));

function log(text: string): void {
	const seconds = ((performance.now() - started) / 1000).toFixed(0).padStart(4);
	process.stderr.write(`[${seconds}s] ${text}\n`);
}

type Windowed = {windows: Array<{cpuMs: number; frames?: number}>; threadMs?: Record<string, number>; rowsFetched: number; query?: ConnzQuery; screen?: string; setup?: CliSetup; react?: string};

type Measurement = {
	id: string;
	what: string;
	unit: string;
	value: number;
	samples: number[];
	baseline?: {what: string; value: number; samples: number[]};
	ratio?: number;
	ratioLabel?: string;
	budget: string;
	pass?: boolean;
	note?: string;
	details?: Record<string, unknown>;
};

const results: Measurement[] = [];

let appSetup: CliSetup | undefined;

function appArgs(extra: Record<string, unknown>) {
	return {sort: 'pending', intervalMs: INTERVAL_MS, width: WIDTH, height: HEIGHT, ...WINDOW, setup: appSetup, ...extra};
}

function profileFlags(name: string): string[] {
	// A directory per child: the main thread and tsx's loader thread each write a profile there
	// (with one file name for both, the loader's would overwrite the app's).
	return PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${join(PROFILE, `${name}-${Date.now()}`)}`] : [];
}

type Comparison = {app: number[]; base: number[]; last: Windowed; lastBase: Windowed};
type Case = {name: string; app: Record<string, unknown>; baseline: (appRun: Windowed) => {script: string; args: Record<string, unknown>}};

/**
 * Each case's app and its baseline, one after the other, and the cases in turn, RUNS rounds:
 * CPU ms per refresh of each run. Interleaving keeps figures that are compared (b at 1,000 and
 * at 10,000 connections) under the same load from the rest of the machine.
 */
async function appVersusBaselines(cases: Case[]): Promise<Map<string, Comparison>> {
	const out = new Map<string, Comparison>();
	for (let run = 0; run < RUNS; run++) {
		for (const {name, app, baseline} of cases) {
			const last = await runChild<Windowed>('app.ts', appArgs(app), {nodeFlags: profileFlags(name)});
			const b = baseline(last);
			const lastBase = await runChild<Windowed>(b.script, {intervalMs: INTERVAL_MS, ...WINDOW, ...b.args});
			const entry = out.get(name) ?? {app: [], base: [], last, lastBase};
			entry.app.push(median(last.windows.map(w => w.cpuMs)));
			entry.base.push(median(lastBase.windows.map(w => w.cpuMs)));
			entry.last = last;
			entry.lastBase = lastBase;
			out.set(name, entry);
			log(`  ${name} run ${run + 1}: app ${fixed(entry.app.at(-1), 2)} ms, baseline ${fixed(entry.base.at(-1), 2)} ms (${last.rowsFetched} rows, ${fixed(framesOf(last), 1)} frames per refresh${threadsOf(last)})`);
		}
	}
	return out;
}

async function appVersusBaseline(name: string, app: Case['app'], baseline: Case['baseline']): Promise<Comparison> {
	return (await appVersusBaselines([{name, app, baseline}])).get(name)!;
}

/** CPU per refresh by thread (from /proc, 10 ms ticks over all windows), for the log. */
function threadsOf(run: Windowed): string {
	if (!run.threadMs) return '';
	const parts = Object.entries(run.threadMs).filter(([, ms]) => ms > 0).sort((x, y) => y[1] - x[1]);
	return parts.length === 0 ? '' : `; by thread: ${parts.map(([name, ms]) => `${name} ${fixed(ms, 1)}`).join(', ')}`;
}

/** Frames per refresh, the median over the run's windows. */
function framesOf(run: Windowed): number {
	return median(run.windows.map(w => w.frames ?? Number.NaN));
}

function connzUrl(base: string, query: ConnzQuery): string {
	return `${base}/connz?${connzParams(query).toString()}`;
}

function wallMs(command: string, args: string[]): Promise<number> {
	return new Promise((resolve, reject) => {
		const t0 = performance.now();
		const child = spawn(command, args, {cwd: ROOT, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe']});
		let err = '';
		child.stdout.resume();
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
		child.on('exit', code => {
			const ms = performance.now() - t0;
			if (code === 0) resolve(ms);
			else reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${err.slice(-500)}`));
		});
	});
}

function machine() {
	const cpus = os.cpus();
	let nats = '';
	try {
		nats = execFileSync('nats-server', ['--version'], {encoding: 'utf8'}).trim();
	} catch {
		nats = 'nats-server not found';
	}
	return {cores: cpus.length, cpu: cpus[0]?.model ?? '', memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1), node: process.version, natsServer: nats, os: `${os.type()} ${os.release()}`, loadAverage: os.loadavg().map(l => +l.toFixed(2))};
}

async function build(): Promise<CliSetup> {
	log('building dist/ (tsc, then Ink bundled; tsc errors in files being edited elsewhere do not stop the emit)');
	try {
		execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {cwd: ROOT, stdio: 'pipe'});
	} catch (error) {
		const out = String((error as {stdout?: Buffer}).stdout ?? '');
		log(`  tsc reported ${out.split('\n').filter(l => l.includes('error TS')).length} errors; using what it emitted`);
	}
	if (!existsSync(join(ROOT, 'dist/cli.js'))) throw new Error('dist/cli.js was not built');
	// As npm run build: Ink bundled into dist/source/ui/ink.js (scripts/vendor-ink.ts).
	execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/vendor-ink.ts')], {cwd: ROOT, stdio: 'pipe'});
	return cliSetup();
}

function ulimitOk(): void {
	const soft = Number(execFileSync('sh', ['-c', 'ulimit -n'], {encoding: 'utf8'}).trim());
	if (Number.isFinite(soft) && soft < 21_000 && soft !== 0) {
		// 11,000 client sockets here (two servers), each server holding its own under its own limit.
		if (soft < 11_500) throw new Error(`ulimit -n is ${soft}; the bench opens 11,000 client sockets: run "ulimit -n 20000" first`);
	}
}

async function main(): Promise<void> {
	ulimitOk();
	const info = machine();
	log(`${info.cores} cores (${info.cpu}), node ${info.node}, ${info.natsServer}; load average ${info.loadAverage.join(' ')}`);
	const setup = await build();
	appSetup = {production: setup.production || ASSUME.includes('production'), fastFrames: setup.fastFrames || ASSUME.includes('fast-frames')};
	if (ASSUME.length > 0) log(`what-if: the in-process app runs with React ${appSetup.production ? 'production' : 'development'}, fast frames ${appSetup.fastFrames ? 'on' : 'off'}`);
	log(`the CLI ${setup.production ? 'loads' : 'does not load'} React's production build, ${setup.fastFrames ? 'and installs' : 'and does not install'} fast frames`);

	// --- one server with 1,000 connections and one with 10,000 -----------------------------------
	if (ONLY.length > 0) log(`only ${ONLY.join(', ')}`);
	const once: number[] = [];
	const floor: number[] = [];
	const version: number[] = [];
	const onceShort: number[] = [];
	const cli = join(ROOT, 'dist/cli.js');
	let a: Comparison | undefined;
	let b1: Comparison | undefined;
	let b10: Comparison | undefined;
	let b0: number | undefined;
	let rss: RssSample[] = [];
	let rssFloor: RssSample[] = [];
	let rssEmpty: RssSample[] = [];
	const frameApp: Array<{frameCpuMs: number; screens: string[]; screen: string}> = [];
	const frameLines: Array<{frameCpuMs: number}> = [];
	if (want('a') || want('b') || want('d') || want('e') || want('f')) {
		log('two servers: 1,000 and 10,000 connections (2 slow consumers, 1 publisher, raw clients each)');
		const server = await singleServer();
		const load = await loadSingle(server, 1000);
		const big = await singleServer();
		const bigLoad = await loadSingle(big, 10_000);
		const fetchBaseline = (url: string) => (run: Windowed) => ({script: 'fetch-baseline.ts', args: {url: connzUrl(url, run.query!)}});

		if (want('b')) {
			const b = await appVersusBaselines([
				{name: 'b-1000', app: {url: server.monitorUrl}, baseline: fetchBaseline(server.monitorUrl)},
				{name: 'b-10000', app: {url: big.monitorUrl, record: join(tmp, 'recorded.json')}, baseline: fetchBaseline(big.monitorUrl)},
			]);
			b1 = b.get('b-1000')!;
			b10 = b.get('b-10000')!;
			// One run (a diagnostic, ~12 s): b1's questions asked and decoded, nothing drawn.
			const floorRun = await runChild<Windowed>('source-floor.ts', {url: server.monitorUrl, query: b1.last.query, intervalMs: INTERVAL_MS, ...WINDOW});
			b0 = median(floorRun.windows.map(w => w.cpuMs));
			log(`  b0: ${fixed(b0, 2)} ms per refresh without the UI (${floorRun.rowsFetched} rows)`);
		} else if (want('f')) {
			log('recording answers at 10,000 connections for the frames');
			await runChild<Windowed>('app.ts', appArgs({url: big.monitorUrl, record: join(tmp, 'recorded.json'), warmup: 2, refreshes: 4, windows: 1}));
		}

		if (want('d')) {
			log('natscope --once against 1,000 connections, and node -e 0');
			await wallMs(process.execPath, [cli, '--once', server.monitorUrl]); // warm the file cache
			for (let i = 0; i < ONCE_RUNS; i++) {
				floor.push(await wallMs(process.execPath, ['-e', '0']));
				once.push(await wallMs(process.execPath, [cli, '--once', server.monitorUrl]));
				version.push(await wallMs(process.execPath, [cli, '--version']));
				onceShort.push(await wallMs(process.execPath, [cli, '--once', '-d', '0.1', server.monitorUrl]));
			}
		}

		await load.close();
		await server.stop();

		if (want('a')) a = await appVersusBaseline('a-1024', {url: big.monitorUrl, rows: 1024}, fetchBaseline(big.monitorUrl));

		if (want('e')) {
			log(`the TUI (dist/cli.js -d 0.5) in tmux at ${WIDTH}x${HEIGHT} for ${RSS_SECONDS} s, 10,000 connections`);
			rss = await peakRss([process.execPath, cli, '-d', '0.5', '--sort', 'pending', big.monitorUrl], {seconds: RSS_SECONDS, copies: RUNS, width: WIDTH, height: HEIGHT, expect: /PENDING/});
			rssFloor = await peakRss([process.execPath, '-e', 'setInterval(() => {}, 1000)'], {seconds: 3, copies: 1, width: WIDTH, height: HEIGHT});
			// The same TUI with nothing to list: what Node, React, Ink and Yoga take before any
			// answer data, so e's budget can be read against the floor of the stack it runs on.
			log(`the same TUI for ${RSS_EMPTY_SECONDS} s against a server with no client connections`);
			const empty = await singleServer();
			rssEmpty = await peakRss([process.execPath, cli, '-d', '0.5', '--sort', 'pending', empty.monitorUrl], {seconds: RSS_EMPTY_SECONDS, copies: RUNS, width: WIDTH, height: HEIGHT, expect: /PENDING/});
			await empty.stop();
		}

		if (want('f')) {
			log('frames at 200x50 over the recorded answers');
			for (let run = 0; run < RUNS; run++) {
				const result = await runChild<{frameCpuMs: number; screens: string[]; screen: string}>('frame.ts', {mode: 'app', setup: appSetup, input: join(tmp, 'recorded.json'), width: WIDTH, height: HEIGHT, frames: QUICK ? 30 : 100, warmup: 20});
				frameApp.push(result);
				writeFileSync(join(tmp, 'screens.json'), JSON.stringify(result.screens));
				frameLines.push(await runChild<{frameCpuMs: number}>('frame.ts', {mode: 'lines', input: join(tmp, 'screens.json'), width: WIDTH, height: HEIGHT, frames: QUICK ? 30 : 100, warmup: 20}));
				log(`  frame run ${run + 1}: app ${fixed(frameApp.at(-1)!.frameCpuMs, 2)} ms, stock Ink ${fixed(frameLines.at(-1)!.frameCpuMs, 2)} ms`);
			}
		}
		await bigLoad.close();
		await big.stop();
	}

	// --- three servers over $SYS --------------------------------------------------------------
	let cluster: ClusterSetup | undefined;
	let c: Comparison | undefined;
	if (want('c')) try {
		log('3-node cluster with a system account, 3,300 connections each (1 slow consumer)');
		cluster = await loadedCluster(3300);
		const nats = {servers: cluster.nodes.map(n => n.natsUrl), user: cluster.accounts.users.sys.user, password: cluster.accounts.users.sys.password};
		c = await appVersusBaseline('c-sys', {nats, rows: 50}, run => ({script: 'sys-baseline.ts', args: {...nats, query: run.query!, expected: 3}}));
	} finally {
		await cluster?.load.close();
		await stopAll();
	}

	// --- JetStream: the JetStream and streams views' frames ------------------------------------
	const jsFrames = new Map<string, {app: number[]; base: number[]; screen: string; rowsFetched: number}>();
	let jsCluster: JetStreamSetup | undefined;
	if (want('f')) try {
		log(`3 JetStream servers, ${JS_STREAMS} streams with 2 consumers each: frames of the JetStream and streams views`);
		jsCluster = await jetStreamCluster(JS_STREAMS);
		for (const [view, need] of [['jetstream', NEED_JSZ], ['streams', NEED_JSZ_STREAMS]] as const) {
			const input = join(tmp, `${view}.json`);
			await runChild<Windowed>('app.ts', appArgs({urls: jsCluster.nodes.map(n => n.monitorUrl), view, need, record: input, warmup: 2, refreshes: 4}));
			const entry = {app: [] as number[], base: [] as number[], screen: '', rowsFetched: 0};
			for (let run = 0; run < RUNS; run++) {
				const result = await runChild<{frameCpuMs: number; screens: string[]; screen: string}>('frame.ts', {mode: 'app', view, setup: appSetup, input, width: WIDTH, height: HEIGHT, frames: QUICK ? 30 : 100, warmup: 20});
				writeFileSync(join(tmp, `${view}-screens.json`), JSON.stringify(result.screens));
				const lines = await runChild<{frameCpuMs: number}>('frame.ts', {mode: 'lines', input: join(tmp, `${view}-screens.json`), width: WIDTH, height: HEIGHT, frames: QUICK ? 30 : 100, warmup: 20});
				entry.app.push(result.frameCpuMs);
				entry.base.push(lines.frameCpuMs);
				entry.screen = result.screen;
				log(`  ${view} frame run ${run + 1}: app ${fixed(result.frameCpuMs, 2)} ms, stock Ink ${fixed(lines.frameCpuMs, 2)} ms`);
			}
			jsFrames.set(view, entry);
		}
	} finally {
		await jsCluster?.close();
	}

	// --- the table ------------------------------------------------------------------------------
	const add = (m: Measurement) => results.push(m);
	if (a) {
		const aValue = median(a.app);
		const aBase = median(a.base);
		add({
			id: 'a',
			what: 'CPU per refresh, 1,024 rows fetched, sorted by pending (10,000 conns)',
			unit: 'ms',
			value: aValue,
			samples: a.app,
			baseline: {what: 'fetch + JSON.parse of the same /connz', value: aBase, samples: a.base},
			ratio: aValue / aBase,
			budget: '≤ 11 ms, ≤ 1.5× baseline',
			pass: aValue <= 11 && aValue / aBase <= 1.5,
			details: {rowsFetched: a.last.rowsFetched, query: a.last.query, framesPerRefresh: framesOf(a.last)},
		});
	}
	if (b1 && b10) {
		const b1v = median(b1.app);
		const b10v = median(b10.app);
		add({
			id: 'b1',
			what: 'CPU per refresh, rows on screen (1,000 conns)',
			unit: 'ms',
			value: b1v,
			samples: b1.app,
			baseline: {what: 'fetch + JSON.parse of the same /connz', value: median(b1.base), samples: b1.base},
			ratio: b1v / median(b1.base),
			budget: '≤ 5 ms',
			pass: b1v <= 5,
			details: {rowsFetched: b1.last.rowsFetched, query: b1.last.query, framesPerRefresh: framesOf(b1.last), screen: b1.last.screen},
		});
		add({
			id: 'b10',
			what: 'CPU per refresh, rows on screen (10,000 conns)',
			unit: 'ms',
			value: b10v,
			samples: b10.app,
			baseline: {what: 'the same at 1,000 conns (b1)', value: b1v, samples: b1.app},
			ratio: b10v / b1v,
			ratioLabel: 'growth',
			budget: '≤ 5 ms, growth ≤ 1.2×',
			pass: b10v <= 5 && b10v / b1v <= 1.2,
			details: {rowsFetched: b10.last.rowsFetched, fetchParseMs: median(b10.base), framesPerRefresh: framesOf(b10.last)},
		});
		if (b0 !== undefined) {
			add({
				id: 'b0',
				what: "b1's questions without the UI: poller, HTTP source, decode (1 run)",
				unit: 'ms',
				value: b0,
				samples: [b0],
				baseline: {what: 'b1, the same with the UI', value: b1v, samples: b1.app},
				ratio: b0 / b1v,
				budget: '(diagnostic)',
			});
		}
	}
	if (c) {
		const cValue = median(c.app);
		add({
			id: 'c',
			what: 'CPU per refresh, cluster-wide top 50 by pending over $SYS (3 servers, 9,900 conns)',
			unit: 'ms',
			value: cValue,
			samples: c.app,
			baseline: {what: 'the same CONNZ scatter, replies JSON.parse\'d', value: median(c.base), samples: c.base},
			ratio: cValue / median(c.base),
			budget: '≤ 40 ms',
			pass: cValue <= 40,
			details: {rowsFetched: c.last.rowsFetched, query: c.last.query, framesPerRefresh: framesOf(c.last)},
		});
	}
	if (want('d')) {
		const onceValue = median(once);
		const floorValue = median(floor);
		add({
			id: 'd',
			what: 'wall time of natscope --once, start to exit (1,000 conns)',
			unit: 'ms',
			value: onceValue,
			samples: once,
			baseline: {what: 'node -e 0', value: floorValue, samples: floor},
			ratio: onceValue / floorValue,
			budget: '≤ 300 ms, ≤ 3× node',
			pass: onceValue <= 300 && onceValue / floorValue <= 3,
			note: '--once takes two samples 0.1 s apart (one interval when -d is given) so that rates are real',
			details: {versionMs: median(version), versionSamples: version},
		});
		add({
			id: 'd1',
			what: 'wall time of natscope --once -d 0.1 (its two samples 100 ms apart)',
			unit: 'ms',
			value: median(onceShort),
			samples: onceShort,
			baseline: {what: 'node -e 0', value: floorValue, samples: floor},
			ratio: median(onceShort) / floorValue,
			budget: '(diagnostic)',
		});
		add({
			id: 'd0',
			what: 'wall time of natscope --version (start-up alone)',
			unit: 'ms',
			value: median(version),
			samples: version,
			baseline: {what: 'node -e 0', value: floorValue, samples: floor},
			ratio: median(version) / floorValue,
			budget: '(diagnostic)',
		});
	}
	if (want('e')) {
		const idle = {what: 'node idling', value: rssFloor[0]!.peakMiB, samples: rssFloor.map(r => r.peakMiB)};
		/** A peak-RSS row against the idle Node process; a diagnostic when it has no budget. */
		const rssRow = (id: string, what: string, runs: RssSample[], budgetMiB?: number) => {
			const value = median(runs.map(r => r.peakMiB));
			add({
				id,
				what,
				unit: 'MiB',
				value,
				samples: runs.map(r => r.peakMiB),
				baseline: idle,
				ratio: value / idle.value,
				budget: budgetMiB === undefined ? '(diagnostic)' : `≤ ${budgetMiB} MiB`,
				...(budgetMiB === undefined ? {} : {pass: value <= budgetMiB}),
				details: {endMiB: runs.map(r => r.endMiB), screen: runs[0]?.screen},
			});
		};
		rssRow('e', `peak RSS of the TUI, -d 0.5 for ${RSS_SECONDS} s (10,000 conns)`, rss, 80);
		rssRow('e0', `peak RSS of the same TUI with nothing to list (0 conns, ${RSS_EMPTY_SECONDS} s)`, rssEmpty);
	}
	if (want('f')) {
		const frameValue = median(frameApp.map(f => f.frameCpuMs));
		const frameBase = median(frameLines.map(f => f.frameCpuMs));
		add({
			id: 'f',
			what: 'CPU per frame, connections view at 200x50',
			unit: 'ms',
			value: frameValue,
			samples: frameApp.map(f => f.frameCpuMs),
			baseline: {what: 'stock Ink drawing the same screen as 50 <Text> rows', value: frameBase, samples: frameLines.map(f => f.frameCpuMs)},
			ratio: frameValue / frameBase,
			budget: '≤ 8 ms',
			pass: frameValue <= 8,
			details: {screen: frameApp[0]?.screen},
		});
		for (const [id, view, title] of [['f2', 'jetstream', 'JetStream view'], ['f3', 'streams', 'streams view']] as const) {
			const entry = jsFrames.get(view)!;
			const value = median(entry.app);
			const base = median(entry.base);
			add({
				id,
				what: `CPU per frame, ${title} at 200x50 (${JS_STREAMS} streams)`,
				unit: 'ms',
				value,
				samples: entry.app,
				baseline: {what: 'stock Ink drawing the same screen as 50 <Text> rows', value: base, samples: entry.base},
				ratio: value / base,
				budget: '≤ 8 ms',
				pass: value <= 8,
				details: {screen: entry.screen},
			});
	}
	}

	const rows = results.map(m => [
		m.id,
		m.what,
		m.value === undefined || !Number.isFinite(m.value) ? 'n/a' : `${fixed(m.value, m.unit === 'ms' && m.value < 100 ? 2 : 0)} ${m.unit}`,
		m.baseline ? `${fixed(m.baseline.value, m.unit === 'ms' && m.baseline.value < 100 ? 2 : 0)} ${m.unit} (${m.baseline.what})` : '',
		m.ratio === undefined ? '' : `${fixed(m.ratio, 2)}×${m.ratioLabel ? ` ${m.ratioLabel}` : ''}`,
		m.budget,
		m.pass === undefined ? '' : m.pass ? 'yes' : 'NO',
	]);
	const elapsed = (performance.now() - started) / 1000;
	const text = table(['', 'measurement', 'natscope', 'baseline (same run)', 'ratio', 'budget', 'met'], rows);
	process.stdout.write(`\n${text}\n\n`);
	process.stdout.write(`${info.cores} cores (${info.cpu}), ${info.memoryGiB} GiB, ${info.os}, node ${info.node}, ${info.natsServer}; medians of ${RUNS} runs${QUICK ? ' (--quick)' : ''}${ONLY.length > 0 ? ` (--only ${ONLY.join(',')})` : ''}; the CLI: React ${setup.production ? 'production' : 'development'} build, fast frames ${setup.fastFrames ? 'on' : 'off'}${ASSUME.length > 0 ? ` (WHAT-IF for a–c and f: production ${appSetup.production ? 'on' : 'off'}, fast frames ${appSetup.fastFrames ? 'on' : 'off'})` : ''}; ${elapsed.toFixed(0)} s; load average ${info.loadAverage.join(' ')} → ${os.loadavg().map(l => l.toFixed(2)).join(' ')}\n`);
	writeFileSync(join(ROOT, 'bench/results.json'), `${JSON.stringify({when: new Date().toISOString(), machine: info, quick: QUICK, only: ONLY, assume: ASSUME, appSetup, runs: RUNS, intervalMs: INTERVAL_MS, size: {width: WIDTH, height: HEIGHT}, cli: setup, elapsedSeconds: +elapsed.toFixed(1), table: text, results}, null, 2)}\n`);
	log('wrote bench/results.json');
}

const cleanup = async () => {
	await stopAll().catch(() => {});
	rmSync(tmp, {recursive: true, force: true});
};
try {
	await main();
} catch (error) {
	process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	process.exitCode = 1;
} finally {
	await cleanup();
}
// Raw client sockets and keep-alive agents must not keep a finished bench alive.
process.exit(process.exitCode ?? 0);
