// Soak: the built CLI in a real terminal (tmux) against a real 3-node cluster at a fast refresh,
// while clients keep connecting, subscribing, publishing and leaving. The natscope process is
// sampled from /proc (RSS, CPU time, open file descriptors) and its screen is watched: the
// header's uptime and the "updated … ago" line must keep moving. Fails on RSS growth after
// warm-up beyond a bound, on descriptor growth, on a frozen screen or on the process ending.
import {readFileSync, readdirSync} from 'node:fs';
import {execFileSync} from 'node:child_process';
import {connect, type NatsConnection} from 'nats';
import {startCluster, type NatsServer} from './server.js';
import {CLI} from './cli-run.js';
import {TmuxSession} from '../e2e/tmux.js';

export type SoakOptions = {
	durationMs: number;
	/** natscope -d (seconds). */
	interval: number;
	/** Samples before this are warm-up (JIT, heap sizing); the baseline is taken right after it. */
	warmupMs: number;
	/** RSS may end at most this fraction above the baseline. */
	maxRssGrowth: number;
	/** Descriptors may end at most this many above the baseline (a socket being replaced). */
	maxFdGrowth: number;
	sampleEveryMs: number;
	/** A screen unchanged this long is frozen (the churn changes it several times a second). */
	freezeMs: number;
	/** "updated N s ago" above this is stale data. */
	staleSeconds: number;
	/** One report line per this many ms. */
	reportEveryMs: number;
	/** Open connections the churn keeps (it replaces some every tick). */
	clients: number;
	log: (line: string) => void;
	/** The CLI to run (default: this tree's dist/cli.js), e.g. a build of a candidate fix. */
	cli?: string;
	/** Extra node options before dist/cli.js (e.g. --import a hook being measured). */
	nodeArgs?: string[];
	/** Start the cluster here (the script's own); otherwise the caller's `nodes` are used. */
	nodes?: NatsServer[];
};

export type SoakSample = {atMs: number; rssKb: number; cpuTicks: number; fds: number};

export type SoakResult = {
	ok: boolean;
	failures: string[];
	samples: SoakSample[];
	baselineRssKb: number;
	endRssKb: number;
	maxRssKb: number;
	baselineFds: number;
	endFds: number;
	/** natscope's average CPU over the run after warm-up, % of one core. */
	cpuPercent: number;
	churned: number;
	screenChecks: number;
	longestStillMs: number;
};

export const SOAK_DEFAULTS: Omit<SoakOptions, 'durationMs' | 'log'> = {
	interval: 0.2,
	warmupMs: 60_000,
	maxRssGrowth: 0.1,
	maxFdGrowth: 2,
	sampleEveryMs: 5000,
	freezeMs: 5000,
	staleSeconds: 3,
	reportEveryMs: 60_000,
	clients: 40,
};

const CLK_TCK = 100;

function procSample(pid: number, atMs: number): SoakSample {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
	// Fields after the command name (which may hold spaces): utime is the 14th, stime the 15th.
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	const cpuTicks = Number(fields[11]) + Number(fields[12]);
	const fds = readdirSync(`/proc/${pid}/fd`).length;
	return {atMs, rssKb, cpuTicks, fds};
}

/** The node process running dist/cli.js under the tmux pane's shell (walks /proc by parent id). */
function findCliPid(session: TmuxSession): number | undefined {
	const panePid = Number(execFileSync('tmux', ['display-message', '-p', '-t', session.name, '#{pane_pid}'], {encoding: 'utf8'}).trim());
	const parents = new Map<number, number>();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
		} catch {
			// gone meanwhile
		}
	}
	const descends = (pid: number): boolean => {
		for (let p = parents.get(pid), hops = 0; p !== undefined && hops < 10; p = parents.get(p), hops++) if (p === panePid) return true;
		return false;
	};
	for (const pid of parents.keys()) {
		if (!descends(pid)) continue;
		try {
			// The CLI sets process.title, which replaces its command line with "natscope".
			const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
			if (cmdline.includes('dist/cli.js') || cmdline.startsWith('natscope')) return pid;
		} catch {
			// gone meanwhile
		}
	}
	return undefined;
}

const median = (values: number[]): number => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

/** Keeps `count` client connections open across the nodes, replacing a few every tick. */
class Churn {
	private readonly open: NatsConnection[] = [];
	private timer: NodeJS.Timeout | undefined;
	private busy = false;
	churned = 0;
	errors = 0;

	constructor(
		private readonly nodes: NatsServer[],
		private readonly count: number,
	) {}

	start(tickMs = 250): void {
		this.timer = setInterval(() => void this.tick(), tickMs);
	}

	private async tick(): Promise<void> {
		if (this.busy) return;
		this.busy = true;
		try {
			// Replace up to 3 connections a tick (12/s at 250 ms), each with fresh subscriptions.
			for (let i = 0; i < 3; i++) {
				if (this.open.length >= this.count) {
					const old = this.open.splice(Math.floor(Math.random() * this.open.length), 1)[0]!;
					await old.close();
				}
				const node = this.nodes[this.churned % this.nodes.length]!;
				const nc = await connect({port: node.port, name: `soak-${this.churned}`, reconnect: false});
				for (let s = 0; s < 1 + (this.churned % 5); s++) nc.subscribe(`soak.${this.churned}.${s}`);
				nc.publish(`soak.${this.churned % 97}.0`, new Uint8Array(64));
				this.open.push(nc);
				this.churned++;
			}
		} catch {
			this.errors++;
		} finally {
			this.busy = false;
		}
	}

	async stop(): Promise<void> {
		if (this.timer) clearInterval(this.timer);
		while (this.busy) await new Promise(resolve => setTimeout(resolve, 20));
		await Promise.all(this.open.splice(0).map(nc => nc.close().catch(() => undefined)));
	}
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
	const {log} = options;
	const ownNodes = !options.nodes;
	const nodes = options.nodes ?? (await startCluster(3, {name: 'soak'}));
	const churn = new Churn(nodes, options.clients);
	const urls = nodes.map(n => n.monitorUrl).join(' ');
	const session = TmuxSession.start(`node ${(options.nodeArgs ?? []).join(' ')} ${options.cli ?? CLI} ${urls} -d ${options.interval}`, {width: 120, height: 40});
	const failures: string[] = [];
	const samples: SoakSample[] = [];
	let screenChecks = 0;
	let longestStillMs = 0;
	try {
		await session.waitForScreen(s => s.includes('CID') && /3 servers/.test(s), 'natscope showing the 3-node cluster', 30_000);
		const pid = findCliPid(session);
		if (!pid) throw new Error('soak: the natscope process was not found under the tmux pane');
		churn.start();
		const started = Date.now();
		let lastReport = started;
		let lastScreen = '';
		let screenSince = Date.now();
		let nextSample = started;
		while (Date.now() - started < options.durationMs) {
			await new Promise(resolve => setTimeout(resolve, 500));
			if (session.exitStatus() !== undefined) {
				failures.push(`natscope ended: ${session.screen().split('\n').filter(Boolean).slice(-3).join(' | ')}`);
				break;
			}
			// The screen: with clients coming and going every tick its rows and counters change all
			// the time, so a screen that stays the same for 5 s is frozen; and the freshness line must
			// say the data is recent.
			const screen = session.screen();
			screenChecks++;
			if (screen !== lastScreen) {
				lastScreen = screen;
				screenSince = Date.now();
			}
			const still = Date.now() - screenSince;
			longestStillMs = Math.max(longestStillMs, still);
			if (still > options.freezeMs) {
				failures.push(`the screen froze: the screen did not change for ${(still / 1000).toFixed(1)} s\n${screen}`);
				break;
			}
			// "updated 0s ago", "updated 1m5s ago"; a STALE line also counts (the server never fails here).
			const updated = /updated (\S+) ago/.exec(screen);
			const age = updated ? (/^\d+s$/.test(updated[1]!) ? Number(updated[1]!.slice(0, -1)) : Infinity) : 0;
			if (age > options.staleSeconds || /STALE|◌ stale/.test(screen)) {
				failures.push(`stale data on screen: "${updated?.[0] ?? 'STALE'}"\n${screen}`);
				break;
			}
			if (Date.now() >= nextSample) {
				nextSample += options.sampleEveryMs;
				samples.push(procSample(pid, Date.now() - started));
			}
			if (Date.now() - lastReport >= options.reportEveryMs) {
				lastReport = Date.now();
				const s = samples.at(-1)!;
				log(`soak ${(s.atMs / 60_000).toFixed(1)} min: rss ${(s.rssKb / 1024).toFixed(1)} MiB, fds ${s.fds}, cpu ${cpuPercent(samples, s.atMs - options.reportEveryMs).toFixed(1)}% (since the last line), clients churned ${churn.churned}`);
			}
		}
		samples.push(procSample(pid, Date.now() - started));
	} catch (error) {
		failures.push((error as Error).message);
	} finally {
		await churn.stop();
		session.kill();
		if (ownNodes) await Promise.all(nodes.map(n => n.stop()));
	}

	// RSS saws up and down with V8's collections (here ±15% over a minute or two), so single samples
	// say little: each report window's peak is compared, the first ones after warm-up against the last.
	const peaks = windowPeaks(samples.filter(s => s.atMs >= options.warmupMs), options.warmupMs, options.reportEveryMs);
	const k = Math.max(1, Math.min(3, Math.floor(peaks.length / 2)));
	const baselineRssKb = median(peaks.slice(0, k).map(p => p.rssKb));
	const endRssKb = median(peaks.slice(-k).map(p => p.rssKb));
	const baselineFds = median(peaks.slice(0, k).map(p => p.fds));
	const endFds = peaks.at(-1)?.fds ?? 0;
	const after = samples.filter(s => s.atMs >= options.warmupMs);
	if (failures.length === 0) {
		if (after.length < 6 || peaks.length < 2) failures.push(`too few samples after warm-up (${after.length} in ${peaks.length} windows)`);
		if (endRssKb > baselineRssKb * (1 + options.maxRssGrowth)) {
			failures.push(`RSS grew ${(((endRssKb - baselineRssKb) / baselineRssKb) * 100).toFixed(1)}% after warm-up (${(baselineRssKb / 1024).toFixed(1)} → ${(endRssKb / 1024).toFixed(1)} MiB; bound ${options.maxRssGrowth * 100}%)`);
		}
		if (endFds > baselineFds + options.maxFdGrowth) failures.push(`file descriptors grew: ${baselineFds} → ${endFds}`);
		if (churn.churned < 10) failures.push(`the client churn did not run (${churn.churned} clients)`);
	}
	return {
		ok: failures.length === 0,
		failures,
		samples,
		baselineRssKb,
		endRssKb,
		maxRssKb: Math.max(0, ...samples.map(s => s.rssKb)),
		baselineFds,
		endFds,
		cpuPercent: cpuPercent(samples, options.warmupMs),
		churned: churn.churned,
		screenChecks,
		longestStillMs,
	};
}

/** The largest RSS and descriptor count in each window of `windowMs` from `fromMs` on. */
function windowPeaks(samples: SoakSample[], fromMs: number, windowMs: number): Array<{rssKb: number; fds: number}> {
	const windows = new Map<number, {rssKb: number; fds: number}>();
	for (const s of samples) {
		const index = Math.floor((s.atMs - fromMs) / windowMs);
		const peak = windows.get(index) ?? {rssKb: 0, fds: 0};
		windows.set(index, {rssKb: Math.max(peak.rssKb, s.rssKb), fds: Math.max(peak.fds, s.fds)});
	}
	return [...windows.entries()].sort((a, b) => a[0] - b[0]).map(([, peak]) => peak);
}

/** Average CPU (% of one core) of the samples from `fromMs` on. */
function cpuPercent(samples: SoakSample[], fromMs: number): number {
	const window = samples.filter(s => s.atMs >= fromMs);
	if (window.length < 2) return 0;
	const first = window[0]!;
	const last = window.at(-1)!;
	const seconds = (last.atMs - first.atMs) / 1000;
	return seconds > 0 ? ((last.cpuTicks - first.cpuTicks) / CLK_TCK / seconds) * 100 : 0;
}

export function describeSoak(result: SoakResult): string {
	const mib = (kb: number): string => (kb / 1024).toFixed(1);
	return [
		`RSS peaks after warm-up ${mib(result.baselineRssKb)} MiB → at the end ${mib(result.endRssKb)} MiB (${(((result.endRssKb - result.baselineRssKb) / Math.max(1, result.baselineRssKb)) * 100).toFixed(1)}%), max ${mib(result.maxRssKb)} MiB`,
		`file descriptors ${result.baselineFds} → ${result.endFds}`,
		`natscope CPU ${result.cpuPercent.toFixed(1)}% of one core after warm-up`,
		`${result.churned} client connections opened and closed; screen checked ${result.screenChecks} times, longest unchanged screen ${(result.longestStillMs / 1000).toFixed(1)} s`,
	].join('\n');
}
