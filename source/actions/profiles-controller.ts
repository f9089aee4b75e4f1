// The profiles panel's brain, outside React: decides where profiles come from (--prof-url,
// --prof-port, the local process's pprof port, or $SYS PROFILEZ on 2.10+), downloads one per
// key, shows a cpu profile's progress and lets Esc cancel it.
import type {Varz} from '../sources/types.js';
import {timeMs} from '../sources/decode.js';
import {sanitizeText} from '../model/sanitize.js';
import {discoverProcess, discoveryPlace} from './discover.js';
import type {KeyInfo} from './panel.js';
import {
	DEFAULT_CPU_SECONDS,
	discoverProfUrl,
	downloadedLines,
	downloadProfile,
	pprofBase,
	type ProfileKind,
	type ProfileSource,
} from './profiles.js';
import {PROFILEZ_MAX_CPU_MS, remoteCapability, type SysRequester} from './remote.js';
import {failureLines, type Failure} from './result.js';

/** Keys of the profiles panel (the lead adds them to the keymap as data); ] and [ change the cpu seconds, f looks again. */
export const PROFILE_PANEL_KEYS = [
	{key: 'c', profile: 'cpu', description: 'cpu profile (for the chosen seconds)'},
	{key: 'h', profile: 'heap', description: 'heap profile'},
	{key: 'a', profile: 'allocs', description: 'allocs profile'},
	{key: 'g', profile: 'goroutine', description: 'goroutine profile'},
	{key: 'B', profile: 'block', description: 'block profile'},
	{key: 'm', profile: 'mutex', description: 'mutex profile'},
	{key: 't', profile: 'threadcreate', description: 'threadcreate profile'},
] as const satisfies ReadonlyArray<{key: string; profile: ProfileKind; description: string}>;

export const CPU_SECONDS_STEPS = [1, 2, 5, 10, 15, 30, 60, 120];

export type ProfileOrigin =
	| {status: 'unknown'}
	| {status: 'finding'}
	| {status: 'http'; base: string; how: string}
	| {status: 'nats'; how: string}
	| {status: 'none'; message: string; hint: string};

export type ProfilesState = {
	server?: {name: string; id: string; version: string};
	origin: ProfileOrigin;
	cpuSeconds: number;
	dir: string;
	running?: {profile: ProfileKind; startedAt: number; totalMs: number; elapsedMs: number};
	/** The last result, with the go tool pprof hint on success. */
	result?: {ok: boolean; lines: string[]};
	/** Newest first, at most 8: path and size lines. */
	history: string[];
};

export type ProfilesControllerOptions = {
	transport: 'http' | 'nats';
	/** Host we reach the server at; --prof-port uses it. */
	reachHost: string;
	reachPort?: number;
	profUrl?: string;
	profPort?: number;
	pid?: number;
	pidFile?: string;
	dir: string;
	timeoutMs: number;
	sys?: () => Promise<{ok: true; nc: SysRequester} | Failure>;
	proc?: string;
	now?: () => Date;
	/** Progress refresh while a cpu profile runs (ms). */
	tickMs?: number;
	insecure?: boolean;
};

export class ProfilesController {
	private state: ProfilesState;
	private readonly listeners = new Set<() => void>();
	private abort: AbortController | undefined;
	private ticker: NodeJS.Timeout | undefined;
	private serverVarz: Varz | undefined;
	private ticket = 0;
	private disposed = false;

	constructor(private readonly options: ProfilesControllerOptions) {
		this.state = {origin: {status: 'unknown'}, cpuSeconds: DEFAULT_CPU_SECONDS, dir: options.dir, history: []};
	}

	getState = (): ProfilesState => this.state;

	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => {
			this.listeners.delete(listener);
		};
	};

	private set(patch: Partial<ProfilesState>): void {
		if (this.disposed) return;
		this.state = {...this.state, ...patch};
		for (const listener of this.listeners) listener();
	}

	setServer(varz: Varz): void {
		const previous = this.serverVarz;
		this.serverVarz = varz;
		if (!previous || previous.server_id !== varz.server_id || previous.start !== varz.start) {
			this.set({server: {name: varz.server_name, id: varz.server_id, version: varz.version}});
			void this.find();
		}
	}

	/** Where the profiles come from, in order: --prof-url, --prof-port, $SYS PROFILEZ, local discovery. */
	async find(): Promise<void> {
		const varz = this.serverVarz;
		const ticket = ++this.ticket;
		const o = this.options;
		if (o.profUrl !== undefined) {
			const base = pprofBase(o.profUrl);
			this.set({origin: base ? {status: 'http', base, how: '--prof-url'} : {status: 'none', message: `not a URL: ${sanitizeText(o.profUrl, 200)}`, hint: 'give --prof-url as http://host:port'}});
			return;
		}
		if (o.profPort !== undefined) {
			const host = o.reachHost.includes(':') && !o.reachHost.startsWith('[') ? `[${o.reachHost}]` : o.reachHost;
			this.set({origin: {status: 'http', base: `http://${host}:${o.profPort}/debug/pprof/`, how: '--prof-port'}});
			return;
		}
		if (!varz) return;
		if (o.transport === 'nats' && o.sys && remoteCapability('profilez', varz.version).ok) {
			this.set({origin: {status: 'nats', how: `$SYS.REQ.SERVER.${varz.server_id}.PROFILEZ`}});
			return;
		}
		this.set({origin: {status: 'finding'}});
		const place = discoveryPlace(o.transport, {host: o.reachHost, port: o.reachPort}, varz);
		const found = await discoverProcess({pid: o.pid, pidFile: o.pidFile, host: place.host, ports: place.ports, serverStartMs: timeMs(varz.start) || undefined, proc: o.proc});
		if (ticket !== this.ticket) return;
		const profilez = remoteCapability('profilez', varz.version);
		const remoteNote = o.transport === 'nats' && !profilez.ok ? `; ${profilez.reason}` : '';
		if (!found.ok) {
			this.set({origin: {status: 'none', message: `no profiling port known: ${found.message}${remoteNote}`, hint: 'set prof_port in the server config and pass --prof-port N (or --prof-url URL)'}});
			return;
		}
		const base = await discoverProfUrl(found.pid, {exclude: [varz.port, varz.http_port], proc: o.proc});
		if (ticket !== this.ticket) return;
		this.set({
			origin: base
				? {status: 'http', base, how: `found on pid ${found.pid}`}
				: {status: 'none', message: `pid ${found.pid} has no profiling port (prof_port is not set)${remoteNote}`, hint: 'set prof_port in the server config and reload or restart it; then press f'},
		});
	}

	/** Forward a key; true when used. */
	handleKey(input: string, key: KeyInfo): boolean {
		if (this.state.running) {
			if (key.escape) {
				this.abort?.abort();
				return true;
			}
			// One download at a time; other keys (q, views) stay the app's.
			return PROFILE_PANEL_KEYS.some(k => k.key === input) || input === '[' || input === ']' || input === 'f';
		}
		if (key.escape && this.state.result) {
			this.set({result: undefined});
			return true;
		}
		const entry = PROFILE_PANEL_KEYS.find(k => k.key === input);
		if (entry) {
			void this.download(entry.profile);
			return true;
		}
		// Not + and -: those change the refresh interval everywhere.
		if (input === ']') return this.step(1), true;
		if (input === '[') return this.step(-1), true;
		if (input === 'f') return void this.find(), true;
		return false;
	}

	private maxSeconds(): number {
		return this.state.origin.status === 'nats' ? PROFILEZ_MAX_CPU_MS / 1000 : CPU_SECONDS_STEPS[CPU_SECONDS_STEPS.length - 1]!;
	}

	private step(direction: 1 | -1): void {
		const steps = CPU_SECONDS_STEPS.filter(s => s <= this.maxSeconds());
		const index = steps.findIndex(s => s >= this.state.cpuSeconds);
		const current = index === -1 ? steps.length - 1 : index;
		const next = steps[Math.max(0, Math.min(steps.length - 1, current + direction))]!;
		this.set({cpuSeconds: next});
	}

	private async source(): Promise<ProfileSource | Failure> {
		const origin = this.state.origin;
		if (origin.status === 'http') return {kind: 'http', base: origin.base, how: origin.how, insecure: this.options.insecure};
		if (origin.status === 'nats') {
			const sys = await this.options.sys!();
			if (!sys.ok) return sys;
			return {kind: 'nats', nc: sys.nc, serverId: this.state.server?.id ?? '', how: origin.how};
		}
		if (origin.status === 'none') return {ok: false, code: 'unsupported', message: origin.message, hint: origin.hint};
		return {ok: false, code: 'unsupported', message: 'still looking for the profiling port', hint: ''};
	}

	async download(profile: ProfileKind): Promise<void> {
		if (this.state.running) return;
		const varz = this.serverVarz;
		if (profile === 'cpu' && this.state.origin.status === 'nats' && varz) {
			const cpu = remoteCapability('profilez-cpu', varz.version);
			if (!cpu.ok) {
				this.set({result: {ok: false, lines: [cpu.reason]}});
				return;
			}
		}
		const cpuSeconds = Math.min(this.state.cpuSeconds, this.maxSeconds());
		const abort = new AbortController();
		this.abort = abort;
		const startedAt = Date.now();
		const totalMs = profile === 'cpu' ? cpuSeconds * 1000 : 0;
		this.set({running: {profile, startedAt, totalMs, elapsedMs: 0}, result: undefined});
		if (totalMs > 0) {
			this.ticker = setInterval(() => {
				const running = this.state.running;
				if (running) this.set({running: {...running, elapsedMs: Math.min(running.totalMs, Date.now() - running.startedAt)}});
			}, this.options.tickMs ?? 200);
		}
		try {
			const source = await this.source();
			const result =
				'ok' in source
					? source
					: await downloadProfile({
							source,
							profile,
							cpuSeconds,
							dir: this.state.dir,
							serverName: this.state.server?.name || this.state.server?.id || 'server',
							timeoutMs: this.options.timeoutMs,
							signal: abort.signal,
							now: this.options.now,
						});
			if (result.ok) {
				const lines = downloadedLines(result);
				this.set({running: undefined, result: {ok: true, lines}, history: [lines[0]!, ...this.state.history].slice(0, 8)});
			} else {
				this.set({running: undefined, result: {ok: false, lines: failureLines(result)}});
			}
		} finally {
			if (this.ticker) clearInterval(this.ticker);
			this.ticker = undefined;
			this.abort = undefined;
			if (this.state.running) this.set({running: undefined});
		}
	}

	dispose(): void {
		this.abort?.abort();
		if (this.ticker) clearInterval(this.ticker);
		this.disposed = true;
		this.listeners.clear();
	}
}
