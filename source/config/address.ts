// Addresses as users type them. Monitoring addresses: "", "host", "host:port", ":port",
// "http://host", "https://host:8443/nats/", "[::1]:8222", with or without user:password; each
// becomes one normalized base URL (explicit port, no trailing slash, path prefix kept) and a
// display form without credentials. NATS addresses: "nats://host:4222", "tls://host",
// "nats://user:pass@host", "nats://token@host"; credentials are taken out of the URL into auth.
// Error messages quote only the offending piece, never the whole input, so a password can not
// leak into them.

export const DEFAULT_HOST = '127.0.0.1';
/**
 * Default port for both schemes. A server's https monitoring port is whatever its config sets as
 * https_port (there is no conventional number), so we keep 8222 unless a port is given.
 */
export const DEFAULT_MONITOR_PORT = 8222;

export type Scheme = 'http' | 'https';
export type NatsScheme = 'nats' | 'tls';
/** The NATS client port, used when a nats:// or tls:// address names none. */
export const DEFAULT_NATS_PORT = 4222;

/** Which kind of address is expected: the monitoring port (http) or the client port (nats). */
export type AddressFamily = 'monitor' | 'nats';

/** What an address spelled out; a field is undefined when the input left it to the defaults. */
export type AddressParts = {
	scheme?: Scheme | NatsScheme;
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

const NATS_SCHEMES = new Set(['nats', 'tls']);
const WS_SCHEMES = new Set(['ws', 'wss']);
const NATS_IN_MONITOR_ERROR =
	'a nats:// or tls:// address is the client port, not a monitoring URL; give it as the address (natscope nats://host:4222) or use http://host:8222';
const WS_ERROR = 'websocket addresses (ws://, wss://) are not supported; use nats:// or tls:// and the client port (usually 4222)';

/** The scheme an address starts with ("nats", "http", …), lower case; undefined when it has none. */
export function addressScheme(input: string): string | undefined {
	const match = /^\s*([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(input);
	return match ? match[1]!.toLowerCase() : undefined;
}

/** Does this address name the NATS client port (nats://, tls://, or the unsupported ws://)? */
export function isNatsAddress(input: string): boolean {
	const scheme = addressScheme(input);
	return scheme !== undefined && (NATS_SCHEMES.has(scheme) || WS_SCHEMES.has(scheme));
}

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
// HOSTNAME for ASCII, where \p{L} and \p{N} are letters and digits: compiling HOSTNAME's Unicode
// property classes costs more than the rest of parsing an address, and most hosts are ASCII.
const ASCII_HOSTNAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?\.?$/;

/**
 * Split an address into the parts it spells out, without applying defaults. `family` says
 * which schemes are accepted: http/https for the monitoring port, nats/tls for the client port.
 */
export function parseAddressParts(input: string, family: AddressFamily = 'monitor'): PartsResult {
	const text = input.trim();
	const nats = family === 'nats';
	const examplePort = nats ? DEFAULT_NATS_PORT : DEFAULT_MONITOR_PORT;
	if (/\s/.test(text)) return {ok: false, error: 'the address must not contain spaces'};
	if (text === '') {
		if (nats) return {ok: false, error: 'empty address; give nats://host:4222'};
		return {ok: true, parts: {path: '', username: '', password: ''}};
	}

	let rest = text;
	let scheme: AddressParts['scheme'];
	const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(rest);
	if (schemeMatch) {
		const name = schemeMatch[1]!.toLowerCase();
		if (WS_SCHEMES.has(name)) return {ok: false, error: WS_ERROR};
		if (nats) {
			if (name === 'http' || name === 'https') {
				return {ok: false, error: `"${name}://" is the monitoring port; a NATS address is nats://host:4222 or tls://host:4222`};
			}
			if (!NATS_SCHEMES.has(name)) return {ok: false, error: `unsupported scheme "${name}://"; use nats:// or tls:// (the client port)`};
			scheme = name as NatsScheme;
		} else {
			if (NATS_SCHEMES.has(name)) return {ok: false, error: NATS_IN_MONITOR_ERROR};
			if (name !== 'http' && name !== 'https') {
				return {ok: false, error: `unsupported scheme "${name}://"; use http:// or https:// (the monitoring port)`};
			}
			scheme = name;
		}
		rest = rest.slice(schemeMatch[0].length);
	} else if (/^[A-Za-z][A-Za-z0-9+.-]*:\/(?!\/)/.test(rest)) {
		return {ok: false, error: nats ? 'malformed scheme; write it as nats://host:port' : 'malformed scheme; write it as http://host:port or https://host:port'};
	}

	if (/[?#]/.test(rest)) {
		return {
			ok: false,
			error: nats
				? 'the address must not contain a query (?) or fragment (#); give nats://host:port'
				: 'the address must not contain a query (?) or fragment (#); give the base monitoring URL',
		};
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
		if (close === -1) return {ok: false, error: `unclosed "[" in an IPv6 address; write it as [::1]:${examplePort}`};
		host = authority.slice(1, close);
		const after = authority.slice(close + 1);
		if (after !== '') {
			if (!after.startsWith(':')) return {ok: false, error: `unexpected "${after}" after the IPv6 address; write it as [::1]:${examplePort}`};
			portText = after.slice(1);
		}
		if (host === '') return {ok: false, error: 'empty host in the address'};
		if (!/^[\da-fA-F:.]+$/.test(host) || !host.includes(':')) {
			return {ok: false, error: `bad IPv6 address "[${host}]"`};
		}
	} else {
		const colons = authority.split(':').length - 1;
		if (colons > 1) {
			return {
				ok: false,
				error: nats
					? `put IPv6 addresses in brackets, e.g. nats://[${authority}]:${examplePort}`
					: `put IPv6 addresses in brackets, e.g. [${authority}]:8222 or http://[${authority}]:8222`,
			};
		}
		if (colons === 1) {
			const colon = authority.indexOf(':');
			host = authority.slice(0, colon);
			portText = authority.slice(colon + 1);
			if (host === '') {
				// ":8222" is shorthand for the default host; "http://:8222" names no host at all.
				if (scheme !== undefined || at !== -1 || nats) return {ok: false, error: 'empty host in the address'};
				host = undefined;
			}
		} else {
			host = authority;
			if (host === '') return {ok: false, error: 'empty host in the address'};
		}
		if (host !== undefined) {
			if (host.startsWith('-')) return {ok: false, error: `bad host "${host}" (it looks like a flag)`};
			if (!ASCII_HOSTNAME.test(host) && !HOSTNAME.test(host)) return {ok: false, error: `bad host "${host}"`};
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
	if (nats && rawPath.replace(/\/+$/, '') !== '') {
		return {ok: false, error: 'a nats:// address has no path; give nats://host:port'};
	}

	let url: URL;
	try {
		const hostForUrl = host === undefined ? DEFAULT_HOST : host.includes(':') ? `[${host}]` : host;
		// The WHATWG parser only normalizes special schemes' hosts, so parse as http either way.
		url = new URL(`http://${hostForUrl}${rawPath}`);
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
	if (scheme === 'nats' || scheme === 'tls') throw new Error('formatAddress is for monitoring addresses; use parseNatsAddress');
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

/** Credentials found in a NATS URL: "user:pass@" is a user and password, "token@" a token. */
export type UrlCredentials = {kind: 'user-password'; user: string; password: string} | {kind: 'token'; token: string};

/** A NATS server address without credentials ("nats://host:4222"); credentials, if any, apart. */
export type NatsAddress = {url: string; credentials?: UrlCredentials};

function decoded(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

/**
 * Parse one NATS server address. A missing scheme means nats:// (as in NATS_URL and contexts),
 * a missing port 4222. Credentials in the URL come back apart and are not in `url`.
 */
export function parseNatsAddress(input: string): {ok: true; address: NatsAddress} | {ok: false; error: string} {
	const parsed = parseAddressParts(input, 'nats');
	if (!parsed.ok) return parsed;
	const {scheme, host, port, username, password} = parsed.parts;
	const hostText = host === undefined ? DEFAULT_HOST : host.includes(':') ? `[${host}]` : host;
	const address: NatsAddress = {url: `${scheme ?? 'nats'}://${hostText}:${port ?? DEFAULT_NATS_PORT}`};
	if (username !== '') {
		// As nats.go reads a URL: a user without a password is a token.
		const hasPassword = /:[^@]*@/.test(input.trim().replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, ''));
		address.credentials = hasPassword
			? {kind: 'user-password', user: decoded(username), password: decoded(password)}
			: {kind: 'token', token: decoded(username)};
	}
	return {ok: true, address};
}

/** The credential-free form of an address for messages, or a placeholder when it does not parse. */
export function redactAddress(input: string): string {
	const parsed = parseAddressParts(input, isNatsAddress(input) && !WS_SCHEMES.has(addressScheme(input) ?? '') ? 'nats' : 'monitor');
	if (!parsed.ok) return '(invalid address)';
	const {scheme, host, port, path} = parsed.parts;
	const hostText = host === undefined ? '' : host.includes(':') ? `[${host}]` : host;
	return `${scheme ? `${scheme}://` : ''}${hostText}${port === undefined ? '' : `:${port}`}${path}`;
}
