// Credential references as the nats CLI (jsm.go natscontext) resolves them:
// - password and token are literals unless they start with a known scheme: env://NAME (the
//   variable's value), file://PATH (the file's contents, trailing newlines dropped), data:;base64,…
// - creds and nkey name a file (a bare path or file://PATH, with ~ and $VAR expanded) or carry
//   the material itself (env://NAME, data:;base64,…);
// - cert, key and ca are paths only (file:// allowed).
// op:// and nsc:// make the nats CLI run another program; natscope does not, and says so.
import {readFileSync} from '../node-fs.js';
import {ConfigError, unreadable} from './errors.js';

type Env = NodeJS.ProcessEnv;

/** The scheme of a reference ("env", "file", "data", …), lower case; undefined for plain text. */
export function refScheme(value: string): string | undefined {
	// Two letters at least, so a Windows drive letter (C:\…) is a path, as in natscontext.
	const match = /^([A-Za-z][A-Za-z0-9+.-]+):/.exec(value);
	return match ? match[1]!.toLowerCase() : undefined;
}

const EXTERNAL = new Set(['op', 'nsc']);

/** $VAR and ${VAR} from `env` (unset = empty, like Go's os.ExpandEnv), then a leading ~. */
export function expandPath(path: string, env: Env): string {
	const expanded = path.replace(/\$(?:\{([^}]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_, braced: string | undefined, bare: string | undefined) => env[braced ?? bare ?? ''] ?? '');
	const home = env['HOME'];
	if (home && (expanded === '~' || expanded.startsWith('~/'))) return home + expanded.slice(1);
	return expanded;
}

function fromEnv(ref: string, env: Env, label: string): string {
	const name = ref.slice('env://'.length);
	if (name === '') throw new ConfigError(`${label}: env:// names no variable`);
	const value = env[name];
	if (value === undefined) throw new ConfigError(`${label}: ${ref} names a variable that is not set`);
	if (value === '') throw new ConfigError(`${label}: ${ref} names an empty variable`);
	return value;
}

function fromData(ref: string, label: string): string {
	const match = /^data:([^,]*),(.*)$/s.exec(ref);
	if (!match) throw new ConfigError(`${label}: malformed data: reference (expected data:;base64,…)`);
	const base64 = match[1]!.split(';').includes('base64');
	try {
		return base64 ? Buffer.from(match[2]!, 'base64').toString('utf8') : decodeURIComponent(match[2]!);
	} catch {
		throw new ConfigError(`${label}: the data: reference does not decode`);
	}
}

function external(scheme: string, label: string): never {
	const tool = scheme === 'op' ? 'the 1Password CLI (op)' : 'nsc';
	throw new ConfigError(`${label}: ${scheme}:// references make the nats CLI run ${tool}; natscope does not: use a file, file:// or env://`);
}

function readText(path: string, label: string): string {
	try {
		return readFileSync(path, 'utf8');
	} catch (error) {
		throw new ConfigError(`${label}: ${path}: ${unreadable(error)}`);
	}
}

/** A password or token: literal, or resolved from env://, file:// or data:. */
export function resolveLiteral(value: string, env: Env, label: string): string {
	const scheme = refScheme(value);
	if (scheme === 'env' && value.startsWith('env://')) return fromEnv(value, env, label).replace(/[\r\n]+$/, '');
	if (scheme === 'file' && value.startsWith('file://')) return readText(expandPath(value.slice('file://'.length), env), label).replace(/[\r\n]+$/, '');
	if (scheme === 'data') return fromData(value, label).replace(/[\r\n]+$/, '');
	if (scheme !== undefined && EXTERNAL.has(scheme) && value.startsWith(`${scheme}://`)) external(scheme, label);
	return value;
}

/** Where creds or a seed come from: a file, or the material itself (from env:// or data:). */
export type MaterialRef = {kind: 'file'; path: string} | {kind: 'inline'; text: string; from: string};

export function resolveMaterial(value: string, env: Env, label: string): MaterialRef {
	const scheme = refScheme(value);
	if (scheme === 'env' && value.startsWith('env://')) return {kind: 'inline', text: fromEnv(value, env, label), from: value};
	if (scheme === 'data') return {kind: 'inline', text: fromData(value, label), from: 'a data: reference'};
	if (scheme !== undefined && EXTERNAL.has(scheme)) external(scheme, label);
	const path = scheme === 'file' && value.startsWith('file://') ? value.slice('file://'.length) : value;
	if (path.trim() === '') throw new ConfigError(`${label}: empty file name`);
	return {kind: 'file', path: expandPath(path, env)};
}

/** A TLS file (cert, key, ca): a path or file://PATH; other schemes are refused. */
export function resolveTlsPath(value: string, env: Env, label: string): string {
	const scheme = refScheme(value);
	if (scheme === 'file' && value.startsWith('file://')) return expandPath(value.slice('file://'.length), env);
	if (scheme !== undefined && value.includes('://')) throw new ConfigError(`${label}: ${scheme}:// is not supported here; give a file path`);
	return expandPath(value, env);
}
