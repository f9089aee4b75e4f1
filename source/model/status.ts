// The status lines: what the list shows (left) and how fresh the data is (right), as text.
import type {NeedStatus} from '../poll/poller.js';
import type {Tone} from './overview.js';
import {formatDuration} from './format.js';

export type Freshness = {text: string; tone: Tone; stale: boolean};

/** Whole seconds for ages and intervals ("3s", "2m05s"); sub-second intervals in ms. */
function age(ms: number): string {
	const seconds = Math.max(0, Math.round(ms / 1000));
	return seconds < 60 ? `${seconds}s` : formatDuration(seconds * 1000);
}

function interval(ms: number): string {
	return ms < 1000 ? `${ms}ms` : age(ms);
}

function retryIn(status: NeedStatus, now: number): string {
	if (status.inFlight) return 'retrying now';
	if (status.nextAt === undefined) return '';
	const seconds = Math.max(0, Math.ceil((status.nextAt - now) / 1000));
	return `retry in ${seconds}s`;
}

/**
 * The worst of the given needs decides: an error (stale or without data) over waiting over
 * fresh. `statuses` are in order of importance.
 */
export function freshness(statuses: ReadonlyArray<NeedStatus | undefined>, now: number, paused: boolean, intervalMs: number): Freshness {
	const present = statuses.filter((s): s is NeedStatus => s !== undefined);
	const failing = present.find(s => s.error);
	const every = `every ${interval(intervalMs)}`;
	if (failing?.error) {
		const {error} = failing;
		const hint = error.hint ? ` — ${error.hint}` : '';
		const retry = paused ? 'paused' : retryIn(failing, now);
		if (failing.current && failing.okAt !== undefined) {
			return {
				text: [`STALE ${age(now - failing.okAt)}`, retry, `${error.message}${hint}`].filter(Boolean).join(' · '),
				tone: 'warn',
				stale: true,
			};
		}
		return {text: `✖ ${[retry, `${error.message}${hint}`].filter(Boolean).join(' · ')}`, tone: 'error', stale: true};
	}
	const oldest = present.reduce<number | undefined>(
		(min, s) => (s.okAt === undefined ? min : min === undefined ? s.okAt : Math.min(min, s.okAt)),
		undefined,
	);
	if (paused) {
		return {
			text: oldest === undefined ? 'paused (p resumes)' : `paused (p resumes) · data from ${age(now - oldest)} ago`,
			tone: 'info',
			stale: false,
		};
	}
	if (oldest === undefined || present.some(s => !s.current)) return {text: `connecting… · ${every}`, tone: 'dim', stale: false};
	return {text: `updated ${age(now - oldest)} ago · ${every}`, tone: 'dim', stale: false};
}

/**
 * What the list shows: count, order, server-side filters (and, in one-line outputs, the local
 * notes; the TUI shows those on the freshness line, where there is room).
 */
export function listSummary(args: {
	showing: string;
	sortLabel: string;
	state: string;
	account?: string;
	user?: string;
	subject?: string;
	filter: string;
	rows?: number;
	mode: 'rates' | 'totals';
	notes: readonly string[];
}): string {
	const parts = [`showing ${args.showing || '0'}`, args.sortLabel];
	if (args.state !== 'open') parts.push(`state ${args.state}`);
	if (args.account) parts.push(`account ${args.account}`);
	if (args.user) parts.push(`user ${args.user}`);
	if (args.subject) parts.push(`subject ${args.subject}`);
	if (args.filter) parts.push(`filter "${args.filter}"`);
	if (args.rows !== undefined) parts.push(`-n ${args.rows}`);
	if (args.mode === 'totals') parts.push('totals');
	return [...parts, ...args.notes].join(' · ');
}
