// The last samples of every connection we have seen, across answers. A page sorted by a key
// with ties (pending = 0 for most clients) comes back in a different order each refresh, so
// the row on screen now was often not in the previous answer; its rate is taken against the
// last time we saw it instead, divided by the server time between the two samples.
import type {ConnInfo, Connz} from '../sources/types.js';

/** What a rate needs of a connection: its counters, and its start (a reused cid restarts). */
export type RateSample = Pick<ConnInfo, 'start' | 'in_msgs' | 'out_msgs' | 'in_bytes' | 'out_bytes'>;

export type Seen = {conn: RateSample; nowMs: number};

/**
 * Only the counters are kept, not the decoded connection: with -n 1024 sorted by pending over
 * 10,000 connections, every connection ever on a page stayed alive twice over (names, JWTs,
 * subscriptions lists …), and the old generation that grew by a page each refresh cost more in
 * garbage collection than decoding the page did.
 */
function sample(conn: ConnInfo): RateSample {
	return {start: conn.start, in_msgs: conn.in_msgs, out_msgs: conn.out_msgs, in_bytes: conn.in_bytes, out_bytes: conn.out_bytes};
}

export class SeenConnections {
	/** server id → cid → up to two samples, oldest first (no key string built per connection) */
	private readonly samples = new Map<string, Map<number, Seen[]>>();
	private recordedSince = 0;
	private count = 0;

	constructor(private readonly forgetAfterMs = 5 * 60_000) {}

	record(connz: Connz): void {
		let byCid = this.samples.get(connz.server_id);
		if (!byCid) this.samples.set(connz.server_id, (byCid = new Map()));
		for (const conn of connz.connections) {
			const list = byCid.get(conn.cid);
			if (!list) {
				byCid.set(conn.cid, [{conn: sample(conn), nowMs: connz.now_ms}]);
				this.count++;
				continue;
			}
			if (list[list.length - 1]!.nowMs >= connz.now_ms) continue; // the same answer again, or an older one
			list.push({conn: sample(conn), nowMs: connz.now_ms});
			if (list.length > 2) list.shift();
		}
		this.recordedSince += connz.connections.length;
		if (this.recordedSince > 20_000) this.prune(connz.now_ms);
	}

	/** The latest sample of this connection taken strictly before `nowMs`. */
	before(serverId: string, cid: number, nowMs: number): Seen | undefined {
		const list = this.samples.get(serverId)?.get(cid);
		if (!list) return undefined;
		for (let i = list.length - 1; i >= 0; i--) if (list[i]!.nowMs < nowMs) return list[i];
		return undefined;
	}

	get size(): number {
		return this.count;
	}

	private prune(nowMs: number): void {
		this.recordedSince = 0;
		for (const [server, byCid] of this.samples) {
			for (const [cid, list] of byCid) {
				if (nowMs - list[list.length - 1]!.nowMs > this.forgetAfterMs) {
					byCid.delete(cid);
					this.count--;
				}
			}
			if (byCid.size === 0) this.samples.delete(server);
		}
	}
}
