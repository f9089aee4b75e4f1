// What the connections view asks the server for, and how an answer maps back onto the list the
// user scrolls. Sorting and paging happen on the server wherever the API allows, so a refresh
// costs what is on screen, not what exists.
import type {ConnzQuery, ConnzSortKey, ConnState} from '../sources/types.js';
import {serverCanSort} from './capabilities.js';
import {groupDigits} from './digits.js';

/** Rows fetched when the list is worked on locally (nats-top's default -n). */
export const LOCAL_FETCH_ROWS = 1024;

export type PlanInput = {
	sort: ConnzSortKey;
	reverse: boolean;
	rows?: number;
	state: ConnState;
	account?: string;
	user?: string;
	subject?: string;
	filter: string;
	showSubs: boolean;
	scrollTop: number;
	pageSize: number;
	/** Server total from the last answer (0 before the first). */
	total: number;
	/** Server version from /varz ('' before the first answer). */
	version: string;
	/** Whether the transport applies filter_subject itself ($SYS does; HTTP does not). */
	serverFiltersSubject: boolean;
	/** Servers answering (1 for a single server; several over $SYS or several URLs). */
	servers?: number;
};

export type ConnectionsPlan = {
	query: ConnzQuery;
	/**
	 * 'window': the answer is one page of the server's order at `offset`;
	 * 'local': the answer is the first `limit` rows, then filtered/sorted/paged here;
	 * 'top': -n N, the first N rows of the server's order (nats-top's model);
	 * 'merge': several servers, each asked for its first (window end) rows, merged here — exact.
	 */
	mode: 'window' | 'local' | 'top' | 'merge';
	/** Sort locally by this key (the server can't). */
	localSort?: ConnzSortKey;
	/** Reverse the rows locally (local and top modes; window mode pages from the far end). */
	localReverse: boolean;
	/** Explanations for the status line ("sorted locally: …"). */
	notes: string[];
};

/** Rows asked of each server in merge mode, at most: deeper pages are cut here and say so. */
export const MERGE_MAX_ROWS = 10_000;

/** Offsets move in steps of half a page so small scrolls don't refetch. */
function windowStep(pageSize: number): number {
	return Math.max(1, Math.floor(pageSize / 2));
}

export function planConnections(input: PlanInput): ConnectionsPlan {
	const notes: string[] = [];
	const capability = serverCanSort(input.sort, input.version, input.state);
	const localSubject = Boolean(input.subject) && !input.serverFiltersSubject;
	const base: ConnzQuery = {
		auth: true,
		state: input.state,
		...(input.account ? {acc: input.account} : {}),
		...(input.user ? {user: input.user} : {}),
		...(input.showSubs || input.subject ? {subs: true} : {}),
		...(input.subject && input.serverFiltersSubject ? {filter_subject: input.subject} : {}),
	};

	const multi = (input.servers ?? 1) > 1;
	// Several servers cannot page from the far end together: reverse the merged top locally.
	const local = !capability.ok || input.filter !== '' || localSubject || (multi && input.reverse);
	if (local) {
		const limit = input.rows ?? LOCAL_FETCH_ROWS;
		if (!capability.ok) notes.push(`sorted locally: ${capability.reason}`);
		if (input.filter !== '') notes.push('text filter is local');
		if (multi && input.reverse && capability.ok) notes.push('reversed locally (several servers)');
		if (localSubject) notes.push('subject filter is local (the monitoring port cannot filter by subject)');
		notes.push(`working on the first ${groupDigits(limit)} fetched`);
		return {
			query: {...base, ...(capability.ok ? {sort: input.sort} : {}), offset: 0, limit},
			mode: 'local',
			localSort: capability.ok ? undefined : input.sort,
			localReverse: input.reverse,
			notes,
		};
	}

	if (multi) {
		const step = windowStep(input.pageSize);
		const wanted = input.rows ?? Math.floor((input.scrollTop + input.pageSize) / step) * step + step + input.pageSize;
		const limit = Math.min(MERGE_MAX_ROWS, wanted);
		if (wanted > MERGE_MAX_ROWS) notes.push(`the first ${groupDigits(MERGE_MAX_ROWS)} of each server`);
		return {query: {...base, sort: input.sort, offset: 0, limit}, mode: input.rows === undefined ? 'merge' : 'top', localReverse: false, notes};
	}

	if (input.rows !== undefined) {
		// nats-top's -n: the first N of the server's order; reversed means the last N.
		const offset = input.reverse ? Math.max(0, input.total - input.rows) : 0;
		if (input.reverse) notes.push(`reversed: the last ${input.rows} of the server's order`);
		return {query: {...base, sort: input.sort, offset, limit: input.rows}, mode: 'top', localReverse: input.reverse, notes};
	}

	const step = windowStep(input.pageSize);
	const limit = input.pageSize + step;
	const logicalStart = Math.floor(input.scrollTop / step) * step;
	let offset = logicalStart;
	if (input.reverse) {
		// Page from the far end of the server's order, so reversing is exact, not a flipped page.
		offset = Math.max(0, input.total - logicalStart - limit);
		notes.push('reversed: paging from the end of the server\'s order');
	}
	return {query: {...base, sort: input.sort, offset, limit}, mode: 'window', localReverse: false, notes};
}

/**
 * Where the first row of a window answer sits in the list as the user sees it. For a reversed
 * window the server's page [offset, offset+n) shows as [total-offset-n, total-offset).
 */
export function windowStart(offset: number, count: number, total: number, reverse: boolean): number {
	return reverse ? Math.max(0, total - offset - count) : offset;
}
