// Child process: the floor of a refresh over HTTP. The identical /connz request the app makes,
// over the same kind of keep-alive socket, read and JSON.parse'd, at the same interval; nothing
// else. Prints CPU ms per request for each window, as the app measurement does.
import http from 'node:http';
import {emit, readArgs} from '../lib/child.js';

type Args = {url: string; intervalMs: number; warmupIntervalMs?: number; warmup: number; refreshes: number; windows: number};
const args = readArgs<Args>();
const agent = new http.Agent({keepAlive: true, maxSockets: 4});

function get(url: string): Promise<unknown> {
	return new Promise((resolve, reject) => {
		http
			.get(url, {agent, headers: {accept: 'application/json'}}, response => {
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('end', () => {
					try {
						resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
					} catch (error) {
						reject(error);
					}
				});
				response.on('error', reject);
			})
			.on('error', reject);
	});
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
let rows = 0;
for (let i = 0; i < args.warmup; i++) {
	const body = (await get(args.url)) as {connections?: unknown[]};
	rows = body.connections?.length ?? 0;
	await sleep(args.warmupIntervalMs ?? args.intervalMs);
}
const windows: Array<{cpuMs: number}> = [];
for (let w = 0; w < args.windows; w++) {
	const cpu = process.cpuUsage();
	for (let i = 0; i < args.refreshes; i++) {
		await get(args.url);
		await sleep(args.intervalMs);
	}
	const used = process.cpuUsage(cpu);
	windows.push({cpuMs: (used.user + used.system) / 1000 / args.refreshes});
}
emit({windows, rowsFetched: rows});
agent.destroy();
