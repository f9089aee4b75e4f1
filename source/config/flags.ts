// Command line → Config. Takes our own flags and nats-top's single-dash spellings (-sort,
// -lookup, -ms, -cacert …), validates every value, and never prints or exits: help, version and
// usage errors come back as values for cli.tsx to act on.
//
// Before meow sees anything, a small scanner reads argv Go-style (like nats-top's flag package):
// every flag is one token, one or two dashes, with its value either after "=" or as the next
// token. That is what lets "-sort" mean --sort instead of yargs' bundle -s -o -r -t, and it is
// where unknown flags are caught (meow's own check would print and call process.exit). The
// scanner hands meow a canonical argv (--name=value, --name, --no-name, then -- and the
// positionals), which meow parses into typed flags.
import {readFileSync} from 'node:fs';
import meow from 'meow';
import type {Config, OutputMode, TlsConfig} from './types.js';
import type {ConnState} from '../sources/types.js';
import {isSortKey, SORT_KEYS} from '../model/capabilities.js';
import {formatAddress, parseAddressParts, parsePort, redactAddress, type AddressParts} from './address.js';
import {usageText} from './usage.js';

export type CliResult =
	| {kind: 'run'; config: Config}
	| {kind: 'help'; text: string}
	| {kind: 'version'; text: string}
	| {kind: 'usage-error'; message: string};

const FLAGS = {
	server: {type: 'string'},
	port: {type: 'string'},
	httpsPort: {type: 'string'},
	tlsca: {type: 'string'},
	tlscert: {type: 'string'},
	tlskey: {type: 'string'},
	insecure: {type: 'boolean'},
	interval: {type: 'string'},
	timeout: {type: 'string'},
	sort: {type: 'string'},
	reverse: {type: 'boolean'},
	rows: {type: 'string'},
	state: {type: 'string'},
	account: {type: 'string'},
	user: {type: 'string'},
	subject: {type: 'string'},
	once: {type: 'boolean'},
	json: {type: 'boolean'},
	delimiter: {type: 'string'},
	output: {type: 'string'},
	refreshes: {type: 'string'},
	raw: {type: 'boolean'},
	lookup: {type: 'boolean'},
	subs: {type: 'boolean'},
	help: {type: 'boolean'},
	version: {type: 'boolean'},
} as const;

type FlagKey = keyof typeof FLAGS;

function kebab(key: FlagKey): string {
	return key.replace(/[A-Z]/g, c => `-${c.toLowerCase()}`);
}

/**
 * Every spelling we accept, without dashes; each works with one dash or two (as in Go's flag
 * package, which nats-top uses). Single letters and the nats-top names map onto our long flags.
 */
const NAMES: ReadonlyMap<string, FlagKey> = new Map<string, FlagKey>([
	...(Object.keys(FLAGS) as FlagKey[]).map(key => [kebab(key), key] as [string, FlagKey]),
	['s', 'server'],
	['m', 'port'],
	['ms', 'httpsPort'],
	['cacert', 'tlsca'],
	['cert', 'tlscert'],
	['key', 'tlskey'],
	['k', 'insecure'],
	['d', 'interval'],
	['n', 'rows'],
	['o', 'output'],
	['r', 'refreshes'],
	['b', 'raw'],
	['h', 'help'],
	['v', 'version'],
]);

function isBoolean(key: FlagKey): boolean {
	return FLAGS[key].type === 'boolean';
}

type Given = {value: string | boolean; spelled: string};

type Scan = {
	given: Map<FlagKey, Given>;
	positionals: string[];
	help: boolean;
	version: boolean;
	/** The first problem found; reported unless help or version was asked for. */
	error?: string;
};

function editDistance(a: string, b: string): number {
	let previous = Array.from({length: b.length + 1}, (_, index) => index);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
		}
		previous = current;
	}
	return previous[b.length]!;
}

function unknownFlagMessage(dashes: string, name: string): string {
	const shown = `${dashes}${name}`;
	let hint = '';
	const letters = [...name];
	if (dashes === '-' && letters.length > 1 && letters.every(letter => NAMES.has(letter))) {
		hint = `; flags do not combine, write ${letters.map(letter => `-${letter}`).join(' ')}`;
	} else if (name.length > 2) {
		let best: string | undefined;
		let bestDistance = 3;
		for (const candidate of NAMES.keys()) {
			if (candidate.length < 3) continue;
			const distance = editDistance(name, candidate);
			if (distance < bestDistance) {
				best = candidate;
				bestDistance = distance;
			}
		}
		if (best !== undefined) hint = `; did you mean --${best}?`;
	}
	return `unknown flag "${shown}"${hint}`;
}

/** Does this token look like one of our flags (so it can not be the value of the flag before)? */
function isFlagToken(token: string): boolean {
	if (token === '--') return true;
	const match = /^--?([^=]+)/.exec(token);
	if (!match) return false;
	const name = match[1]!;
	return NAMES.has(name) || (name.startsWith('no-') && NAMES.has(name.slice(3)));
}

function scan(argv: readonly string[]): Scan {
	const result: Scan = {given: new Map(), positionals: [], help: false, version: false};
	const fail = (message: string): void => {
		result.error ??= message;
	};
	let flagsEnded = false;
	for (let index = 0; index < argv.length; index++) {
		const token = argv[index]!;
		if (flagsEnded || token === '-' || !token.startsWith('-')) {
			result.positionals.push(token);
			continue;
		}
		if (token === '--') {
			flagsEnded = true;
			continue;
		}
		const match = /^(--?)([^=]*)(?:=([\s\S]*))?$/.exec(token)!;
		const dashes = match[1]!;
		const name = match[2]!;
		const inline = match[3];
		let key = NAMES.get(name);
		let negated = false;
		if (key === undefined && name.startsWith('no-')) {
			const positive = NAMES.get(name.slice(3));
			if (positive !== undefined && isBoolean(positive)) {
				key = positive;
				negated = true;
			}
		}
		if (key === undefined) {
			fail(unknownFlagMessage(dashes, name));
			continue;
		}
		const spelled = `${dashes}${name}`;
		if (isBoolean(key)) {
			let value = !negated;
			if (inline !== undefined) {
				const lowered = inline.toLowerCase();
				if (!negated && (lowered === 'true' || lowered === '1')) value = true;
				else if (!negated && (lowered === 'false' || lowered === '0')) value = false;
				else {
					fail(`${spelled} takes no value (got "${inline}")`);
					continue;
				}
			}
			if (key === 'help' && value) result.help = true;
			if (key === 'version' && value) result.version = true;
			result.given.set(key, {value, spelled});
			continue;
		}
		let value: string;
		if (inline === undefined) {
			const next = argv[index + 1];
			if (next === undefined || (next !== '-' && isFlagToken(next))) {
				fail(`${spelled} needs a value`);
				continue;
			}
			value = next;
			index++;
		} else {
			value = inline;
		}
		const earlier = result.given.get(key);
		if (earlier !== undefined) {
			fail(
				earlier.spelled === spelled
					? `${spelled} is given more than once`
					: `${earlier.spelled} and ${spelled} are the same flag; give it once`,
			);
			continue;
		}
		result.given.set(key, {value, spelled});
	}
	return result;
}

/** The canonical argv meow parses: --name=value / --name / --no-name, then -- and positionals. */
function canonicalArgv(found: Scan): string[] {
	const argv: string[] = [];
	for (const [key, {value}] of found.given) {
		if (typeof value === 'boolean') argv.push(value ? `--${kebab(key)}` : `--no-${kebab(key)}`);
		else argv.push(`--${kebab(key)}=${value}`);
	}
	argv.push('--', ...found.positionals);
	return argv;
}

let cachedVersion: string | undefined;

/** The version in natscope's package.json, found from here under tsx (source/) or built (dist/). */
export function packageVersion(): string {
	if (cachedVersion !== undefined) return cachedVersion;
	let directory = new URL('./', import.meta.url);
	for (let depth = 0; depth < 5; depth++) {
		try {
			const json = JSON.parse(readFileSync(new URL('package.json', directory), 'utf8')) as {name?: unknown; version?: unknown};
			if (json.name === 'natscope' && typeof json.version === 'string') {
				cachedVersion = json.version;
				return cachedVersion;
			}
		} catch {
			// no package.json at this level; keep walking up
		}
		directory = new URL('../', directory);
	}
	cachedVersion = 'unknown';
	return cachedVersion;
}

class UsageError extends Error {}

function usage(message: string): never {
	throw new UsageError(message);
}

export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv = {}): CliResult {
	const found = scan(argv);
	if (found.help) return {kind: 'help', text: usageText()};
	if (found.version) return {kind: 'version', text: `natscope ${packageVersion()}`};
	if (found.error !== undefined) return {kind: 'usage-error', message: found.error};
	try {
		const cli = meow({
			importMeta: import.meta,
			argv: canonicalArgv(found),
			flags: FLAGS,
			autoHelp: false,
			autoVersion: false,
			// Unknown flags never reach meow (the scanner rejects them); leaving meow's own check
			// off keeps it from printing and calling process.exit.
			allowUnknownFlags: true,
			booleanDefault: false,
			description: false,
			// Given so meow does not search the disk for package.json (it names process.title from it).
			pkg: {name: 'natscope', bin: {natscope: 'dist/cli.js'}},
		});
		const flags: Flags = {
			...cli.flags,
			insecure: cli.flags.insecure ?? false,
			reverse: cli.flags.reverse ?? false,
			once: cli.flags.once ?? false,
			json: cli.flags.json ?? false,
			raw: cli.flags.raw ?? false,
			lookup: cli.flags.lookup ?? false,
			subs: cli.flags.subs ?? false,
			help: cli.flags.help ?? false,
			version: cli.flags.version ?? false,
		};
		return {kind: 'run', config: toConfig(cli.input, flags, found, env)};
	} catch (error) {
		if (error instanceof UsageError) return {kind: 'usage-error', message: error.message};
		// meow throws plain Errors for malformed input (it cannot here, but never let it escape).
		return {kind: 'usage-error', message: error instanceof Error ? error.message : String(error)};
	}
}

type Flags = {
	[K in FlagKey]: (typeof FLAGS)[K]['type'] extends 'boolean' ? boolean : string | undefined;
};

const STATES: readonly ConnState[] = ['open', 'closed', 'all'];
const MAX_SECONDS = 86_400; // setTimeout misbehaves past ~24.8 days; a day is plenty

function seconds(label: string, text: string, min: number): number {
	const match = /^(\d+(?:\.\d*)?|\.\d+)(ms|s)?$/.exec(text.trim());
	if (!match) usage(`${label}: expected seconds (e.g. 1, 0.5, 2s, 500ms), got "${text}"`);
	const value = Number(match[1]) / (match[2] === 'ms' ? 1000 : 1);
	if (value < min) usage(`${label}: ${text} is too short; the minimum is ${min} s`);
	if (value > MAX_SECONDS) usage(`${label}: ${text} is too long; the maximum is ${MAX_SECONDS} s`);
	return value;
}

function positiveInteger(label: string, text: string, what: string): number {
	const trimmed = text.trim();
	const value = Number(trimmed);
	if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(value) || value < 1) {
		usage(`${label}: expected a whole number of ${what}, 1 or more, got "${text}"`);
	}
	return value;
}

function nonEmpty(label: string, text: string | undefined, what: string): string | undefined {
	if (text === undefined) return undefined;
	if (text.trim() === '') usage(`${label} needs ${what}`);
	return text;
}

type Origin = {label: string};
type Merged = {
	parts: AddressParts;
	origin: Partial<Record<'scheme' | 'host' | 'port' | 'path' | 'credentials', string>>;
};

/** Fold one source of address parts into the merged address; two sources may not disagree. */
function mergeAddress(into: Merged, parts: Partial<AddressParts>, from: Origin): void {
	const fields: Array<['scheme' | 'host' | 'port' | 'path' | 'credentials', string | number | undefined, string]> = [
		['scheme', parts.scheme, `${parts.scheme}://`],
		['host', parts.host, `host ${parts.host}`],
		['port', parts.port, `port ${parts.port}`],
		['path', parts.path || undefined, `path ${parts.path}`],
		['credentials', parts.username || undefined, 'credentials'],
	];
	for (const [field, value, shown] of fields) {
		if (value === undefined) continue;
		const current =
			field === 'credentials'
				? into.parts.username
					? `${into.parts.username}:${into.parts.password}`
					: undefined
				: field === 'path'
					? into.parts.path || undefined
					: into.parts[field];
		const incoming = field === 'credentials' ? `${parts.username}:${parts.password ?? ''}` : value;
		const owner = into.origin[field];
		if (current !== undefined && owner !== undefined && current !== incoming) {
			const was =
				field === 'credentials'
					? 'other credentials'
					: field === 'scheme'
						? `${String(current)}://`
						: field === 'path'
							? `path ${String(current)}`
							: `${field} ${String(current)}`;
			usage(`${owner} gives ${was} but ${from.label} gives ${shown}; say it in one place, not both`);
		}
		into.origin[field] = from.label;
		if (field === 'credentials') {
			into.parts.username = parts.username ?? '';
			into.parts.password = parts.password ?? '';
		} else if (field === 'path') {
			into.parts.path = parts.path ?? '';
		} else if (field === 'scheme') {
			into.parts.scheme = parts.scheme;
		} else if (field === 'host') {
			into.parts.host = parts.host;
		} else {
			into.parts.port = parts.port;
		}
	}
}

function parsedAddress(label: string, text: string): AddressParts {
	const parsed = parseAddressParts(text);
	if (!parsed.ok) usage(`${label}: ${parsed.error}`);
	return parsed.parts;
}

function resolveUrl(positionals: string[], flags: Flags, found: Scan, env: NodeJS.ProcessEnv): string {
	const label = (key: FlagKey): string => found.given.get(key)?.spelled ?? `--${kebab(key)}`;
	if (positionals.length > 1) {
		usage(`one address only, got ${positionals.length}: ${positionals.map(p => `"${redactAddress(p)}"`).join(' ')}`);
	}
	const merged: Merged = {parts: {path: '', username: '', password: ''}, origin: {}};
	const positional = positionals[0];
	const hostFlagsGiven = flags.server !== undefined || flags.port !== undefined || flags.httpsPort !== undefined;

	if (positional !== undefined) {
		const parts = parsedAddress('address', positional);
		mergeAddress(merged, parts, {label: `the address "${redactAddress(positional)}"`});
	} else if (!hostFlagsGiven && env['NATSCOPE_URL'] !== undefined && env['NATSCOPE_URL'].trim() !== '') {
		const parts = parsedAddress('NATSCOPE_URL', env['NATSCOPE_URL']);
		mergeAddress(merged, parts, {label: `NATSCOPE_URL "${redactAddress(env['NATSCOPE_URL'])}"`});
	}
	if (flags.server !== undefined) {
		if (flags.server.trim() === '') usage(`${label('server')} needs a host`);
		const parts = parsedAddress(label('server'), flags.server);
		mergeAddress(merged, parts, {label: `${label('server')} "${redactAddress(flags.server)}"`});
	}
	if (flags.port !== undefined && flags.httpsPort !== undefined) {
		usage(`${label('port')} and ${label('httpsPort')} both give the monitoring port; use one (${label('httpsPort')} for https)`);
	}
	if (flags.port !== undefined) {
		const port = parsePort(flags.port.trim());
		if (!port.ok) usage(`${label('port')}: ${port.error}`);
		mergeAddress(merged, {port: port.port}, {label: label('port')});
	}
	if (flags.httpsPort !== undefined) {
		const port = parsePort(flags.httpsPort.trim());
		if (!port.ok) usage(`${label('httpsPort')}: ${port.error}`);
		mergeAddress(merged, {scheme: 'https', port: port.port}, {label: label('httpsPort')});
	}

	// TLS material only makes sense over https: it picks https when nothing named a scheme.
	const tlsKey = (['tlsca', 'tlscert', 'tlskey', 'insecure'] as const).find(key =>
		key === 'insecure' ? flags.insecure : flags[key] !== undefined,
	);
	if (tlsKey !== undefined) {
		if (merged.parts.scheme === 'http') {
			usage(`${label(tlsKey)} needs https, but ${merged.origin.scheme ?? 'the address'} gives http://; use https://`);
		}
		merged.parts.scheme = 'https';
	}
	return formatAddress(merged.parts).url;
}

function toConfig(positionals: string[], flags: Flags, found: Scan, env: NodeJS.ProcessEnv): Config {
	const label = (key: FlagKey): string => found.given.get(key)?.spelled ?? `--${kebab(key)}`;

	const url = resolveUrl(positionals, flags, found, env);

	const tls: TlsConfig = {insecure: flags.insecure};
	const ca = nonEmpty(label('tlsca'), flags.tlsca, 'a CA file');
	const cert = nonEmpty(label('tlscert'), flags.tlscert, 'a certificate file');
	const key = nonEmpty(label('tlskey'), flags.tlskey, 'a key file');
	if ((cert === undefined) !== (key === undefined)) {
		const missing = cert === undefined ? '--tlscert (nats-top -cert)' : '--tlskey (nats-top -key)';
		usage(`${cert === undefined ? label('tlskey') : label('tlscert')} needs ${missing} too: certificate and key go together`);
	}
	if (ca !== undefined) tls.ca = ca;
	if (cert !== undefined) tls.cert = cert;
	if (key !== undefined) tls.key = key;

	let state: ConnState = 'open';
	if (flags.state !== undefined) {
		const lowered = flags.state.trim().toLowerCase();
		if (!(STATES as readonly string[]).includes(lowered)) {
			usage(`${label('state')}: unknown state "${flags.state}"; one of ${STATES.join(' ')}`);
		}
		state = lowered as ConnState;
	}

	let sort: Config['sort'] = 'cid'; // nats-top's default
	if (flags.sort !== undefined) {
		const normalized = flags.sort.trim().toLowerCase().replaceAll('-', '_');
		if (!isSortKey(normalized)) usage(`${label('sort')}: unknown key "${flags.sort}"; one of ${SORT_KEYS.join(' ')}`);
		sort = normalized;
	}
	if (sort === 'stop' || sort === 'reason') {
		// The server sorts by stop time or close reason only among closed connections, so
		// asking for that order means asking for closed connections.
		if (flags.state === undefined) state = 'closed';
		else if (state !== 'closed') {
			usage(`${label('sort')} ${sort} only works with closed connections; use ${label('state')} closed`);
		}
	}

	const intervalSeconds = flags.interval === undefined ? 1 : seconds(label('interval'), flags.interval, 0.1);
	const timeoutSeconds = flags.timeout === undefined ? 5 : seconds(label('timeout'), flags.timeout, 0.1);
	const rows = flags.rows === undefined ? undefined : positiveInteger(label('rows'), flags.rows, 'connections');
	const refreshes =
		flags.refreshes === undefined ? undefined : positiveInteger(label('refreshes'), flags.refreshes, 'refreshes');

	const account = nonEmpty(label('account'), flags.account, 'an account name');
	const user = nonEmpty(label('user'), flags.user, 'a user name');
	const subject = nonEmpty(label('subject'), flags.subject, 'a subject, e.g. orders.>');
	if (subject !== undefined && /\s/.test(subject)) usage(`${label('subject')}: a subject has no spaces, got "${subject}"`);

	if (flags.json && flags.delimiter !== undefined) {
		usage(`${label('json')} and ${label('delimiter')} are two output formats; pick one`);
	}
	if (flags.once && refreshes !== undefined) {
		usage(`${label('once')} and ${label('refreshes')} disagree on how many snapshots to print; use one`);
	}
	if (flags.output !== undefined && flags.output === '') {
		usage(`${label('output')} needs a file name, or - for stdout`);
	}
	let delimiter: string | undefined;
	if (flags.delimiter !== undefined) {
		if (flags.delimiter === '') usage(`${label('delimiter')} needs a separator, e.g. ${label('delimiter')} ',' or '\\t'`);
		delimiter = flags.delimiter.replaceAll('\\t', '\t');
	}

	const file = flags.output !== undefined && flags.output !== '-' ? flags.output : undefined;
	const withFile = file === undefined ? {} : {file};
	let output: OutputMode | undefined;
	if (flags.json) output = {kind: 'json', ...withFile};
	else if (delimiter !== undefined) output = {kind: 'delimited', delimiter, ...withFile};
	else if (flags.once || flags.output !== undefined || refreshes !== undefined) output = {kind: 'text', ...withFile};

	const config: Config = {
		transport: 'http',
		urls: [url],
		tls,
		intervalMs: Math.round(intervalSeconds * 1000),
		timeoutMs: Math.round(timeoutSeconds * 1000),
		sort,
		reverse: flags.reverse,
		state,
		rawNumbers: flags.raw,
		lookup: flags.lookup,
		showSubs: flags.subs,
	};
	if (rows !== undefined) config.rows = rows;
	if (account !== undefined) config.account = account;
	if (user !== undefined) config.user = user;
	if (subject !== undefined) config.subject = subject;
	if (output !== undefined) config.output = output;
	if (refreshes !== undefined) config.refreshes = refreshes;
	return config;
}
