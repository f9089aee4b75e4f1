// How actions look at the server they act on: varz and healthz of one server, through whatever
// source the app or command already has. Failures are thrown as SourceError by the source.
import {connect as tcpConnect} from 'node:net';
import type {Gathered, Healthz, Kind, Source, Varz} from '../sources/types.js';
import {SourceError} from '../sources/types.js';

export type ServerProbe = {
	varz(signal?: AbortSignal): Promise<Varz>;
	healthz(signal?: AbortSignal): Promise<Healthz>;
};

function pick<K extends Kind>(gathered: Gathered<K>, serverId: string | undefined): Gathered<K>['replies'][number] {
	const replies = gathered.replies;
	const reply = serverId ? replies.find(r => r.server.id === serverId || ('server_id' in r.data && r.data.server_id === serverId)) : replies[0];
	if (reply) return reply;
	const failure = gathered.failures[0];
	if (failure) throw failure.error;
	throw new SourceError('unknown', serverId ? `server ${serverId} did not answer` : 'no server answered');
}

/** Ask `source` about one server (by varz server_id; the first answer when not given). */
export function probeFromSource(source: Source, serverId?: string): ServerProbe {
	return {
		async varz(signal) {
			return pick(await source.request({kind: 'varz'}, signal), serverId).data as Varz;
		},
		async healthz(signal) {
			const gathered = await source.request({kind: 'healthz'}, signal);
			// healthz replies carry no server_id: for one server, the only reply is its own.
			const reply = serverId ? (gathered.replies.find(r => r.server.id === serverId) ?? (gathered.replies.length === 1 ? gathered.replies[0] : undefined)) : gathered.replies[0];
			if (reply) return reply.data as Healthz;
			throw gathered.failures[0]?.error ?? new SourceError('unknown', 'no server answered /healthz');
		},
	};
}

/** Does host:port accept a TCP connection (within timeoutMs)? Closes it at once. */
export function accepts(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
	return new Promise(resolve => {
		const socket = tcpConnect({host, port});
		const done = (ok: boolean): void => {
			socket.removeAllListeners();
			socket.on('error', () => {});
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(timeoutMs, () => done(false));
		socket.once('connect', () => done(true));
		socket.once('error', () => done(false));
	});
}
