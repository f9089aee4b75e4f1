// One place for the app to get the operator-action controllers for the server on screen: the
// signal panel's and the profiles panel's, sharing one $SYS connection (opened on first use,
// only over the NATS transport) and the app's own source for varz and healthz.
import type {Config} from '../config/types.js';
import type {Source} from '../sources/types.js';
import type {NatsConnection} from 'nats';
import {probeFromSource} from './probe.js';
import {openSysConnection, type SysRequester} from './remote.js';
import {type Failure} from './result.js';
import {SignalsController} from './signals-controller.js';
import {ProfilesController} from './profiles-controller.js';

export {SignalsController, SIGNAL_PANEL_KEYS, CLIENT_ACTION_KEYS, clientActionOffers, type SignalsState} from './signals-controller.js';
export {ProfilesController, PROFILE_PANEL_KEYS, type ProfilesState} from './profiles-controller.js';

/** The action flags (Config has them as pid, pidFile, profPort, profUrl). */
export type ActionFlags = {pid?: number; pidFile?: string; profPort?: number; profUrl?: string};

export type ActionControllers = {
	signals: SignalsController;
	profiles: ProfilesController;
	/** Stop what runs and close the $SYS connection. */
	dispose(): Promise<void>;
};

/** Host and port we reach the server at, from the first address in the config. */
export function reachOf(config: Pick<Config, 'transport' | 'urls' | 'nats'>): {host: string; port?: number} {
	const url = config.transport === 'nats' ? config.nats?.servers[0] : config.urls[0];
	try {
		const parsed = new URL(url ?? 'http://127.0.0.1:8222');
		const fallback = config.transport === 'nats' ? 4222 : parsed.protocol === 'https:' ? 443 : 80;
		return {host: parsed.hostname.replace(/^\[|\]$/g, ''), port: parsed.port ? Number(parsed.port) : fallback};
	} catch {
		return {host: '127.0.0.1'};
	}
}

/**
 * Controllers for one server (`serverId` = varz server_id of the server on screen; the first
 * to answer when not given). Feed each new varz of that server to both setServer methods.
 */
export function createActionControllers(
	config: Config,
	source: Source,
	flags: ActionFlags,
	options: {serverId?: string; dir?: string; reach?: {host: string; port?: number}} = {},
): ActionControllers {
	let opened: Promise<{ok: true; nc: NatsConnection} | Failure> | undefined;
	const sys =
		config.transport === 'nats' && config.nats
			? (): Promise<{ok: true; nc: SysRequester} | Failure> => {
					opened ??= openSysConnection(config.nats!, config.timeoutMs).then(result => {
						if (!result.ok) opened = undefined;
						return result;
					});
					return opened;
				}
			: undefined;
	const closeSys = async (): Promise<void> => {
		const result = await opened?.catch(() => undefined);
		if (result?.ok) await result.nc.close().catch(() => {});
		opened = undefined;
	};
	// With several monitoring URLs, pass the focused server's own host and port as `reach`.
	const reach = options.reach ?? reachOf(config);
	const probe = probeFromSource(source, options.serverId);
	const signals = new SignalsController({
		transport: config.transport,
		probe,
		reachHost: reach.host,
		reachPort: config.transport === 'http' ? reach.port : undefined,
		pid: flags.pid,
		pidFile: flags.pidFile,
		sys,
		closeSys,
		timeoutMs: config.timeoutMs,
		// A kick is verified by asking for that connection again (cids are per server).
		connectionOpen: async (serverId, cid) => {
			const gathered = await source.request({kind: 'connz', query: {cid, state: 'open'}});
			const reply = gathered.replies.find(r => r.server.id === serverId || r.data.server_id === serverId);
			if (!reply) throw new Error(`server ${serverId} did not answer`);
			return reply.data.connections.some(c => c.cid === cid);
		},
	});
	const profiles = new ProfilesController({
		transport: config.transport,
		reachHost: reach.host,
		reachPort: config.transport === 'http' ? reach.port : undefined,
		profUrl: flags.profUrl,
		profPort: flags.profPort,
		pid: flags.pid,
		pidFile: flags.pidFile,
		dir: options.dir ?? process.cwd(),
		timeoutMs: config.timeoutMs,
		sys,
		insecure: config.tls.insecure,
	});
	return {
		signals,
		profiles,
		async dispose() {
			profiles.dispose();
			await signals.dispose();
			await closeSys();
		},
	};
}
