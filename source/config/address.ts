// Monitoring addresses as users type them: "", "host", "host:port", ":port", "http://host",
// "https://host:8443/nats/", "[::1]:8222", with or without user:password. Everything is turned
// into one normalized base URL (explicit port, no trailing slash, path prefix kept) and a
// display form without credentials. Error messages quote only the offending piece, never the
// whole input, so a password can not leak into them.

export const DEFAULT_HOST = '127.0.0.1';
/**
 * Default port for both schemes. A server's https monitoring port is whatever its config sets as
 * https_port (there is no conventional number), so we keep 8222 unless a port is given.
 */
export const DEFAULT_MONITOR_PORT = 8222;

export type Scheme = 'http' | 'https';

/** What an address spelled out; a field is undefined when the input left it to the defaults. */
export type AddressParts = {
	scheme?: Scheme;
	/** Hostname or IP; IPv6 without brackets. */
	host?: string;
	port?: number;
	/** Path prefix without a trailing slash ('' for none). */
	path: string;
	/** Percent-encoded as in a URL; '' when absent. */
	username: string;
	password: string;
};

export type AddressResult = {ok: true; url: string; display: string} | {ok: false; error: string};
export type PartsResult = {ok: true; parts: AddressParts} | {ok: false; error: string};

const NATS_SCHEMES = new Set(['nats', 'tls', 'ws', 'wss']);
const NATS_SCHEME_ERROR =
	'nats:// addresses need the NATS transport (system account mode), which is not available yet; give the monitoring URL, e.g. http://host:8222';

/** "8222" → 8222; anything that is not a whole number from 1 to 65535 is an error message. */
export function parsePort(text: string): {ok: true; port: number} | {ok: false; error: string} {
	if (!/^\d{1,5}$/.test(text)) {
		return {ok: false, error: `bad port "${text}": must be a whole number from 1 to 65535`};
	}
	const port = Number(text);
	if (port < 1 || port > 65_535) {
		return {ok: false, error: `bad port "${text}": must be a whole number from 1 to 65535`};
	}
	return {ok: true, port};
}

const HOSTNAME = /^[\p{L}\p{N}_](?:[\p{L}\p{N}_.-]*[\p{L}\p{N}_])?\.?$/u;

/** Split an address into the parts it spells out, without applying defaults. */
export function parseAddressParts(input: string): PartsResult {
	const text = input.trim();
	if (/\s/.test(text)) return {ok: false, error: 'the address must not contain spaces'};
	if (text === '') return {ok: true, parts: {path: '', username: '', password: ''}};

	let rest = text;
	let scheme: Scheme | undefined;
	const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(rest);
	if (schemeMatch) {
		const name = schemeMatch[1]!.toLowerCase();
		if (NATS_SCHEMES.has(name)) return {ok: false, error: NATS_SCHEME_ERROR};
		if (name !== 'http' && name !== 'https') {
			return {ok: false, error: `unsupported scheme "${name}://"; use http:// or https:// (the monitoring port)`};
		}
		scheme = name;
		rest = rest.slice(schemeMatch[0].length);
	} else if (/^[A-Za-z][A-Za-z0-9+.-]*:\/(?!\/)/.test(rest)) {
		return {ok: false, error: 'malformed scheme; write it as http://host:port or https://host:port'};
	}

	if (/[?#]/.test(rest)) {
		return {ok: false, error: 'the address must not contain a query (?) or fragment (#); give the base monitoring URL'};
	}

	const slash = rest.indexOf('/');
	let authority = slash === -1 ? rest : rest.slice(0, slash);
	const rawPath = slash === -1 ? '' : rest.slice(slash);

	let username = '';
	let password = '';
	const at = authority.lastIndexOf('@');
	if (at !== -1) {
		const userinfo = authority.slice(0, at);
		authority = authority.slice(at + 1);
		const colon = userinfo.indexOf(':');
		username = colon === -1 ? userinfo : userinfo.slice(0, colon);
		password = colon === -1 ? '' : userinfo.slice(colon + 1);
		if (username === '') return {ok: false, error: 'the address has credentials without a user name'};
	}

	let host: string | undefined;
	let portText: string | undefined;
	if (authority.startsWith('[')) {
		const close = authority.indexOf(']');
		if (close === -1) return {ok: false, error: 'unclosed "[" in an IPv6 address; write it as [::1]:8222'};
		host = authority.slice(1, close);
		const after = authority.slice(close + 1);
		if (after !== '') {
			if (!after.startsWith(':')) return {ok: false, error: `unexpected "${after}" after the IPv6 address; write it as [::1]:8222`};
			portText = after.slice(1);
		}
		if (host === '') return {ok: false, error: 'empty host in the address'};
		if (!/^[\da-fA-F:.]+$/.test(host) || !host.includes(':')) {
			return {ok: false, error: `bad IPv6 address "[${host}]"`};
		}
	} else {
		const colons = authority.split(':').length - 1;
		if (colons > 1) {
			return {ok: false, error: `put IPv6 addresses in brackets, e.g. [${authority}]:8222 or http://[${authority}]:8222`};
		}
		if (colons === 1) {
			const colon = authority.indexOf(':');
			host = authority.slice(0, colon);
			portText = authority.slice(colon + 1);
			if (host === '') {
				// ":8222" is shorthand for the default host; "http://:8222" names no host at all.
				if (scheme !== undefined || at !== -1) return {ok: false, error: 'empty host in the address'};
				host = undefined;
			}
		} else {
			host = authority;
			if (host === '') return {ok: false, error: 'empty host in the address'};
		}
		if (host !== undefined) {
			if (host.startsWith('-')) return {ok: false, error: `bad host "${host}" (it looks like a flag)`};
			if (!HOSTNAME.test(host)) return {ok: false, error: `bad host "${host}"`};
		}
	}

	let port: number | undefined;
	if (portText !== undefined) {
		if (portText === '') return {ok: false, error: 'missing port after ":"; give a number from 1 to 65535'};
		const parsed = parsePort(portText);
		if (!parsed.ok) return parsed;
		port = parsed.port;
	}

	// Let the WHATWG parser validate and normalize host and path (lower case, punycode, dot
	// segments, percent-encoding); the parts we hand back are its output.
	let url: URL;
	try {
		const hostForUrl = host === undefined ? DEFAULT_HOST : host.includes(':') ? `[${host}]` : host;
		url = new URL(`${scheme ?? 'http'}://${hostForUrl}${rawPath}`);
	} catch {
		return {ok: false, error: host === undefined ? 'bad path in the address' : `bad host "${host}"`};
	}
	let credentials: URL;
	try {
		credentials = new URL('http://h');
		credentials.username = username;
		credentials.password = password;
	} catch {
		return {ok: false, error: 'bad credentials in the address'};
	}

	const normalizedHost = host === undefined ? undefined : url.hostname.replace(/^\[(.*)\]$/, '$1');
	return {
		ok: true,
		parts: {
			scheme,
			host: normalizedHost,
			port,
			path: url.pathname.replace(/\/+$/, ''),
			username: credentials.username,
			password: credentials.password,
		},
	};
}

/** Apply the defaults to parsed parts and build the base URL and its credential-free display form. */
export function formatAddress(parts: AddressParts, defaults: {scheme?: Scheme} = {}): {url: string; display: string} {
	const scheme = parts.scheme ?? defaults.scheme ?? 'http';
	const host = parts.host ?? DEFAULT_HOST;
	const hostForUrl = host.includes(':') ? `[${host}]` : host;
	const port = parts.port ?? DEFAULT_MONITOR_PORT;
	const auth = parts.username === '' ? '' : `${parts.username}${parts.password === '' ? '' : `:${parts.password}`}@`;
	const display = `${scheme}://${hostForUrl}:${port}${parts.path}`;
	return {url: `${scheme}://${auth}${hostForUrl}:${port}${parts.path}`, display};
}

/**
 * Parse a monitoring address into a normalized base URL such as "http://127.0.0.1:8222".
 * `secure` makes https the scheme when the input names none (an explicit scheme always wins).
 */
export function parseMonitorAddress(input: string, opts: {secure?: boolean} = {}): AddressResult {
	const parsed = parseAddressParts(input);
	if (!parsed.ok) return parsed;
	return {ok: true, ...formatAddress(parsed.parts, {scheme: opts.secure ? 'https' : 'http'})};
}

/** The credential-free form of an address for messages, or a placeholder when it does not parse. */
export function redactAddress(input: string): string {
	const parsed = parseAddressParts(input);
	if (!parsed.ok) return '(invalid address)';
	const {scheme, host, port, path} = parsed.parts;
	const hostText = host === undefined ? '' : host.includes(':') ? `[${host}]` : host;
	return `${scheme ? `${scheme}://` : ''}${hostText}${port === undefined ? '' : `:${port}`}${path}`;
}
