// nats CLI contexts, read the way the nats CLI stores them (ADR-21, jsm.go natscontext):
//   $XDG_CONFIG_HOME/nats/context.txt        the selected context's name (default ~/.config)
//   $XDG_CONFIG_HOME/nats/context/NAME.json  its settings
// Which one: --context NAME, else NATS_CONTEXT, else the selected one (unless --no-context).
// Values stay as written here (env://, file:// are resolved later, with the other sources).
import {readFileSync} from '../node-fs.js';
import {join} from 'node:path';
import {ConfigError, unreadable} from './errors.js';

/** The context fields natscope uses (the nats CLI has more; they are ignored). */
export type ContextSettings = {
	description?: string;
	url?: string;
	user?: string;
	password?: string;
	token?: string;
	creds?: string;
	nkey?: string;
	cert?: string;
	key?: string;
	ca?: string;
	inbox_prefix?: string;
	tls_first?: boolean;
};

const STRING_FIELDS = ['description', 'url', 'user', 'password', 'token', 'creds', 'nkey', 'cert', 'key', 'ca', 'inbox_prefix'] as const;

export type ContextHow = 'flag' | 'env' | 'selected';

export type LoadedContext = {
	name: string;
	file: string;
	/** How it was chosen: --context, NATS_CONTEXT, or context.txt. */
	how: ContextHow;
	settings: ContextSettings;
};

type Env = NodeJS.ProcessEnv;

/** $XDG_CONFIG_HOME/nats, else $HOME/.config/nats; undefined when neither is set. */
export function natsConfigDir(env: Env): string | undefined {
	const xdg = env['XDG_CONFIG_HOME'];
	if (xdg) return join(xdg, 'nats');
	const home = env['HOME'];
	if (home) return join(home, '.config', 'nats');
	return undefined;
}

/** A context name is a file name: no path separators, no "..". */
export function checkContextName(name: string, from: string): void {
	if (name.trim() === '') throw new ConfigError(`${from}: empty context name`);
	if (name.includes('/') || name.includes('\\') || name.includes('..') || name.includes('\0')) {
		throw new ConfigError(`${from}: bad context name "${name}": a name can not contain / \\ or ..`);
	}
}

/** The name in context.txt, or undefined when none is selected (no file, or an empty one). */
export function selectedContextName(env: Env): {name: string; file: string} | undefined {
	const dir = natsConfigDir(env);
	if (!dir) return undefined;
	const file = join(dir, 'context.txt');
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw new ConfigError(`the selected nats context: ${file}: ${unreadable(error)}`);
	}
	const name = text.trim();
	return name === '' ? undefined : {name, file};
}

/** Line and column of a JSON.parse "at position N" (the message itself may quote the file). */
function jsonPosition(text: string, error: unknown): string {
	const match = /position (\d+)/.exec(error instanceof Error ? error.message : '');
	if (!match) return '';
	const before = text.slice(0, Number(match[1]));
	const line = before.split('\n').length;
	const column = before.length - before.lastIndexOf('\n');
	return ` (line ${line}, column ${column})`;
}

/** Read and check one context file. */
export function loadContext(name: string, how: ContextHow, env: Env): LoadedContext {
	const from = how === 'flag' ? '--context' : how === 'env' ? 'NATS_CONTEXT' : 'the selected nats context';
	checkContextName(name, from);
	const dir = natsConfigDir(env);
	if (!dir) throw new ConfigError(`${from} ${name}: neither XDG_CONFIG_HOME nor HOME is set, so there is no nats config directory`);
	const file = join(dir, 'context', `${name}.json`);
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') throw new ConfigError(`${from}: unknown context "${name}" (no file ${file})`);
		throw new ConfigError(`context ${name}: ${file}: ${unreadable(error)}`);
	}
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch (error) {
		throw new ConfigError(`context ${name}: ${file} is not valid JSON${jsonPosition(text, error)}`);
	}
	if (typeof json !== 'object' || json === null || Array.isArray(json)) {
		throw new ConfigError(`context ${name}: ${file} must hold a JSON object`);
	}
	const raw = json as Record<string, unknown>;
	const settings: ContextSettings = {};
	for (const field of STRING_FIELDS) {
		const value = raw[field];
		if (value === undefined || value === null || value === '') continue;
		if (typeof value !== 'string') throw new ConfigError(`context ${name}: ${file}: "${field}" must be a string`);
		settings[field] = value;
	}
	const tlsFirst = raw['tls_first'];
	if (tlsFirst !== undefined && tlsFirst !== null) {
		if (typeof tlsFirst !== 'boolean') throw new ConfigError(`context ${name}: ${file}: "tls_first" must be true or false`);
		settings.tls_first = tlsFirst;
	}
	return {name, file, how, settings};
}

/**
 * The context in effect: --context, else NATS_CONTEXT, else the selected one; none with
 * --no-context (which still lets an explicit --context through).
 */
export function findContext(options: {flag?: string; skipSelected: boolean}, env: Env): LoadedContext | undefined {
	if (options.flag !== undefined) return loadContext(options.flag, 'flag', env);
	if (options.skipSelected) return undefined;
	const fromEnv = env['NATS_CONTEXT'];
	if (fromEnv !== undefined && fromEnv.trim() !== '') return loadContext(fromEnv.trim(), 'env', env);
	const selected = selectedContextName(env);
	if (selected) return loadContext(selected.name, 'selected', env);
	return undefined;
}

/** How explain and messages name a context's values: `context prod` (its file is shown once, on the context line). */
export function contextLabel(context: LoadedContext): string {
	return `context ${context.name}`;
}
