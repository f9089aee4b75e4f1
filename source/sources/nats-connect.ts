// NatsTarget → nats.js ConnectionOptions. Secrets go only into the options object (never into
// a message): a bad seed or creds file is reported by its path and what is wrong with it.
import {readFileSync} from '../node-fs.js';
import {credsAuthenticator, nkeyAuthenticator, type ConnectionOptions, type TlsOptions} from 'nats';
import {fromSeed} from 'nkeys.js';
import type {NatsTarget} from '../config/types.js';
import {sanitizeText} from '../model/sanitize.js';
import {SourceError} from './types.js';

/** What a .creds file holds (the seed stays in memory only as long as the options need it). */
export type CredsContents = {jwt: string; seed: string; bytes: Uint8Array};

const BLOCK = /-{3,}[^\n]*-{3,}\r?\n([\s\S]*?)\r?\n\s*-{3,}[^\n]*-{3,}/g;

function why(error: unknown): string {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	if (code === 'ENOENT') return 'no such file';
	if (code === 'EACCES') return 'permission denied';
	if (code === 'EISDIR') return 'is a directory';
	return code ?? 'unreadable';
}

function shownPath(path: string): string {
	return sanitizeText(path, 256);
}

/** Throws SourceError('auth') naming what is wrong with the seed (never the seed itself). */
function checkSeed(seed: string, where: string): void {
	const trimmed = seed.trim();
	if (!trimmed.startsWith('SU')) {
		throw new SourceError(
			'auth',
			`${where} is not an nkey user seed`,
			trimmed.startsWith('SA') || trimmed.startsWith('SO') ? 'this is an account or operator seed: use the seed of a user (it starts with SU)' : 'a user seed starts with SU',
		);
	}
	try {
		fromSeed(new TextEncoder().encode(trimmed));
	} catch {
		throw new SourceError('auth', `${where} is not valid (bad encoding or checksum)`, 'check that the seed was copied whole');
	}
}

/** Read and check a .creds file: the JWT block, then the seed block. */
export function readCreds(path: string): CredsContents {
	let bytes: Uint8Array;
	try {
		bytes = readFileSync(path);
	} catch (error) {
		throw new SourceError('auth', `cannot read creds file ${shownPath(path)}: ${why(error)}`, 'check the path and its permissions');
	}
	const text = new TextDecoder().decode(bytes);
	const blocks = [...text.matchAll(BLOCK)].map(m => (m[1] ?? '').trim());
	const [jwt, seed] = blocks;
	if (!jwt || !seed || jwt.split('.').length !== 3) {
		throw new SourceError('auth', `creds file ${shownPath(path)} does not hold a user JWT and a seed`, 'a .creds file has a "BEGIN NATS USER JWT" block and a "BEGIN USER NKEY SEED" block (nsc generate creds)');
	}
	checkSeed(seed, `the seed in ${shownPath(path)}`);
	return {jwt, seed, bytes};
}

/** The `exp` claim of a JWT as epoch ms, undefined when it has none or cannot be read. */
export function jwtExpiry(jwt: string): number | undefined {
	const payload = jwt.split('.')[1];
	if (!payload) return undefined;
	try {
		const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {exp?: unknown};
		return typeof claims.exp === 'number' && claims.exp > 0 ? claims.exp * 1000 : undefined;
	} catch {
		return undefined;
	}
}

function wantsTls(target: NatsTarget): boolean {
	const tls = target.tls;
	return Boolean(tls.ca || tls.cert || tls.key || tls.first || tls.insecure) || target.servers.some(s => /^tls:\/\//i.test(s));
}

export function natsConnectOptions(target: NatsTarget, timeoutMs: number): ConnectionOptions {
	const options: ConnectionOptions = {
		servers: target.servers,
		name: 'natscope',
		timeout: timeoutMs,
		reconnect: true,
		maxReconnectAttempts: -1,
		reconnectTimeWait: 1000,
		// Notice a silent network failure within ~30 s (a killed server closes the socket at once).
		pingInterval: 10_000,
		maxPingOut: 3,
	};
	if (target.inboxPrefix) options.inboxPrefix = target.inboxPrefix;
	const auth = target.auth;
	switch (auth.kind) {
		case 'none':
			break;
		case 'user-password':
			options.user = auth.user;
			options.pass = auth.password;
			break;
		case 'token':
			options.token = auth.token;
			break;
		case 'nkey':
			checkSeed(auth.seed, auth.file ? `the nkey seed in ${shownPath(auth.file)}` : 'the nkey seed');
			options.authenticator = nkeyAuthenticator(new TextEncoder().encode(auth.seed.trim()));
			break;
		case 'creds': {
			const creds = readCreds(auth.file);
			options.authenticator = credsAuthenticator(creds.bytes);
			break;
		}
	}
	if (wantsTls(target)) {
		// nats.js passes unknown keys on to tls.connect, so rejectUnauthorized reaches Node.
		const tls: TlsOptions & {rejectUnauthorized?: boolean} = {};
		if (target.tls.ca) tls.caFile = target.tls.ca;
		if (target.tls.cert) tls.certFile = target.tls.cert;
		if (target.tls.key) tls.keyFile = target.tls.key;
		if (target.tls.first) tls.handshakeFirst = true;
		if (target.tls.insecure) tls.rejectUnauthorized = false;
		options.tls = tls;
	}
	return options;
}
