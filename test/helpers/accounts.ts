// Server configuration text for system-account tests: config-mode accounts (users and nkeys
// listed in the file) and decentralized JWT mode (an operator, accounts and users minted here
// with nkeys.js, JWTs encoded and signed here, accounts preloaded into a MEMORY resolver).
import {createHash, randomBytes} from 'node:crypto';
import {chmod, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {createAccount, createOperator, createUser, type KeyPair} from 'nkeys.js';
import {freePorts} from './ports.js';
import {startServer, type NatsServer} from './server.js';
import {waitFor} from './wait.js';

/**
 * An nkey seed of any kind as a whole word: S, its type letter and 56 base32 characters. Public
 * keys are base32 too, and "SU" inside one is followed by 50 more now and then.
 */
export const NKEY_SEED = /(?<![A-Z2-7])S[A-Z][A-Z2-7]{56}(?![A-Z2-7])/;

export type PasswordUser = {user: string; password: string};
export type NkeyUser = {publicKey: string; seed: string};

export type ConfigModeAccounts = {
	/** accounts { SYS … APP … } + system_account: SYS, ready to append to a server config. */
	configText: string;
	users: {
		/** user/password in SYS. */
		sys: PasswordUser;
		/** nkey user in SYS. */
		sysNkey: NkeyUser;
		/** user/password in SYS that may not publish to $SYS.REQ.> (permissions violation). */
		sysDenied: PasswordUser;
		/** user/password in APP (not the system account). */
		app: PasswordUser;
		/** nkey user in APP. */
		appNkey: NkeyUser;
	};
};

function secret(): string {
	return randomBytes(12).toString('hex');
}

function nkeyUser(): NkeyUser {
	const kp = createUser();
	return {publicKey: kp.getPublicKey(), seed: new TextDecoder().decode(kp.getSeed())};
}

/**
 * Config-mode accounts. nats-server 2.9.10 allows user/password and nkey users inside accounts;
 * a token cannot be combined with accounts at all ("Can not have a token and accounts"), so
 * token logins are only possible on a server without accounts (see tokenConfig).
 */
export function configModeAccounts(options: {noAuthUser?: boolean; /** JetStream for APP, its advisories exported to SYS. */ appJetStream?: boolean} = {}): ConfigModeAccounts {
	const users = {
		sys: {user: 'sys', password: secret()},
		sysNkey: nkeyUser(),
		sysDenied: {user: 'sysdenied', password: secret()},
		app: {user: 'app', password: secret()},
		appNkey: nkeyUser(),
	};
	const configText = [
		'accounts {',
		'  SYS {',
		'    users: [',
		`      {user: "${users.sys.user}", password: "${users.sys.password}"}`,
		`      {nkey: "${users.sysNkey.publicKey}"}`,
		`      {user: "${users.sysDenied.user}", password: "${users.sysDenied.password}", permissions: {publish: {deny: ["$SYS.REQ.>"]}}}`,
		'    ]',
		...(options.appJetStream ? ['    imports: [ {stream: {account: APP, subject: "$JS.EVENT.ADVISORY.>"}} ]'] : []),
		'  }',
		'  APP {',
		...(options.appJetStream ? ['    jetstream: enabled', '    exports: [ {stream: "$JS.EVENT.ADVISORY.>"} ]'] : []),
		'    users: [',
		`      {user: "${users.app.user}", password: "${users.app.password}"}`,
		`      {nkey: "${users.appNkey.publicKey}"}`,
		'    ]',
		'  }',
		'}',
		'system_account: SYS',
		// Clients without credentials (test load, raw sockets) land in APP.
		...(options.noAuthUser ? [`no_auth_user: "${users.app.user}"`] : []),
	].join('\n');
	return {configText, users};
}

/** A server with only a token (the global account; its users are not in the system account). */
export function tokenConfig(): {configText: string; token: string} {
	const token = secret();
	return {configText: `authorization {\n  token: "${token}"\n}`, token};
}

// --- JWT ------------------------------------------------------------------------------------

function b64url(data: Uint8Array | string): string {
	return Buffer.from(typeof data === 'string' ? Buffer.from(data, 'utf8') : data).toString('base64url');
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding (what nats-io/jwt uses for jti). */
function base32(bytes: Uint8Array): string {
	let bits = 0;
	let value = 0;
	let out = '';
	for (const byte of bytes) {
		value = (value << 8) | byte;
		bits += 8;
		while (bits >= 5) {
			out += BASE32[(value >>> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
	return out;
}

export type JwtBase = {name: string; sub: string; exp?: number};

/**
 * Encode and sign a NATS JWT (v2): header {typ, alg: ed25519-nkey}; claims with jti = base32 of
 * SHA-512/256 over the standard claims without jti; signature = ed25519 over "header.payload".
 */
export function encodeJwt(base: JwtBase, nats: Record<string, unknown>, signer: KeyPair): string {
	const header = {typ: 'JWT', alg: 'ed25519-nkey'};
	// The standard claims in the order Go marshals them (aud, exp, jti, iat, iss, name, nbf, sub).
	const standard: Record<string, unknown> = {};
	if (base.exp !== undefined) standard['exp'] = base.exp;
	standard['iat'] = Math.floor(Date.now() / 1000);
	standard['iss'] = signer.getPublicKey();
	standard['name'] = base.name;
	standard['sub'] = base.sub;
	const jti = base32(createHash('sha512-256').update(JSON.stringify(standard)).digest());
	const claims: Record<string, unknown> = {};
	if (base.exp !== undefined) claims['exp'] = base.exp;
	Object.assign(claims, {jti, iat: standard['iat'], iss: standard['iss'], name: base.name, sub: base.sub, nats: {...nats, version: 2}});
	const signing = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
	const signature = signer.sign(new TextEncoder().encode(signing));
	return `${signing}.${b64url(signature)}`;
}

/** The standard .creds text: the user JWT block, then the seed block. */
export function credsText(jwt: string, seed: string): string {
	return [
		'-----BEGIN NATS USER JWT-----',
		jwt,
		'------END NATS USER JWT------',
		'',
		'************************* IMPORTANT *************************',
		'NKEY Seed printed below can be used to sign and prove identity.',
		'NKEYs are sensitive and should be treated as secrets.',
		'',
		'-----BEGIN USER NKEY SEED-----',
		seed,
		'------END USER NKEY SEED------',
		'',
		'*************************************************************',
		'',
	].join('\n');
}

export type JwtUser = {name: string; account: 'SYS' | 'APP'; publicKey: string; seed: string; jwt: string; creds: string; expiresAt?: number};

export type JwtAccounts = {
	/** operator / system_account / resolver MEMORY / resolver_preload, ready to append. */
	configText: string;
	operator: {publicKey: string; jwt: string};
	accounts: {SYS: {publicKey: string; jwt: string}; APP: {publicKey: string; jwt: string}};
	users: {sys: JwtUser; app: JwtUser};
	/** Mint another user with a creds file in `dir`; `expiresAt` in epoch seconds (past = expired). */
	mintUser(options: {name: string; account: 'SYS' | 'APP'; expiresAt?: number}): Promise<JwtUser>;
};

const UNLIMITED_ACCOUNT = {subs: -1, data: -1, payload: -1, imports: -1, exports: -1, wildcards: true, conn: -1, leaf: -1};

/** Decentralized JWT mode with an operator, SYS and APP accounts and one user in each. */
export async function jwtModeAccounts(dir: string): Promise<JwtAccounts> {
	const operator = createOperator();
	const keys = {SYS: createAccount(), APP: createAccount()};
	const sysKey = keys.SYS.getPublicKey();
	const operatorJwt = encodeJwt({name: 'natscope-test-operator', sub: operator.getPublicKey()}, {type: 'operator', system_account: sysKey}, operator);
	const accountJwt = (name: 'SYS' | 'APP'): string =>
		encodeJwt({name, sub: keys[name].getPublicKey()}, {type: 'account', limits: UNLIMITED_ACCOUNT, default_permissions: {pub: {}, sub: {}}}, operator);
	const accounts = {
		SYS: {publicKey: sysKey, jwt: accountJwt('SYS')},
		APP: {publicKey: keys.APP.getPublicKey(), jwt: accountJwt('APP')},
	};

	const mintUser = async (options: {name: string; account: 'SYS' | 'APP'; expiresAt?: number}): Promise<JwtUser> => {
		const kp = createUser();
		const publicKey = kp.getPublicKey();
		const seed = new TextDecoder().decode(kp.getSeed());
		const jwt = encodeJwt(
			{name: options.name, sub: publicKey, exp: options.expiresAt},
			{type: 'user', pub: {}, sub: {}, subs: -1, data: -1, payload: -1},
			keys[options.account],
		);
		const creds = join(dir, `${options.name}.creds`);
		await writeFile(creds, credsText(jwt, seed), {mode: 0o600});
		await chmod(creds, 0o600);
		return {name: options.name, account: options.account, publicKey, seed, jwt, creds, expiresAt: options.expiresAt};
	};

	const users = {sys: await mintUser({name: 'sys-user', account: 'SYS'}), app: await mintUser({name: 'app-user', account: 'APP'})};
	const configText = [
		`operator: "${operatorJwt}"`,
		`system_account: "${sysKey}"`,
		'resolver: MEMORY',
		'resolver_preload: {',
		`  ${accounts.SYS.publicKey}: "${accounts.SYS.jwt}"`,
		`  ${accounts.APP.publicKey}: "${accounts.APP.jwt}"`,
		'}',
	].join('\n');
	return {configText, operator: {publicKey: operator.getPublicKey(), jwt: operatorJwt}, accounts, users, mintUser};
}

/**
 * A cluster of `size` routed servers sharing extra config text (accounts, operator, …); ready
 * when every node has routes to all the others. (startCluster in server.ts takes no config.)
 */
export async function startConfiguredCluster(size: number, config: string, name = 'natscope-sys'): Promise<NatsServer[]> {
	const clusterPorts = await freePorts(size);
	const routes = clusterPorts.map(p => `nats-route://127.0.0.1:${p}`);
	const started = await Promise.allSettled(
		clusterPorts.map((port, i) => startServer({name: `${name}-${i + 1}`, config, cluster: {name, port, routes: routes.filter((_, j) => j !== i)}})),
	);
	const nodes = started.flatMap(r => (r.status === 'fulfilled' ? [r.value] : []));
	const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
	if (failed) {
		await Promise.all(nodes.map(n => n.stop()));
		throw failed.reason;
	}
	await Promise.all(nodes.map(node => routed(node, size - 1)));
	return nodes;
}

/** Wait until `node` has at least `peers` routes (after a start or a restart). */
export async function routed(node: NatsServer, peers: number, timeoutMs = 20_000): Promise<void> {
	await waitFor(
		async () => {
			const response = await fetch(`${node.monitorUrl}/routez`, {signal: AbortSignal.timeout(2000)});
			const body = (await response.json()) as {num_routes?: number};
			return (body.num_routes ?? 0) >= peers;
		},
		{timeoutMs, what: `${node.name} routed to ${peers} peers`},
	);
}
