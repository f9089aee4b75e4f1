// The environment variables the nats CLI reads (natscli nats/main.go), plus NATS_TOKEN and
// natscope's own NATSCOPE_URL. Empty values count as unset, as in the nats CLI.
export const NATS_ENV = {
	url: 'NATS_URL',
	user: 'NATS_USER',
	password: 'NATS_PASSWORD',
	token: 'NATS_TOKEN',
	creds: 'NATS_CREDS',
	nkey: 'NATS_NKEY',
	cert: 'NATS_CERT',
	key: 'NATS_KEY',
	ca: 'NATS_CA',
	timeout: 'NATS_TIMEOUT',
	context: 'NATS_CONTEXT',
} as const;

export type NatsEnvField = keyof typeof NATS_ENV;

/** The value of a NATS_* variable, undefined when unset or empty. */
export function natsEnv(env: NodeJS.ProcessEnv, field: NatsEnvField): string | undefined {
	const value = env[NATS_ENV[field]];
	return value === undefined || value === '' ? undefined : value;
}
