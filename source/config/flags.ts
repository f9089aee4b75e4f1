// Command line → Config. Accepts nats-top's single-dash flags as well as our own, and never
// exits or prints: the caller decides what to do with help, version and usage errors.
import {readFileSync} from 'node:fs';
import meow from 'meow';
import type {Config, OutputMode} from './types.js';
import type {ConnState} from '../sources/types.js';
import {isSortKey, SORT_KEYS} from '../model/capabilities.js';
import {parseMonitorAddress} from './address.js';
import {usageText} from './usage.js';

export type CliResult =
	| {kind: 'run'; config: Config}
	| {kind: 'help'; text: string}
	| {kind: 'version'; text: string}
	| {kind: 'usage-error'; message: string};

/** nats-top spells these with one dash; yargs would read "-sort" as -s -o -r -t. */
const NATS_TOP_FLAGS: Record<string, string> = {
	'-sort': '--sort',
	'-lookup': '--lookup',
	'-cert': '--tlscert',
	'-key': '--tlskey',
	'-cacert': '--tlsca',
	'-ms': '--https-port',
	'-k': '--insecure',
};

export function rewriteNatsTopFlags(argv: readonly string[]): string[] {
	return argv.map(arg => {
		const [name, ...value] = arg.split('=');
		const replacement = NATS_TOP_FLAGS[name!];
		if (!replacement) return arg;
		return value.length > 0 ? `${replacement}=${value.join('=')}` : replacement;
	});
}

const FLAGS = {
	server: {type: 'string', shortFlag: 's'},
	port: {type: 'string', shortFlag: 'm'},
	httpsPort: {type: 'string'},
	tlsca: {type: 'string'},
	tlscert: {type: 'string'},
	tlskey: {type: 'string'},
	insecure: {type: 'boolean', default: false},
	timeout: {type: 'string'},
	interval: {type: 'string', shortFlag: 'd'},
	sort: {type: 'string'},
	reverse: {type: 'boolean', default: false},
	rows: {type: 'string', shortFlag: 'n'},
	state: {type: 'string'},
	account: {type: 'string'},
	user: {type: 'string'},
	subject: {type: 'string'},
	subs: {type: 'boolean', default: false},
	lookup: {type: 'boolean', default: false},
	raw: {type: 'boolean', shortFlag: 'b', default: false},
	once: {type: 'boolean', default: false},
	output: {type: 'string', shortFlag: 'o'},
	json: {type: 'boolean', default: false},
	delimiter: {type: 'string'},
	refreshes: {type: 'string', shortFlag: 'r'},
	help: {type: 'boolean', shortFlag: 'h', default: false},
	version: {type: 'boolean', shortFlag: 'v', default: false},
} as const;

function knownNames(): Set<string> {
	const names = new Set<string>();
	for (const [name, spec] of Object.entries(FLAGS)) {
		names.add(name);
		names.add(name.replace(/[A-Z]/g, c => `-${c.toLowerCase()}`));
		if ('shortFlag' in spec) names.add(spec.shortFlag);
	}
	return names;
}

export function packageVersion(): string {
	for (const relative of ['../../package.json', '../../../package.json']) {
		try {
			const json = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as {name?: string; version?: string};
			if (json.name === 'natscope' && json.version) return json.version;
		} catch {
			// try the next place: source/ under tsx, dist/source/ when built
		}
	}
	return 'unknown';
}

class UsageError extends Error {}

function usage(message: string): never {
	throw new UsageError(message);
}

function number(flag: string, text: string | undefined, options: {min: number; integer?: boolean; what: string}): number | undefined {
	if (text === undefined) return undefined;
	const value = Number(text);
	if (text.trim() === '' || !Number.isFinite(value)) usage(`${flag}: "${text}" is not a number (${options.what})`);
	if (options.integer && !Number.isInteger(value)) usage(`${flag}: "${text}" is not a whole number (${options.what})`);
	if (value < options.min) usage(`${flag}: ${text} is too small (${options.what})`);
	return value;
}

const STATES: readonly ConnState[] = ['open', 'closed', 'all'];

export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv = {}): CliResult {
	const cli = meow('', {
		importMeta: import.meta,
		argv: rewriteNatsTopFlags(argv),
		flags: FLAGS,
		autoHelp: false,
		autoVersion: false,
		allowUnknownFlags: true,
		booleanDefault: undefined,
		description: false,
	});
	try {
		return {kind: 'run', config: toConfig(cli.input, cli.flags, cli.unnormalizedFlags, env)};
	} catch (error) {
		if (error instanceof HelpRequested) return {kind: 'help', text: usageText()};
		if (error instanceof VersionRequested) return {kind: 'version', text: `natscope ${packageVersion()}`};
		if (error instanceof UsageError) return {kind: 'usage-error', message: error.message};
		throw error;
	}
}

class HelpRequested extends Error {}
class VersionRequested extends Error {}

type Flags = {[K in keyof typeof FLAGS]: (typeof FLAGS)[K]['type'] extends 'boolean' ? boolean : string | undefined};

function toConfig(input: string[], flags: Flags, unnormalized: Record<string, unknown>, env: NodeJS.ProcessEnv): Config {
	if (flags.help) throw new HelpRequested();
	if (flags.version) throw new VersionRequested();
	const known = knownNames();
	const unknown = Object.keys(unnormalized).filter(name => !known.has(name));
	if (unknown.length > 0) usage(`unknown flag ${unknown.map(n => (n.length === 1 ? `-${n}` : `--${n}`)).join(', ')}`);
	if (input.length > 1) usage(`one address only, got ${input.length}: ${input.join(' ')}`);

	// Address: the argument, or -s/-m (nats-top), or NATSCOPE_URL.
	const tlsGiven = Boolean(flags.tlsca || flags.tlscert || flags.tlskey);
	const hostPortGiven = flags.server !== undefined || flags.port !== undefined || flags.httpsPort !== undefined;
	if (input.length === 1 && hostPortGiven) usage('give the address either as an argument or with -s/-m/--https-port, not both');
	if (flags.port !== undefined && flags.httpsPort !== undefined) usage('-m and --https-port (nats-top -ms) both give the port; use one');
	let addressText: string;
	if (input.length === 1) addressText = input[0]!;
	else if (hostPortGiven) {
		const host = flags.server ?? '127.0.0.1';
		const port = flags.httpsPort ?? flags.port;
		if (host.includes('://')) usage('-s takes a host name; give full URLs as the argument');
		const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
		addressText = port === undefined ? bracketed : `${bracketed}:${port}`;
	} else addressText = env['NATSCOPE_URL'] ?? '';
	const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(addressText);
	const secure = flags.httpsPort !== undefined || (tlsGiven && !hasScheme);
	const address = parseMonitorAddress(addressText, {secure});
	if (!address.ok) usage(address.error);
	if (tlsGiven && address.url.startsWith('http://')) usage('--tlsca/--tlscert/--tlskey need an https:// address');
	if (Boolean(flags.tlscert) !== Boolean(flags.tlskey)) usage('--tlscert and --tlskey go together');

	const sort = flags.sort ?? 'cid';
	if (!isSortKey(sort)) usage(`--sort: unknown key "${sort}"; one of ${SORT_KEYS.join(' ')}`);
	const state = (flags.state ?? 'open') as ConnState;
	if (!STATES.includes(state)) usage(`--state: "${flags.state}" is not one of open, closed, all`);
	if ((sort === 'stop' || sort === 'reason') && state !== 'closed') usage(`--sort ${sort} needs --state closed`);

	const intervalSeconds = number('--interval (-d)', flags.interval, {min: 0.1, what: 'seconds between refreshes, at least 0.1'}) ?? 1;
	const timeoutSeconds = number('--timeout', flags.timeout, {min: 0.1, what: 'seconds per request'}) ?? 5;
	const rows = number('--rows (-n)', flags.rows, {min: 1, integer: true, what: 'connections to fetch'});
	const refreshes = number('--refreshes (-r)', flags.refreshes, {min: 1, integer: true, what: 'snapshots before exiting'});
	for (const [flag, value] of [['--account', flags.account], ['--user', flags.user], ['--subject', flags.subject]] as const) {
		if (value !== undefined && value.trim() === '') usage(`${flag} needs a value`);
	}
	if (flags.subject !== undefined && /\s/.test(flags.subject)) usage('--subject: a subject has no spaces');
	if (flags.json && flags.delimiter !== undefined) usage('--json and --delimiter are two output formats; pick one');
	if (flags.delimiter === '') usage('--delimiter needs a value, e.g. --delimiter ,');
	if (flags.output === '') usage('--output (-o) needs a file name, or - for stdout');

	const file = flags.output !== undefined && flags.output !== '-' ? flags.output : undefined;
	let output: OutputMode | undefined;
	if (flags.json) output = {kind: 'json', file};
	else if (flags.delimiter !== undefined) output = {kind: 'delimited', delimiter: flags.delimiter, file};
	else if (flags.once || flags.output !== undefined || refreshes !== undefined) output = {kind: 'text', file};

	return {
		urls: [address.url],
		tls: {ca: flags.tlsca, cert: flags.tlscert, key: flags.tlskey, insecure: flags.insecure},
		intervalMs: Math.round(intervalSeconds * 1000),
		timeoutMs: Math.round(timeoutSeconds * 1000),
		sort,
		reverse: flags.reverse,
		rows,
		state,
		account: flags.account,
		user: flags.user,
		subject: flags.subject,
		output,
		refreshes,
		rawNumbers: flags.raw,
		lookup: flags.lookup,
		showSubs: flags.subs,
	};
}
