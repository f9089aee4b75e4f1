// Who we will be over NATS, checked before the first request: an nkey seed must be a user seed
// (SU…), a creds file must hold a user JWT and the seed that belongs to it. Problems that make a
// login impossible are ConfigErrors naming the file and what is wrong (never its contents);
// things the server may still accept, or that only put the secret at risk, are warnings.
import {readFileSync, statSync} from '../node-fs.js';
import type {NatsIdentity} from './types.js';
import {ConfigError, unreadable} from './errors.js';

// nkeys.js (~15 ms to load) is needed only to check a seed, which most runs never have: it is
// loaded on demand. Checks stay synchronous, so parseCli stays synchronous: a check that meets a
// seed before loadNkeys() has run throws NkeysNotLoaded, and parseCommandLine (config/flags.ts)
// loads nkeys.js and parses again.
let nkeys: typeof import('nkeys.js') | undefined;

/** Loads nkeys.js for the seed checks; once, however often it is called. */
export async function loadNkeys(): Promise<void> {
	nkeys ??= await import('nkeys.js');
}

/** Thrown by a seed check before loadNkeys() has run. */
export class NkeysNotLoaded extends Error {
	constructor() {
		super('internal: checking an nkey seed needs nkeys.js; await loadNkeys() first');
		this.name = 'NkeysNotLoaded';
	}
}

/** How soon an expiry is worth a warning. */
export const EXPIRY_WARNING_MS = 7 * 24 * 3600 * 1000;

export type SeedCheck = {seed: string; publicKey: string};

const KEY_KIND: Record<string, string> = {
	U: 'user',
	A: 'account',
	O: 'operator',
	N: 'server',
	C: 'cluster',
	X: 'curve (xkey)',
};

const BLOCK = /-{3,}([^\n]*?)-{3,}\r?\n([\s\S]*?)\r?\n\s*-{3,}[^\n]*-{3,}/g;

type Block = {header: string; body: string};

function blocks(text: string): Block[] {
	return [...text.matchAll(BLOCK)].map(m => ({header: (m[1] ?? '').toUpperCase(), body: (m[2] ?? '').trim()}));
}

/** The seed-looking token of a seed file: a decorated seed block, else the first non-empty line. */
function seedCandidate(text: string): string {
	const found = blocks(text);
	const block = found.find(b => b.header.includes('SEED')) ?? found.find(b => b.body.startsWith('S'));
	if (block) return block.body;
	return text.split(/\r?\n/).map(line => line.trim()).find(line => line !== '') ?? '';
}

/** Check that `text` is (or holds) an nkey user seed; `where` names it in messages. */
export function checkSeedText(text: string, where: string): SeedCheck {
	if (/BEGIN NATS USER JWT/i.test(text)) {
		throw new ConfigError(`${where} is a creds file (it holds a user JWT): give it with --creds, not --nkey`);
	}
	const token = seedCandidate(text);
	if (token === '') throw new ConfigError(`${where} is empty: it should hold an nkey user seed (SU…)`);
	if (/^[UAONCX][A-Z2-7]{55}$/.test(token)) {
		const kind = KEY_KIND[token[0]!] ?? 'public';
		throw new ConfigError(`${where} holds a${kind === 'account' || kind === 'operator' ? 'n' : ''} ${kind} public key (${token[0]}…), not a seed: a user seed starts with SU`);
	}
	if (!token.startsWith('S')) {
		throw new ConfigError(`${where} does not hold an nkey seed (a user seed is one line starting with SU)`);
	}
	if (!nkeys) throw new NkeysNotLoaded();
	let publicKey: string;
	try {
		publicKey = nkeys.fromSeed(new TextEncoder().encode(token)).getPublicKey();
	} catch {
		throw new ConfigError(`${where} is not a valid nkey seed (bad encoding or checksum): check that it was copied whole`);
	}
	if (!publicKey.startsWith('U')) {
		const kind = KEY_KIND[publicKey[0]!] ?? 'non-user';
		const article = kind === 'account' || kind === 'operator' ? 'an' : 'a';
		throw new ConfigError(`${where} holds ${article} ${kind} seed (S${publicKey[0]}…), not a user seed: natscope logs in as a user (SU…)`);
	}
	return {seed: token, publicKey};
}

function readSecretFile(path: string, label: string): string {
	try {
		return readFileSync(path, 'utf8');
	} catch (error) {
		throw new ConfigError(`${label} ${path}: ${unreadable(error)}`);
	}
}

/** A warning when others on this machine can read the file (mode o+r). */
export function worldReadableWarning(path: string, what: string): string | undefined {
	try {
		const mode = statSync(path).mode;
		if ((mode & 0o004) !== 0) return `${what} ${path} is readable by every user (chmod 600 it)`;
	} catch {
		// already reported by the read, or gone since: nothing to add
	}
	return undefined;
}

/** --nkey FILE (or a seed from env:// / data:): the seed and its public key, plus warnings. */
export function checkSeedFile(path: string, label: string): SeedCheck & {warnings: string[]} {
	const text = readSecretFile(path, label);
	const check = checkSeedText(text, `${label} ${path}`);
	const warning = worldReadableWarning(path, 'seed file');
	return {...check, warnings: warning ? [warning] : []};
}

type Claims = {sub?: unknown; iss?: unknown; exp?: unknown; nbf?: unknown; nats?: {type?: unknown; issuer_account?: unknown}};

function decodeClaims(jwt: string): Claims | undefined {
	const parts = jwt.split('.');
	if (parts.length !== 3 || !parts[1]) return undefined;
	try {
		const claims: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
		return typeof claims === 'object' && claims !== null && !Array.isArray(claims) ? (claims as Claims) : undefined;
	} catch {
		return undefined;
	}
}

function utc(ms: number): string {
	return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function inWords(ms: number): string {
	const hours = ms / 3_600_000;
	if (hours < 1) return `${Math.max(1, Math.round(ms / 60_000))} min`;
	if (hours < 48) return `${Math.round(hours)} h`;
	return `${Math.round(hours / 24)} days`;
}

/** Warnings about a user JWT's validity window at `now` (epoch ms). */
export function expiryWarnings(claims: {exp?: number; nbf?: number}, now: number): string[] {
	const warnings: string[] = [];
	if (claims.exp !== undefined) {
		const at = claims.exp * 1000;
		if (at <= now) warnings.push(`user JWT expired ${utc(at)}: the server will refuse it`);
		else if (at - now <= EXPIRY_WARNING_MS) warnings.push(`user JWT expires in ${inWords(at - now)} (${utc(at)})`);
	}
	if (claims.nbf !== undefined && claims.nbf * 1000 > now) warnings.push(`user JWT is not valid before ${utc(claims.nbf * 1000)}`);
	return warnings;
}

function short(key: string): string {
	return key.length > 12 ? `${key.slice(0, 6)}…${key.slice(-4)}` : key;
}

/**
 * The identity in a creds file's text: the user JWT (sub = user, issuer_account or iss =
 * account, exp) and the seed, which must belong to the JWT's user.
 */
export function inspectCreds(text: string, where: string, now: number): NatsIdentity {
	const found = blocks(text);
	const jwtBlock = found.find(b => b.header.includes('JWT')) ?? found[0];
	const seedBlock = found.find(b => b.header.includes('SEED')) ?? (found.length > 1 ? found[1] : undefined);
	if (!jwtBlock || jwtBlock.body === '' || jwtBlock === seedBlock) {
		if (/^\s*SU[A-Z2-7]+\s*$/.test(text)) throw new ConfigError(`${where} holds a bare nkey seed, not a creds file: give it with --nkey`);
		throw new ConfigError(`${where} is not a creds file: it has no "BEGIN NATS USER JWT" block (make one with nsc generate creds)`);
	}
	const claims = decodeClaims(jwtBlock.body);
	if (!claims) throw new ConfigError(`${where}: the user JWT cannot be decoded (it should be three base64url parts)`);
	const type = claims.nats?.type;
	if (typeof type === 'string' && type !== 'user') throw new ConfigError(`${where} holds ${type === 'account' || type === 'operator' ? 'an' : 'a'} ${type} JWT, not a user JWT`);
	if (typeof claims.sub !== 'string' || !/^U[A-Z2-7]{55}$/.test(claims.sub)) {
		throw new ConfigError(`${where}: the JWT's subject is not a user public key (U…)`);
	}
	if (!seedBlock || seedBlock.body === '') throw new ConfigError(`${where} has no seed block ("BEGIN USER NKEY SEED"): the login needs it to sign`);
	const seed = checkSeedText(seedBlock.body, `the seed in ${where}`);
	if (seed.publicKey !== claims.sub) {
		throw new ConfigError(`the seed in ${where} does not belong to the JWT's user (the seed is ${short(seed.publicKey)}, the JWT names ${short(claims.sub)})`);
	}
	const issuerAccount = claims.nats?.issuer_account;
	const account = typeof issuerAccount === 'string' && issuerAccount !== '' ? issuerAccount : typeof claims.iss === 'string' ? claims.iss : undefined;
	const exp = typeof claims.exp === 'number' && claims.exp > 0 ? claims.exp : undefined;
	const nbf = typeof claims.nbf === 'number' && claims.nbf > 0 ? claims.nbf : undefined;
	const identity: NatsIdentity = {userPublicKey: claims.sub, warnings: expiryWarnings({exp, nbf}, now)};
	if (account !== undefined) identity.account = account;
	if (exp !== undefined) identity.jwtExpiresAt = exp * 1000;
	return identity;
}

/** --creds FILE: read, check, and warn when others can read it. */
export function checkCredsFile(path: string, label: string, now: number): NatsIdentity {
	const text = readSecretFile(path, label);
	const identity = inspectCreds(text, `${label} ${path}`, now);
	const warning = worldReadableWarning(path, 'creds file');
	if (warning) identity.warnings.push(warning);
	return identity;
}
