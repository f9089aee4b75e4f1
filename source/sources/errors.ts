// Low-level failures → SourceError values with a message a user can act on. Addresses in
// messages never carry credentials.
import {SourceError} from './types.js';
import {sanitizeText} from '../model/sanitize.js';

/** The URL without user:password and without token-like query parameters. */
export function redactUrl(url: string): string {
	try {
		const parsed = new URL(url);
		parsed.username = '';
		parsed.password = '';
		for (const key of [...parsed.searchParams.keys()]) {
			if (/token|pass|secret|auth|key/i.test(key)) parsed.searchParams.set(key, 'REDACTED');
		}
		return parsed.toString().replace(/\/$/, '');
	} catch {
		return url.replace(/\/\/[^@/]*@/, '//');
	}
}

type SystemError = Error & {code?: string; reason?: string; rawPacket?: Buffer};

const TLS_CODES = /^(ERR_TLS|ERR_SSL|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_OSSL|EPROTO$|HOSTNAME_MISMATCH)/;

/** Where we were talking to, for messages: host:port of the URL. */
function hostOf(address: string): string {
	try {
		return new URL(address).host;
	} catch {
		return address;
	}
}

export function toSourceError(error: unknown, address: string, timeoutMs?: number): SourceError {
	if (error instanceof SourceError) return error;
	const where = hostOf(redactUrl(address));
	const e = (error ?? {}) as SystemError;
	const code = e.code ?? '';
	const message = sanitizeText(e.message ?? String(error), 300);
	if (e.name === 'AbortError' || code === 'ABORT_ERR') return new SourceError('aborted', 'request cancelled');
	if (code === 'ECONNREFUSED') {
		return new SourceError('refused', `connection refused by ${where}`, 'is nats-server running with monitoring enabled (-m 8222)?');
	}
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
		return new SourceError('dns', `cannot resolve ${where.replace(/:\d+$/, '')}`, 'check the host name');
	}
	if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
		return new SourceError('timeout', `${where} did not answer${timeoutMs ? ` within ${timeoutMs / 1000} s` : ''}`, 'raise --timeout, or check the network path');
	}
	if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
		return new SourceError('refused', `${where} is unreachable (${code})`, 'check the address and the network path');
	}
	if (code.startsWith('HPE_') || /Expected HTTP\//i.test(message) || /Parse Error/i.test(message)) {
		// The NATS client port greets every connection with "INFO {…}" before reading anything.
		if (e.rawPacket?.toString('latin1').startsWith('INFO ')) {
			return new SourceError(
				'wrong-port',
				`${where} is the NATS client port, not the monitoring port`,
				'the monitoring port is usually 8222 (nats-server -m 8222, or http_port in the config)',
			);
		}
		return new SourceError('wrong-port', `${where} answered, but not with HTTP`, 'if this is a NATS client port, the monitoring port is usually 8222');
	}
	if (TLS_CODES.test(code) || /wrong version number|ssl|tls|certificate/i.test(message)) {
		const selfSigned = /SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code);
		const hint = selfSigned
			? 'the server certificate is not trusted: pass its CA with --tlsca (or --insecure to skip verification)'
			: /wrong version number|EPROTO/i.test(`${code} ${message}`)
				? 'TLS mismatch: use http:// for a plain monitoring port, https:// for a TLS one'
				: 'check --tlsca, --tlscert and --tlskey';
		return new SourceError('tls', `TLS with ${where} failed: ${message}`, hint);
	}
	if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET') {
		return new SourceError('reset', `${where} closed the connection`, 'the server may be restarting, or this is not a monitoring port');
	}
	return new SourceError('unknown', `${where}: ${message}`);
}
