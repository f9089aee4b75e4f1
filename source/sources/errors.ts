// Low-level failures → SourceError values with a message a user can act on. Addresses in
// messages never carry credentials, and no stack trace ever reaches a message.
import {SourceError} from './types.js';
import {sanitizeText} from '../model/sanitize.js';

const SECRET_PARAM = /token|pass|secret|auth|key|jwt|sig|nkey|creds/i;

/** The URL without user:password and with token-like query parameters' values replaced. */
export function redactUrl(url: string): string {
	// "user:pw@host:8222" parses as a URL with the scheme "user:"; only trust scheme://.
	if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return url.replace(/^[^@/]*@/, '');
	try {
		const parsed = new URL(url);
		parsed.username = '';
		parsed.password = '';
		for (const key of [...parsed.searchParams.keys()]) {
			if (SECRET_PARAM.test(key)) parsed.searchParams.set(key, 'REDACTED');
		}
		return parsed.toString().replace(/\/$/, '');
	} catch {
		// Not a URL we can parse: still drop anything that looks like userinfo.
		return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^@/]*@/i, '$1');
	}
}

type SystemError = Error & {code?: string; reason?: string; rawPacket?: Buffer};

const TLS_CODES =
	/^(ERR_TLS|ERR_SSL|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_OSSL|EPROTO$|HOSTNAME_MISMATCH|ERR_TLS_CERT_ALTNAME_INVALID)/;

export const MONITOR_PORT_HINT = 'the monitoring port is usually 8222 (nats-server -m 8222, or http_port in the config)';

/** Where we were talking to, for messages: host:port of the (redacted) URL. */
export function hostOf(address: string): string {
	try {
		const url = new URL(address);
		if (url.port) return url.host;
		return `${url.host}:${url.protocol === 'https:' ? 443 : 80}`;
	} catch {
		return redactUrl(address);
	}
}

/** The first line of an error message, sanitized and short (never a stack). */
function firstLine(text: string): string {
	return sanitizeText(text.split('\n')[0] ?? '', 200);
}

/**
 * Any error from a request to `address` as a SourceError. `timeoutMs` is mentioned in the
 * timeout message when known.
 */
export function toSourceError(error: unknown, address: string, timeoutMs?: number): SourceError {
	if (error instanceof SourceError) return error;
	const where = hostOf(redactUrl(address));
	const e = (typeof error === 'object' && error !== null ? error : {message: String(error)}) as SystemError;
	const code = typeof e.code === 'string' ? e.code : '';
	const message = firstLine(typeof e.message === 'string' ? e.message : String(error));

	if (e.name === 'AbortError' || code === 'ABORT_ERR') return new SourceError('aborted', 'request cancelled');
	if (code === 'ECONNREFUSED') {
		return new SourceError('refused', `connection refused by ${where}`, 'is nats-server running with monitoring enabled (-m 8222)?');
	}
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL') {
		const host = where.replace(/:\d+$/, '');
		const hint = code === 'EAI_AGAIN' ? 'name resolution failed for now: check DNS, then retry' : 'check the host name';
		return new SourceError('dns', `cannot resolve ${host}`, hint);
	}
	if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ESOCKETTIMEDOUT') {
		const within = timeoutMs ? ` within ${formatSeconds(timeoutMs)}` : '';
		return new SourceError('timeout', `${where} did not answer${within}`, 'raise --timeout, or check the server and the network path');
	}
	if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EHOSTDOWN') {
		return new SourceError('refused', `${where} is unreachable (${code})`, 'check the address and the network path');
	}
	if (code.startsWith('HPE_') || /Expected HTTP\//i.test(message) || /^Parse Error/i.test(message)) {
		// The NATS client port greets every connection with "INFO {…}" before reading anything,
		// which Node's HTTP parser rejects as "Expected HTTP/".
		const raw = Buffer.isBuffer(e.rawPacket) ? e.rawPacket.toString('latin1') : '';
		if (raw.startsWith('INFO ')) {
			return new SourceError('wrong-port', `${where} is a NATS client port, not the monitoring port`, MONITOR_PORT_HINT);
		}
		return new SourceError('wrong-port', `${where} answered, but not with HTTP`, `if this is a NATS client port, ${MONITOR_PORT_HINT}`);
	}
	const tlsText = `${code} ${message}`;
	if (TLS_CODES.test(code) || /wrong version number|packet length too long|unknown protocol|ssl3_get_record|certificate|handshake/i.test(message)) {
		let hint = 'check --tlsca, --tlscert and --tlskey';
		if (/SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|CERT_UNTRUSTED/.test(code)) {
			hint = 'the server certificate is not trusted: pass its CA with --tlsca (or --insecure to skip verification)';
		} else if (/ALTNAME|HOSTNAME_MISMATCH/.test(code)) {
			hint = 'the certificate does not name this host: connect by a name it lists, or use --insecure';
		} else if (/CERT_HAS_EXPIRED|CERT_NOT_YET_VALID/.test(code)) {
			hint = 'the server certificate is outside its validity period: check the certificate and the clocks';
		} else if (/wrong version number|packet length too long|unknown protocol|EPROTO/i.test(tlsText)) {
			hint = 'TLS mismatch: use http:// for a plain monitoring port (http_port), https:// for a TLS one (https_port)';
		} else if (/certificate required|alert.*(handshake|certificate)|bad certificate/i.test(message)) {
			hint = 'the server wants a client certificate: pass --tlscert and --tlskey';
		}
		// OpenSSL's "write EPROTO 80…:error:0A00010B:SSL routines:ssl3_get_record:wrong version
		// number:../deps/…" → "wrong version number".
		const openssl = /error:[0-9A-F]+:SSL routines:[^:]*:([^:]+)/i.exec(message);
		const reason = openssl?.[1] ?? message;
		return new SourceError('tls', `TLS with ${where} failed: ${reason}`, hint);
	}
	if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'ECONNABORTED') {
		return new SourceError('reset', `${where} closed the connection`, 'the server may be restarting, or this is not a monitoring port');
	}
	return new SourceError('unknown', `${where}: ${message}${code ? ` (${sanitizeText(code, 40)})` : ''}`);
}

function formatSeconds(ms: number): string {
	return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
