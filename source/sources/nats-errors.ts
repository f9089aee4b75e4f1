// nats.js failures → SourceError values a user can act on. Messages name the server (host:port,
// no credentials) and the subject, never a password, token, seed or JWT.
import {redactUrl, toSourceError} from './errors.js';
import {sanitizeText} from '../model/sanitize.js';
import {SourceError} from './types.js';

export const SYS_ACCOUNT_HINT = 'is this user in the system account?';
export const CLIENT_PORT_HINT = 'is nats-server running, and is this the client port (usually 4222)?';

export type NatsErrorContext = {
	/** The server URL we dial or are connected to (redacted here again, to be safe). */
	url: string;
	timeoutMs?: number;
	/** The subject of the request, for permission and no-responder messages. */
	subject?: string;
	/** The user JWT's expiry (epoch ms), to tell an expired JWT from other refusals. */
	jwtExpiresAt?: number;
	/** How we logged in, for the hint on a refusal. */
	authKind?: 'none' | 'user-password' | 'token' | 'nkey' | 'creds';
	/** True with --tlsfirst (TLS handshake before the server's INFO). */
	tlsFirst?: boolean;
};

type AnyError = Error & {code?: unknown; chainedError?: unknown; permissionContext?: {operation?: string; subject?: string}};

/** host:port of a nats:// or tls:// URL (4222 when no port is given). */
export function natsHostPort(url: string): string {
	const redacted = redactUrl(url);
	const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(redacted) ? redacted : `nats://${redacted}`;
	try {
		const parsed = new URL(withScheme);
		return `${parsed.hostname}:${parsed.port || '4222'}`;
	} catch {
		return sanitizeText(redacted, 200);
	}
}

function seconds(ms: number): string {
	return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

export function noRespondersError(subject: string | undefined): SourceError {
	const on = subject ? ` (${sanitizeText(subject, 200)})` : '';
	return new SourceError('no-responders', `no server answered on $SYS${on}`, SYS_ACCOUNT_HINT);
}

function authHint(kind: NatsErrorContext['authKind']): string {
	switch (kind) {
		case 'user-password':
			return 'check the user name and password';
		case 'token':
			return 'check the token';
		case 'nkey':
			return 'check that the server lists this nkey (its public key starts with U)';
		case 'creds':
			return 'check the creds file: is the user (and its account) known to this server?';
		default:
			return 'this server wants credentials: --user/--password, --creds, --nkey or a token';
	}
}

function expiredAt(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const TLS_NODE_CODES =
	/^(ERR_TLS|ERR_SSL|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_OSSL|EPROTO$|HOSTNAME_MISMATCH)/;

function tlsError(where: string, detail: AnyError | undefined, context: NatsErrorContext): SourceError {
	const code = typeof detail?.code === 'string' ? detail.code : '';
	const message = sanitizeText((detail?.message ?? '').split('\n')[0] ?? '', 160);
	let hint = 'check --tlsca, --tlscert and --tlskey';
	if (/SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|CERT_UNTRUSTED/.test(code)) {
		hint = 'the server certificate is not trusted: pass its CA with --tlsca';
	} else if (/ALTNAME|HOSTNAME_MISMATCH/.test(code)) {
		hint = 'the certificate does not name this host: connect by a name it lists';
	} else if (/CERT_HAS_EXPIRED|CERT_NOT_YET_VALID/.test(code)) {
		hint = 'the server certificate is outside its validity period: check the certificate and the clocks';
	} else if (/ENOENT|EACCES|EISDIR/.test(code) || /no such file|doesn't exist|permission denied/i.test(message)) {
		hint = 'a TLS file cannot be read: check the paths given to --tlsca, --tlscert and --tlskey';
	} else if (/wrong version number|packet length too long|unknown protocol|EPROTO/i.test(`${code} ${message}`)) {
		hint = context.tlsFirst
			? 'this server sends INFO before TLS (handshake_first needs a nats-server 2.10+ configured for it): drop --tlsfirst'
			: 'TLS mismatch: use tls:// for a TLS port (--tlsfirst if the server wants the TLS handshake first), nats:// for a plain one';
	} else if (/certificate required|bad certificate|alert/i.test(message)) {
		hint = 'the server wants a client certificate: pass --tlscert and --tlskey';
	}
	const openssl = /error:[0-9A-F]+:SSL routines:[^:]*:([^:]+)/i.exec(message);
	const reason = openssl?.[1] ?? (message || code || 'handshake failed');
	return new SourceError('tls', `TLS with ${where} failed: ${reason}`, hint);
}

/**
 * A server cuts a client whose user JWT runs out, often before it says why: a lost link after
 * the expiry is the expiry, not a restart.
 */
export function expiredLinkError(context: NatsErrorContext): SourceError | undefined {
	if (context.jwtExpiresAt === undefined || context.jwtExpiresAt > Date.now()) return undefined;
	return new SourceError('auth', `the user JWT has expired (at ${expiredAt(context.jwtExpiresAt)}); ${natsHostPort(context.url)} closed the connection`, 'get a fresh creds file (nsc generate creds, or from your operator)');
}

/** Any error from connecting to or asking a NATS server, as a SourceError. */
export function natsSourceError(error: unknown, context: NatsErrorContext): SourceError {
	if (error instanceof SourceError) return error;
	const where = natsHostPort(context.url);
	const e = (typeof error === 'object' && error !== null ? error : new Error(String(error))) as AnyError;
	const code = typeof e.code === 'string' ? e.code : '';
	const message = typeof e.message === 'string' ? e.message : '';
	const lower = message.toLowerCase();
	const chained = typeof e.chainedError === 'object' && e.chainedError !== null ? (e.chainedError as AnyError) : undefined;
	const chainedCode = typeof chained?.code === 'string' ? chained.code : '';

	if (e.name === 'AbortError' || code === 'ABORT_ERR' || code === 'CANCELLED') return new SourceError('aborted', 'request cancelled');
	if (code === '503') return noRespondersError(context.subject);
	if (code === 'PERMISSIONS_VIOLATION' || lower.includes('permissions violation')) {
		const match = /(Publish|Subscription) to "([^"]+)"/i.exec(message);
		const operation = (e.permissionContext?.operation ?? match?.[1] ?? 'publish').toLowerCase();
		const subject = sanitizeText(e.permissionContext?.subject ?? match?.[2] ?? context.subject ?? '?', 200);
		if (operation.startsWith('sub')) {
			return new SourceError('permission', `this user may not subscribe to ${subject}`, 'replies come to an inbox: allow subscribe on _INBOX.> (or the --inbox-prefix given)');
		}
		return new SourceError('permission', `this user may not publish to ${subject}`, `${SYS_ACCOUNT_HINT} It needs publish permission on $SYS.REQ.>`);
	}
	if (lower.includes('revoked')) {
		return new SourceError('auth', 'the server refused the user: its JWT has been revoked', 'ask the account operator for new credentials');
	}
	if (code === 'AUTHENTICATION_EXPIRED' || lower.includes('user authentication expired')) {
		const at = context.jwtExpiresAt ? ` (at ${expiredAt(context.jwtExpiresAt)})` : '';
		return new SourceError('auth', `the user JWT has expired${at}`, 'get a fresh creds file (nsc generate creds, or from your operator)');
	}
	if (code === 'ACCOUNT_EXPIRED' || lower.includes('account authentication expired')) {
		return new SourceError('auth', "the account's JWT has expired", 'the operator must re-issue the account JWT and push it to the servers');
	}
	if (code === 'AUTHORIZATION_VIOLATION' || lower.includes('authorization violation')) {
		// A JWT that is already expired at login is refused with a plain Authorization Violation.
		if (context.jwtExpiresAt !== undefined && context.jwtExpiresAt <= Date.now()) {
			return new SourceError('auth', `the user JWT has expired (at ${expiredAt(context.jwtExpiresAt)}); ${where} refused it`, 'get a fresh creds file (nsc generate creds, or from your operator)');
		}
		return new SourceError('auth', `the server refused these credentials (${where}: Authorization Violation)`, authHint(context.authKind));
	}
	if (code === 'AUTHENTICATION_TIMEOUT' || lower.includes('authentication timeout')) {
		return new SourceError('auth', `${where} timed out waiting for our credentials`, authHint(context.authKind));
	}
	if (code === 'BAD_CREDS') return new SourceError('auth', 'the creds file does not hold a user JWT and a seed', 'regenerate it (nsc generate creds)');
	if (e.name === 'NKeysError' || code === 'nkeys.invalid_seed' || /invalid seed|invalid checksum|invalid prefix/i.test(message)) {
		return new SourceError('auth', 'the nkey seed is not valid', 'a user seed starts with SU; check that it was copied whole');
	}
	if (code === 'CONNECTION_REFUSED' || code === 'ECONNREFUSED' || chainedCode === 'ECONNREFUSED') {
		return new SourceError('refused', `connection refused by ${where}`, CLIENT_PORT_HINT);
	}
	if (code === 'CONNECTION_TIMEOUT' || code === 'TIMEOUT' || code === 'ETIMEDOUT') {
		const within = context.timeoutMs ? ` within ${seconds(context.timeoutMs)}` : '';
		return new SourceError('timeout', `${where} did not answer${within}`, 'is this the client port (usually 4222, not the monitoring port 8222)? else raise --timeout');
	}
	if (code === 'SERVER_OPT_NA' && lower === 'tls') {
		return new SourceError('tls', `${where} does not offer TLS`, 'connect with nats:// and without TLS options, or enable tls {} on the server');
	}
	if (lower.includes('tls required') || lower.includes('secure connection')) {
		return new SourceError('tls', `${where} requires TLS`, 'use tls:// with --tlsca (or --tlsfirst if the server wants the TLS handshake first)');
	}
	if (code === 'TLS' || TLS_NODE_CODES.test(code) || /certificate|handshake|wrong version number|ssl routines/i.test(message)) {
		return tlsError(where, code === 'TLS' ? (chained ?? e) : e, context);
	}
	const lostLink = code === 'CONNECTION_CLOSED' || code === 'CONNECTION_DRAINING' || code === 'DISCONNECT' || code === 'ECONNRESET' || code === 'EPIPE';
	if (lostLink) {
		const expired = expiredLinkError(context);
		if (expired) return expired;
	}
	if (code === 'CONNECTION_CLOSED' || code === 'CONNECTION_DRAINING') {
		return new SourceError('reset', `the connection to ${where} is closed`, 'natscope reconnects on the next refresh');
	}
	if (code === 'DISCONNECT' || code === 'ECONNRESET' || code === 'EPIPE') {
		return new SourceError('reset', `${where} closed the connection`, 'the server may be restarting');
	}
	if (code === 'NATS_PROTOCOL_ERR' && message) {
		return new SourceError('unknown', `${where}: ${sanitizeText(message.replace(/^'|'$/g, ''), 200)}`);
	}
	// DNS and other socket errors: the generic mapper knows them (its address is only for the message).
	const generic = toSourceError(error, `http://${where}`, context.timeoutMs);
	if (generic.code === 'unknown' || generic.code === 'dns') return generic;
	return new SourceError(generic.code, generic.message, generic.code === 'refused' ? CLIENT_PORT_HINT : '');
}
