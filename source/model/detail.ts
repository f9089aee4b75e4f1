// One connection, every field the server gave, as labelled lines for the detail view.
import type {ConnInfo} from '../sources/types.js';
import {formatBytes, formatCount, formatDuration, formatRate, formatTimestamp, parseDuration} from './format.js';
import type {ConnRates} from './rates.js';
import {sparkline} from './sparkline.js';

export type DetailLine =
	| {kind: 'section'; text: string}
	| {kind: 'field'; label: string; value: string; alert?: boolean}
	| {kind: 'text'; text: string};

export type DetailModel = {
	title: string;
	lines: DetailLine[];
};

export type DetailInput = {
	conn: ConnInfo;
	serverName: string;
	rates?: ConnRates;
	/** RTT samples (ms) of this connection, oldest first. */
	rttHistory: ReadonlyArray<number | undefined>;
	maxPending?: number;
	raw: boolean;
	sparkWidth: number;
	host?: string;
};

function field(label: string, value: string, alert = false): DetailLine {
	return {kind: 'field', label, value: value === '' ? '—' : value, alert};
}

function rttSummary(history: ReadonlyArray<number | undefined>): string {
	const values = history.filter((v): v is number => v !== undefined);
	if (values.length === 0) return 'no samples yet';
	const min = Math.min(...values);
	const max = Math.max(...values);
	const avg = values.reduce((a, b) => a + b, 0) / values.length;
	return `min ${formatDuration(min)}  avg ${formatDuration(avg)}  max ${formatDuration(max)}  (${values.length} samples)`;
}

export function buildDetailModel(input: DetailInput): DetailModel {
	const {conn, raw, rates} = input;
	const lines: DetailLine[] = [];
	const closed = conn.stop !== '' && !conn.stop.startsWith('0001-');
	const pendingPct =
		input.maxPending && input.maxPending > 0 ? ` (${((conn.pending_bytes / input.maxPending) * 100).toFixed(1)}% of max_pending)` : '';

	lines.push({kind: 'section', text: 'Connection'});
	lines.push(field('cid', String(conn.cid)));
	lines.push(field('name', conn.name));
	lines.push(field('server', input.serverName));
	lines.push(field('kind / type', [conn.kind, conn.type].filter(Boolean).join(' / ')));
	lines.push(field('address', input.host && input.host !== `${conn.ip}:${conn.port}` ? `${conn.ip}:${conn.port} (${input.host})` : `${conn.ip}:${conn.port}`));
	lines.push(field('lang / version', [conn.lang, conn.version].filter(Boolean).join(' ')));
	if (conn.mqtt_client) lines.push(field('mqtt client', conn.mqtt_client));
	lines.push(field('state', closed ? 'closed' : 'open', closed));
	lines.push(field('started', formatTimestamp(conn.start)));
	if (closed) {
		lines.push(field('stopped', formatTimestamp(conn.stop), true));
		lines.push(field('reason', conn.reason, true));
	}
	lines.push(field('last activity', formatTimestamp(conn.last_activity)));
	lines.push(field('uptime', conn.uptime));
	lines.push(field('idle', conn.idle));

	lines.push({kind: 'section', text: 'Traffic'});
	lines.push(field('pending', `${formatBytes(conn.pending_bytes, raw)}${pendingPct}`, conn.pending_bytes > 0));
	lines.push(field('msgs to client', `${formatCount(conn.out_msgs, raw)}  ${formatRate(rates?.msgsTo, 'msgs', raw)}`));
	lines.push(field('msgs from client', `${formatCount(conn.in_msgs, raw)}  ${formatRate(rates?.msgsFrom, 'msgs', raw)}`));
	lines.push(field('bytes to client', `${formatBytes(conn.out_bytes, raw)}  ${formatRate(rates?.bytesTo, 'bytes', raw)}`));
	lines.push(field('bytes from client', `${formatBytes(conn.in_bytes, raw)}  ${formatRate(rates?.bytesFrom, 'bytes', raw)}`));

	lines.push({kind: 'section', text: 'Round trip'});
	const rttMs = parseDuration(conn.rtt);
	lines.push(field('rtt now', rttMs === undefined ? conn.rtt : formatDuration(rttMs)));
	lines.push(field('rtt history', `${sparkline(input.rttHistory, input.sparkWidth)}  ${rttSummary(input.rttHistory)}`));

	lines.push({kind: 'section', text: 'Security'});
	lines.push(field('account', conn.account));
	lines.push(field('authorized user', conn.authorized_user));
	lines.push(field('tls', [conn.tls_version, conn.tls_cipher_suite].filter(Boolean).join(' ') || 'none'));
	if (conn.issuer_key) lines.push(field('jwt issuer', conn.issuer_key));
	if (conn.jwt) lines.push(field('jwt', 'present (not shown)'));
	if (conn.name_tag) lines.push(field('name tag', conn.name_tag));
	if (conn.tags.length > 0) lines.push(field('tags', conn.tags.join(', ')));

	const detail = conn.subscriptions_list_detail;
	const plain = conn.subscriptions_list;
	lines.push({kind: 'section', text: `Subscriptions (${formatCount(conn.subscriptions, true)})`});
	if (detail.length > 0) {
		for (const sub of detail) {
			const queue = sub.qgroup ? ` queue ${sub.qgroup}` : '';
			const max = sub.max > 0 ? ` max ${sub.max}` : '';
			lines.push({kind: 'text', text: `${sub.subject}${queue}  sid ${sub.sid}  msgs ${formatCount(sub.msgs, raw)}${max}`});
		}
	} else if (plain.length > 0) {
		for (const subject of plain) lines.push({kind: 'text', text: subject});
	} else {
		lines.push({kind: 'text', text: conn.subscriptions > 0 ? 'the server did not list them' : 'none'});
	}

	return {title: `cid ${conn.cid}${conn.name ? ` ${conn.name}` : ''}`, lines};
}
