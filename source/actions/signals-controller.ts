// The signal panel's brain, outside React: finds the process of the server on screen, offers
// reload / reopen / lame duck (and remote reload, kick and client lame duck over NATS 2.10+),
// runs each confirmed action and verifies it. The app reads getState() (useSyncExternalStore
// with subscribe) and forwards keys to handleKey while the panel is visible.
import type {Varz} from '../sources/types.js';
import {timeMs} from '../sources/decode.js';
import {sanitizeText} from '../model/sanitize.js';
import {discoverProcess, discoveryPlace, type DiscoveryReason} from './discover.js';
import {IDLE, panelCapturesKeys, panelReducer, type ActionId, type ActionTarget, type KeyInfo, type PanelEvent, type PanelState} from './panel.js';
import type {ServerProbe} from './probe.js';
import {clientLameDuck, kickClient, remoteCapability, remoteReload, type SysRequester} from './remote.js';
import {failureLines, sleep, type Failure} from './result.js';
import {lameDuckLines, logsBefore, sendSignal, verifyReload, verifyReopen, watchLameDuck, type KillFn, type LameDuckProgress} from './signals.js';

export type ServerInfo = {
	name: string;
	id: string;
	version: string;
	/** host:port we reach it at (monitoring URL or NATS URL), for the panel. */
	address: string;
	host: string;
	port: number;
	httpPort: number;
	startMs: number;
	configLoadTime: string;
	maxPayload: number;
};

export function serverInfo(varz: Varz, address: string): ServerInfo {
	return {
		name: varz.server_name,
		id: varz.server_id,
		version: varz.version,
		address,
		host: varz.host,
		port: varz.port,
		httpPort: varz.http_port,
		startMs: timeMs(varz.start),
		configLoadTime: varz.config_load_time,
		maxPayload: varz.max_payload,
	};
}

export type ProcessStatus =
	| {status: 'unknown'}
	| {status: 'finding'}
	| {status: 'found'; pid: number; how: string}
	| {status: 'failed'; reason: DiscoveryReason; message: string; hint: string}
	| {status: 'exited'; pid: number};

export type ActionOffer = {id: ActionId; key: string; label: string; via: string; enabled: boolean; reason?: string};

export type SignalsState = {
	transport: 'http' | 'nats';
	server?: ServerInfo;
	process: ProcessStatus;
	offers: ActionOffer[];
	panel: PanelState;
	lameDuck?: LameDuckProgress;
};

/** Keys of the signal panel (the lead adds them to the keymap as data). */
export const SIGNAL_PANEL_KEYS = [
	{key: 'r', id: 'reload', description: 'reload configuration (SIGHUP, or $SYS RELOAD over NATS)'},
	{key: 'o', id: 'reopen', description: 'reopen log file (SIGUSR1)'},
	{key: 'L', id: 'ldm', description: 'lame-duck mode (SIGUSR2): evicts every client, then the server exits'},
	{key: 'f', id: 'find', description: 'find the server process again'},
] as const;

/** Keys in a connection's detail view (NATS transport, nats-server 2.10+). */
export const CLIENT_ACTION_KEYS = [
	{key: 'K', id: 'kick', description: 'kick this connection ($SYS KICK)'},
	{key: 'D', id: 'client-ldm', description: 'send this connection lame duck ($SYS LDM)'},
] as const;

export type SignalsControllerOptions = {
	transport: 'http' | 'nats';
	/** varz / healthz of the server the panel is about. */
	probe: ServerProbe;
	/** Host we reach the server at (monitoring URL host, or NATS URL host). */
	reachHost: string;
	/** Port we reach it at (the monitoring port for HTTP). */
	reachPort?: number;
	pid?: number;
	pidFile?: string;
	/** NATS transport: a system-account connection for $SYS actions (opened on first use). */
	sys?: () => Promise<{ok: true; nc: SysRequester} | Failure>;
	/** Closes whatever sys() opened (called by dispose). */
	closeSys?: () => Promise<void>;
	timeoutMs: number;
	proc?: string;
	kill?: KillFn;
	reloadTimeoutMs?: number;
	ldmTimeoutMs?: number;
	/** Poll interval of the lame-duck watch (tests shorten it). */
	pollMs?: number;
	/** Optional: is connection `cid` still open on server `serverId` (to verify a kick)? */
	connectionOpen?: (serverId: string, cid: number) => Promise<boolean>;
};

/** What a client action in a connection's detail view can do on this server. */
export function clientActionOffers(transport: 'http' | 'nats', version: string): ActionOffer[] {
	return CLIENT_ACTION_KEYS.map(k => {
		const label = k.id === 'kick' ? 'kick' : 'lame duck';
		const via = k.id === 'kick' ? '$SYS KICK' : '$SYS LDM';
		if (transport !== 'nats') return {id: k.id, key: k.key, label, via, enabled: false, reason: `${label} needs the NATS transport (nats://… as a system-account user)`};
		const capability = remoteCapability(k.id, version);
		return capability.ok ? {id: k.id, key: k.key, label, via, enabled: true} : {id: k.id, key: k.key, label, via, enabled: false, reason: capability.reason};
	});
}

export class SignalsController {
	private state: SignalsState;
	private readonly listeners = new Set<() => void>();
	private abort: AbortController | undefined;
	private discovering = 0;
	private disposed = false;

	constructor(private readonly options: SignalsControllerOptions) {
		this.state = {transport: options.transport, process: {status: 'unknown'}, offers: [], panel: IDLE};
		this.state.offers = this.offers();
	}

	getState = (): SignalsState => this.state;

	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => {
			this.listeners.delete(listener);
		};
	};

	private set(patch: Partial<SignalsState>): void {
		if (this.disposed) return;
		this.state = {...this.state, ...patch};
		this.state.offers = this.offers();
		for (const listener of this.listeners) listener();
	}

	private dispatch(event: PanelEvent): void {
		const before = this.state.panel;
		const after = panelReducer(before, event);
		if (after === before) return;
		this.set({panel: after});
		if (before.phase !== 'running' && after.phase === 'running') void this.run(after.action, after.target);
		if (before.phase === 'running' && after.phase === 'running' && after.cancelling && !before.cancelling) this.abort?.abort();
	}

	/** The server on screen (call with each new varz). A new server id starts a new search. */
	setServer(varz: Varz, address: string): void {
		const info = serverInfo(varz, address);
		const previous = this.state.server;
		this.set({server: info});
		if (!previous || previous.id !== info.id || (this.state.process.status === 'exited' && previous.startMs !== info.startMs)) void this.find();
	}

	/** Look for the process again (key f). */
	async find(): Promise<void> {
		const server = this.state.server;
		if (!server) return;
		const ticket = ++this.discovering;
		this.set({process: {status: 'finding'}});
		const place = discoveryPlace(this.options.transport, {host: this.options.reachHost, port: this.options.reachPort}, {host: server.host, port: server.port, http_port: server.httpPort});
		const found = await discoverProcess({
			pid: this.options.pid,
			pidFile: this.options.pidFile,
			host: place.host,
			ports: place.ports,
			serverStartMs: server.startMs || undefined,
			proc: this.options.proc,
		});
		if (ticket !== this.discovering) return;
		this.set({process: found.ok ? {status: 'found', pid: found.pid, how: found.how} : {status: 'failed', reason: found.reason, message: found.message, hint: found.hint}});
	}

	private offers(): ActionOffer[] {
		const {process, server, transport} = this.state;
		const pid = process.status === 'found' ? process.pid : undefined;
		const noProcess =
			process.status === 'failed'
				? 'no local process (see above)'
				: process.status === 'exited'
					? `the server (pid ${process.pid}) has exited`
					: process.status === 'finding'
						? 'looking for the server process…'
						: 'waiting for the server';
		const remote = transport === 'nats' && server ? remoteCapability('reload', server.version) : undefined;
		const reload: ActionOffer =
			pid !== undefined
				? {id: 'reload', key: 'r', label: 'reload configuration', via: `SIGHUP to pid ${pid}`, enabled: true}
				: remote?.ok && process.status !== 'exited'
					? {id: 'remote-reload', key: 'r', label: 'reload configuration', via: `$SYS.REQ.SERVER.${server!.id}.RELOAD`, enabled: true}
					: {id: 'reload', key: 'r', label: 'reload configuration', via: 'SIGHUP', enabled: false, reason: remote && !remote.ok ? `${noProcess}; ${remote.reason}` : noProcess};
		const local = (id: 'reopen' | 'ldm', key: string, label: string, sig: string): ActionOffer =>
			pid !== undefined ? {id, key, label, via: `${sig} to pid ${pid}`, enabled: true} : {id, key, label, via: sig, enabled: false, reason: noProcess};
		return [reload, local('reopen', 'o', 'reopen log file', 'SIGUSR1'), local('ldm', 'L', 'lame-duck mode', 'SIGUSR2')];
	}

	private target(): ActionTarget | undefined {
		const server = this.state.server;
		if (!server) return undefined;
		const pid = this.state.process.status === 'found' ? this.state.process.pid : undefined;
		return {serverName: server.name, serverId: server.id, address: server.address, pid};
	}

	/** Open the confirmation for a panel action (as its key does). */
	request(id: ActionId): void {
		const offer = this.state.offers.find(o => o.id === id || (id === 'reload' && o.id === 'remote-reload'));
		const target = this.target();
		if (!offer || !target) return;
		if (!offer.enabled) {
			const p = this.state.process;
			const why = p.status === 'failed' ? (offer.reason ?? '').replace('no local process (see above)', p.message) : (offer.reason ?? '');
			this.set({panel: {phase: 'idle', notice: `${offer.label} is not available: ${why}`}});
			return;
		}
		this.dispatch({type: 'request', action: offer.id, target});
	}

	/**
	 * Kick or lame-duck one connection (from its detail view). Disabled on servers older than
	 * 2.10 and over HTTP: the panel then says why.
	 */
	requestClientAction(action: 'kick' | 'client-ldm', connection: {serverId: string; serverName: string; version: string; cid: number; client?: string; address?: string}): void {
		const offer = clientActionOffers(this.options.transport, connection.version).find(o => o.id === action)!;
		if (!offer.enabled) {
			this.set({panel: {phase: 'idle', notice: offer.reason}});
			return;
		}
		this.dispatch({
			type: 'request',
			action,
			target: {serverName: connection.serverName, serverId: connection.serverId, address: connection.address ?? '', cid: connection.cid, client: connection.client},
		});
	}

	/**
	 * Forward a key; true when the panel used it (the app must not act on it then). While a
	 * confirmation is open every key is the panel's, so typing a name never triggers the app.
	 */
	handleKey(input: string, key: KeyInfo): boolean {
		const panel = this.state.panel;
		if (panelCapturesKeys(panel) || ((panel.phase === 'done' || panel.phase === 'running') && key.escape) || (panel.phase === 'done' && key.return)) {
			this.dispatch({type: 'key', input, key});
			return true;
		}
		// While an action runs the panel's own keys do nothing; every other key (q, views) still works.
		if (panel.phase === 'running') return ['r', 'o', 'L', 'f'].includes(input);
		if (panel.phase === 'idle' && panel.notice && key.escape) {
			this.set({panel: IDLE});
			return true;
		}
		if (input === 'r') this.request('reload');
		else if (input === 'o') this.request('reopen');
		else if (input === 'L') this.request('ldm');
		else if (input === 'f') void this.find();
		else return false;
		return true;
	}

	private progress(lines: string[]): void {
		this.dispatch({type: 'progress', lines});
	}

	private finish(ok: boolean, lines: string[]): void {
		this.abort = undefined;
		this.dispatch({type: 'finished', ok, lines});
	}

	private fail(f: Failure): void {
		this.finish(false, failureLines(f));
	}

	private async run(action: ActionId, target: ActionTarget): Promise<void> {
		const abort = new AbortController();
		this.abort = abort;
		try {
			switch (action) {
				case 'reload':
				case 'remote-reload':
					return await this.reload(action, target, abort.signal);
				case 'reopen':
					return await this.reopen(target, abort.signal);
				case 'ldm':
					return await this.lameDuck(target, abort.signal);
				case 'kick':
				case 'client-ldm':
					return await this.clientAction(action, target, abort.signal);
			}
		} catch (error) {
			this.finish(false, [`unexpected error: ${sanitizeText((error as Error).message, 200)}`]);
		}
	}

	private async beforeVarz(signal: AbortSignal): Promise<Varz | Failure> {
		try {
			return await this.options.probe.varz(signal);
		} catch (error) {
			return {ok: false, code: 'unverified', message: `cannot read varz before the reload: ${sanitizeText((error as Error).message, 200)}`, hint: 'nothing was sent'};
		}
	}

	private async reload(action: 'reload' | 'remote-reload', target: ActionTarget, signal: AbortSignal): Promise<void> {
		const before = await this.beforeVarz(signal);
		if ('ok' in before) return this.fail(before);
		if (action === 'reload') {
			const sent = await sendSignal(target.pid!, 'reload', {serverStartMs: this.state.server?.startMs || undefined, proc: this.options.proc, kill: this.options.kill});
			if (!sent.ok) return this.fail(sent);
			this.progress([`SIGHUP sent to pid ${target.pid}; waiting for config_load_time to change…`]);
		} else {
			const sys = await this.sys();
			if (!sys.ok) return this.fail(sys);
			const reply = await remoteReload(sys.nc, target.serverId, this.options.timeoutMs);
			if (!reply.ok) return this.fail(reply);
			this.progress([`${target.serverName || target.serverId} acknowledged RELOAD; waiting for config_load_time to change…`]);
		}
		const verified = await verifyReload(this.options.probe, before, {timeoutMs: this.options.reloadTimeoutMs ?? 5000, signal});
		if (!verified.ok) return this.fail(verified);
		if (this.state.server) this.set({server: {...this.state.server, configLoadTime: verified.varz.config_load_time, maxPayload: verified.varz.max_payload}});
		this.finish(true, ['configuration reloaded', ...verified.lines]);
	}

	private async reopen(target: ActionTarget, signal: AbortSignal): Promise<void> {
		const pid = target.pid!;
		const before = await logsBefore(pid, this.options.proc);
		const sent = await sendSignal(pid, 'reopen', {serverStartMs: this.state.server?.startMs || undefined, proc: this.options.proc, kill: this.options.kill});
		if (!sent.ok) return this.fail(sent);
		this.progress([`SIGUSR1 sent to pid ${pid}; waiting for the new log file…`]);
		const verified = await verifyReopen(pid, before, {signal, proc: this.options.proc});
		if (!verified.ok) return this.fail(verified);
		this.finish(true, verified.lines);
	}

	private async lameDuck(target: ActionTarget, signal: AbortSignal): Promise<void> {
		const pid = target.pid!;
		const server = this.state.server;
		const sent = await sendSignal(pid, 'ldm', {serverStartMs: server?.startMs || undefined, proc: this.options.proc, kill: this.options.kill});
		if (!sent.ok) return this.fail(sent);
		const head = `SIGUSR2 sent to pid ${pid}: lame-duck mode (Esc stops watching; the server carries on)`;
		this.progress([head]);
		const watched = await watchLameDuck({
			pid,
			clientHost: server?.host ?? '127.0.0.1',
			clientPort: server?.port ?? 0,
			probe: this.options.probe,
			proc: this.options.proc,
			signal,
			timeoutMs: this.options.ldmTimeoutMs,
			intervalMs: this.options.pollMs,
			onProgress: p => {
				this.set({lameDuck: p});
				this.progress([head, ...lameDuckLines(p)]);
			},
		});
		if (!watched.ok) return this.fail(watched);
		this.set({process: {status: 'exited', pid}});
		this.finish(true, [`${target.serverName || 'the server'} (pid ${pid}) left lame-duck mode and exited`, ...watched.lines]);
	}

	private async clientAction(action: 'kick' | 'client-ldm', target: ActionTarget, signal: AbortSignal): Promise<void> {
		const sys = await this.sys();
		if (!sys.ok) return this.fail(sys);
		const cid = target.cid!;
		const call = action === 'kick' ? kickClient : clientLameDuck;
		const reply = await call(sys.nc, target.serverId, cid, this.options.timeoutMs);
		if (!reply.ok) return this.fail(reply);
		const who = reply.server.name || target.serverName || target.serverId;
		if (action === 'client-ldm') return this.finish(true, [`${who} told connection ${cid} to move to another server (lame duck)`]);
		const check = this.options.connectionOpen;
		if (!check) return this.finish(true, [`${who} acknowledged: connection ${cid} kicked`]);
		const deadline = Date.now() + 3000;
		while (!signal.aborted && Date.now() < deadline) {
			try {
				if (!(await check(target.serverId, cid))) return this.finish(true, [`connection ${cid} is closed (kicked by ${who})`]);
			} catch {
				break;
			}
			await sleep(200, signal);
		}
		this.finish(true, [`${who} acknowledged the kick; connection ${cid} has not shown as closed yet`]);
	}

	private async sys(): Promise<{ok: true; nc: SysRequester} | Failure> {
		if (!this.options.sys) return {ok: false, code: 'unsupported', message: 'this needs the NATS transport (nats://… as a system-account user)', hint: ''};
		return this.options.sys();
	}

	/** Stop whatever runs (the signal already sent stays sent) and close the $SYS connection. */
	async dispose(): Promise<void> {
		this.abort?.abort();
		this.disposed = true;
		this.listeners.clear();
		await this.options.closeSys?.();
	}
}
