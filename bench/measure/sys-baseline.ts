// Child process: the floor of a cluster-wide refresh over $SYS. The identical CONNZ scatter the
// app sends, its replies (one per server) gathered and JSON.parse'd; nothing else.
import {connect, createInbox} from 'nats';
import {sysRequestBody} from '../../source/sources/sys.js';
import type {ConnzQuery} from '../../source/sources/types.js';
import {emit, readArgs} from '../lib/child.js';

type Args = {servers: string[]; user: string; password: string; query: ConnzQuery; expected: number; intervalMs: number; warmupIntervalMs?: number; warmup: number; refreshes: number; windows: number};
const args = readArgs<Args>();
const nc = await connect({servers: args.servers, user: args.user, pass: args.password, name: 'natscope-bench-baseline'});
const subject = '$SYS.REQ.SERVER.PING.CONNZ';
const body = new TextEncoder().encode(JSON.stringify(sysRequestBody({kind: 'connz', query: args.query})));
const decoder = new TextDecoder();

async function scatter(): Promise<number> {
	const inbox = createInbox();
	const sub = nc.subscribe(inbox, {max: args.expected, timeout: 10_000});
	nc.publish(subject, body, {reply: inbox});
	let rows = 0;
	for await (const message of sub) {
		const reply = JSON.parse(decoder.decode(message.data)) as {data?: {connections?: unknown[]}};
		rows += reply.data?.connections?.length ?? 0;
	}
	return rows;
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
let rows = 0;
for (let i = 0; i < args.warmup; i++) {
	rows = await scatter();
	await sleep(args.warmupIntervalMs ?? args.intervalMs);
}
const windows: Array<{cpuMs: number}> = [];
for (let w = 0; w < args.windows; w++) {
	const cpu = process.cpuUsage();
	for (let i = 0; i < args.refreshes; i++) {
		await scatter();
		await sleep(args.intervalMs);
	}
	const used = process.cpuUsage(cpu);
	windows.push({cpuMs: (used.user + used.system) / 1000 / args.refreshes});
}
emit({windows, rowsFetched: rows});
await nc.close();
