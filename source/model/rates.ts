// Per-second rates from two samples, on the server's clock. A counter that went backwards
// (server restart, cid reuse) gives no rate rather than a wrong one.
import type {ConnInfo, Connz, Varz} from '../sources/types.js';

export type VarzRates = {inMsgs: number; outMsgs: number; inBytes: number; outBytes: number};

/** msgsTo/bytesTo flow server → client (out_*), msgsFrom/bytesFrom client → server (in_*). */
export type ConnRates = {msgsTo: number; msgsFrom: number; bytesTo: number; bytesFrom: number};

function perSecond(previous: number, current: number, elapsedMs: number): number | undefined {
	const delta = current - previous;
	if (delta < 0) return undefined;
	return (delta * 1000) / elapsedMs;
}

export function varzRates(prev: Varz | undefined, cur: Varz): VarzRates | undefined {
	if (!prev || prev.server_id !== cur.server_id) return undefined;
	const elapsed = cur.now_ms - prev.now_ms;
	if (!(elapsed > 0)) return undefined;
	const inMsgs = perSecond(prev.in_msgs, cur.in_msgs, elapsed);
	const outMsgs = perSecond(prev.out_msgs, cur.out_msgs, elapsed);
	const inBytes = perSecond(prev.in_bytes, cur.in_bytes, elapsed);
	const outBytes = perSecond(prev.out_bytes, cur.out_bytes, elapsed);
	if (inMsgs === undefined || outMsgs === undefined || inBytes === undefined || outBytes === undefined) return undefined;
	return {inMsgs, outMsgs, inBytes, outBytes};
}

/** Server-clock milliseconds between two /connz answers of the same server. */
export function connzElapsedMs(prev: Connz | undefined, cur: Connz): number | undefined {
	if (!prev || prev.server_id !== cur.server_id) return undefined;
	const elapsed = cur.now_ms - prev.now_ms;
	return elapsed > 0 ? elapsed : undefined;
}

export function connRates(prev: Pick<ConnInfo, 'start' | 'in_msgs' | 'out_msgs' | 'in_bytes' | 'out_bytes'> | undefined, cur: ConnInfo, elapsedMs: number): ConnRates | undefined {
	if (!prev || !(elapsedMs > 0)) return undefined;
	// A cid reused after a restart shows up with a different start time.
	if (prev.start !== cur.start) return undefined;
	const msgsTo = perSecond(prev.out_msgs, cur.out_msgs, elapsedMs);
	const msgsFrom = perSecond(prev.in_msgs, cur.in_msgs, elapsedMs);
	const bytesTo = perSecond(prev.out_bytes, cur.out_bytes, elapsedMs);
	const bytesFrom = perSecond(prev.in_bytes, cur.in_bytes, elapsedMs);
	if (msgsTo === undefined || msgsFrom === undefined || bytesTo === undefined || bytesFrom === undefined) return undefined;
	return {msgsTo, msgsFrom, bytesTo, bytesFrom};
}
