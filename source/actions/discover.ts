// Finding the local nats-server process behind a monitored server, from /proc only (Linux):
// the listening sockets in /proc/net/tcp and tcp6, the socket inodes each process holds under
// /proc/<pid>/fd, and /proc/<pid>/exe or comm to check that it is nats-server. Nothing is run
// through a shell. The proc root is a parameter so that tests can use a fake tree.
import {readdir, readFile, readlink, stat} from 'node:fs/promises';
import {networkInterfaces, hostname} from 'node:os';
import {isIP} from 'node:net';
import {sanitizeText} from '../model/sanitize.js';

export const PROC = '/proc';

/** Linux USER_HZ: /proc/<pid>/stat counts start time in these ticks on every common platform. */
const CLOCK_TICKS = 100;

export type ListenSocket = {inode: number; address: string; port: number; v6: boolean};

/** One process the search found, with what it is. */
export type ProcessInfo = {
	pid: number;
	/** /proc/<pid>/exe target ('' when not readable). */
	exe: string;
	/** /proc/<pid>/comm. */
	comm: string;
	isNats: boolean;
	/** Epoch ms when the process started (from /proc/<pid>/stat and btime), 0 when unknown. */
	startedMs: number;
};

export type Found = {ok: true; pid: number; how: string; process: ProcessInfo};

export type DiscoveryReason =
	| 'remote' // the server is on another host
	| 'none' // nothing listens on its ports here
	| 'several' // more than one nats-server holds the port
	| 'hidden' // something listens, but its process is not visible to this user
	| 'not-nats' // the pid is not nats-server
	| 'gone' // no such process
	| 'pid-file' // the pid file cannot be read or holds no pid
	| 'mismatch' // a nats-server, but not the one being monitored
	| 'no-proc'; // no /proc (not Linux)

export type DiscoveryFailure = {ok: false; reason: DiscoveryReason; message: string; hint: string; candidates?: number[]};

export type Discovery = Found | DiscoveryFailure;

const ASK_FOR_PID = 'pass --pid N or --pid-file PATH';

// --- /proc/net/tcp ----------------------------------------------------------------------------

/** "0100007F" (little-endian) → "127.0.0.1". */
export function hexToIPv4(hex: string): string {
	const n = Number.parseInt(hex, 16) >>> 0;
	return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff].join('.');
}

/** 32 hex digits as four little-endian 32-bit words → "::1", "::ffff:127.0.0.1", … */
export function hexToIPv6(hex: string): string {
	const bytes: number[] = [];
	for (let word = 0; word < 4; word++) {
		const chunk = hex.slice(word * 8, word * 8 + 8);
		for (let i = 3; i >= 0; i--) bytes.push(Number.parseInt(chunk.slice(i * 2, i * 2 + 2), 16));
	}
	const groups: string[] = [];
	for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
	const isMapped = groups.slice(0, 5).every(g => g === '0') && groups[5] === 'ffff';
	if (isMapped) return `::ffff:${bytes.slice(12).join('.')}`;
	// Compress the longest run of zero groups.
	let best = {start: -1, length: 0};
	for (let i = 0; i < 8; ) {
		if (groups[i] !== '0') {
			i++;
			continue;
		}
		let j = i;
		while (j < 8 && groups[j] === '0') j++;
		if (j - i > best.length) best = {start: i, length: j - i};
		i = j;
	}
	if (best.length < 2) return groups.join(':');
	const head = groups.slice(0, best.start).join(':');
	const tail = groups.slice(best.start + best.length).join(':');
	return `${head}::${tail}`;
}

/** The listening sockets (state 0A) in the text of /proc/net/tcp or tcp6. */
export function parseProcNetTcp(text: string, v6: boolean): ListenSocket[] {
	const sockets: ListenSocket[] = [];
	for (const line of text.split('\n').slice(1)) {
		const fields = line.trim().split(/\s+/);
		if (fields.length < 10 || fields[3] !== '0A') continue;
		const [addressHex, portHex] = (fields[1] ?? '').split(':');
		const inode = Number(fields[9]);
		if (!addressHex || !portHex || !Number.isSafeInteger(inode) || inode <= 0) continue;
		sockets.push({inode, address: v6 ? hexToIPv6(addressHex) : hexToIPv4(addressHex), port: Number.parseInt(portHex, 16), v6});
	}
	return sockets;
}

/** Every listening TCP socket on this host (IPv4 and IPv6); undefined when /proc/net is missing. */
export async function listeningSockets(proc = PROC): Promise<ListenSocket[] | undefined> {
	let found = false;
	const sockets: ListenSocket[] = [];
	for (const [file, v6] of [
		['tcp', false],
		['tcp6', true],
	] as const) {
		try {
			sockets.push(...parseProcNetTcp(await readFile(`${proc}/net/${file}`, 'utf8'), v6));
			found = true;
		} catch {
			// tcp6 is absent when IPv6 is off
		}
	}
	return found ? sockets : undefined;
}

// --- processes --------------------------------------------------------------------------------

/** The socket inodes a process holds; undefined when its fds are not readable (another user). */
export async function socketInodes(pid: number, proc = PROC): Promise<Set<number> | undefined> {
	let fds: string[];
	try {
		fds = await readdir(`${proc}/${pid}/fd`);
	} catch {
		return undefined;
	}
	const inodes = new Set<number>();
	await Promise.all(
		fds.map(async fd => {
			try {
				const match = /^socket:\[(\d+)\]$/.exec(await readlink(`${proc}/${pid}/fd/${fd}`));
				if (match) inodes.add(Number(match[1]));
			} catch {
				// closed meanwhile
			}
		}),
	);
	return inodes;
}

async function allPids(proc: string): Promise<number[]> {
	try {
		return (await readdir(proc)).filter(name => /^\d+$/.test(name)).map(Number);
	} catch {
		return [];
	}
}

async function bootTimeMs(proc: string): Promise<number> {
	try {
		const match = /^btime (\d+)$/m.exec(await readFile(`${proc}/stat`, 'utf8'));
		return match ? Number(match[1]) * 1000 : 0;
	} catch {
		return 0;
	}
}

/** The state letter and start time (ticks after boot) from /proc/<pid>/stat. */
async function statOf(pid: number, proc: string): Promise<{state: string; startTicks: number} | undefined> {
	try {
		const text = await readFile(`${proc}/${pid}/stat`, 'utf8');
		// comm is in parentheses and may hold spaces or parentheses: split after the last ')'.
		const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
		// rest[0] is field 3 (state); starttime is field 22.
		return {state: rest[0] ?? '', startTicks: Number(rest[19] ?? 0)};
	} catch {
		return undefined;
	}
}

/** A nats-server binary, also after an upgrade replaced it on disk ("… (deleted)"). */
export function looksLikeNatsServer(exe: string, comm: string): boolean {
	const base = exe.replace(/ \(deleted\)$/, '').split('/').pop() ?? '';
	if (base !== '') return /^nats-server(\.exe)?$/.test(base);
	return comm === 'nats-server';
}

/** What /proc says about a pid; undefined when there is no such (live) process. */
export async function processInfo(pid: number, proc = PROC): Promise<ProcessInfo | undefined> {
	const status = await statOf(pid, proc);
	if (!status || status.state === 'Z' || status.state === 'X') return undefined;
	const exe = await readlink(`${proc}/${pid}/exe`).catch(() => '');
	const comm = (await readFile(`${proc}/${pid}/comm`, 'utf8').catch(() => '')).trim();
	const boot = await bootTimeMs(proc);
	const startedMs = boot > 0 && status.startTicks > 0 ? boot + (status.startTicks * 1000) / CLOCK_TICKS : 0;
	return {pid, exe, comm, isNats: looksLikeNatsServer(exe, comm), startedMs};
}

/** Running and not a zombie (kill(pid, 0) alone says yes to a zombie). */
export async function processAlive(pid: number, proc = PROC): Promise<boolean> {
	const status = await statOf(pid, proc);
	return status !== undefined && status.state !== 'Z' && status.state !== 'X';
}

/** The ports a process listens on (for finding its profiling port). */
export async function listeningPortsOf(pid: number, proc = PROC): Promise<ListenSocket[]> {
	const [sockets, inodes] = await Promise.all([listeningSockets(proc), socketInodes(pid, proc)]);
	if (!sockets || !inodes) return [];
	return sockets.filter(s => inodes.has(s.inode));
}

// --- where the server is ----------------------------------------------------------------------

function bareHost(host: string): string {
	return host.replace(/^\[|\]$/g, '').toLowerCase();
}

/** Is `host` this machine: loopback, a wildcard, one of our interfaces' addresses, our name. */
export function isLocalHost(host: string): boolean {
	const h = bareHost(host);
	if (h === '' || h === 'localhost' || h.endsWith('.localhost')) return true;
	if (h === '0.0.0.0' || h === '::' || h === '::1' || /^127\./.test(h) || h.startsWith('::ffff:127.')) return true;
	if (isIP(h)) {
		for (const addresses of Object.values(networkInterfaces())) {
			for (const address of addresses ?? []) {
				if (address.address.toLowerCase() === h) return true;
			}
		}
		return false;
	}
	const own = hostname().toLowerCase();
	return own !== '' && (h === own || h.startsWith(`${own}.`));
}

/** Read a pid file: the bare decimal pid nats-server writes. */
export async function readPidFile(path: string): Promise<{ok: true; pid: number} | DiscoveryFailure> {
	const shown = sanitizeText(path, 200);
	let text: string;
	try {
		text = await readFile(path, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (code ?? 'unreadable');
		return {ok: false, reason: 'pid-file', message: `cannot read pid file ${shown}: ${why}`, hint: 'pid_file in the server config names it; or pass --pid N'};
	}
	const pid = parsePid(text.trim());
	if (pid === undefined) {
		return {ok: false, reason: 'pid-file', message: `pid file ${shown} does not hold a pid`, hint: 'it should contain one number; or pass --pid N'};
	}
	return {ok: true, pid};
}

/** A positive decimal pid, or undefined. */
export function parsePid(text: string): number | undefined {
	if (!/^\d{1,10}$/.test(text)) return undefined;
	const pid = Number(text);
	return pid > 0 && pid <= 4_194_304 ? pid : undefined;
}

function describeProcess(info: ProcessInfo): string {
	const name = info.exe ? info.exe.replace(/ \(deleted\)$/, '') : info.comm;
	return sanitizeText(name || 'unknown', 120);
}

function clock(ms: number): string {
	return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export type DiscoverOptions = {
	pid?: number;
	pidFile?: string;
	/** The host we reach the server at (monitoring URL or NATS URL host, or varz host). */
	host: string;
	/** Its ports here: the monitoring port, the client port. */
	ports: number[];
	/**
	 * varz `start` as epoch ms: a process found must have started then (within a margin), so a
	 * different nats-server on the same port number (another host's server seen through a
	 * cluster) is never taken for it.
	 */
	serverStartMs?: number;
	proc?: string;
};

/**
 * How far varz `start` may lie after the process start: the server sets it in NewServer, after
 * reading its config, before JetStream recovery.
 */
const START_SLACK_BEFORE_MS = 2000;
const START_SLACK_AFTER_MS = 60_000;

function checkStart(info: ProcessInfo, serverStartMs: number | undefined): DiscoveryFailure | undefined {
	if (!serverStartMs || !info.startedMs) return undefined;
	const delta = serverStartMs - info.startedMs;
	if (delta >= -START_SLACK_BEFORE_MS && delta <= START_SLACK_AFTER_MS) return undefined;
	return {
		ok: false,
		reason: 'mismatch',
		message: `pid ${info.pid} is a nats-server started ${clock(info.startedMs)}, but the monitored server started ${clock(serverStartMs)}: a different server`,
		hint: `${ASK_FOR_PID} of the monitored server`,
	};
}

/** Check that an explicit pid is a live nats-server (and the monitored one when known). */
export async function checkPid(pid: number, how: string, options: {serverStartMs?: number; proc?: string} = {}): Promise<Discovery> {
	const proc = options.proc ?? PROC;
	const info = await processInfo(pid, proc);
	if (!info) {
		return {ok: false, reason: 'gone', message: `pid ${pid} (${how}) is gone (no such process)`, hint: 'the server exited or restarted with a new pid; check its pid file'};
	}
	if (!info.isNats) {
		return {ok: false, reason: 'not-nats', message: `pid ${pid} (${how}) is ${describeProcess(info)}, not nats-server: refusing to signal it`, hint: ASK_FOR_PID};
	}
	const mismatch = checkStart(info, options.serverStartMs);
	if (mismatch) return mismatch;
	return {ok: true, pid, how, process: info};
}

/**
 * Find the monitored server's process: --pid, then --pid-file, then (for a server on this host)
 * the process holding a listening socket on one of its ports.
 */
export async function discoverProcess(options: DiscoverOptions): Promise<Discovery> {
	const proc = options.proc ?? PROC;
	if (options.pid !== undefined) return checkPid(options.pid, '--pid', {serverStartMs: options.serverStartMs, proc});
	if (options.pidFile !== undefined) {
		const read = await readPidFile(options.pidFile);
		if (!read.ok) return read;
		return checkPid(read.pid, `pid file ${sanitizeText(options.pidFile, 200)}`, {serverStartMs: options.serverStartMs, proc});
	}
	const where = sanitizeText(options.host, 100);
	if (!isLocalHost(options.host)) {
		return {
			ok: false,
			reason: 'remote',
			message: `${where} is not this host: signals can only be sent on the server's own host`,
			hint: 'run natscope there, or use the NATS transport (nats://…, system account) for remote reload on nats-server 2.10+',
		};
	}
	const sockets = await listeningSockets(proc);
	if (!sockets) return {ok: false, reason: 'no-proc', message: 'cannot find processes here (no /proc/net/tcp)', hint: ASK_FOR_PID};
	const ports = [...new Set(options.ports.filter(p => p > 0))];
	const wanted = new Set(sockets.filter(s => ports.includes(s.port)).map(s => s.inode));
	const portText = ports.join(', ');
	if (wanted.size === 0) {
		return {ok: false, reason: 'none', message: `no process on this host listens on port ${portText}`, hint: `is the server running here? Otherwise ${ASK_FOR_PID}`};
	}
	const owners: number[] = [];
	for (const pid of await allPids(proc)) {
		const inodes = await socketInodes(pid, proc);
		if (inodes && [...inodes].some(inode => wanted.has(inode))) owners.push(pid);
	}
	if (owners.length === 0) {
		return {
			ok: false,
			reason: 'hidden',
			message: `something listens on port ${portText}, but its process is not visible to this user`,
			hint: `run natscope as the server's user, or ${ASK_FOR_PID}`,
		};
	}
	const infos = (await Promise.all(owners.map(pid => processInfo(pid, proc)))).filter((i): i is ProcessInfo => i !== undefined);
	const nats = infos.filter(i => i.isNats);
	if (nats.length === 0) {
		const first = infos[0];
		return {
			ok: false,
			reason: 'not-nats',
			message: `port ${portText} belongs to ${first ? `pid ${first.pid} (${describeProcess(first)})` : 'a process that is gone'}, not nats-server`,
			hint: `a proxy or container runtime? ${ASK_FOR_PID}`,
			candidates: owners,
		};
	}
	// A parent and child sharing the socket are still several processes: let the user choose.
	const matching = nats.filter(i => checkStart(i, options.serverStartMs) === undefined);
	if (matching.length === 0) return checkStart(nats[0]!, options.serverStartMs)!;
	if (matching.length > 1) {
		return {
			ok: false,
			reason: 'several',
			message: `several nats-server processes hold port ${portText}: ${matching.map(i => i.pid).join(', ')}`,
			hint: ASK_FOR_PID,
			candidates: matching.map(i => i.pid),
		};
	}
	const info = matching[0]!;
	const held = await socketInodes(info.pid, proc);
	// Name the port asked for first (the monitored one), as the process holds it.
	const socket = ports.map(port => sockets.find(s => s.port === port && wanted.has(s.inode) && (held?.has(s.inode) ?? true))).find(s => s !== undefined);
	const how = `listening on ${socket ? `${socket.v6 ? `[${socket.address}]` : socket.address}:${socket.port}` : `port ${portText}`}`;
	return {ok: true, pid: info.pid, how, process: info};
}

/**
 * Where to look for a server's process: over HTTP the monitoring URL's host and port (plus the
 * client port from varz); over NATS varz host when it names a remote address, else the host we
 * connected to, with the client and monitoring ports from varz.
 */
export function discoveryPlace(
	transport: 'http' | 'nats',
	reach: {host: string; port?: number},
	varz: {host: string; port: number; http_port: number},
): {host: string; ports: number[]} {
	const specific = varz.host && varz.host !== '0.0.0.0' && varz.host !== '::' ? varz.host : '';
	const host = transport === 'http' ? reach.host : specific && !isLocalHost(specific) ? specific : reach.host;
	const ports = transport === 'http' ? [reach.port ?? varz.http_port, varz.port] : [varz.port, varz.http_port];
	return {host, ports: [...new Set(ports.filter(p => Number.isInteger(p) && p > 0))]};
}

/** Regular files a process writes in append mode other than stdout/stderr: its log file(s). */
export type OpenLog = {fd: number; path: string; ino: number; size: number};

const O_ACCMODE = 0o3;
const O_WRONLY = 0o1;
const O_RDWR = 0o2;
const O_APPEND = 0o2000;

/** undefined when the process's fds are not readable (another user) or it is gone. */
export async function openLogFiles(pid: number, proc = PROC): Promise<OpenLog[] | undefined> {
	let fds: string[];
	try {
		fds = await readdir(`${proc}/${pid}/fd`);
	} catch {
		return undefined;
	}
	const logs: OpenLog[] = [];
	for (const name of fds) {
		const fd = Number(name);
		if (!Number.isInteger(fd) || fd <= 2) continue;
		try {
			const info = await readFile(`${proc}/${pid}/fdinfo/${fd}`, 'utf8');
			const flags = Number.parseInt(/^flags:\s*([0-7]+)/m.exec(info)?.[1] ?? '0', 8);
			const mode = flags & O_ACCMODE;
			if ((mode !== O_WRONLY && mode !== O_RDWR) || (flags & O_APPEND) === 0) continue;
			const path = await readlink(`${proc}/${pid}/fd/${fd}`);
			if (!path.startsWith('/') || path.startsWith('/dev/')) continue;
			const st = await stat(`${proc}/${pid}/fd/${fd}`);
			if (!st.isFile()) continue;
			logs.push({fd, path: path.replace(/ \(deleted\)$/, ''), ino: st.ino, size: st.size});
		} catch {
			// closed meanwhile
		}
	}
	return logs.sort((a, b) => a.fd - b.fd);
}
