// CPU time natscope spends per refresh of the connections view at 1,024 rows sorted by
// pending (fetch + decode + sanitize + rates + formatting of every row), measured with
// process.cpuUsage() against a real nats-server. Usage: npx tsx scripts/refresh-cpu.ts
import {startServer, stopAll} from '../test/helpers/server.js';
import {rawClients} from '../test/helpers/load.js';
import {HttpSource} from '../source/sources/http.js';
import {planConnections} from '../source/model/plan.js';
import {buildConnectionsModel} from '../source/model/connections-view.js';
import type {Connz} from '../source/sources/types.js';
import {loadWideWidths} from '../source/model/format.js';

// As in the TUI, which loads string-width before its first frame.
await loadWideWidths();

const ROWS = 1024;
const REFRESHES = 30;

const server = await startServer({name: 'refresh-cpu'});
const clients = await rawClients('127.0.0.1', server.port, ROWS + 100, {namePrefix: 'load-client'});
const source = new HttpSource({url: server.monitorUrl, timeoutMs: 10_000});
const plan = planConnections({sort: 'pending', reverse: false, rows: ROWS, state: 'open', filter: '', showSubs: false, scrollTop: 0, pageSize: ROWS, total: 0, version: '2.9.10', serverFiltersSubject: false});
const samples: Array<{cpuMs: number; wallMs: number; lines: number}> = [];
let previous: Connz | undefined;
for (let i = 0; i < REFRESHES + 3; i++) {
	const cpu = process.cpuUsage();
	const wall = performance.now();
	const answer = await source.request({kind: 'connz', query: plan.query});
	const connz = answer.replies[0]!.data;
	const model = buildConnectionsModel({
		answer: {connz: [connz], previous: previous ? [previous] : [], serverNames: new Map(), maxPending: new Map([[connz.server_id, 67_108_864]])},
		plan,
		sort: 'pending',
		reverse: false,
		state: 'open',
		filter: '',
		scrollTop: 0,
		pageSize: ROWS,
		selected: 0,
		width: 200,
		mode: 'rates',
		showSubs: false,
		raw: false,
	});
	const used = process.cpuUsage(cpu);
	if (i >= 3) samples.push({cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - wall, lines: model.lines.length});
	previous = connz;
	await new Promise(resolve => setTimeout(resolve, 100));
}
const sorted = samples.map(s => s.cpuMs).sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)]!;
const p90 = sorted[Math.floor(sorted.length * 0.9)]!;
const wall = samples.map(s => s.wallMs).sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
console.log(`connections view, ${samples[0]!.lines} rows sorted by pending, ${REFRESHES} refreshes (after 3 warm-up):`);
console.log(`  CPU per refresh: median ${median.toFixed(1)} ms, p90 ${p90.toFixed(1)} ms (process.cpuUsage, user+system)`);
console.log(`  wall per refresh: median ${wall.toFixed(1)} ms (includes the server's work)`);
console.log(`  CPU share at a 1 s interval: ${(median / 10).toFixed(1)}% of one core`);
clients.close();
await source.close();
await stopAll();
