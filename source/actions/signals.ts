// Signals to a local nats-server (process.kill, never a shell) and the checks that show each one
// took effect: reload → varz config_load_time changes; reopen → the process writes a fresh log
// file; lame duck → it stops accepting, drains, turns unhealthy and exits.
import {open} from 'node:fs/promises';
import {sanitizeText} from '../model/sanitize.js';
import type {Varz} from '../sources/types.js';
import {checkPid, openLogFiles, processAlive, PROC, type OpenLog} from './discover.js';
import {accepts, type ServerProbe} from './probe.js';
import {failure, seconds, sleep, type Failure} from './result.js';

export type SignalAction = 'reload' | 'reopen' | 'ldm';

export const SIGNAL_ACTIONS: readonly SignalAction[] = ['reload', 'reopen', 'ldm'];

export const SIGNAL_OF: Record<SignalAction, NodeJS.Signals> = {reload: 'SIGHUP', reopen: 'SIGUSR1', ldm: 'SIGUSR2'};

export const ACTION_LABEL: Record<SignalAction, string> = {
	reload: 'reload configuration',
	reopen: 'reopen log file',
	ldm: 'lame-duck mode',
};

/** What the same thing looks like with nats-server's own tool (shown as text, never run). */
export function equivalentCommand(action: SignalAction, pid: number): string {
	return `nats-server --signal ${action}=${pid}`;
}

export function parseSignalAction(text: string): SignalAction | undefined {
	const t = text.toLowerCase();
	if (t === 'reload' || t === 'hup' || t === 'sighup') return 'reload';
	if (t === 'reopen' || t === 'usr1' || t === 'sigusr1') return 'reopen';
	if (t === 'ldm' || t === 'lameduck' || t === 'lame-duck' || t === 'usr2' || t === 'sigusr2') return 'ldm';
	return undefined;
}

/** The plain-language message for a failed kill(). */
export function killFailure(code: string | undefined, pid: number, action: SignalAction): Failure {
	const sig = SIGNAL_OF[action];
	if (code === 'EPERM') {
		return failure('EPERM', `not permitted to send ${sig} to pid ${pid}: it belongs to another user`, "run natscope as the server's user (or root)");
	}
	if (code === 'ESRCH') {
		return failure('ESRCH', `pid ${pid} is gone (no such process): nothing was signalled`, 'the server exited or restarted with a new pid; check its pid file');
	}
	return failure('refused', `cannot send ${sig} to pid ${pid}: ${sanitizeText(code ?? 'unknown error', 40)}`);
}

export type KillFn = (pid: number, signal: NodeJS.Signals) => void;

export type SignalOptions = {
	/** varz start (epoch ms) of the server the user means: refuse another nats-server. */
	serverStartMs?: number;
	proc?: string;
	kill?: KillFn;
};

/**
 * Send the action's signal to `pid` after checking, right before, that it is a live
 * nats-server (and the monitored one). Refuses anything else.
 */
export async function sendSignal(pid: number, action: SignalAction, options: SignalOptions = {}): Promise<{ok: true} | Failure> {
	const checked = await checkPid(pid, `pid ${pid}`, {serverStartMs: options.serverStartMs, proc: options.proc});
	if (!checked.ok) {
		if (checked.reason === 'gone') return killFailure('ESRCH', pid, action);
		return failure('refused', checked.message, checked.hint);
	}
	const kill: KillFn = options.kill ?? ((p, s) => process.kill(p, s));
	try {
		kill(pid, SIGNAL_OF[action]);
	} catch (error) {
		return killFailure((error as NodeJS.ErrnoException).code, pid, action);
	}
	return {ok: true};
}

// --- verification -----------------------------------------------------------------------------

export type Verified = {ok: true; lines: string[]};

export type VerifyOptions = {timeoutMs?: number; intervalMs?: number; signal?: AbortSignal};

/** Reload: wait until varz config_load_time differs from `before`. */
export async function verifyReload(probe: ServerProbe, before: Varz, options: VerifyOptions = {}): Promise<Verified & {varz: Varz} | Failure> {
	const timeoutMs = options.timeoutMs ?? 5000;
	const deadline = Date.now() + timeoutMs;
	let lastError = '';
	while (!options.signal?.aborted) {
		try {
			const varz = await probe.varz(options.signal);
			if (varz.config_load_time && varz.config_load_time !== before.config_load_time) {
				const lines = [`config_load_time ${before.config_load_time || '?'} → ${varz.config_load_time}`];
				if (varz.max_payload !== before.max_payload) lines.push(`max_payload ${before.max_payload} → ${varz.max_payload}`);
				return {ok: true, lines, varz};
			}
		} catch (error) {
			lastError = sanitizeText((error as Error).message, 200);
		}
		if (Date.now() >= deadline) break;
		await sleep(options.intervalMs ?? 200, options.signal);
	}
	if (options.signal?.aborted) return failure('cancelled', 'stopped waiting for the reload');
	return failure(
		'unverified',
		`config_load_time did not change within ${seconds(timeoutMs)}${lastError ? ` (last error: ${lastError})` : ''}`,
		'the server probably rejected the new configuration and kept the old one: its log says why',
	);
}

/** The log files before a reopen, to compare with after (undefined: not visible to us). */
export function logsBefore(pid: number, proc = PROC): Promise<OpenLog[] | undefined> {
	return openLogFiles(pid, proc);
}

async function tailContains(path: string, from: number, needle: string): Promise<boolean> {
	const handle = await open(path, 'r').catch(() => undefined);
	if (!handle) return false;
	try {
		const {size} = await handle.stat();
		const start = Math.max(0, Math.min(from, size));
		const length = Math.min(size - start, 64 * 1024);
		if (length <= 0) return false;
		const buffer = Buffer.alloc(length);
		await handle.read(buffer, 0, length, size - length);
		return buffer.toString('utf8').includes(needle);
	} finally {
		await handle.close();
	}
}

/**
 * Reopen: the process opens a log file it did not have open before (a rotated file is renamed,
 * the server creates a new one at its configured path), or writes "File log re-opened" into
 * the same file. With no log file (logging to stdout) or fds we cannot read, the signal's
 * delivery is all there is to report.
 */
export async function verifyReopen(pid: number, before: OpenLog[] | undefined, options: VerifyOptions & {proc?: string} = {}): Promise<Verified | Failure> {
	const proc = options.proc ?? PROC;
	if (before === undefined) return {ok: true, lines: ['signal delivered (its open files are not visible to this user, so the new log file is not checked)']};
	if (before.length === 0) return {ok: true, lines: ['signal delivered; the server writes no log file (log_file not set), so there is nothing to reopen']};
	const timeoutMs = options.timeoutMs ?? 3000;
	const deadline = Date.now() + timeoutMs;
	while (!options.signal?.aborted) {
		const after = await openLogFiles(pid, proc);
		if (after === undefined) {
			if (!(await processAlive(pid, proc))) return failure('ESRCH', `pid ${pid} is gone: it exited after the signal`, 'check the server log');
		} else {
			const fresh = after.find(a => !before.some(b => b.fd === a.fd && b.ino === a.ino));
			if (fresh) return {ok: true, lines: [`log file re-opened: now writing ${sanitizeText(fresh.path, 300)}`]};
			for (const log of after) {
				const old = before.find(b => b.fd === log.fd);
				if (await tailContains(log.path, old?.size ?? 0, 'File log re-opened')) return {ok: true, lines: [`log file re-opened: ${sanitizeText(log.path, 300)}`]};
			}
		}
		if (Date.now() >= deadline) break;
		await sleep(options.intervalMs ?? 100, options.signal);
	}
	if (options.signal?.aborted) return failure('cancelled', 'stopped waiting for the reopen');
	return failure('unverified', `signal delivered, but no new log file showed within ${seconds(timeoutMs)}`, `still writing ${sanitizeText(before[0]!.path, 300)}; check the server log`);
}

/** What a lame-duck watch has seen so far. */
export type LameDuckProgress = {
	/** The client port refuses new connections. */
	refusing: boolean;
	/** Client connections still open (varz), undefined when unknown. */
	connections?: number;
	/** Connections when the watch started. */
	initialConnections?: number;
	/** healthz no longer ok (or the monitoring port is gone). */
	healthRed: boolean;
	exited: boolean;
	elapsedMs: number;
};

/** The progress as lines for the panel and the command. */
export function lameDuckLines(p: LameDuckProgress): string[] {
	const lines = [`${p.refusing ? '✓' : '…'} stops accepting new connections`];
	const drained = p.connections === 0 || p.exited;
	const count = p.connections === undefined ? '' : ` (${p.connections}${p.initialConnections !== undefined ? ` of ${p.initialConnections}` : ''} left)`;
	lines.push(`${drained ? '✓' : '…'} connections drain${drained ? '' : count}`);
	lines.push(`${p.healthRed ? '✓' : '…'} health turns red`);
	lines.push(`${p.exited ? '✓' : '…'} the server exits${p.exited ? ` after ${seconds(Math.round(p.elapsedMs / 100) * 100)}` : ''}`);
	return lines;
}

export type LameDuckWatch = {
	pid: number;
	/** Where clients connect (varz host/port); 0.0.0.0 becomes 127.0.0.1. */
	clientHost: string;
	clientPort: number;
	probe: ServerProbe;
	proc?: string;
	signal?: AbortSignal;
	/** Default 10 minutes (lame_duck_duration is 2 minutes by default, and may be longer). */
	timeoutMs?: number;
	intervalMs?: number;
	onProgress?: (progress: LameDuckProgress) => void;
};

/** Follow a server through lame-duck mode until it exits (or the watch times out or is aborted). */
export async function watchLameDuck(watch: LameDuckWatch): Promise<Verified & {progress: LameDuckProgress} | Failure> {
	const started = Date.now();
	const timeoutMs = watch.timeoutMs ?? 600_000;
	const host = watch.clientHost === '' || watch.clientHost === '0.0.0.0' ? '127.0.0.1' : watch.clientHost === '::' ? '::1' : watch.clientHost;
	const progress: LameDuckProgress = {refusing: false, healthRed: false, exited: false, elapsedMs: 0};
	let last = '';
	const report = (): void => {
		progress.elapsedMs = Date.now() - started;
		const text = JSON.stringify({...progress, elapsedMs: 0});
		if (text !== last) {
			last = text;
			watch.onProgress?.({...progress});
		}
	};
	while (!watch.signal?.aborted) {
		if (!(await processAlive(watch.pid, watch.proc))) {
			progress.exited = true;
			progress.refusing = true;
			progress.healthRed = true;
			report();
			return {ok: true, lines: lameDuckLines(progress), progress};
		}
		if (!progress.refusing && watch.clientPort > 0) progress.refusing = !(await accepts(host, watch.clientPort, 1000));
		try {
			const health = await watch.probe.healthz(watch.signal);
			if (health.status !== 'ok' || (health.http_status !== 0 && health.http_status !== 200)) progress.healthRed = true;
		} catch {
			progress.healthRed = true;
		}
		try {
			const varz = await watch.probe.varz(watch.signal);
			progress.connections = varz.connections;
			progress.initialConnections ??= varz.connections;
		} catch {
			// the monitoring port closes as the server shuts down
		}
		report();
		if (Date.now() - started >= timeoutMs) break;
		await sleep(watch.intervalMs ?? 250, watch.signal);
	}
	if (watch.signal?.aborted) return failure('cancelled', 'stopped watching; the server stays in lame-duck mode');
	return failure('unverified', `the server has not exited after ${seconds(timeoutMs)}`, 'lame_duck_duration may be longer; watch its log');
}
