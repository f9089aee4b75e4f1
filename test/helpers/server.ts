// Real nats-server processes for tests: generated configs in temp dirs, free loopback ports,
// ready when /healthz answers, always cleaned up (also when the test process dies).
import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {openSync, closeSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {freePort} from './ports.js';
import {waitFor} from './wait.js';

export type ServerOptions = {
	name?: string;
	/** Extra configuration text appended to the generated file. */
	config?: string;
	jetstream?: boolean;
	cluster?: {name: string; port: number; routes: string[]};
	port?: number;
	httpPort?: number;
};

export type NatsServer = {
	name: string;
	port: number;
	httpPort: number;
	clusterPort?: number;
	monitorUrl: string;
	natsUrl: string;
	dir: string;
	pid: () => number | undefined;
	/** SIGTERM, wait, SIGKILL after 5 s; removes the temp dir. */
	stop(): Promise<void>;
	/** SIGKILL and wait; keeps the dir so restart() can bring it back on the same ports. */
	kill(): Promise<void>;
	restart(): Promise<void>;
	log(): Promise<string>;
};

const running = new Set<ChildProcess>();
const servers = new Set<NatsServer>();

process.on('exit', () => {
	for (const child of running) child.kill('SIGKILL');
});

function exited(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise(resolve => child.once('exit', () => resolve()));
}

async function healthy(url: string): Promise<boolean> {
	try {
		const response = await fetch(`${url}/healthz`, {signal: AbortSignal.timeout(1000)});
		return response.ok;
	} catch {
		return false;
	}
}

export async function startServer(options: ServerOptions = {}): Promise<NatsServer> {
	const dir = await mkdtemp(join(tmpdir(), 'natscope-server-'));
	const port = options.port ?? (await freePort());
	const httpPort = options.httpPort ?? (await freePort());
	const name = options.name ?? `test-${port}`;
	const lines = [`server_name: "${name}"`, 'host: 127.0.0.1', `port: ${port}`, 'http: "127.0.0.1:' + httpPort + '"'];
	if (options.jetstream) lines.push(`jetstream {\n  store_dir: "${join(dir, 'js')}"\n  max_memory_store: 64MB\n  max_file_store: 256MB\n}`);
	if (options.cluster) {
		const routes = options.cluster.routes.map(r => `    "${r}"`).join('\n');
		lines.push(`cluster {\n  name: "${options.cluster.name}"\n  listen: "127.0.0.1:${options.cluster.port}"\n  routes: [\n${routes}\n  ]\n}`);
	}
	if (options.config) lines.push(options.config);
	const configFile = join(dir, 'server.conf');
	await writeFile(configFile, `${lines.join('\n')}\n`);
	const logFile = join(dir, 'server.log');
	const monitorUrl = `http://127.0.0.1:${httpPort}`;
	let child: ChildProcess | undefined;

	const launch = async (): Promise<void> => {
		const fd = openSync(logFile, 'a');
		child = spawn('nats-server', ['-c', configFile], {stdio: ['ignore', fd, fd]});
		closeSync(fd);
		running.add(child);
		const current = child;
		current.once('exit', () => running.delete(current));
		let failed: Error | undefined;
		current.once('error', error => {
			failed = error;
		});
		try {
			await waitFor(
				async () => {
					if (failed) throw failed;
					if (current.exitCode !== null) throw new Error(`nats-server exited with ${current.exitCode}`);
					return healthy(monitorUrl);
				},
				{timeoutMs: 15_000, intervalMs: 50, what: `nats-server ${name} on ${monitorUrl}`},
			);
		} catch (error) {
			const log = await readFile(logFile, 'utf8').catch(() => '');
			current.kill('SIGKILL');
			throw new Error(`${(error as Error).message}\n--- ${logFile} (tail) ---\n${log.split('\n').slice(-20).join('\n')}`);
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
		natsUrl: `nats://127.0.0.1:${port}`,
		dir,
		pid: () => child?.pid,
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
	await launch();
	return server;
}

/** A cluster of `size` servers routed to each other, ready when every node sees the others. */
export async function startCluster(size = 3, options: {jetstream?: boolean; name?: string} = {}): Promise<NatsServer[]> {
	const clusterPorts = await Promise.all(Array.from({length: size}, () => freePort()));
	const routes = clusterPorts.map(p => `nats-route://127.0.0.1:${p}`);
	const clusterName = options.name ?? 'natscope-test';
	const nodes = await Promise.all(
		clusterPorts.map((port, i) =>
			startServer({
				name: `${clusterName}-${i + 1}`,
				jetstream: options.jetstream,
				cluster: {name: clusterName, port, routes: routes.filter((_, j) => j !== i)},
			}),
		),
	);
	for (const node of nodes) {
		await waitFor(
			async () => {
				const response = await fetch(`${node.monitorUrl}/routez`);
				const routez = (await response.json()) as {num_routes: number};
				return routez.num_routes >= size - 1;
			},
			{timeoutMs: 20_000, what: `${node.name} routed to ${size - 1} peers`},
		);
	}
	return nodes;
}

export async function stopAll(): Promise<void> {
	await Promise.all([...servers].map(s => s.stop()));
}
