// The NATS login, TLS and inbox settings from three sources, field by field:
// flag > environment > nats context (credentials inside a URL count at their URL's level).
// The login is the method (user, token, creds, nkey) whose field came from the highest level;
// two methods given as flags are a usage error. Then references resolve (env://, file://) and
// seeds and creds files are checked, so a bad file is reported before any connection.
import type {NatsAuth, NatsIdentity, NatsTarget, TlsConfig} from './types.js';
import type {UrlCredentials} from './address.js';
import {contextLabel, type LoadedContext} from './context.js';
import {natsEnv, NATS_ENV, type NatsEnvField} from './env.js';
import {ConfigError, UsageError} from './errors.js';
import {MASK, type Explanation} from './explain.js';
import {checkCredsFile, checkSeedFile, checkSeedText} from './identity.js';
import {resolveLiteral, resolveMaterial, resolveTlsPath} from './refs.js';

/** 3 = flag (or the address typed), 2 = environment, 1 = context, 0 = default. */
export type Level = 0 | 1 | 2 | 3;

type Sourced = {value: string; origin: string; level: Level};

export type NatsServers = {
	urls: string[];
	/** Where the addresses came from ("the address", "env NATS_URL", "context prod (…)", "default"). */
	origin: string;
	level: Level;
	credentials?: UrlCredentials;
};

/** The NATS flags as given (label = the flag as typed, for messages). */
export type NatsFlags = {
	user?: Sourced;
	password?: Sourced;
	token?: Sourced;
	creds?: Sourced;
	nkey?: Sourced;
	ca?: Sourced;
	cert?: Sourced;
	key?: Sourced;
	inboxPrefix?: Sourced;
	tlsFirst?: {value: boolean; origin: string};
	insecure: boolean;
};

export type NatsInputs = {
	servers: NatsServers;
	flags: NatsFlags;
	env: NodeJS.ProcessEnv;
	context?: LoadedContext;
	/** Epoch ms, for JWT expiry. */
	now: number;
};

type Field = 'user' | 'password' | 'token' | 'creds' | 'nkey' | 'ca' | 'cert' | 'key' | 'inboxPrefix';

const CONTEXT_FIELD: Record<Field, keyof LoadedContext['settings']> = {
	user: 'user',
	password: 'password',
	token: 'token',
	creds: 'creds',
	nkey: 'nkey',
	ca: 'ca',
	cert: 'cert',
	key: 'key',
	inboxPrefix: 'inbox_prefix',
};

const ENV_FIELD: Partial<Record<Field, NatsEnvField>> = {
	user: 'user',
	password: 'password',
	token: 'token',
	creds: 'creds',
	nkey: 'nkey',
	ca: 'ca',
	cert: 'cert',
	key: 'key',
};

function fromUrl(servers: NatsServers, field: Field): Sourced | undefined {
	const credentials = servers.credentials;
	if (!credentials) return undefined;
	const origin = `${servers.origin} (in the URL)`;
	if (credentials.kind === 'token') return field === 'token' ? {value: credentials.token, origin, level: servers.level} : undefined;
	if (field === 'user') return {value: credentials.user, origin, level: servers.level};
	if (field === 'password') return {value: credentials.password, origin, level: servers.level};
	return undefined;
}

/** Every source of one field, highest level first. */
function candidates(inputs: NatsInputs, field: Field): Sourced[] {
	const list: Sourced[] = [];
	const add = (candidate: Sourced | undefined): void => {
		if (candidate && candidate.value !== '') list.push(candidate);
	};
	const url = fromUrl(inputs.servers, field);
	add(inputs.flags[field]);
	if (url?.level === 3) add(url);
	const envField = ENV_FIELD[field];
	if (envField) {
		const value = natsEnv(inputs.env, envField);
		if (value !== undefined) add({value, origin: `env ${NATS_ENV[envField]}`, level: 2});
	}
	if (url?.level === 2) add(url);
	const context = inputs.context;
	if (context) {
		const value = context.settings[CONTEXT_FIELD[field]];
		if (typeof value === 'string') add({value, origin: `${contextLabel(context)}`, level: 1});
	}
	if (url?.level === 1) add(url);
	return list;
}

const SECRET: ReadonlySet<Field> = new Set(['password', 'token']);

function shown(field: Field, value: string): string {
	return SECRET.has(field) ? MASK : value;
}

/** What an origin calls the field in messages: "--creds", "NATS_CREDS", "context prod creds". */
function fieldLabel(candidate: Sourced, field: string): string {
	if (candidate.origin.startsWith('env ')) return candidate.origin.slice(4);
	if (candidate.origin.startsWith('context ')) return `${candidate.origin.split(' (')[0]} "${field}"`;
	return candidate.origin;
}

type Method = 'user' | 'token' | 'creds' | 'nkey';
/** The nats CLI's order when one source gives several logins (jsm.go NATSOptions). */
const METHOD_ORDER: readonly Method[] = ['user', 'creds', 'nkey', 'token'];
const METHOD_NAME: Record<Method, string> = {user: 'user and password', token: 'token', creds: 'creds file', nkey: 'nkey seed'};

export type NatsResolution = {target: NatsTarget; tls: TlsConfig};

/** Build the NatsTarget and add its settings, ignored values and identity to `explain`. */
export function resolveNats(inputs: NatsInputs, explain: Explanation): NatsResolution {
	const {env} = inputs;
	const top = {} as Record<Field, Sourced | undefined>;
	const all = {} as Record<Field, Sourced[]>;
	for (const field of Object.keys(CONTEXT_FIELD) as Field[]) {
		all[field] = candidates(inputs, field);
		top[field] = all[field][0];
	}

	// Two spellings of the same field on the command line (--user and user@ in the address).
	for (const field of ['user', 'password', 'token'] as const) {
		const [first, second] = all[field];
		if (first && second && first.level === 3 && second.level === 3) {
			throw new UsageError(`${first.origin} and ${second.origin} both give the ${field}; give it in one place`);
		}
	}

	const present = METHOD_ORDER.filter(method => top[method] !== undefined);
	let method: Method | undefined;
	if (present.length > 0) {
		const best = Math.max(...present.map(m => top[m]!.level));
		const atBest = present.filter(m => top[m]!.level === best);
		if (best === 3 && atBest.length > 1) {
			throw new UsageError(`${atBest.map(m => top[m]!.origin).join(' and ')} are ${atBest.length} ways to log in; give one`);
		}
		method = atBest[0];
	}

	const password = top.password;
	if (password && password.level === 3 && method !== 'user') {
		if (method !== undefined && top[method]!.level === 3) {
			throw new UsageError(`${password.origin} and ${top[method]!.origin} are two ways to log in; give one`);
		}
		throw new UsageError(`${password.origin} needs a user name: add --user (or put user:password@ in the address)`);
	}

	let auth: NatsAuth = {kind: 'none'};
	let identity: NatsIdentity = {warnings: []};
	const settings = explain.settings;
	const now = inputs.now;

	switch (method) {
		case undefined:
			settings.push({name: 'login', value: 'none (no credentials given)', origin: 'default'});
			break;
		case 'user': {
			const user = top.user!;
			if (password) {
				auth = {kind: 'user-password', user: user.value, password: resolveLiteral(password.value, env, fieldLabel(password, 'password'))};
				settings.push({name: 'login', value: METHOD_NAME.user, origin: ''});
				settings.push({name: 'user', value: user.value, origin: user.origin});
				settings.push({name: 'password', value: MASK, origin: password.origin});
			} else {
				// As the nats CLI does: a user name without a password is sent as a token.
				auth = {kind: 'token', token: resolveLiteral(user.value, env, fieldLabel(user, 'user'))};
				settings.push({name: 'login', value: 'token (a user without a password is sent as a token, as the nats CLI does)', origin: ''});
				settings.push({name: 'user', value: MASK, origin: user.origin});
			}
			break;
		}
		case 'token': {
			const token = top.token!;
			auth = {kind: 'token', token: resolveLiteral(token.value, env, fieldLabel(token, 'token'))};
			settings.push({name: 'login', value: METHOD_NAME.token, origin: ''});
			settings.push({name: 'token', value: MASK, origin: token.origin});
			break;
		}
		case 'nkey': {
			const nkey = top.nkey!;
			const label = fieldLabel(nkey, 'nkey');
			const material = resolveMaterial(nkey.value, env, label);
			settings.push({name: 'login', value: METHOD_NAME.nkey, origin: ''});
			if (material.kind === 'file') {
				const check = checkSeedFile(material.path, label);
				auth = {kind: 'nkey', seed: check.seed, publicKey: check.publicKey, file: material.path};
				identity = {userPublicKey: check.publicKey, warnings: check.warnings};
				settings.push({name: 'nkey', value: material.path, origin: nkey.origin});
			} else {
				const check = checkSeedText(material.text, `${label} (${material.from})`);
				auth = {kind: 'nkey', seed: check.seed, publicKey: check.publicKey};
				identity = {userPublicKey: check.publicKey, warnings: []};
				settings.push({name: 'nkey', value: `${MASK} (${material.from})`, origin: nkey.origin});
			}
			break;
		}
		case 'creds': {
			const creds = top.creds!;
			const label = fieldLabel(creds, 'creds');
			const material = resolveMaterial(creds.value, env, label);
			if (material.kind === 'inline') {
				throw new ConfigError(`${label}: creds given as ${material.from.startsWith('env://') ? 'env://' : 'data:'} are not supported yet; point to a creds file`);
			}
			identity = checkCredsFile(material.path, label, now);
			auth = {kind: 'creds', file: material.path};
			settings.push({name: 'login', value: METHOD_NAME.creds, origin: ''});
			settings.push({name: 'creds', value: material.path, origin: creds.origin});
			break;
		}
	}

	// Everything given that the login does not use.
	const used = new Set<Sourced>();
	if (method === 'user') {
		used.add(top.user!);
		if (password) used.add(password);
	} else if (method) {
		used.add(top[method]!);
	}
	const chosen = method ? top[method === 'user' ? 'user' : method]! : undefined;
	for (const field of ['user', 'password', 'token', 'creds', 'nkey'] as const) {
		for (const candidate of all[field]) {
			if (used.has(candidate)) continue;
			const sameMethod = field === method || (method === 'user' && field === 'password');
			const why = sameMethod
				? `overridden by ${used.has(top[field]!) ? top[field]!.origin : 'a higher source'}`
				: chosen
					? `the login is the ${METHOD_NAME[method!]} from ${chosen.origin}`
					: 'no user name to go with it';
			explain.ignored.push({name: field, value: shown(field, candidate.value), origin: candidate.origin, why});
		}
	}

	// TLS: each file from the highest source; certificate and key must come together.
	const tls: TlsConfig = {insecure: inputs.flags.insecure};
	for (const field of ['ca', 'cert', 'key'] as const) {
		const chosenFile = top[field];
		if (!chosenFile) continue;
		tls[field] = resolveTlsPath(chosenFile.value, env, fieldLabel(chosenFile, field));
		settings.push({name: `tls ${field}`, value: tls[field]!, origin: chosenFile.origin});
		for (const other of all[field].slice(1)) explain.ignored.push({name: `tls ${field}`, value: other.value, origin: other.origin, why: `overridden by ${chosenFile.origin}`});
	}
	if ((tls.cert === undefined) !== (tls.key === undefined)) {
		const has = tls.cert !== undefined ? top.cert! : top.key!;
		const missing = tls.cert !== undefined ? 'key (--tlskey, NATS_KEY or the context\'s "key")' : 'certificate (--tlscert, NATS_CERT or the context\'s "cert")';
		throw new UsageError(`${has.origin} gives a client ${tls.cert !== undefined ? 'certificate' : 'key'} but no ${missing} goes with it`);
	}
	const contextTlsFirst = inputs.context?.settings.tls_first;
	const tlsFirst = inputs.flags.tlsFirst ?? (contextTlsFirst === undefined ? undefined : {value: contextTlsFirst, origin: contextLabel(inputs.context!)});
	settings.push({name: 'tls first', value: tlsFirst?.value ? 'yes' : 'no', origin: tlsFirst?.origin ?? 'default'});
	if (tls.insecure) settings.push({name: 'tls verify', value: 'OFF (server certificate not checked)', origin: '--insecure'});

	const target: NatsTarget = {
		servers: inputs.servers.urls,
		auth,
		tls: {...tls, first: tlsFirst?.value ?? false},
		identity,
	};
	const inbox = top.inboxPrefix;
	if (inbox) {
		if (/[\s*>]/.test(inbox.value) || inbox.value.startsWith('.') || inbox.value.endsWith('.')) {
			throw new UsageError(`${fieldLabel(inbox, 'inbox_prefix')}: bad inbox prefix "${inbox.value}" (a subject without wildcards or spaces, e.g. _INBOX_natscope)`);
		}
		target.inboxPrefix = inbox.value;
		settings.push({name: 'inbox prefix', value: inbox.value, origin: inbox.origin});
	}
	if (inputs.context) target.contextName = inputs.context.name;

	if (identity.userPublicKey) explain.identity.push({name: 'user key', value: identity.userPublicKey, origin: method === 'creds' ? 'from the creds JWT' : 'from the seed'});
	if (identity.account) explain.identity.push({name: 'account', value: identity.account, origin: 'from the creds JWT'});
	if (method === 'creds') {
		explain.identity.push({
			name: 'JWT expires',
			value: identity.jwtExpiresAt === undefined ? 'never' : new Date(identity.jwtExpiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
			origin: '',
		});
	}
	explain.warnings.push(...identity.warnings);
	return {target, tls};
}
