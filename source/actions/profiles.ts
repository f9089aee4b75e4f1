// Go pprof profiles from nats-server: over HTTP from its profiling port (prof_port), or over NATS
// with $SYS PROFILEZ. Files are named <profile>-<server>-<YYYYMMDD-HHMMSS>.pprof, created with
// O_EXCL (never overwriting: a suffix is added on collision) and only inside the chosen folder.
import http from 'node:http';
import https from 'node:https';
import {mkdir, open, realpath} from 'node:fs/promises';
import {basename, dirname, resolve} from 'node:path';
import {sanitizeText} from '../model/sanitize.js';
import {formatBytes} from '../model/format.js';
import {listeningPortsOf, PROC} from './discover.js';
import {failure, seconds, type Failure} from './result.js';
import {profilez, type SysRequester} from './remote.js';

export const PROFILE_KINDS = ['cpu', 'heap', 'allocs', 'goroutine', 'block', 'mutex', 'threadcreate'] as const;
export type ProfileKind = (typeof PROFILE_KINDS)[number];

export function isProfileKind(text: string): text is ProfileKind {
	return (PROFILE_KINDS as readonly string[]).includes(text);
}

export const DEFAULT_CPU_SECONDS = 10;
export const MAX_CPU_SECONDS = 300;
const MAX_PROFILE_BYTES = 512 * 1024 * 1024;
const GZIP_MAGIC = [0x1f, 0x8b];

/** The pprof path for a profile kind, relative to /debug/pprof/. */
export function pprofPath(kind: ProfileKind, cpuSeconds: number): string {
	return kind === 'cpu' ? `profile?seconds=${cpuSeconds}` : kind;
}

/** A server name as a file-name part: letters, digits, '.', '_' and '-' only; never '.' or '..'. */
export function safeFileNamePart(name: string): string {
	const cleaned = name
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[^A-Za-z0-9._-]+/g, '_')
		.replace(/^[._-]+/, '')
		.replace(/_+/g, '_')
		.slice(0, 64)
		.replace(/[._-]+$/, '');
	return cleaned === '' ? 'server' : cleaned;
}

function pad(n: number, width = 2): string {
	return String(n).padStart(width, '0');
}

/** Local time as YYYYMMDD-HHMMSS. */
export function fileTimestamp(date: Date): string {
	return `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
}

export function profileFileName(kind: ProfileKind, serverName: string, date: Date, attempt = 1): string {
	const suffix = attempt > 1 ? `-${attempt}` : '';
	return `${kind}-${safeFileNamePart(serverName)}-${fileTimestamp(date)}${suffix}.pprof`;
}

export type Written = {ok: true; path: string; bytes: number};

/**
 * Write `data` to a new file in `dir` (created if missing) named by `nameFor(attempt)`: exclusive
 * create, a new suffix when the name is taken, and a refusal if a name would leave `dir`.
 */
export async function writeExclusive(dir: string, nameFor: (attempt: number) => string, data: Uint8Array): Promise<Written | Failure> {
	const shownDir = sanitizeText(dir, 300);
	let root: string;
	try {
		await mkdir(dir, {recursive: true});
		root = await realpath(dir);
	} catch (error) {
		return failure('io', `cannot use folder ${shownDir}: ${errnoText(error)}`, 'choose another with --dir');
	}
	for (let attempt = 1; attempt <= 1000; attempt++) {
		const name = nameFor(attempt);
		const path = resolve(root, name);
		if (basename(name) !== name || dirname(path) !== root) {
			return failure('refused', `refusing to write ${sanitizeText(name, 200)}: outside ${shownDir}`);
		}
		let handle;
		try {
			handle = await open(path, 'wx', 0o644);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
			return failure('io', `cannot create ${sanitizeText(path, 300)}: ${errnoText(error)}`);
		}
		try {
			await handle.writeFile(data);
		} catch (error) {
			await handle.close().catch(() => {});
			return failure('io', `cannot write ${sanitizeText(path, 300)}: ${errnoText(error)}`);
		}
		await handle.close();
		return {ok: true, path, bytes: data.byteLength};
	}
	return failure('io', `too many profiles with the same name in ${shownDir}`);
}

function errnoText(error: unknown): string {
	const code = (error as NodeJS.ErrnoException).code;
	if (code === 'ENOENT') return 'no such file or folder';
	if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
	if (code === 'ENOTDIR') return 'not a folder';
	if (code === 'ENOSPC') return 'no space left';
	if (code === 'EROFS') return 'read-only file system';
	return sanitizeText(code ?? (error as Error).message ?? 'error', 80);
}

export function isGzip(data: Uint8Array): boolean {
	return data.length >= 2 && data[0] === GZIP_MAGIC[0] && data[1] === GZIP_MAGIC[1];
}

// --- HTTP -------------------------------------------------------------------------------------

/** Normalize a --prof-url or host:port into the pprof base, ending in /debug/pprof/. */
export function pprofBase(url: string): string | undefined {
	let text = url.trim();
	if (!/^https?:\/\//i.test(text)) text = `http://${text}`;
	let parsed: URL;
	try {
		parsed = new URL(text);
	} catch {
		return undefined;
	}
	parsed.search = '';
	parsed.hash = '';
	let path = parsed.pathname.replace(/\/+$/, '');
	if (!path.endsWith('/debug/pprof')) path = `${path}/debug/pprof`;
	parsed.pathname = `${path}/`;
	return parsed.toString();
}

type Got = {status: number; body: Buffer};

/** GET with a byte cap; aborts with `signal`. Rejects with the socket's error. */
function get(url: string, timeoutMs: number, signal?: AbortSignal, insecure = false): Promise<Got> {
	const client = url.startsWith('https:') ? https : http;
	return new Promise((resolveGot, reject) => {
		const request = client.get(url, {timeout: timeoutMs, signal, agent: false, rejectUnauthorized: !insecure}, response => {
			const chunks: Buffer[] = [];
			let size = 0;
			response.on('data', (chunk: Buffer) => {
				size += chunk.length;
				if (size > MAX_PROFILE_BYTES) {
					request.destroy(new Error('the profile is larger than 512 MiB'));
					return;
				}
				chunks.push(chunk);
			});
			response.on('end', () => resolveGot({status: response.statusCode ?? 0, body: Buffer.concat(chunks)}));
			response.on('error', reject);
		});
		request.on('timeout', () => request.destroy(Object.assign(new Error('timed out'), {code: 'ETIMEDOUT'})));
		request.on('error', reject);
	});
}

function httpFailure(error: unknown, where: string, timeoutMs: number): Failure {
	const e = error as NodeJS.ErrnoException;
	if (e.name === 'AbortError' || e.code === 'ABORT_ERR') return failure('cancelled', 'profile cancelled');
	if (e.code === 'ECONNREFUSED') return failure('http', `connection refused by ${where}`, 'is prof_port set in the server config? Pass it with --prof-port');
	if (e.code === 'ETIMEDOUT') return failure('http', `${where} did not answer within ${seconds(timeoutMs)}`);
	if (e.code?.startsWith('HPE_')) return failure('http', `${where} did not answer with HTTP`, 'this is not the profiling port');
	return failure('http', `${where}: ${sanitizeText(e.message ?? String(error), 200)}`);
}

/** Download one profile from a pprof base URL (…/debug/pprof/). */
export async function fetchHttpProfile(base: string, kind: ProfileKind, cpuSeconds: number, options: {timeoutMs: number; signal?: AbortSignal; insecure?: boolean}): Promise<{ok: true; data: Buffer} | Failure> {
	const url = new URL(pprofPath(kind, cpuSeconds), base).toString();
	const where = new URL(base).host;
	const timeoutMs = options.timeoutMs + (kind === 'cpu' ? cpuSeconds * 1000 : 0);
	let got: Got;
	try {
		got = await get(url, timeoutMs, options.signal, options.insecure);
	} catch (error) {
		return httpFailure(error, where, timeoutMs);
	}
	if (got.status !== 200) {
		const text = sanitizeText(got.body.toString('utf8').split('\n')[0] ?? '', 200);
		return failure('http', `${where} answered ${got.status} for /debug/pprof/${pprofPath(kind, cpuSeconds)}${text ? `: ${text}` : ''}`, got.status === 404 ? 'this is not the profiling port' : '');
	}
	if (!isGzip(got.body)) return failure('http', `${where} sent something that is not a gzip'd profile`, 'this may not be the profiling port');
	return {ok: true, data: got.body};
}

/** Does this base URL serve Go's pprof index? */
export async function probePprof(base: string, timeoutMs = 1000, signal?: AbortSignal): Promise<boolean> {
	try {
		const got = await get(base, timeoutMs, signal);
		const text = got.body.toString('utf8', 0, Math.min(got.body.length, 4096));
		return got.status === 200 && /\/debug\/pprof\//.test(text) && /profile/i.test(text);
	} catch {
		return false;
	}
}

/** The profiling port among the ports a local process listens on, found by probing each. */
export async function discoverProfUrl(pid: number, options: {exclude?: number[]; proc?: string; timeoutMs?: number} = {}): Promise<string | undefined> {
	const sockets = await listeningPortsOf(pid, options.proc ?? PROC);
	const seen = new Set<number>();
	for (const socket of sockets) {
		if (seen.has(socket.port) || options.exclude?.includes(socket.port)) continue;
		seen.add(socket.port);
		const host = socket.address === '0.0.0.0' ? '127.0.0.1' : socket.address === '::' ? '[::1]' : socket.v6 ? `[${socket.address}]` : socket.address;
		const base = `http://${host}:${socket.port}/debug/pprof/`;
		if (await probePprof(base, options.timeoutMs ?? 1000)) return base;
	}
	return undefined;
}

// --- one download, start to finish ------------------------------------------------------------

export type ProfileSource =
	| {kind: 'http'; base: string; how: string; insecure?: boolean}
	| {kind: 'nats'; nc: SysRequester; serverId: string; how: string};

export type ProfileRequest = {
	source: ProfileSource;
	profile: ProfileKind;
	cpuSeconds: number;
	dir: string;
	serverName: string;
	timeoutMs: number;
	signal?: AbortSignal;
	now?: () => Date;
};

export type Downloaded = {ok: true; profile: ProfileKind; path: string; bytes: number; elapsedMs: number};

export async function downloadProfile(request: ProfileRequest): Promise<Downloaded | Failure> {
	const started = Date.now();
	const source = request.source;
	const fetched =
		source.kind === 'http'
			? await fetchHttpProfile(source.base, request.profile, request.cpuSeconds, {timeoutMs: request.timeoutMs, signal: request.signal, insecure: source.insecure})
			: await profilez(source.nc, source.serverId, request.profile, request.cpuSeconds * 1000, request.timeoutMs);
	if (request.signal?.aborted) return failure('cancelled', 'profile cancelled; nothing was written');
	if (!fetched.ok) return fetched;
	if (!isGzip(fetched.data)) return failure(source.kind === 'http' ? 'http' : 'nats', `the ${request.profile} profile is not gzip'd protobuf`);
	const date = (request.now ?? (() => new Date()))();
	const written = await writeExclusive(request.dir, attempt => profileFileName(request.profile, request.serverName, date, attempt), fetched.data);
	if (!written.ok) return written;
	return {ok: true, profile: request.profile, path: written.path, bytes: written.bytes, elapsedMs: Date.now() - started};
}

/** "wrote …" and the pprof hint. */
export function downloadedLines(d: Downloaded): string[] {
	const path = sanitizeText(d.path, 400);
	const took = d.elapsedMs < 1000 ? `${Math.round(d.elapsedMs)} ms` : `${(d.elapsedMs / 1000).toFixed(1)} s`;
	return [`${d.profile} profile: ${formatBytes(d.bytes, false)} in ${took} → ${path}`, `go tool pprof ${shellQuote(path)}`];
}

/** Quote a path for the hint when it has anything a shell would split or expand. */
export function shellQuote(path: string): string {
	return /^[A-Za-z0-9_./:=@+-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

