// Answering a question the recording did not ask in exactly those words. A /connz answer that
// holds every connection answers any sort, page or filter the way the server would; a page of
// the same question answers a smaller page inside it; a more detailed answer of another kind
// (streams with consumers) answers a question for less. Anything else is not in the recording.
import type {ConnInfo, Connz, ConnzQuery, SourceRequest} from '../sources/types.js';
import {sortRowsLocally, type ConnRow} from '../model/connections.js';
import {connMatchesSubject} from '../model/subject.js';

/** Options that only add detail: an answer with them also answers the question without them. */
const DETAIL_FLAGS: ReadonlySet<string> = new Set(['accounts', 'streams', 'consumers', 'config', 'subs', 'accs', 'auth']);
const SERVER_DEFAULT_LIMIT = 1024;

type Query = Record<string, unknown>;

function queryOf(request: SourceRequest): Query {
	return ('query' in request && request.query ? request.query : {}) as Query;
}

/** undefined, false and '' all mean "not given". */
function given(value: unknown): boolean {
	return value !== undefined && value !== false && value !== '';
}

function same(a: unknown, b: unknown): boolean {
	return (!given(a) && !given(b)) || a === b;
}

function subsLevel(value: unknown): number {
	return value === 'detail' ? 2 : given(value) ? 1 : 0;
}

/** The recorded connz answers hold every connection matching the recorded question. */
function complete(answers: readonly Connz[]): boolean {
	return answers.every(a => a.offset === 0 && a.connections.length >= a.total);
}

/** Can the answers to `recorded` answer `asked`? (Both of one kind; `answers` is the recorded data.) */
export function canDerive(recorded: SourceRequest, asked: SourceRequest, answers: readonly unknown[]): boolean {
	if (recorded.kind !== asked.kind) return false;
	const r = queryOf(recorded);
	const a = queryOf(asked);
	if (asked.kind !== 'connz') {
		for (const key of new Set([...Object.keys(r), ...Object.keys(a)])) {
			if (same(r[key], a[key])) continue;
			// More detail recorded than asked is fine; anything else is another question.
			if (DETAIL_FLAGS.has(key) && !given(a[key])) continue;
			return false;
		}
		return true;
	}
	const rq = r as ConnzQuery;
	const aq = a as ConnzQuery;
	const recordedState = rq.state ?? 'open';
	const askedState = aq.state ?? 'open';
	// A full state=all answer holds the open and the closed ones (closed ones have a stop time).
	const splitState = recordedState === 'all' && askedState !== 'all';
	if (recordedState !== askedState && !splitState) return false;
	if (subsLevel(aq.subs) > subsLevel(rq.subs)) return false;
	if (given(aq.auth) && !given(rq.auth)) return false;
	const connz = answers as readonly Connz[];
	// Filters: the same as recorded, or recorded without it and applied here to a full answer.
	let filteredHere = false;
	for (const key of ['cid', 'acc', 'user', 'filter_subject'] as const) {
		if (same(rq[key], aq[key])) continue;
		if (given(rq[key])) return false;
		filteredHere = true;
	}
	if (given(aq.filter_subject) && !given(rq.filter_subject) && subsLevel(rq.subs) === 0) return false;
	if ((given(aq.acc) || given(aq.user)) && filteredHere && !given(rq.auth)) return false;
	if (complete(connz)) return true;
	if (splitState || filteredHere || (rq.sort ?? 'cid') !== (aq.sort ?? 'cid')) return false;
	// The same question, a page inside the recorded page.
	const askedStart = aq.offset ?? 0;
	const askedEnd = askedStart + (aq.limit ?? SERVER_DEFAULT_LIMIT);
	return connz.every(answer => {
		const recordedEnd = answer.offset + answer.connections.length;
		return askedStart >= answer.offset && (askedEnd <= recordedEnd || recordedEnd >= answer.total);
	});
}

function asRows(connections: readonly ConnInfo[], serverId: string): ConnRow[] {
	return connections.map(conn => ({key: `${serverId}:${conn.cid}`, serverId, serverName: '', conn, host: ''}));
}

function strip(conn: ConnInfo, asked: ConnzQuery): ConnInfo {
	const level = subsLevel(asked.subs);
	if (level === 2) return conn;
	return {...conn, subscriptions_list: level === 1 ? conn.subscriptions_list : [], subscriptions_list_detail: []};
}

/** One server's /connz answer to `asked`, made from its recorded answer (canDerive said yes). */
export function deriveConnz(recorded: ConnzQuery, asked: ConnzQuery, answer: Connz): Connz {
	const offset = asked.offset ?? 0;
	const limit = asked.limit ?? SERVER_DEFAULT_LIMIT;
	if (complete([answer])) {
		let list = answer.connections;
		if ((recorded.state ?? 'open') === 'all' && (asked.state ?? 'open') !== 'all') {
			const closed = asked.state === 'closed';
			list = list.filter(c => (c.stop !== '') === closed);
		}
		if (given(asked.cid) && !same(recorded.cid, asked.cid)) list = list.filter(c => c.cid === asked.cid);
		if (given(asked.acc) && !same(recorded.acc, asked.acc)) list = list.filter(c => c.account === asked.acc);
		if (given(asked.user) && !same(recorded.user, asked.user)) list = list.filter(c => c.authorized_user === asked.user);
		if (given(asked.filter_subject) && !same(recorded.filter_subject, asked.filter_subject)) list = list.filter(c => connMatchesSubject(c, asked.filter_subject!));
		const sorted = sortRowsLocally(asRows(list, answer.server_id), asked.sort ?? 'cid').map(row => row.conn);
		const page = sorted.slice(offset, offset + limit).map(c => strip(c, asked));
		return {...answer, offset, limit, num_connections: page.length, total: list.length, connections: page};
	}
	const from = offset - answer.offset;
	const page = answer.connections.slice(from, from + limit).map(c => strip(c, asked));
	return {...answer, offset, limit, num_connections: page.length, connections: page};
}
