// A scripted stand-in for a nats-server 2.10+ in the system account of a real 2.9 server: it
// subscribes to $SYS.REQ.SERVER.<fake id>.{RELOAD,KICK,LDM,PROFILEZ} and answers with the
// envelopes 2.10 sends ({server, data, error}). Only for what 2.9.10 cannot do itself.
import {connect, type Msg, type NatsConnection} from 'nats';

export const FAKE_SERVER_ID = 'NFAKE210SERVERFORSCRIPTEDSYSRESPONDERTESTS000000000000000';

export type Received = {endpoint: string; body: unknown};

export type Responder = {
	id: string;
	name: string;
	received: Received[];
	/** Replace the answer for an endpoint (data or error). */
	script(endpoint: string, answer: (body: unknown) => {data?: unknown; error?: {code: number; description: string}} | undefined): void;
	close(): Promise<void>;
};

export async function startResponder(options: {url: string; user: string; password: string; name?: string; id?: string}): Promise<Responder> {
	const id = options.id ?? FAKE_SERVER_ID;
	const name = options.name ?? 'scripted-2.10';
	const nc: NatsConnection = await connect({servers: options.url, user: options.user, pass: options.password, name: 'scripted-sys-responder'});
	const received: Received[] = [];
	const scripts = new Map<string, (body: unknown) => {data?: unknown; error?: {code: number; description: string}} | undefined>();
	const server = {name, host: '127.0.0.1', id, ver: '2.10.22', jetstream: false, seq: 1, time: new Date().toISOString()};
	const sub = nc.subscribe(`$SYS.REQ.SERVER.${id}.*`, {
		callback: (_error, msg: Msg) => {
			const endpoint = msg.subject.split('.').pop() ?? '';
			let body: unknown;
			try {
				body = msg.data.length > 0 ? JSON.parse(new TextDecoder().decode(msg.data)) : undefined;
			} catch {
				body = undefined;
			}
			received.push({endpoint, body});
			// Like the server: KICK and LDM without a valid cid get no reply at all.
			if ((endpoint === 'KICK' || endpoint === 'LDM') && typeof (body as {cid?: unknown} | undefined)?.cid !== 'number') return;
			const answer = scripts.get(endpoint)?.(body) ?? {};
			msg.respond(new TextEncoder().encode(JSON.stringify({server, ...answer})));
		},
	});
	await nc.flush();
	return {
		id,
		name,
		received,
		script(endpoint, answer) {
			scripts.set(endpoint, answer);
		},
		async close() {
			sub.unsubscribe();
			await nc.close();
		},
	};
}
