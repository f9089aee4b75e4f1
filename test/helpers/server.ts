// Real nats-server processes for tests: generated configs in temp dirs, free loopback ports,
// ready when /healthz answers, always cleaned up (also when the test process dies).
import {execFile, spawn, type ChildProcess} from 'node:child_process';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {closeSync, openSync} from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {freePorts} from './ports.js';
import {waitFor} from './wait.js';

export type ServerOptions = {
	name?: string;
	/** Extra configuration text appended to the generated file. */
	config?: string;
	jetstream?: boolean;
	cluster?: {name: string; port: number; routes: string[]};
	port?: number;
	httpPort?: number;
	/**
	 * Serve monitoring over HTTPS (https_port) with a throwaway CA and a certificate for
	 * 127.0.0.1; the same tls block makes the client port TLS-only too.
	 */
	https?: boolean;
	/**
	 * Ready when /varz answers instead of when /healthz says 200: for servers that are meant to
	 * be unhealthy (JetStream without a meta leader).
	 */
	readyWhenUp?: boolean;
};

export type Certs = {ca: string; cert: string; key: string};

export type NatsServer = {
	readonly name: string;
	readonly port: number;
	readonly httpPort: number;
	readonly clusterPort?: number;
	/** http://127.0.0.1:P (https:// with the `https` option). */
	readonly monitorUrl: string;
	readonly natsUrl: string;
	readonly dir: string;
	/** PEM files of the throwaway CA and the server certificate (only with `https`). */
	readonly certs?: Certs;
	/** The current process id (changes on restart; undefined while down). */
	readonly pid: number | undefined;
	/** SIGTERM, wait, SIGKILL after 5 s; removes the temp dir. */
	stop(): Promise<void>;
	/** SIGKILL and wait; keeps the dir so restart() can bring it back on the same ports. */
	kill(): Promise<void>;
	/** Kill (if running) and start again with the same config and ports. */
	restart(): Promise<void>;
	log(): Promise<string>;
};

const running = new Set<ChildProcess>();
const servers = new Set<NatsServer>();

function killAllNow(): void {
	for (const child of running) child.kill('SIGKILL');
}

process.on('exit', killAllNow);
for (const [signal, code] of [
	['SIGINT', 130],
	['SIGTERM', 143],
] as const) {
	process.once(signal, () => {
		killAllNow();
		process.exit(code);
	});
}

function exited(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise(resolve => child.once('exit', () => resolve()));
}

/** GET {url}/healthz (or another path) → 200? (TLS not verified: this only asks whether the server is up.) */
function healthy(url: string, path = '/healthz'): Promise<boolean> {
	const client = url.startsWith('https:') ? https : http;
	return new Promise(resolve => {
		const request = client.get(`${url}${path}`, {timeout: 1000, rejectUnauthorized: false, agent: false}, response => {
			response.resume();
			resolve(response.statusCode === 200);
		});
		request.on('timeout', () => request.destroy());
		request.on('error', () => resolve(false));
	});
}

async function getJson(url: string): Promise<Record<string, unknown>> {
	const response = await fetch(url, {signal: AbortSignal.timeout(2000)});
	return (await response.json()) as Record<string, unknown>;
}

const run = promisify(execFile);

/** A throwaway CA and a server certificate for 127.0.0.1 / localhost, made with openssl. */
export async function makeCerts(dir: string): Promise<Certs> {
	const ca = join(dir, 'ca.pem');
	const caKey = join(dir, 'ca-key.pem');
	const cert = join(dir, 'server.pem');
	const key = join(dir, 'server-key.pem');
	const csr = join(dir, 'server.csr');
	const ext = join(dir, 'server.ext');
	const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
	await run('openssl', ['req', '-x509', ...ec, '-keyout', caKey, '-out', ca, '-days', '2', '-subj', '/CN=natscope-test-ca', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
	await run('openssl', ['req', ...ec, '-keyout', key, '-out', csr, '-subj', '/CN=127.0.0.1']);
	await writeFile(ext, 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n');
	await run('openssl', ['x509', '-req', '-in', csr, '-CA', ca, '-CAkey', caKey, '-CAcreateserial', '-out', cert, '-days', '2', '-extfile', ext]);
	return {ca, cert, key};
}

export async function startServer(options: ServerOptions = {}): Promise<NatsServer> {
	const dir = await mkdtemp(join(tmpdir(), 'natscope-server-'));
	const [freeA, freeB] = await freePorts(2);
	const port = options.port ?? freeA!;
	const httpPort = options.httpPort ?? freeB!;
	const name = options.name ?? `test-${port}`;
	const certs = options.https ? await makeCerts(dir) : undefined;
	const lines = [`server_name: "${name}"`, 'host: 127.0.0.1', `port: ${port}`];
	if (certs) {
		lines.push(`https: "127.0.0.1:${httpPort}"`);
		lines.push(`tls {\n  cert_file: "${certs.cert}"\n  key_file: "${certs.key}"\n  ca_file: "${certs.ca}"\n}`);
	} else {
		lines.push(`http: "127.0.0.1:${httpPort}"`);
	}
	if (options.jetstream) lines.push(`jetstream {\n  store_dir: "${join(dir, 'js')}"\n  max_memory_store: 64MB\n  max_file_store: 256MB\n}`);
	if (options.cluster) {
		const routes = options.cluster.routes.map(r => `    "${r}"`).join('\n');
		lines.push(`cluster {\n  name: "${options.cluster.name}"\n  listen: "127.0.0.1:${options.cluster.port}"\n  routes: [\n${routes}\n  ]\n}`);
	}
	if (options.config) lines.push(options.config);
	const configFile = join(dir, 'server.conf');
	await writeFile(configFile, `${lines.join('\n')}\n`);
	const logFile = join(dir, 'server.log');
	const monitorUrl = `${certs ? 'https' : 'http'}://127.0.0.1:${httpPort}`;
	let child: ChildProcess | undefined;

	const launch = async (): Promise<void> => {
		const fd = openSync(logFile, 'a');
		const current = spawn('nats-server', ['-c', configFile], {stdio: ['ignore', fd, fd]});
		closeSync(fd);
		child = current;
		running.add(current);
		let gone: string | undefined;
		current.once('exit', (code, signal) => {
			running.delete(current);
			gone = `nats-server exited (${signal ?? `code ${code}`})`;
		});
		current.once('error', error => {
			gone = `cannot run nats-server: ${error.message}`;
		});
		try {
			// Ready when /healthz says 200; stop waiting as soon as the process is gone.
			await waitFor(async () => gone !== undefined || (await healthy(monitorUrl, options.readyWhenUp ? '/varz' : '/healthz')), {
				timeoutMs: 15_000,
				intervalMs: 50,
				what: `nats-server ${name} on ${monitorUrl}`,
			});
			if (gone !== undefined) throw new Error(`${gone} before ${monitorUrl}/healthz answered`);
		} catch (error) {
			current.kill('SIGKILL');
			await Promise.race([exited(current), new Promise(resolve => setTimeout(resolve, 2000))]);
			child = undefined;
			const log = await readFile(logFile, 'utf8').catch(() => '');
			throw new Error(`${(error as Error).message}\n--- ${logFile} (tail) ---\n${log.trimEnd().split('\n').slice(-20).join('\n')}`);
		}
	};

	const kill = async (): Promise<void> => {
		if (!child) return;
		const current = child;
		current.kill('SIGKILL');
		await exited(current);
		child = undefined;
	};

	const server: NatsServer = {
		name,
		port,
		httpPort,
		clusterPort: options.cluster?.port,
		monitorUrl,
		natsUrl: `${certs ? 'tls' : 'nats'}://127.0.0.1:${port}`,
		dir,
		certs,
		get pid() {
			return child?.pid;
		},
		async stop() {
			servers.delete(server);
			if (child) {
				const current = child;
				current.kill('SIGTERM');
				const timer = setTimeout(() => current.kill('SIGKILL'), 5000);
				await exited(current);
				clearTimeout(timer);
				child = undefined;
			}
			await rm(dir, {recursive: true, force: true});
		},
		kill,
		async restart() {
			await kill();
			await launch();
		},
		log: () => readFile(logFile, 'utf8'),
	};
	servers.add(server);
	try {
		await launch();
	} catch (error) {
		servers.delete(server);
		await rm(dir, {recursive: true, force: true});
		throw error;
	}
	return server;
}

/** A cluster of `size` servers routed to each other, ready when every node sees the others. */
export async function startCluster(
	size = 3,
	options: {jetstream?: boolean; name?: string; config?: string; /** Extra config for node i only (0-based). */ configFor?: (i: number) => string} = {},
): Promise<NatsServer[]> {
	const clusterPorts = await freePorts(size);
	const routes = clusterPorts.map(p => `nats-route://127.0.0.1:${p}`);
	const clusterName = options.name ?? 'natscope-test';
	const started = await Promise.allSettled(
		clusterPorts.map((port, i) =>
			startServer({
				name: `${clusterName}-${i + 1}`,
				jetstream: options.jetstream,
				config: [options.config, options.configFor?.(i)].filter(Boolean).join('\n') || undefined,
				cluster: {name: clusterName, port, routes: routes.filter((_, j) => j !== i)},
			}),
		),
	);
	const nodes = started.flatMap(r => (r.status === 'fulfilled' ? [r.value] : []));
	const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
	if (failed) {
		await Promise.all(nodes.map(n => n.stop()));
		throw failed.reason;
	}
	await Promise.all(
		nodes.map(node =>
			waitFor(async () => Number((await getJson(`${node.monitorUrl}/routez`))['num_routes']) >= size - 1, {
				timeoutMs: 20_000,
				what: `${node.name} routed to ${size - 1} peers`,
			}),
		),
	);
	return nodes;
}

/** Stop every server started by this process that is still registered. */
export async function stopAll(): Promise<void> {
	await Promise.all([...servers].map(s => s.stop()));
}
