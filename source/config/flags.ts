// Command line → Config. Takes our own flags and nats-top's single-dash spellings (-sort,
// -lookup, -ms, -cacert …), validates every value, and never prints or exits: help, version and
// usage errors come back as values for cli.tsx to act on.
//
// A small scanner reads argv Go-style (like nats-top's flag package): every flag is one token,
// one or two dashes, with its value either after "=" or as the next token. That is what lets
// "-sort" mean --sort instead of a bundle -s -o -r -t, and it is where unknown flags are caught.
// It types every value from the FLAGS table itself; it replaced meow, which only re-parsed the
// scanner's own canonical argv and cost ~60 ms of module loading on every start (a third of
// `natscope --version`).
//
// Then the address decides the transport: http(s) addresses → the monitoring port (one or
// several), nats:// or tls:// → the system account over NATS. With no address, NATSCOPE_URL,
// NATS_URL, then a nats context (--context, NATS_CONTEXT, the selected one) choose; NATS login
// flags alone mean nats://127.0.0.1:4222. --user is the NATS login name over NATS and the
// connections filter over HTTP (--filter-user filters over both).
import {readFileSync} from '../node-fs.js';
import {DEFAULT_LAG_WARN_REFRESHES, VIEW_NAMES, type Config, type OutputMode, type ServerFilter, type TlsConfig, type ViewName} from './types.js';
import type {ConnState} from '../sources/types.js';
import {isSortKey, SORT_KEYS} from '../model/capabilities.js';
import {
	DEFAULT_NATS_PORT,
	formatAddress,
	isNatsAddress,
	parseAddressParts,
	parseNatsAddress,
	parsePort,
	redactAddress,
	type AddressParts,
	type UrlCredentials,
} from './address.js';
import type {LoadedContext} from './context.js';
import {natsEnv} from './env.js';
import {ConfigError, UsageError} from './errors.js';
import type {Explanation} from './explain.js';
import {loadNkeys, NkeysNotLoaded} from './identity.js';
import type {Level, NatsFlags, NatsServers} from './nats.js';

// What only some command lines need (a NATS target, a context, --help, --explain-config) is
// loaded on demand: a monitoring URL is parsed without them, which takes ~10 ms off the time to
// the first request. parseCli throws ConfigModulesNotLoaded where it needs them; parseCommandLine
// loads them and parses again (as for nkeys.js). Code that calls parseCli itself (the tests)
// calls loadConfigModules first.
type OnDemand = {
	context: typeof import('./context.js');
	nats: typeof import('./nats.js');
	explain: typeof import('./explain.js');
	usage: typeof import('./usage.js');
};
let onDemand: OnDemand | undefined;

export class ConfigModulesNotLoaded extends Error {
	constructor() {
		super('the configuration modules are not loaded (call loadConfigModules first)');
	}
}

function needed(): OnDemand {
	if (!onDemand) throw new ConfigModulesNotLoaded();
	return onDemand;
}

export async function loadConfigModules(): Promise<void> {
	if (onDemand) return;
	const [context, nats, explain, usage] = await Promise.all([import('./context.js'), import('./nats.js'), import('./explain.js'), import('./usage.js')]);
	onDemand = {context, nats, explain, usage};
}

export type CliResult =
	| {kind: 'run'; config: Config}
	| {kind: 'help'; text: string}
	| {kind: 'version'; text: string}
	| {kind: 'usage-error'; message: string}
	/** A context, creds, seed or TLS reference that is missing or wrong (exit 2, one line). */
	| {kind: 'config-error'; message: string}
	/** --explain-config: print `text` and exit 0. */
	| {kind: 'explain'; text: string; config: Config};

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
	filterUser: {type: 'string'},
	// NATS login and TLS
	password: {type: 'string'},
	token: {type: 'string'},
	nkey: {type: 'string'},
	creds: {type: 'string'},
	tlsfirst: {type: 'boolean'},
	inboxPrefix: {type: 'string'},
	context: {type: 'string'},
	skipContext: {type: 'boolean'},
	// $SYS server filters
	serverName: {type: 'string'},
	cluster: {type: 'string'},
	host: {type: 'string'},
	tags: {type: 'string'},
	// views, recording, local server, profiling, lag
	view: {type: 'string'},
	record: {type: 'string'},
	replay: {type: 'string'},
	demo: {type: 'boolean'},
	pid: {type: 'string'},
	pidFile: {type: 'string'},
	profPort: {type: 'string'},
	profUrl: {type: 'string'},
	lagRefreshes: {type: 'string'},
	explainConfig: {type: 'boolean'},
	help: {type: 'boolean'},
	version: {type: 'boolean'},
} as const;

type FlagKey = keyof typeof FLAGS;

function kebab(key: FlagKey): string {
	return key.replace(/[A-Z]/g, c => `-${c.toLowerCase()}`);
}

/** Flags spelled other than their key (--no-context would otherwise read as "context: false"). */
const SPELLING: Partial<Record<FlagKey, string>> = {skipContext: 'no-context'};

function spelling(key: FlagKey): string {
	return SPELLING[key] ?? kebab(key);
}

/**
 * Every spelling we accept, without dashes; each works with one dash or two (as in Go's flag
 * package, which nats-top uses). Single letters and the nats-top names map onto our long flags.
 */
const NAMES: ReadonlyMap<string, FlagKey> = new Map<string, FlagKey>([
	...(Object.keys(FLAGS) as FlagKey[]).map(key => [spelling(key), key] as [string, FlagKey]),
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

function usage(message: string): never {
	throw new UsageError(message);
}

export type ParseOptions = {
	/** Epoch ms for JWT expiry checks (tests pin it). */
	now?: number;
};

/** The command line as a result, never an exit or output; throws NkeysNotLoaded only (see parseCommandLine). */
export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv = {}, options: ParseOptions = {}): CliResult {
	const found = scan(argv);
	if (found.help) return {kind: 'help', text: needed().usage.usageText()};
	if (found.version) return {kind: 'version', text: `natscope ${packageVersion()}`};
	if (found.error !== undefined) return {kind: 'usage-error', message: found.error};
	try {
		// The scanner has already typed every value (booleans from the table, strings as given):
		// the flags are its findings, every boolean false unless given.
		const flags = {} as Record<FlagKey, string | boolean | undefined>;
		for (const key of Object.keys(FLAGS) as FlagKey[]) flags[key] = isBoolean(key) ? false : undefined;
		for (const [key, {value}] of found.given) flags[key] = value;
		const {config, explanation} = toConfig(found.positionals, flags as Flags, found, env, options.now ?? Date.now());
		if (flags.explainConfig) return {kind: 'explain', text: needed().explain.explainText(explanation), config};
		return {kind: 'run', config};
	} catch (error) {
		if (error instanceof NkeysNotLoaded || error instanceof ConfigModulesNotLoaded) throw error; // for parseCommandLine
		if (error instanceof UsageError) return {kind: 'usage-error', message: error.message};
		if (error instanceof ConfigError) return {kind: 'config-error', message: error.message};
		// Anything else is a bug; it still must not escape as a stack trace.
		return {kind: 'usage-error', message: error instanceof Error ? error.message : String(error)};
	}
}

/**
 * parseCli for the entry points: what the command line needs and is not loaded yet (the
 * configuration modules of a NATS target, a context, help or --explain-config; nkeys.js for a
 * seed or creds login) is loaded and the command line parsed again. A monitoring URL loads
 * neither.
 */
export async function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv = {}, options: ParseOptions = {}): Promise<CliResult> {
	// Each load happens at most once, so the third parse is the last that can ask for one.
	for (let attempt = 0; ; attempt++) {
		try {
			return parseCli(argv, env, options);
		} catch (error) {
			if (attempt < 2 && error instanceof ConfigModulesNotLoaded) await loadConfigModules();
			else if (attempt < 2 && error instanceof NkeysNotLoaded) await loadNkeys();
			else throw error;
		}
	}
}

type Flags = {
	[K in FlagKey]: (typeof FLAGS)[K]['type'] extends 'boolean' ? boolean : string | undefined;
};

const STATES: readonly ConnState[] = ['open', 'closed', 'all'];
const MAX_SECONDS = 86_400; // setTimeout misbehaves past ~24.8 days; a day is plenty

function seconds(label: string, text: string, min: number): number {
	const match = /^(\d+(?:\.\d*)?|\.\d+)(ms|s|m)?$/.exec(text.trim());
	if (!match) usage(`${label}: expected seconds (e.g. 1, 0.5, 2s, 500ms), got "${text}"`);
	const unit = match[2] === 'ms' ? 0.001 : match[2] === 'm' ? 60 : 1;
	const value = Number(match[1]) * unit;
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

type Ctx = {
	flags: Flags;
	found: Scan;
	env: NodeJS.ProcessEnv;
	label: (key: FlagKey) => string;
	given: (key: FlagKey) => boolean;
};

const TLS_KEYS = ['tlsca', 'tlscert', 'tlskey', 'insecure'] as const;

/** TLS material only makes sense over https: it picks https when nothing named a scheme. */
function applyTlsScheme(ctx: Ctx, merged: Merged): void {
	const tlsKey = TLS_KEYS.find(key => (key === 'insecure' ? ctx.flags.insecure : ctx.flags[key] !== undefined));
	if (tlsKey === undefined) return;
	if (merged.parts.scheme === 'http') {
		usage(`${ctx.label(tlsKey)} needs https, but ${merged.origin.scheme ?? 'the address'} gives http://; use https://`);
	}
	merged.parts.scheme = 'https';
}

type HttpAddress = {text: string; label: string};

/** One monitoring URL from an address, -s, -m, -ms and NATSCOPE_URL (the nats-top way). */
function singleMonitorUrl(ctx: Ctx, address: HttpAddress | undefined): string {
	const {flags, label} = ctx;
	const merged: Merged = {parts: {path: '', username: '', password: ''}, origin: {}};
	if (address !== undefined) mergeAddress(merged, parsedAddress(address.label === 'NATSCOPE_URL' ? 'NATSCOPE_URL' : 'address', address.text), {label: `${address.label} "${redactAddress(address.text)}"`});
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
	applyTlsScheme(ctx, merged);
	return formatAddress(merged.parts).url;
}

/** Several monitoring addresses: each stands alone (-s/-m/-ms would be ambiguous). */
function severalMonitorUrls(ctx: Ctx, addresses: HttpAddress[]): string[] {
	const hostFlag = (['server', 'port', 'httpsPort'] as const).find(key => ctx.flags[key] !== undefined);
	if (hostFlag !== undefined) {
		usage(`${ctx.label(hostFlag)} applies to one server; with several addresses put each one's host and port in the address`);
	}
	const urls: string[] = [];
	for (const address of addresses) {
		const merged: Merged = {parts: {path: '', username: '', password: ''}, origin: {}};
		mergeAddress(merged, parsedAddress('address', address.text), {label: `${address.label} "${redactAddress(address.text)}"`});
		applyTlsScheme(ctx, merged);
		const url = formatAddress(merged.parts).url;
		if (urls.includes(url)) usage(`the address "${redactAddress(address.text)}" is given twice`);
		urls.push(url);
	}
	return urls;
}

/** nats:// addresses, each possibly a comma-separated list as in NATS_URL and contexts. */
function natsServers(inputs: Array<{text: string; label: string}>, origin: string, level: Level): NatsServers {
	const urls: string[] = [];
	let credentials: UrlCredentials | undefined;
	let credentialsFrom: string | undefined;
	for (const input of inputs) {
		for (const piece of input.text.split(',')) {
			if (piece.trim() === '') {
				if (input.text.split(',').length > 1) continue;
				usage(`${input.label}: empty address`);
			}
			const parsed = parseNatsAddress(piece);
			if (!parsed.ok) usage(`${input.label}: ${parsed.error}`);
			const {url, credentials: found} = parsed.address;
			if (found) {
				if (credentials && JSON.stringify(credentials) !== JSON.stringify(found)) {
					usage(`${credentialsFrom} and ${input.label} carry different credentials; give them once (or with --user/--password)`);
				}
				credentials = found;
				credentialsFrom = input.label;
			}
			if (!urls.includes(url)) urls.push(url);
		}
	}
	if (urls.length === 0) usage(`${inputs[0]?.label ?? 'the address'}: no server address`);
	const servers: NatsServers = {urls, origin, level};
	if (credentials) servers.credentials = credentials;
	return servers;
}

/** Flags that only mean something over NATS; over HTTP they are usage errors. */
const NATS_ONLY = ['password', 'token', 'nkey', 'creds', 'tlsfirst', 'inboxPrefix', 'context', 'serverName', 'cluster', 'host', 'tags'] as const;

type Decided =
	| {transport: 'http'; urls: string[]; origin: string}
	| {transport: 'nats'; servers: NatsServers; context?: LoadedContext; why?: string};

const DEFAULT_NATS_URL = `nats://127.0.0.1:${DEFAULT_NATS_PORT}`;

function decideTarget(ctx: Ctx, positionals: string[]): Decided {
	const {flags, env, label, given} = ctx;
	const typed: HttpAddress[] = positionals.map(text => ({text, label: 'the address'}));
	if (flags.server !== undefined) typed.push({text: flags.server, label: label('server')});
	const nats = typed.filter(a => isNatsAddress(a.text));
	// -s HOST is folded into the one monitoring URL by singleMonitorUrl, nats-top style.
	const http = typed.filter(a => !isNatsAddress(a.text) && a.label === 'the address');
	const loadContext = (): LoadedContext | undefined => needed().context.findContext({flag: flags.context, skipSelected: flags.skipContext}, env);

	const other = typed.find(a => !isNatsAddress(a.text));
	if (nats.length > 0 && other !== undefined) {
		usage(
			`"${redactAddress(nats[0]!.text)}" is a NATS address but "${redactAddress(other.text)}" is a monitoring address; ` +
				'give only nats:// (or tls://) addresses, or only http(s) ones',
		);
	}
	if (nats.length > 0) {
		const portFlag = (['port', 'httpsPort'] as const).find(key => flags[key] !== undefined);
		if (portFlag !== undefined) usage(`${label(portFlag)} is the monitoring port; with a NATS address put the port in it, e.g. nats://host:4222`);
		const origin = nats.every(a => a.label === 'the address') ? 'the address' : nats.map(a => a.label).join(', ');
		return {transport: 'nats', servers: natsServers(nats, origin, 3), context: loadContext()};
	}
	const hostFlagsGiven = flags.server !== undefined || flags.port !== undefined || flags.httpsPort !== undefined;
	if (http.length > 1) return {transport: 'http', urls: severalMonitorUrls(ctx, http), origin: 'the addresses'};
	if (http.length === 1 || hostFlagsGiven) {
		const origin = http.length === 1 ? 'the address' : (['server', 'port', 'httpsPort'] as const).filter(given).map(label).join(' ');
		return {transport: 'http', urls: [singleMonitorUrl(ctx, http[0])], origin};
	}
	const natscopeUrl = env['NATSCOPE_URL'];
	if (natscopeUrl !== undefined && natscopeUrl.trim() !== '') {
		if (isNatsAddress(natscopeUrl)) {
			return {transport: 'nats', servers: natsServers([{text: natscopeUrl, label: 'NATSCOPE_URL'}], 'env NATSCOPE_URL', 2), context: loadContext()};
		}
		return {transport: 'http', urls: [singleMonitorUrl(ctx, {text: natscopeUrl, label: 'NATSCOPE_URL'})], origin: 'env NATSCOPE_URL'};
	}
	const natsUrl = natsEnv(env, 'url');
	// Only now may an ambient context (NATS_CONTEXT, context.txt) change the transport.
	const context = loadContext();
	if (natsUrl !== undefined) return {transport: 'nats', servers: natsServers([{text: natsUrl, label: 'NATS_URL'}], 'env NATS_URL', 2), context};
	if (context?.settings.url !== undefined) {
		const where = needed().context.contextLabel(context);
		return {transport: 'nats', servers: natsServers([{text: context.settings.url, label: `${where} "url"`}], where, 1), context};
	}
	const natsFlag = NATS_ONLY.find(given);
	if (context !== undefined || natsFlag !== undefined) {
		const why = context !== undefined ? `${needed().context.contextLabel(context)} names no url` : `${label(natsFlag!)} means NATS`;
		return {transport: 'nats', servers: {urls: [DEFAULT_NATS_URL], origin: `default (${why})`, level: 0}, context, why};
	}
	return {transport: 'http', urls: [singleMonitorUrl(ctx, undefined)], origin: 'default'};
}

function sourced(ctx: Ctx, key: FlagKey, value: string | undefined): {value: string; origin: string; level: 3} | undefined {
	if (value === undefined) return undefined;
	if (value.trim() === '') usage(`${ctx.label(key)} needs a value`);
	return {value, origin: ctx.label(key), level: 3};
}

function serverFilter(ctx: Ctx): ServerFilter | undefined {
	const {flags, label} = ctx;
	const filter: ServerFilter = {};
	const serverName = nonEmpty(label('serverName'), flags.serverName, 'a server name');
	const cluster = nonEmpty(label('cluster'), flags.cluster, 'a cluster name');
	const host = nonEmpty(label('host'), flags.host, 'a host');
	if (serverName !== undefined) filter.server_name = serverName.trim();
	if (cluster !== undefined) filter.cluster = cluster.trim();
	if (host !== undefined) filter.host = host.trim();
	if (flags.tags !== undefined) {
		const tags = flags.tags.split(',').map(tag => tag.trim());
		if (tags.length === 0 || tags.some(tag => tag === '')) usage(`${label('tags')}: expected tags separated by commas, e.g. az:1,ssd`);
		filter.tags = tags;
	}
	return Object.keys(filter).length > 0 ? filter : undefined;
}

function toConfig(
	positionals: string[],
	flags: Flags,
	found: Scan,
	env: NodeJS.ProcessEnv,
	now: number,
): {config: Config; explanation: Explanation} {
	const label = (key: FlagKey): string => found.given.get(key)?.spelled ?? `--${spelling(key)}`;
	const given = (key: FlagKey): boolean => found.given.has(key) && (!isBoolean(key) || found.given.get(key)!.value === true || key === 'tlsfirst');
	const origin = (key: FlagKey): string => (found.given.has(key) ? label(key) : 'default');
	const ctx: Ctx = {flags, found, env, label, given};
	const explanation: Explanation = {settings: [], ignored: [], identity: [], warnings: []};
	const note = (name: string, value: string, from: string): void => void explanation.settings.push({name, value, origin: from});

	if (flags.context !== undefined && flags.skipContext) usage(`${label('context')} and ${label('skipContext')} disagree; give one`);

	// Where the data comes from: a recording, the demo, or servers.
	const offline = flags.replay !== undefined ? 'replay' : flags.demo ? 'demo' : undefined;
	if (flags.replay !== undefined && flags.demo) usage(`${label('replay')} and ${label('demo')} both replace the server; pick one`);
	let decided: Decided | undefined;
	if (offline !== undefined) {
		const offlineLabel = offline === 'replay' ? label('replay') : label('demo');
		if (positionals.length > 0) usage(`${offlineLabel} needs no server address; drop "${redactAddress(positionals[0]!)}"`);
		const serverFlag = (['server', 'port', 'httpsPort', ...TLS_KEYS, ...NATS_ONLY, 'record'] as const).find(given);
		if (serverFlag !== undefined) usage(`${offlineLabel} talks to no server, so ${label(serverFlag)} does not apply`);
	} else {
		decided = decideTarget(ctx, positionals);
	}

	let tls: TlsConfig = {insecure: flags.insecure};
	const ca = nonEmpty(label('tlsca'), flags.tlsca, 'a CA file');
	const cert = nonEmpty(label('tlscert'), flags.tlscert, 'a certificate file');
	const key = nonEmpty(label('tlskey'), flags.tlskey, 'a key file');
	let nats: Config['nats'];
	let userFilter: string | undefined;
	const filterUser = nonEmpty(label('filterUser'), flags.filterUser, 'a user name');

	if (decided?.transport === 'nats') {
		note('transport', 'nats (the system account over NATS)', decided.servers.origin);
		note('servers', decided.servers.urls.join(', '), decided.servers.origin);
		if (decided.context) {
			const how = decided.context.how === 'flag' ? label('context') : decided.context.how === 'env' ? 'env NATS_CONTEXT' : 'selected in context.txt';
			note('context', decided.context.name, `${how} (${decided.context.file})`);
		} else {
			note('context', 'none', flags.skipContext ? label('skipContext') : 'default');
		}
		const natsFlags: NatsFlags = {insecure: flags.insecure};
		const set = (field: keyof Omit<NatsFlags, 'insecure' | 'tlsFirst'>, flagKey: FlagKey, value: string | undefined): void => {
			const candidate = sourced(ctx, flagKey, value);
			if (candidate) natsFlags[field] = candidate;
		};
		set('user', 'user', flags.user);
		set('password', 'password', flags.password);
		set('token', 'token', flags.token);
		set('creds', 'creds', flags.creds);
		set('nkey', 'nkey', flags.nkey);
		set('ca', 'tlsca', ca);
		set('cert', 'tlscert', cert);
		set('key', 'tlskey', key);
		set('inboxPrefix', 'inboxPrefix', flags.inboxPrefix);
		if (found.given.has('tlsfirst')) natsFlags.tlsFirst = {value: flags.tlsfirst, origin: label('tlsfirst')};
		const resolved = needed().nats.resolveNats({servers: decided.servers, flags: natsFlags, env, context: decided.context, now}, explanation);
		nats = resolved.target;
		tls = resolved.tls;
		userFilter = filterUser;
	} else {
		const natsFlag = NATS_ONLY.find(given);
		if (decided !== undefined) {
			if (natsFlag !== undefined) {
				usage(`${label(natsFlag)} needs the NATS transport, but ${decided.origin === 'default' ? 'no address was given' : `${decided.origin} is a monitoring (http) address`}; give a nats:// address, e.g. nats://host:4222`);
			}
			note('transport', `http (the monitoring port${decided.urls.length > 1 ? 's' : ''})`, decided.origin);
			note(decided.urls.length > 1 ? 'urls' : 'url', decided.urls.map(redactAddress).join(', '), decided.origin);
			if ((cert === undefined) !== (key === undefined)) {
				const missing = cert === undefined ? '--tlscert (nats-top -cert)' : '--tlskey (nats-top -key)';
				usage(`${cert === undefined ? label('tlskey') : label('tlscert')} needs ${missing} too: certificate and key go together`);
			}
			if (ca !== undefined) tls.ca = ca;
			if (cert !== undefined) tls.cert = cert;
			if (key !== undefined) tls.key = key;
			for (const [name, value, flagKey] of [['tls ca', ca, 'tlsca'], ['tls cert', cert, 'tlscert'], ['tls key', key, 'tlskey']] as const) {
				if (value !== undefined) note(name, value, label(flagKey));
			}
			if (flags.insecure) note('tls verify', 'OFF (server certificate not checked)', label('insecure'));
		} else {
			note('source', offline === 'replay' ? `replay ${flags.replay}` : 'demo data', offline === 'replay' ? label('replay') : label('demo'));
		}
		const userFlag = nonEmpty(label('user'), flags.user, 'a user name');
		if (userFlag !== undefined && filterUser !== undefined) {
			usage(`${label('user')} and ${label('filterUser')} both filter by user here (over HTTP --user is the filter); give one`);
		}
		userFilter = filterUser ?? userFlag;
	}

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
	let stateOrigin = origin('state');
	if (sort === 'stop' || sort === 'reason') {
		// The server sorts by stop time or close reason only among closed connections, so
		// asking for that order means asking for closed connections.
		if (flags.state === undefined) {
			state = 'closed';
			stateOrigin = `${label('sort')} ${sort}`;
		} else if (state !== 'closed') {
			usage(`${label('sort')} ${sort} only works with closed connections; use ${label('state')} closed`);
		}
	}

	const intervalSeconds = flags.interval === undefined ? 1 : seconds(label('interval'), flags.interval, 0.1);
	let timeoutSeconds = 5;
	let timeoutOrigin = 'default';
	const natsTimeout = decided?.transport === 'nats' ? natsEnv(env, 'timeout') : undefined;
	if (flags.timeout !== undefined) {
		timeoutSeconds = seconds(label('timeout'), flags.timeout, 0.1);
		timeoutOrigin = label('timeout');
	} else if (natsTimeout !== undefined) {
		timeoutSeconds = seconds('NATS_TIMEOUT', natsTimeout, 0.1);
		timeoutOrigin = 'env NATS_TIMEOUT';
	}
	const rows = flags.rows === undefined ? undefined : positiveInteger(label('rows'), flags.rows, 'connections');
	const refreshes =
		flags.refreshes === undefined ? undefined : positiveInteger(label('refreshes'), flags.refreshes, 'refreshes');

	const account = nonEmpty(label('account'), flags.account, 'an account name');
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

	let view: ViewName | undefined;
	if (flags.view !== undefined) {
		const lowered = flags.view.trim().toLowerCase();
		if (!(VIEW_NAMES as readonly string[]).includes(lowered)) usage(`${label('view')}: unknown view "${flags.view}"; one of ${VIEW_NAMES.join(' ')}`);
		view = lowered as ViewName;
	}
	const record = nonEmpty(label('record'), flags.record, 'a file to record to');
	const replay = nonEmpty(label('replay'), flags.replay, 'a recording to play');
	if (flags.pid !== undefined && flags.pidFile !== undefined) usage(`${label('pid')} and ${label('pidFile')} both name the server process; give one`);
	const pid = flags.pid === undefined ? undefined : positiveInteger(label('pid'), flags.pid, 'a process id');
	const pidFile = nonEmpty(label('pidFile'), flags.pidFile, 'a file holding the pid');
	if (flags.profPort !== undefined && flags.profUrl !== undefined) usage(`${label('profPort')} and ${label('profUrl')} both say where profiles come from; give one`);
	let profPort: number | undefined;
	if (flags.profPort !== undefined) {
		const port = parsePort(flags.profPort.trim());
		if (!port.ok) usage(`${label('profPort')}: ${port.error}`);
		profPort = port.port;
	}
	let profUrl: string | undefined;
	if (flags.profUrl !== undefined) {
		let parsed: URL | undefined;
		try {
			parsed = new URL(flags.profUrl.trim());
		} catch {
			parsed = undefined;
		}
		if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.hostname === '') {
			usage(`${label('profUrl')}: expected an http(s) URL such as http://127.0.0.1:65432/debug/pprof, got "${redactAddress(flags.profUrl)}"`);
		}
		profUrl = parsed.href.replace(/\/+$/, '');
	}
	const lagWarnRefreshes = flags.lagRefreshes === undefined ? DEFAULT_LAG_WARN_REFRESHES : positiveInteger(label('lagRefreshes'), flags.lagRefreshes, 'refreshes');

	const filter = serverFilter(ctx);

	const config: Config = {
		transport: decided?.transport ?? 'http',
		urls: decided?.transport === 'http' ? decided.urls : [],
		tls,
		intervalMs: Math.round(intervalSeconds * 1000),
		...(flags.interval === undefined ? {} : {intervalGiven: true as const}),
		timeoutMs: Math.round(timeoutSeconds * 1000),
		sort,
		reverse: flags.reverse,
		state,
		rawNumbers: flags.raw,
		lookup: flags.lookup,
		showSubs: flags.subs,
		demo: flags.demo,
		lagWarnRefreshes,
	};
	if (nats !== undefined) config.nats = nats;
	if (filter !== undefined) config.serverFilter = filter;
	if (rows !== undefined) config.rows = rows;
	if (account !== undefined) config.account = account;
	if (userFilter !== undefined) config.user = userFilter;
	if (subject !== undefined) config.subject = subject;
	if (output !== undefined) config.output = output;
	if (refreshes !== undefined) config.refreshes = refreshes;
	if (view !== undefined) config.view = view;
	if (record !== undefined) config.record = record;
	if (replay !== undefined) config.replay = replay;
	if (pid !== undefined) config.pid = pid;
	if (pidFile !== undefined) config.pidFile = pidFile;
	if (profPort !== undefined) config.profPort = profPort;
	if (profUrl !== undefined) config.profUrl = profUrl;

	// The rest of the settings, for --explain-config.
	if (filter?.server_name) note('server name', filter.server_name, label('serverName'));
	if (filter?.cluster) note('cluster', filter.cluster, label('cluster'));
	if (filter?.host) note('host', filter.host, label('host'));
	if (filter?.tags) note('tags', filter.tags.join(','), label('tags'));
	note('timeout', `${timeoutSeconds} s`, timeoutOrigin);
	note('interval', `${intervalSeconds} s`, origin('interval'));
	note('sort', `${sort}${flags.reverse ? ' (reversed)' : ''}`, origin('sort'));
	note('rows', rows === undefined ? 'what fits (1024 for snapshots)' : String(rows), origin('rows'));
	note('state', state, stateOrigin);
	if (account !== undefined) note('account filter', account, label('account'));
	if (userFilter !== undefined) note('user filter', userFilter, userFilter === filterUser ? label('filterUser') : label('user'));
	if (subject !== undefined) note('subject filter', subject, label('subject'));
	note('output', output === undefined ? 'interactive' : `${output.kind}${output.file ? ` to ${output.file}` : ''}`, output === undefined ? 'default' : [flags.json ? label('json') : '', delimiter !== undefined ? label('delimiter') : '', flags.once ? label('once') : '', flags.output !== undefined ? label('output') : '', refreshes !== undefined ? label('refreshes') : ''].filter(Boolean).join(' '));
	if (refreshes !== undefined) note('refreshes', String(refreshes), label('refreshes'));
	note('view', view ?? 'connections', origin('view'));
	if (record !== undefined) note('record', record, label('record'));
	if (pid !== undefined) note('pid', String(pid), label('pid'));
	if (pidFile !== undefined) note('pid file', pidFile, label('pidFile'));
	if (profPort !== undefined) note('prof port', String(profPort), label('profPort'));
	if (profUrl !== undefined) note('prof url', redactAddress(profUrl), label('profUrl'));
	note('lag refreshes', String(lagWarnRefreshes), origin('lagRefreshes'));
	for (const [name, on, flagKey] of [['raw numbers', flags.raw, 'raw'], ['lookup', flags.lookup, 'lookup'], ['subs column', flags.subs, 'subs']] as const) {
		note(name, on ? 'yes' : 'no', origin(flagKey));
	}
	return {config, explanation};
}
