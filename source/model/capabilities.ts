// What a server version can do, decided in one place.
import type {ConnState, ConnzSortKey} from '../sources/types.js';

export type Version = [number, number, number];

export function parseVersion(text: string): Version | undefined {
	const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text.trim());
	if (!match) return undefined;
	return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** The version of several servers: theirs when they agree, else "mixed (a, b)". */
export function combinedVersion(versions: readonly string[]): string {
	const distinct = [...new Set(versions)];
	return distinct.length === 1 ? distinct[0]! : `mixed (${distinct.join(', ')})`;
}

export function versionAtLeast(text: string, minimum: string): boolean {
	const have = parseVersion(text);
	const need = parseVersion(minimum);
	if (!have || !need) return false;
	for (let i = 0; i < 3; i++) {
		if (have[i]! !== need[i]!) return have[i]! > need[i]!;
	}
	return true;
}

/**
 * The order nats-server returns for each key; it takes no direction parameter. Taken from
 * the server's connz sort switch: cid/start ascending, uptime ascending (byUptime is not
 * reversed: youngest first), reason alphabetical; every other key reversed, i.e. descending
 * (rtt included: "RTT - Default is descending").
 */
export const SORT_DIRECTION: Record<ConnzSortKey, 'asc' | 'desc'> = {
	cid: 'asc',
	start: 'asc',
	subs: 'desc',
	pending: 'desc',
	msgs_to: 'desc',
	msgs_from: 'desc',
	bytes_to: 'desc',
	bytes_from: 'desc',
	last: 'desc',
	idle: 'desc',
	uptime: 'asc',
	rtt: 'desc',
	stop: 'desc',
	reason: 'asc',
};

/** Pending first: it is what people hunting slow consumers reach for. */
export const SORT_KEYS: readonly ConnzSortKey[] = [
	'pending',
	'cid',
	'subs',
	'msgs_to',
	'msgs_from',
	'bytes_to',
	'bytes_from',
	'idle',
	'last',
	'uptime',
	'start',
	'rtt',
	'stop',
	'reason',
];

export function isSortKey(text: string): text is ConnzSortKey {
	return (SORT_KEYS as readonly string[]).includes(text);
}

export const RTT_SORT_VERSION = '2.9.17';

export type SortCapability = {ok: true} | {ok: false; reason: string};

export function serverCanSort(key: ConnzSortKey, version: string, state: ConnState): SortCapability {
	if ((key === 'stop' || key === 'reason') && state !== 'closed') {
		return {ok: false, reason: 'stop/reason sorting needs --state closed'};
	}
	if (key === 'rtt') {
		if (!version) return {ok: false, reason: 'server version not known yet'};
		if (!versionAtLeast(version, RTT_SORT_VERSION)) {
			return {ok: false, reason: `nats-server ${version} cannot sort by rtt (needs ${RTT_SORT_VERSION})`};
		}
	}
	return {ok: true};
}
