// `natscope signal reload|reopen|ldm …` and `natscope profile KIND …`: the operator actions as
// commands for scripts. Each parses its own flags, hands the rest (address, login, TLS) to the
// main flag parser, asks for confirmation on a terminal (refuses without --yes elsewhere), acts,
// verifies and prints what happened. Exit codes: 0 done and verified, 1 failed, 2 usage or
// refused, 3 done but not verified, 130 cancelled.
import {parseCommandLine} from '../config/flags.js';
import type {Config} from '../config/types.js';
import {sanitizeText} from '../model/sanitize.js';
import {HttpSource} from '../sources/http.js';
import {SysSource} from '../sources/sys.js';
import {timeMs} from '../sources/decode.js';
import type {Source, Varz} from '../sources/types.js';
import {discoverProcess, discoveryPlace, parsePid} from './discover.js';
import {probeFromSource, type ServerProbe} from './probe.js';
import {reachOf} from './controller.js';
import {
	DEFAULT_CPU_SECONDS,
	discoverProfUrl,
	downloadedLines,
	downloadProfile,
	isProfileKind,
	MAX_CPU_SECONDS,
	pprofBase,
	PROFILE_KINDS,
	type ProfileKind,
	type ProfileSource,
} from './profiles.js';
import {openSysConnection, PROFILEZ_MAX_CPU_MS, remoteCapability, remoteReload} from './remote.js';
import {failureLines, type Failure} from './result.js';
import {
	ACTION_LABEL,
	equivalentCommand,
	lameDuckLines,
	logsBefore,
	parseSignalAction,
	sendSignal,
	SIGNAL_OF,
	verifyReload,
	verifyReopen,
	watchLameDuck,
	type SignalAction,
} from './signals.js';

export type CommandIo = {stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; stdin: NodeJS.ReadableStream; isTty: boolean};

/** Test seams; the CLI uses the defaults. */
export type CommandHooks = {env?: NodeJS.ProcessEnv; proc?: string; cwd?: string; ldmTimeoutMs?: number; pollMs?: number};

const EXIT = {ok: 0, failed: 1, usage: 2, unverified: 3, cancelled: 130} as const;

export const SIGNAL_USAGE = `Usage: natscope signal reload|reopen|ldm [--pid N | --pid-file PATH] [--yes] [ADDRESS] [connection flags]

Sends a signal to a nats-server on this host and checks that it took effect:
  reload   SIGHUP: re-read the config file (verified: varz config_load_time changes)
  reopen   SIGUSR1: reopen the log file after rotation (verified: a new log file is opened)
  ldm      SIGUSR2: lame-duck mode: stop accepting clients, evict them all, exit
           (verified: refuses connections, drains, health turns red, the process exits)

The process is --pid N, the pid in --pid-file PATH, or found automatically: the nats-server
listening on the monitored port. ADDRESS is the monitoring URL (default http://127.0.0.1:8222);
with a nats:// address (system account) and nats-server 2.10+, reload of a remote server goes
over $SYS.REQ.SERVER.<id>.RELOAD instead.

  --yes, -y   do not ask (required when stdin is not a terminal)

Exit codes: 0 done and verified, 1 failed, 2 usage or refused, 3 done but not verified.`;

export const PROFILE_USAGE = `Usage: natscope profile ${PROFILE_KINDS.join('|')} [--seconds N] [--dir DIR]
                        [--prof-port N | --prof-url URL] [--pid N | --pid-file PATH] [ADDRESS]

Downloads a Go pprof profile from nats-server into DIR (default: the current directory) as
<profile>-<server>-<YYYYMMDD-HHMMSS>.pprof, never overwriting a file. The profile comes from
the server's profiling port (prof_port; --prof-port N on the monitored host, --prof-url URL, or
found among a local server's listening ports), or with a nats:// address on nats-server 2.10+
over $SYS.REQ.SERVER.<id>.PROFILEZ (cpu from 2.10.19, at most 15 s).

  --seconds N   length of a cpu profile (default ${DEFAULT_CPU_SECONDS}, at most ${MAX_CPU_SECONDS})
  --dir DIR     where to write the file (created if missing)

Read the file with: go tool pprof FILE`;

// --- argv ---------------------------------------------------------------------------------------

type Own = {
	yes: boolean;
	help: boolean;
	pid?: number;
	pidFile?: string;
	profPort?: number;
	profUrl?: string;
	seconds?: number;
	dir?: string;
};

const VALUE_FLAGS = ['pid', 'pid-file', 'prof-port', 'prof-url', 'seconds', 'dir'] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];

/** Take our flags out of argv; the rest goes to the main parser. */
export function splitArgs(argv: readonly string[], allowed: readonly ValueFlag[]): {own: Own; rest: string[]} | {error: string} {
	const own: Own = {yes: false, help: false};
	const rest: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		if (arg === '--') {
			rest.push(...argv.slice(i));
			break;
		}
		if (arg === '--yes' || arg === '-y') {
			own.yes = true;
			continue;
		}
		if (arg === '--help' || arg === '-h') {
			own.help = true;
			continue;
		}
		const match = /^--?([a-z-]+)(?:=(.*))?$/.exec(arg);
		const name = match?.[1] as ValueFlag | undefined;
		if (!match || !name || !(VALUE_FLAGS as readonly string[]).includes(name)) {
			rest.push(arg);
			continue;
		}
		if (!allowed.includes(name)) return {error: `--${name} does not apply here`};
		let value = match[2];
		if (value === undefined) {
			value = argv[i + 1];
			if (value === undefined) return {error: `--${name} needs a value`};
			i++;
		}
		const error = setOwn(own, name, value);
		if (error) return {error};
	}
	return {own, rest};
}

function setOwn(own: Own, name: ValueFlag, value: string): string | undefined {
	switch (name) {
		case 'pid': {
			const pid = parsePid(value);
			if (pid === undefined) return `--pid wants a process id, not ${sanitizeText(value, 40)}`;
			own.pid = pid;
			return undefined;
		}
		case 'pid-file':
			if (value === '') return '--pid-file wants a path';
			own.pidFile = value;
			return undefined;
		case 'prof-port': {
			const port = Number(value);
			if (!/^\d+$/.test(value) || port < 1 || port > 65535) return `--prof-port wants a port (1-65535), not ${sanitizeText(value, 40)}`;
			own.profPort = port;
			return undefined;
		}
		case 'prof-url':
			if (!pprofBase(value)) return `--prof-url wants a URL, not ${sanitizeText(value, 200)}`;
			own.profUrl = value;
			return undefined;
		case 'seconds': {
			const seconds = Number(value);
			if (!/^\d+$/.test(value) || seconds < 1 || seconds > MAX_CPU_SECONDS) return `--seconds wants a whole number from 1 to ${MAX_CPU_SECONDS}, not ${sanitizeText(value, 40)}`;
			own.seconds = seconds;
			return undefined;
		}
		case 'dir':
			if (value === '') return '--dir wants a folder';
			own.dir = value;
			return undefined;
	}
}

// --- output -------------------------------------------------------------------------------------

class Out {
	constructor(private readonly io: CommandIo) {}
	line(text: string): void {
		this.io.stdout.write(`${text}\n`);
	}
	note(text: string): void {
		this.io.stderr.write(`${text}\n`);
	}
	error(text: string): void {
		this.io.stderr.write(`natscope: ${text}\n`);
	}
	failure(f: {message: string; hint: string}): void {
		const [first, ...more] = failureLines(f);
		this.error(first ?? '');
		for (const line of more) this.io.stderr.write(`  ${line}\n`);
	}
}

/** One line from stdin (without the newline); undefined at end of input. */
function readLine(stdin: NodeJS.ReadableStream): Promise<string | undefined> {
	return new Promise(resolve => {
		let buffer = '';
		const onData = (chunk: Buffer | string): void => {
			buffer += chunk.toString();
			const newline = buffer.search(/\r?\n|\r/);
			if (newline !== -1) finish(buffer.slice(0, newline));
		};
		const onEnd = (): void => finish(buffer === '' ? undefined : buffer);
		const finish = (line: string | undefined): void => {
			stdin.removeListener('data', onData);
			stdin.removeListener('end', onEnd);
			stdin.pause();
			resolve(line);
		};
		stdin.on('data', onData);
		stdin.once('end', onEnd);
		stdin.resume();
	});
}

// --- the target server ------------------------------------------------------------------------

type Target = {config: Config; source: Source; probe: ServerProbe; reach: {host: string; port?: number}};

async function parseConfig(rest: string[], env: NodeJS.ProcessEnv, out: Out): Promise<Config | number> {
	const parsed = await parseCommandLine(rest, env);
	if (parsed.kind === 'usage-error') {
		out.error(parsed.message);
		return EXIT.usage;
	}
	if (parsed.kind === 'config-error') {
		out.error(sanitizeText(parsed.message, 600));
		return EXIT.usage;
	}
	if (parsed.kind !== 'run') {
		out.error('unexpected option here');
		return EXIT.usage;
	}
	if (parsed.config.transport === 'http' && parsed.config.urls.length > 1) {
		out.error('one server at a time: give one monitoring address');
		return EXIT.usage;
	}
	return parsed.config;
}

function makeTarget(config: Config): Target {
	const source: Source =
		config.transport === 'nats' && config.nats
			? new SysSource(config.nats, {timeoutMs: config.timeoutMs, serverFilter: config.serverFilter})
			: new HttpSource({url: config.urls[0]!, timeoutMs: config.timeoutMs, tls: config.tls});
	return {config, source, probe: probeFromSource(source), reach: reachOf(config)};
}

/** varz of the one target server, or why not. */
async function targetVarz(target: Target): Promise<{ok: true; varz: Varz} | Failure> {
	try {
		const gathered = await target.source.request({kind: 'varz'});
		if (gathered.replies.length > 1) {
			const names = gathered.replies.map(r => r.data.server_name || r.data.server_id).join(', ');
			return {ok: false, code: 'refused', message: `${gathered.replies.length} servers answered (${sanitizeText(names, 300)}): one at a time`, hint: 'choose one with --server-name NAME'};
		}
		const reply = gathered.replies[0];
		if (reply) return {ok: true, varz: reply.data};
		const error = gathered.failures[0]?.error;
		return {ok: false, code: 'unverified', message: error?.message ?? 'no server answered', hint: error?.hint ?? ''};
	} catch (error) {
		const e = error as {message?: string; hint?: string};
		return {ok: false, code: 'unverified', message: sanitizeText(e.message ?? String(error), 300), hint: e.hint ?? ''};
	}
}

function serverLabel(varz: Varz | undefined, reach: {host: string; port?: number}): string {
	if (!varz) return `the server at ${reach.host}${reach.port ? `:${reach.port}` : ''}`;
	const id = varz.server_id ? ` (${varz.server_id.slice(0, 8)}…)` : '';
	return `${varz.server_name || varz.server_id}${id} at ${reach.host}${reach.port ? `:${reach.port}` : ''}`;
}

// --- signal -------------------------------------------------------------------------------------

async function confirm(io: CommandIo, out: Out, own: Own, mustType: string | undefined): Promise<boolean | number> {
	if (own.yes) return true;
	if (!io.isTty) {
		out.error('refusing without --yes: stdin is not a terminal to confirm on');
		return EXIT.usage;
	}
	io.stderr.write(mustType !== undefined ? `Type the server name (${mustType}) to confirm: ` : 'Proceed? [y/N] ');
	const answer = (await readLine(io.stdin))?.trim();
	if (mustType !== undefined ? answer === mustType : answer === 'y' || answer === 'Y' || answer === 'yes') return true;
	out.note(mustType !== undefined && answer ? 'that is not the server name: nothing was sent' : 'cancelled: nothing was sent');
	return EXIT.usage;
}

async function runSignal(argv: string[], io: CommandIo, hooks: CommandHooks): Promise<number> {
	const out = new Out(io);
	const [word, ...tail] = argv;
	if (word === undefined || word === '--help' || word === '-h') {
		(word === undefined ? out.note.bind(out) : out.line.bind(out))(SIGNAL_USAGE);
		return word === undefined ? EXIT.usage : EXIT.ok;
	}
	const action = parseSignalAction(word);
	if (!action) {
		out.error(`unknown signal action ${sanitizeText(word, 40)}: use reload, reopen or ldm`);
		return EXIT.usage;
	}
	const split = splitArgs(tail, ['pid', 'pid-file']);
	if ('error' in split) {
		out.error(split.error);
		return EXIT.usage;
	}
	const {own, rest} = split;
	if (own.help) {
		out.line(SIGNAL_USAGE);
		return EXIT.ok;
	}
	if (own.pid !== undefined && own.pidFile !== undefined) {
		out.error('give --pid or --pid-file, not both');
		return EXIT.usage;
	}
	const config = await parseConfig(rest, hooks.env ?? process.env, out);
	if (typeof config === 'number') return config;
	const target = makeTarget(config);
	try {
		return await signalTarget(action, own, target, io, out, hooks);
	} finally {
		await target.source.close();
	}
}

async function signalTarget(action: SignalAction, own: Own, target: Target, io: CommandIo, out: Out, hooks: CommandHooks): Promise<number> {
	const {config, reach} = target;
	const got = await targetVarz(target);
	let varz: Varz | undefined;
	if (got.ok) varz = got.varz;
	else if (got.code === 'refused') {
		out.failure(got);
		return EXIT.usage;
	} else if (own.pid === undefined && own.pidFile === undefined) {
		out.failure({message: `cannot read varz: ${got.message}`, hint: got.hint || 'to signal a server that does not answer, pass --pid N or --pid-file PATH'});
		return EXIT.failed;
	} else {
		out.note(`warning: cannot read varz (${got.message}): the server is not cross-checked and the effect cannot be verified`);
	}
	const place = varz ? discoveryPlace(config.transport, reach, varz) : {host: reach.host, ports: reach.port ? [reach.port] : []};
	const found = await discoverProcess({pid: own.pid, pidFile: own.pidFile, host: place.host, ports: place.ports, serverStartMs: varz ? timeMs(varz.start) || undefined : undefined, proc: hooks.proc});
	const label = serverLabel(varz, reach);

	if (!found.ok) {
		const remoteOk = action === 'reload' && config.transport === 'nats' && config.nats !== undefined && (found.reason === 'remote' || found.reason === 'none' || found.reason === 'hidden');
		if (remoteOk && varz) {
			const capability = remoteCapability('reload', varz.version);
			if (!capability.ok) {
				out.failure({message: found.message, hint: capability.reason});
				return EXIT.failed;
			}
			return remoteReloadCommand(varz, target, own, io, out, label);
		}
		out.failure(found);
		return found.reason === 'not-nats' || found.reason === 'mismatch' ? EXIT.usage : EXIT.failed;
	}

	const pid = found.pid;
	out.note(`${ACTION_LABEL[action]} (${SIGNAL_OF[action]}) → ${label}, pid ${pid} (${found.how})`);
	out.note(`same as: ${equivalentCommand(action, pid)}`);
	if (action === 'ldm') out.note('lame-duck mode stops accepting clients, evicts every client, then the server exits');
	const confirmed = await confirm(io, out, own, action === 'ldm' ? varz?.server_name || varz?.server_id || String(pid) : undefined);
	if (confirmed !== true) return confirmed as number;

	const serverStartMs = varz ? timeMs(varz.start) || undefined : undefined;
	const signalOptions = {serverStartMs, proc: hooks.proc};
	switch (action) {
		case 'reload': {
			const sent = await sendSignal(pid, 'reload', signalOptions);
			if (!sent.ok) return failed(out, sent);
			out.line(`SIGHUP sent to pid ${pid}`);
			if (!varz) return unverified(out, 'reload not verified: varz unavailable');
			const verified = await verifyReload(target.probe, varz, {timeoutMs: 5000});
			if (!verified.ok) return failed(out, verified, EXIT.unverified);
			out.line('configuration reloaded');
			for (const line of verified.lines) out.line(line);
			return EXIT.ok;
		}
		case 'reopen': {
			const before = await logsBefore(pid, hooks.proc);
			const sent = await sendSignal(pid, 'reopen', signalOptions);
			if (!sent.ok) return failed(out, sent);
			out.line(`SIGUSR1 sent to pid ${pid}`);
			const verified = await verifyReopen(pid, before, {proc: hooks.proc});
			if (!verified.ok) return failed(out, verified, verified.code === 'unverified' ? EXIT.unverified : EXIT.failed);
			for (const line of verified.lines) out.line(line);
			return EXIT.ok;
		}
		case 'ldm': {
			const sent = await sendSignal(pid, 'ldm', signalOptions);
			if (!sent.ok) return failed(out, sent);
			out.line(`SIGUSR2 sent to pid ${pid}: lame-duck mode`);
			const abort = new AbortController();
			const onInt = (): void => abort.abort();
			process.once('SIGINT', onInt);
			let shown = new Set<string>();
			try {
				const watched = await watchLameDuck({
					pid,
					clientHost: varz?.host ?? reach.host,
					clientPort: varz?.port ?? 0,
					probe: target.probe,
					proc: hooks.proc,
					signal: abort.signal,
					timeoutMs: hooks.ldmTimeoutMs,
					intervalMs: hooks.pollMs,
					onProgress: p => {
						// Print each step once, as it is reached.
						const lines = lameDuckLines(p).filter(l => l.startsWith('✓'));
						for (const line of lines) if (!shown.has(line)) out.line(line);
						shown = new Set([...shown, ...lines]);
					},
				});
				if (!watched.ok) return failed(out, watched, watched.code === 'cancelled' ? EXIT.cancelled : EXIT.unverified);
				out.line(`${varz?.server_name || 'the server'} (pid ${pid}) has exited`);
				return EXIT.ok;
			} finally {
				process.removeListener('SIGINT', onInt);
			}
		}
	}
}

async function remoteReloadCommand(varz: Varz, target: Target, own: Own, io: CommandIo, out: Out, label: string): Promise<number> {
	out.note(`reload configuration over NATS → ${label}`);
	out.note(`sends $SYS.REQ.SERVER.${varz.server_id}.RELOAD`);
	const confirmed = await confirm(io, out, own, undefined);
	if (confirmed !== true) return confirmed as number;
	const opened = await openSysConnection(target.config.nats!, target.config.timeoutMs);
	if (!opened.ok) return failed(out, opened);
	try {
		const reply = await remoteReload(opened.nc, varz.server_id, target.config.timeoutMs);
		if (!reply.ok) return failed(out, reply);
		out.line(`${varz.server_name || varz.server_id} acknowledged RELOAD`);
		const verified = await verifyReload(target.probe, varz, {timeoutMs: 5000});
		if (!verified.ok) return failed(out, verified, EXIT.unverified);
		out.line('configuration reloaded');
		for (const line of verified.lines) out.line(line);
		return EXIT.ok;
	} finally {
		await opened.nc.close().catch(() => {});
	}
}

function failed(out: Out, f: {message: string; hint: string}, code: number = EXIT.failed): number {
	out.failure(f);
	return code;
}

function unverified(out: Out, text: string): number {
	out.error(text);
	return EXIT.unverified;
}

// --- profile ------------------------------------------------------------------------------------

function progressBar(elapsedMs: number, totalMs: number, width = 30): string {
	const fraction = totalMs > 0 ? Math.min(1, elapsedMs / totalMs) : 1;
	const filled = Math.round(fraction * width);
	return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(elapsedMs / 1000).toFixed(1)}/${(totalMs / 1000).toFixed(0)} s`;
}

async function runProfile(argv: string[], io: CommandIo, hooks: CommandHooks): Promise<number> {
	const out = new Out(io);
	const [word, ...tail] = argv;
	if (word === undefined || word === '--help' || word === '-h') {
		(word === undefined ? out.note.bind(out) : out.line.bind(out))(PROFILE_USAGE);
		return word === undefined ? EXIT.usage : EXIT.ok;
	}
	if (!isProfileKind(word)) {
		out.error(`unknown profile ${sanitizeText(word, 40)}: use one of ${PROFILE_KINDS.join(', ')}`);
		return EXIT.usage;
	}
	const split = splitArgs(tail, ['pid', 'pid-file', 'prof-port', 'prof-url', 'seconds', 'dir']);
	if ('error' in split) {
		out.error(split.error);
		return EXIT.usage;
	}
	const {own, rest} = split;
	if (own.help) {
		out.line(PROFILE_USAGE);
		return EXIT.ok;
	}
	if (own.profPort !== undefined && own.profUrl !== undefined) {
		out.error('give --prof-port or --prof-url, not both');
		return EXIT.usage;
	}
	if (own.seconds !== undefined && word !== 'cpu') out.note('note: --seconds only applies to the cpu profile');
	const config = await parseConfig(rest, hooks.env ?? process.env, out);
	if (typeof config === 'number') return config;
	const target = makeTarget(config);
	let closeNc: (() => Promise<void>) | undefined;
	try {
		const got = await targetVarz(target);
		const varz = got.ok ? got.varz : undefined;
		if (!got.ok && got.code === 'refused') return failed(out, got, EXIT.usage);
		const cpuSeconds = own.seconds ?? DEFAULT_CPU_SECONDS;
		let source: ProfileSource | undefined;
		if (own.profUrl !== undefined) source = {kind: 'http', base: pprofBase(own.profUrl)!, how: '--prof-url', insecure: config.tls.insecure};
		else if (own.profPort !== undefined) {
			const host = target.reach.host.includes(':') ? `[${target.reach.host}]` : target.reach.host;
			source = {kind: 'http', base: `http://${host}:${own.profPort}/debug/pprof/`, how: '--prof-port'};
		} else {
			if (!varz) return failed(out, {message: `cannot read varz: ${got.ok ? '' : got.message}`, hint: 'pass --prof-port N or --prof-url URL to profile a server whose monitoring port does not answer'});
			if (config.transport === 'nats' && config.nats && remoteCapability('profilez', varz.version).ok) {
				if (word === 'cpu') {
					const cpu = remoteCapability('profilez-cpu', varz.version);
					if (!cpu.ok) return failed(out, {message: cpu.reason, hint: 'use the profiling port instead: --prof-port N'});
					if (cpuSeconds * 1000 > PROFILEZ_MAX_CPU_MS) return failed(out, {message: `a cpu profile over NATS lasts at most ${PROFILEZ_MAX_CPU_MS / 1000} s`, hint: 'lower --seconds, or use --prof-port'}, EXIT.usage);
				}
				const opened = await openSysConnection(config.nats, config.timeoutMs);
				if (!opened.ok) return failed(out, opened);
				closeNc = () => opened.nc.close().catch(() => {});
				source = {kind: 'nats', nc: opened.nc, serverId: varz.server_id, how: `$SYS.REQ.SERVER.${varz.server_id}.PROFILEZ`};
			} else {
				const place = discoveryPlace(config.transport, target.reach, varz);
				const found = await discoverProcess({pid: own.pid, pidFile: own.pidFile, host: place.host, ports: place.ports, serverStartMs: timeMs(varz.start) || undefined, proc: hooks.proc});
				const remote = config.transport === 'nats' ? remoteCapability('profilez', varz.version) : undefined;
				const extra = remote && !remote.ok ? `; ${remote.reason}` : '';
				if (!found.ok) return failed(out, {message: `no profiling port known: ${found.message}${extra}`, hint: 'pass --prof-port N (prof_port in the server config) or --prof-url URL'});
				const base = await discoverProfUrl(found.pid, {exclude: [varz.port, varz.http_port], proc: hooks.proc});
				if (!base) return failed(out, {message: `pid ${found.pid} has no profiling port (prof_port is not set)${extra}`, hint: 'set prof_port in the server config, or pass --prof-port N / --prof-url URL'});
				source = {kind: 'http', base, how: `found on pid ${found.pid}`};
			}
		}
		const serverName = varz?.server_name || varz?.server_id || (source.kind === 'http' ? new URL(source.base).host : 'server');
		const dir = own.dir ?? hooks.cwd ?? process.cwd();
		const totalMs = word === 'cpu' ? cpuSeconds * 1000 : 0;
		out.note(`${word} profile of ${sanitizeText(serverName, 100)} from ${source.kind === 'http' ? sanitizeText(source.base, 200) : source.how}${totalMs ? ` for ${cpuSeconds} s (Ctrl-C cancels)` : ''}`);
		const abort = new AbortController();
		const onInt = (): void => abort.abort();
		process.once('SIGINT', onInt);
		const started = Date.now();
		const ticker = totalMs > 0 && io.isTty ? setInterval(() => io.stderr.write(`\r${progressBar(Date.now() - started, totalMs)}`), 200) : undefined;
		try {
			const result = await downloadProfile({source, profile: word as ProfileKind, cpuSeconds, dir, serverName, timeoutMs: config.timeoutMs, signal: abort.signal});
			if (ticker) io.stderr.write(`\r${progressBar(Math.min(totalMs, Date.now() - started), totalMs)}\n`);
			if (!result.ok) return failed(out, result, result.code === 'cancelled' ? EXIT.cancelled : EXIT.failed);
			for (const line of downloadedLines(result)) out.line(line);
			return EXIT.ok;
		} finally {
			if (ticker) clearInterval(ticker);
			process.removeListener('SIGINT', onInt);
		}
	} finally {
		await closeNc?.();
		await target.source.close();
	}
}

/** The entry point for `natscope signal …` and `natscope profile …` (cli.tsx dispatches here). */
export async function runSubcommand(name: 'signal' | 'profile', argv: string[], io: CommandIo, hooks: CommandHooks = {}): Promise<number> {
	try {
		return name === 'signal' ? await runSignal(argv, io, hooks) : await runProfile(argv, io, hooks);
	} catch (error) {
		io.stderr.write(`natscope: ${sanitizeText((error as Error)?.message ?? String(error), 300)}\n`);
		return EXIT.failed;
	}
}
