// npm run media: the README's pictures, taken from the real app (the built CLI in tmux) replaying
// the demo recording, so they show what `natscope --demo` shows:
//   media/connections.svg   overview + connections sorted by pending
//   media/jetstream.svg     JetStream: per-server usage and the meta group
//   media/streams.svg       streams with the R3 stream's replicas, one of them lagging
//   media/servers.svg       the servers of the cluster
//   media/demo.cast         an asciinema (v2) recording walking through the views
// Each picture is a tmux capture with its colours (capture-pane -e) drawn as SVG.
import {execFileSync} from 'node:child_process';
import {writeFile} from 'node:fs/promises';
import {fileURLToPath} from 'node:url';
import {TmuxSession} from '../test/e2e/tmux.js';
import {ansiToSvg} from './ansi-svg.js';

const WIDTH = 120;
const HEIGHT = 32;
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const media = (name: string) => new URL(`../media/${name}`, import.meta.url);
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
const log = (text: string) => process.stderr.write(`media: ${text}\n`);

function capture(session: TmuxSession): string {
	return execFileSync('tmux', ['capture-pane', '-e', '-p', '-t', session.name], {encoding: 'utf8'});
}

/** The pane without the line the tmux wrapper adds when the program ends. */
function picture(session: TmuxSession): string {
	return ansiToSvg(capture(session), WIDTH);
}

async function pictures(): Promise<void> {
	const session = TmuxSession.start(`node ${cli} --demo --sort pending`, {width: WIDTH, height: HEIGHT});
	try {
		await session.waitForScreen(s => /sort pending ▼/.test(s) && /telemetry-sink/.test(s), 'connections by pending');
		await sleep(4000); // a few refreshes for the sparklines and rates
		await writeFile(media('connections.svg'), picture(session));
		log('connections.svg');
		session.type('2');
		await session.waitForScreen(s => /^SERVER▲? +CLUSTER/m.test(s), 'servers');
		await sleep(1500);
		await writeFile(media('servers.svg'), picture(session));
		log('servers.svg');
		session.type('3');
		await session.waitForScreen(s => /Meta group nats-east/.test(s), 'JetStream');
		await sleep(1500);
		await writeFile(media('jetstream.svg'), picture(session));
		log('jetstream.svg');
		// Streams, replicas shown, at ×2 until the stopped follower is flagged; then paused there.
		session.type('4');
		session.type('x');
		session.type(']');
		await session.waitForScreen(s => /└ nats-east-\d .*⚠ behind \d+ refreshes/.test(s), 'a lagging replica', 60_000);
		await sleep(1200);
		session.keys('Space');
		await session.waitForScreen(s => /^replay ⏸ paused/m.test(s), 'paused');
		await writeFile(media('streams.svg'), picture(session));
		log('streams.svg');
		session.type('q');
	} finally {
		session.kill();
	}
}

/** An asciinema v2 cast: the screen redrawn whenever it changes, with the time it changed. */
async function cast(): Promise<void> {
	const session = TmuxSession.start(`node ${cli} --demo --sort pending`, {width: WIDTH, height: HEIGHT});
	const events: Array<[number, 'o', string]> = [];
	let started = Date.now();
	let last = '';
	const sample = () => {
		const screen = capture(session).replace(/\n$/, '');
		if (screen === last) return;
		last = screen;
		events.push([(Date.now() - started) / 1000, 'o', `\u001B[0m\u001B[H\u001B[2J${screen.split('\n').join('\u001B[0m\r\n')}`]);
	};
	let timer: NodeJS.Timeout | undefined;
	try {
		// From the first full screen on (not the blank pane while Node starts).
		await session.waitForScreen(s => /telemetry-sink/.test(s), 'the demo');
		started = Date.now();
		sample();
		timer = setInterval(sample, 250);
		const tour: Array<[string, number]> = [['', 5000], ['2', 3500], ['3', 3500], ['4', 2000], ['x', 2500], [']', 2500], [']', 5000], ['5', 3000], ['6', 3000], ['7', 2500], ['8', 2500], ['9', 3500], ['1', 3000]];
		for (const [key, wait] of tour) {
			if (key) session.type(key);
			await sleep(wait);
		}
	} finally {
		clearInterval(timer);
		session.kill();
	}
	const header = {version: 2, width: WIDTH, height: HEIGHT, timestamp: Math.floor(started / 1000), title: 'natscope --demo', env: {TERM: 'xterm-256color', SHELL: '/bin/sh'}};
	await writeFile(media('demo.cast'), [JSON.stringify(header), ...events.map(e => JSON.stringify([Number(e[0].toFixed(3)), e[1], e[2]]))].join('\n') + '\n');
	log(`demo.cast: ${events.length} frames, ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

await pictures();
await cast();
