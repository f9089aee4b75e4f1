// npm run soak [-- --minutes 30 --interval 0.2 --max-growth 0.10]: the built CLI in tmux against a
// real 3-node cluster with clients continuously connecting and leaving; RSS, descriptors and CPU of
// the natscope process every minute; exit 1 when RSS grows beyond the bound after warm-up,
// descriptors grow, or the screen freezes. (test/faults/soak.test.ts runs a 2-minute version.)
import {parseArgs} from 'node:util';
import {SOAK_DEFAULTS, describeSoak, runSoak} from '../test/helpers/soak.js';
import {stopAll} from '../test/helpers/server.js';

const {values} = parseArgs({
	options: {
		minutes: {type: 'string', default: '30'},
		interval: {type: 'string', default: String(SOAK_DEFAULTS.interval)},
		'max-growth': {type: 'string', default: String(SOAK_DEFAULTS.maxRssGrowth)},
		'warmup-minutes': {type: 'string'},
		'report-seconds': {type: 'string', default: '60'},
		// Node options for the natscope process, e.g. --node-arg=--import=./hook.mjs to measure a fix.
		'node-arg': {type: 'string', multiple: true},
		// Another build of the CLI (a candidate fix built elsewhere); default dist/cli.js.
		cli: {type: 'string'},
	},
});
const minutes = Number(values.minutes);
const interval = Number(values.interval);
const maxRssGrowth = Number(values['max-growth']);
if (!(minutes > 0) || !(interval >= 0.1) || !(maxRssGrowth > 0)) {
	console.error('soak: --minutes > 0, --interval >= 0.1 and --max-growth > 0 (a fraction, 0.10 = 10%)');
	process.exit(2);
}
const durationMs = minutes * 60_000;
// Warm-up: 6 minutes of a long run (the connections model remembers closed connections for 5
// minutes, by design, so memory rises that long under churn), a third of a short one.
const warmupMs = values['warmup-minutes'] !== undefined ? Number(values['warmup-minutes']) * 60_000 : Math.min(360_000, durationMs / 3);
console.log(`soak: ${minutes} min at -d ${interval}, warm-up ${(warmupMs / 60_000).toFixed(1)} min, RSS bound +${(maxRssGrowth * 100).toFixed(0)}%`);
const result = await runSoak({...SOAK_DEFAULTS, durationMs, interval, warmupMs, maxRssGrowth, reportEveryMs: Number(values['report-seconds']) * 1000, nodeArgs: values['node-arg'] ?? [], cli: values.cli, log: line => console.log(line)});
await stopAll();
console.log(describeSoak(result));
if (!result.ok) {
	for (const failure of result.failures) console.error(`soak FAILED: ${failure}`);
	process.exit(1);
}
console.log('soak: ok');
