// Replication lag over time: per stream replica (and per mirror or source), what it looked like
// at each refresh, whether it has been behind long enough to flag, which way it is going, and
// the one-line summary for the header. Pure: the app feeds it one refresh at a time.
import {sparkline} from './sparkline.js';

/** What one refresh says about one replica (or mirror / source). */
export type LagObservation = {
	/** The leader considers it current (mirrors and sources: lag is 0). */
	current: boolean;
	/** Entries (replicas) or messages (mirrors, sources) behind. */
	lag: number;
	offline: boolean;
	/** Something the server reported as an error (mirrors and sources). */
	error?: string;
};

/**
 * ok: current, no lag. behind: not current or lagging, but not for long enough to flag.
 * warning: behind for `warnAfter` refreshes in a row. critical: offline (or an error).
 */
export type LagLevel = 'ok' | 'behind' | 'warning' | 'critical';

export type LagTrend = 'growing' | 'shrinking' | 'steady';

export type LagState = {
	level: LagLevel;
	/** Consecutive refreshes it has been behind (0 when not). */
	behindFor: number;
	trend: LagTrend;
	/** The lag at each refresh, oldest first (at most `historySize`). */
	history: number[];
	last: LagObservation;
};

/** Keys kept apart: a replica 'r', a mirror 'm' or a source 's' of a stream of an account. */
export function replicaKey(account: string, stream: string, replica: string): string {
	return `r\u0000${account}\u0000${stream}\u0000${replica}`;
}

export function originKey(account: string, stream: string, kind: 'mirror' | 'source', origin: string): string {
	return `${kind === 'mirror' ? 'm' : 's'}\u0000${account}\u0000${stream}\u0000${origin}`;
}

function isBehind(o: LagObservation): boolean {
	return !o.current || o.lag > 0;
}

export const TREND_MARK: Record<LagTrend, string> = {growing: '↑', shrinking: '↓', steady: '→'};

export class LagTracker {
	private readonly states = new Map<string, LagState>();
	private refreshes = 0;

	constructor(
		/** Refreshes in a row behind before a warning (Config.lagWarnRefreshes, default 3). */
		readonly warnAfter = 3,
		readonly historySize = 60,
	) {}

	/**
	 * One refresh. Keys observed are updated; keys that `keep` accepts but were not observed (their
	 * leader did not answer this time) keep their state; every other key is forgotten (the stream
	 * is gone).
	 */
	update(observations: ReadonlyMap<string, LagObservation>, keep: (key: string) => boolean = () => false): void {
		this.refreshes++;
		for (const key of [...this.states.keys()]) {
			if (!observations.has(key) && !keep(key)) this.states.delete(key);
		}
		for (const [key, o] of observations) {
			const before = this.states.get(key);
			const behindFor = isBehind(o) ? (before?.behindFor ?? 0) + 1 : 0;
			const history = [...(before?.history ?? []), o.lag].slice(-this.historySize);
			const level: LagLevel = o.offline || o.error ? 'critical' : behindFor >= this.warnAfter ? 'warning' : behindFor > 0 ? 'behind' : 'ok';
			this.states.set(key, {level, behindFor, trend: trendOf(history), history, last: o});
		}
	}

	get(key: string): LagState | undefined {
		return this.states.get(key);
	}

	/** How many refreshes the tracker has seen. */
	get count(): number {
		return this.refreshes;
	}

	/** Flagged replicas and origins, counted for the header. */
	summary(): LagSummary {
		const counts = {replicasLagging: 0, replicasOffline: 0, originsLagging: 0, originsFailing: 0, behind: 0};
		for (const [key, state] of this.states) {
			const replica = key.startsWith('r\u0000');
			if (state.level === 'behind') counts.behind++;
			if (state.level === 'warning') {
				if (replica) counts.replicasLagging++;
				else counts.originsLagging++;
			}
			if (state.level === 'critical') {
				if (replica) counts.replicasOffline++;
				else counts.originsFailing++;
			}
		}
		return {...counts, text: summaryText(counts), tone: counts.replicasOffline + counts.originsFailing > 0 ? 'error' : counts.replicasLagging + counts.originsLagging > 0 ? 'warn' : 'ok'};
	}
}

export type LagSummary = {
	replicasLagging: number;
	replicasOffline: number;
	originsLagging: number;
	originsFailing: number;
	/** Behind, but not for long enough to flag. */
	behind: number;
	/** "2 replicas lagging, 1 offline" ('' when nothing is flagged). */
	text: string;
	tone: 'ok' | 'warn' | 'error';
};

function plural(n: number, one: string, many: string): string {
	return `${n} ${n === 1 ? one : many}`;
}

function summaryText(c: {replicasLagging: number; replicasOffline: number; originsLagging: number; originsFailing: number}): string {
	const parts: string[] = [];
	if (c.replicasLagging > 0) parts.push(`${plural(c.replicasLagging, 'replica', 'replicas')} lagging`);
	if (c.replicasOffline > 0) parts.push(parts.length > 0 ? `${c.replicasOffline} offline` : `${plural(c.replicasOffline, 'replica', 'replicas')} offline`);
	if (c.originsLagging > 0) parts.push(`${plural(c.originsLagging, 'mirror/source', 'mirrors/sources')} lagging`);
	if (c.originsFailing > 0) parts.push(`${plural(c.originsFailing, 'mirror/source', 'mirrors/sources')} failing`);
	return parts.join(', ');
}

/** Growing or shrinking against the previous refresh; steady when equal or with one sample. */
export function trendOf(history: readonly number[]): LagTrend {
	if (history.length < 2) return 'steady';
	const last = history.at(-1)!;
	const before = history.at(-2)!;
	if (last > before) return 'growing';
	if (last < before) return 'shrinking';
	return 'steady';
}

/** The lag history as a sparkline `width` cells wide. */
export function lagSparkline(state: LagState | undefined, width: number): string {
	if (!state || width <= 0) return '';
	return sparkline(state.history, width);
}
