// Where the monitoring port is: full URLs, host, host:port, :port and [v6]:port all work
// (nats-top rejects host:port, its issue #45).
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_MONITOR_PORT = 8222;

export type AddressResult = {ok: true; url: string; display: string} | {ok: false; error: string};

function parsePort(text: string, what: string): number | string {
	if (!/^\d+$/.test(text)) return `${what} "${text}" is not a port number`;
	const port = Number(text);
	if (port < 1 || port > 65_535) return `${what} ${port} is out of range (1–65535)`;
	return port;
}

/** Normalize a monitoring address into a base URL without a trailing slash. */
export function parseMonitorAddress(input: string, options: {secure?: boolean} = {}): AddressResult {
	const text = input.trim();
	const scheme = options.secure ? 'https' : 'http';
	if (text === '') return ok(`${scheme}://${DEFAULT_HOST}:${DEFAULT_MONITOR_PORT}`);
	if (/\s/.test(text)) return {ok: false, error: `the address "${safe(text)}" contains spaces`};

	const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
	if (schemeMatch) {
		const given = schemeMatch[1]!.toLowerCase();
		if (given === 'nats' || given === 'tls' || given === 'ws' || given === 'wss') {
			return {
				ok: false,
				error: `${given}:// addresses need the NATS transport (system account mode), which this version does not have yet; give the monitoring URL, e.g. http://host:8222`,
			};
		}
		if (given !== 'http' && given !== 'https') return {ok: false, error: `unsupported scheme "${given}://"; use http:// or https://`};
		let url: URL;
		try {
			url = new URL(text);
		} catch {
			return {ok: false, error: `"${safe(text)}" is not a valid URL`};
		}
		if (url.hostname === '') return {ok: false, error: `"${safe(text)}" has no host`};
		// URL drops default ports (80/443); a monitoring URL without a port means 8222.
		const explicitPort = /^[a-z]+:\/\/(?:[^@/]*@)?(?:\[[^\]]*\]|[^:/?#]*):(\d*)/i.exec(text)?.[1];
		if (explicitPort !== undefined) {
			const port = parsePort(explicitPort, 'port');
			if (typeof port === 'string') return {ok: false, error: port};
		} else {
			url.port = String(DEFAULT_MONITOR_PORT);
		}
		const path = url.pathname.replace(/\/+$/, '');
		const auth = url.username ? `${url.username}${url.password ? `:${url.password}` : ''}@` : '';
		const portText = explicitPort ?? String(DEFAULT_MONITOR_PORT);
		return ok(`${given}://${auth}${url.hostname.includes(':') && !url.hostname.startsWith('[') ? `[${url.hostname}]` : url.hostname}:${portText}${path}`);
	}

	// host, host:port, :port, [v6], [v6]:port
	let host = text;
	let portText: string | undefined;
	const v6 = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
	if (v6) {
		host = `[${v6[1]}]`;
		portText = v6[2];
	} else if ((text.match(/:/g) ?? []).length === 1) {
		[host, portText] = text.split(':') as [string, string];
	} else if (text.includes(':')) {
		return {ok: false, error: `"${safe(text)}": write IPv6 addresses in brackets, e.g. [::1]:8222`};
	}
	if (text.includes('/') || text.includes('@')) return {ok: false, error: `"${safe(text)}" is not a host or host:port; give a full URL for paths`};
	if (host === '') host = DEFAULT_HOST;
	let port = DEFAULT_MONITOR_PORT;
	if (portText !== undefined) {
		const parsed = parsePort(portText, 'port');
		if (typeof parsed === 'string') return {ok: false, error: parsed};
		port = parsed;
	}
	return ok(`${scheme}://${host}:${port}`);
}

function ok(url: string): AddressResult {
	return {ok: true, url, display: url.replace(/\/\/[^@/]*@/, '//')};
}

/** For error messages: never echo a password. */
function safe(text: string): string {
	return text.replace(/\/\/[^@/]*@/, '//***@').slice(0, 200);
}
