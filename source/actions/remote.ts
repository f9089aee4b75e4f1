// Actions over NATS in the system account, on one server by id (nats-server 2.10+):
// $SYS.REQ.SERVER.<id>.RELOAD, .KICK {"cid": N}, .LDM {"cid": N} and .PROFILEZ. The reply is the
// usual envelope {server, data, error{code, description}}; PROFILEZ errors come in data.error.
// The nats client (and nats-connect, which needs it) load when an action first connects: the
// TUI over HTTP never uses them, and loading them cost it ~13 MB of resident memory.
import type {ConnectionOptions, Msg, NatsConnection} from 'nats';
import type {NatsTarget} from '../config/types.js';
import {versionAtLeast} from '../model/capabilities.js';
import {sanitizeText} from '../model/sanitize.js';
import {natsSourceError} from '../sources/nats-errors.js';
import {failure, seconds, type Failure} from './result.js';

/** What these actions need of a NATS connection (a NatsConnection has it). */
export type SysRequester = {request(subject: string, payload?: Uint8Array, options?: {timeout: number}): Promise<Msg>};

export type RemoteAction = 'reload' | 'kick' | 'client-ldm' | 'profilez' | 'profilez-cpu';

export const REMOTE_ACTIONS_VERSION = '2.10.0';
/** PROFILEZ takes "cpu" (with a duration) from 2.10.19. */
export const CPU_PROFILEZ_VERSION = '2.10.19';
/** The longest cpu profile PROFILEZ allows. */
export const PROFILEZ_MAX_CPU_MS = 15_000;

const NEEDS: Record<RemoteAction, string> = {
	reload: REMOTE_ACTIONS_VERSION,
	kick: REMOTE_ACTIONS_VERSION,
	'client-ldm': REMOTE_ACTIONS_VERSION,
	profilez: REMOTE_ACTIONS_VERSION,
	'profilez-cpu': CPU_PROFILEZ_VERSION,
};

const WHAT: Record<RemoteAction, string> = {
	reload: 'remote reload ($SYS RELOAD)',
	kick: 'kick ($SYS KICK)',
	'client-ldm': 'client lame duck ($SYS LDM)',
	profilez: 'profiles over NATS ($SYS PROFILEZ)',
	'profilez-cpu': 'cpu profiles over NATS ($SYS PROFILEZ cpu)',
};

export type Capability = {ok: true} | {ok: false; reason: string};

/** Can a server of this version do the action? The reason names both versions. */
export function remoteCapability(action: RemoteAction, version: string): Capability {
	const need = NEEDS[action];
	if (!version) return {ok: false, reason: `${WHAT[action]}: server version not known yet`};
	if (versionAtLeast(version, need)) return {ok: true};
	return {ok: false, reason: `${WHAT[action]} needs nats-server ${need} or newer; this server runs ${sanitizeText(version, 40)}`};
}

export function remoteSubject(serverId: string, endpoint: 'RELOAD' | 'KICK' | 'LDM' | 'PROFILEZ'): string {
	return `$SYS.REQ.SERVER.${serverId}.${endpoint}`;
}

function validServerId(serverId: string): boolean {
	return /^[A-Za-z0-9_-]+$/.test(serverId);
}

export type SysReply = {ok: true; data: unknown; server: {name: string; id: string}};

/** One request to one server: the decoded envelope, or a failure with a plain message. */
export async function sysCall(nc: SysRequester, subject: string, body: unknown, timeoutMs: number): Promise<SysReply | Failure> {
	let msg: Msg;
	try {
		msg = await nc.request(subject, new TextEncoder().encode(body === undefined ? '' : JSON.stringify(body)), {timeout: timeoutMs});
	} catch (error) {
		const code = (error as {code?: unknown}).code;
		if (code === '503') {
			return failure('nats', `nobody answers ${sanitizeText(subject, 200)}`, 'the server is older than 2.10, the server id is wrong, or this user is not in the system account');
		}
		if (code === 'TIMEOUT') return failure('nats', `no reply on ${sanitizeText(subject, 200)} within ${seconds(timeoutMs)}`, 'the server may be busy or gone');
		const e = natsSourceError(error, {url: '', subject, timeoutMs});
		return failure('nats', e.message, e.hint);
	}
	let envelope: unknown;
	try {
		envelope = JSON.parse(new TextDecoder().decode(msg.data));
	} catch {
		return failure('nats', `the reply on ${sanitizeText(subject, 200)} is not JSON`);
	}
	if (typeof envelope !== 'object' || envelope === null) return failure('nats', `the reply on ${sanitizeText(subject, 200)} is not an object`);
	const o = envelope as {server?: {name?: unknown; id?: unknown}; data?: unknown; error?: {code?: unknown; description?: unknown}};
	if (o.error && typeof o.error === 'object') {
		const code = typeof o.error.code === 'number' ? ` (${o.error.code})` : '';
		return failure('nats', `the server refused: ${sanitizeText(o.error.description ?? 'unknown error', 300)}${code}`);
	}
	return {ok: true, data: o.data, server: {name: sanitizeText(o.server?.name, 100), id: sanitizeText(o.server?.id, 100)}};
}

function badId(serverId: string): Failure {
	return failure('refused', `not a server id: ${sanitizeText(serverId, 80)}`, 'use the server_id from varz');
}

function badCid(cid: number): Failure {
	return failure('refused', `not a connection id: ${sanitizeText(cid, 30)}`);
}

/** $SYS RELOAD: the server re-reads its config file. Verify with varz config_load_time. */
export async function remoteReload(nc: SysRequester, serverId: string, timeoutMs: number): Promise<SysReply | Failure> {
	if (!validServerId(serverId)) return badId(serverId);
	return sysCall(nc, remoteSubject(serverId, 'RELOAD'), {}, timeoutMs);
}

/** $SYS KICK: close one client connection (its reason becomes "Kicked"). */
export async function kickClient(nc: SysRequester, serverId: string, cid: number, timeoutMs: number): Promise<SysReply | Failure> {
	if (!validServerId(serverId)) return badId(serverId);
	if (!Number.isSafeInteger(cid) || cid <= 0) return badCid(cid);
	return sysCall(nc, remoteSubject(serverId, 'KICK'), {cid}, timeoutMs);
}

/** $SYS LDM: tell one client that the server is going lame-duck (it reconnects elsewhere). */
export async function clientLameDuck(nc: SysRequester, serverId: string, cid: number, timeoutMs: number): Promise<SysReply | Failure> {
	if (!validServerId(serverId)) return badId(serverId);
	if (!Number.isSafeInteger(cid) || cid <= 0) return badCid(cid);
	return sysCall(nc, remoteSubject(serverId, 'LDM'), {cid}, timeoutMs);
}

/**
 * $SYS PROFILEZ: the profile (gzip'd protobuf, debug 0) as bytes. A cpu profile keeps the
 * request open for its duration, so the timeout is that plus `timeoutMs`.
 */
export async function profilez(nc: SysRequester, serverId: string, name: string, durationMs: number, timeoutMs: number): Promise<{ok: true; data: Buffer} | Failure> {
	if (!validServerId(serverId)) return badId(serverId);
	const body: Record<string, unknown> = {name, debug: 0};
	if (name === 'cpu') {
		if (durationMs <= 0 || durationMs > PROFILEZ_MAX_CPU_MS) return failure('refused', `a cpu profile over NATS lasts 1 to ${PROFILEZ_MAX_CPU_MS / 1000} s`);
		body['duration'] = durationMs * 1_000_000;
	}
	const reply = await sysCall(nc, remoteSubject(serverId, 'PROFILEZ'), body, (name === 'cpu' ? durationMs : 0) + timeoutMs);
	if (!reply.ok) return reply;
	const data = (reply.data ?? {}) as {profile?: unknown; error?: unknown};
	if (typeof data.error === 'string' && data.error !== '') return failure('nats', `the server could not make the ${name} profile: ${sanitizeText(data.error, 300)}`);
	if (typeof data.profile !== 'string' || data.profile === '') return failure('nats', `the server sent no ${name} profile`);
	return {ok: true, data: Buffer.from(data.profile, 'base64')};
}

/**
 * A connection for actions, opened on demand with the monitor's own login (the app's $SYS
 * source keeps its connection to itself). No reconnecting: an action either gets through or
 * says why.
 */
export async function openSysConnection(
	target: NatsTarget,
	timeoutMs: number,
	connect?: (options: ConnectionOptions) => Promise<NatsConnection>,
): Promise<{ok: true; nc: NatsConnection} | Failure> {
	try {
		const {natsConnectOptions} = await import('../sources/nats-connect.js');
		const options = {...natsConnectOptions(target, timeoutMs), name: 'natscope-actions', reconnect: false};
		return {ok: true, nc: await (connect ?? (await import('nats')).connect)(options)};
	} catch (error) {
		const e = natsSourceError(error, {url: target.servers[0] ?? '', timeoutMs, authKind: target.auth.kind});
		return failure('nats', e.message, e.hint);
	}
}
