// NATS subject matching with wildcards on either side: `*` is one token, `>` one or more.
import type {ConnInfo} from '../sources/types.js';

/** True when some literal subject matches both patterns (either may hold wildcards). */
export function subjectsIntersect(a: string, b: string): boolean {
	if (a === '' || b === '') return false;
	const left = a.split('.');
	const right = b.split('.');
	for (let i = 0; ; i++) {
		const l = left[i];
		const r = right[i];
		if (l === undefined || r === undefined) return l === undefined && r === undefined;
		// `>` takes one or more tokens: whatever remains on the other side (at least this one).
		if (l === '>' || r === '>') return true;
		if (l !== '*' && r !== '*' && l !== r) return false;
	}
}

/** Whether any of the connection's subscriptions could receive a message on `subject`. */
export function connMatchesSubject(conn: ConnInfo, subject: string): boolean {
	if (conn.subscriptions_list.some(s => subjectsIntersect(s, subject))) return true;
	return conn.subscriptions_list_detail.some(s => subjectsIntersect(s.subject, subject));
}
