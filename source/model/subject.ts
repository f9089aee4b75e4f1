// NATS subject matching with wildcards on either side: `*` is one token, `>` one or more.
import type {ConnInfo} from '../sources/types.js';

export function subjectsIntersect(a: string, b: string): boolean {
	const left = a.split('.');
	const right = b.split('.');
	for (let i = 0; ; i++) {
		const l = left[i];
		const r = right[i];
		if (l === undefined || r === undefined) return l === undefined && r === undefined;
		if (l === '>') return r !== undefined;
		if (r === '>') return true;
		if (l !== '*' && r !== '*' && l !== r) return false;
	}
}

export function connMatchesSubject(conn: ConnInfo, subject: string): boolean {
	if (conn.subscriptions_list.some(s => subjectsIntersect(s, subject))) return true;
	return conn.subscriptions_list_detail.some(s => subjectsIntersect(s.subject, subject));
}
