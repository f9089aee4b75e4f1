// The last samples of every connection we have seen, across answers. A page sorted by a key
// with ties (pending = 0 for most clients) comes back in a different order each refresh, so
// the row on screen now was often not in the previous answer; its rate is taken against the
// last time we saw it instead, divided by the server time between the two samples.
import type {ConnInfo, Connz} from '../sources/types.js';

export type Seen = {conn: ConnInfo; nowMs: number};

export class SeenConnections {
	/** key → up to two samples, oldest first */
	private readonly samples = new Map<string, Seen[]>();
	private recordedSince = 0;

	constructor(private readonly forgetAfterMs = 5 * 60_000) {}

	record(connz: Connz): void {
		for (const conn of connz.connections) {
			const key = `${connz.server_id}:${conn.cid}`;
			const list = this.samples.get(key);
			if (!list) {
				this.samples.set(key, [{conn, nowMs: connz.now_ms}]);
				continue;
			}
			if (list.at(-1)!.nowMs >= connz.now_ms) continue; // the same answer again, or an older one
			list.push({conn, nowMs: connz.now_ms});
			if (list.length > 2) list.shift();
		}
		this.recordedSince += connz.connections.length;
		if (this.recordedSince > 20_000) this.prune(connz.now_ms);
	}

	/** The latest sample of this connection taken strictly before `nowMs`. */
	before(serverId: string, cid: number, nowMs: number): Seen | undefined {
		const list = this.samples.get(`${serverId}:${cid}`);
		if (!list) return undefined;
		for (let i = list.length - 1; i >= 0; i--) if (list[i]!.nowMs < nowMs) return list[i];
		return undefined;
	}

	get size(): number {
		return this.samples.size;
	}

	private prune(nowMs: number): void {
		this.recordedSince = 0;
		for (const [key, list] of this.samples) if (nowMs - list.at(-1)!.nowMs > this.forgetAfterMs) this.samples.delete(key);
	}
}
