// npm run screenshot: a real nats-server with clients and a slow consumer, natscope in tmux,
// the screen captured with its colours into media/natscope.svg.
import {execFileSync} from 'node:child_process';
import {mkdir, writeFile} from 'node:fs/promises';
import {fileURLToPath} from 'node:url';
import {startServer, stopAll} from '../test/helpers/server.js';
import {firehose, openClients, slowConsumer} from '../test/helpers/load.js';
import {TmuxSession} from '../test/e2e/tmux.js';
import {ansiToSvg} from './ansi-svg.js';

const WIDTH = 100;
const HEIGHT = 30;
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

const server = await startServer({name: 'nats-east-1', config: 'write_deadline: "60s"'});
const clients = await openClients(server.natsUrl, 40, {namePrefix: 'orders-worker', subjects: ['orders.>']});
const slow = await slowConsumer('127.0.0.1', server.port, 'telemetry.>', {name: 'telemetry-sink'});
await firehose(clients.conns[0]!, 'telemetry.raw', {bytes: 6 * 1024 * 1024, payloadBytes: 4096});
const traffic = setInterval(() => {
	for (const [i, nc] of clients.conns.slice(0, 12).entries()) nc.publish(`orders.${i}`, new Uint8Array(200 + i * 50));
}, 5);
const session = TmuxSession.start(`node ${cli} ${server.monitorUrl} --sort pending`, {width: WIDTH, height: HEIGHT});
try {
	await session.waitForScreen(s => s.includes('telemetry-sink'), 'natscope on screen');
	await new Promise(resolve => setTimeout(resolve, 20_000)); // let the sparklines fill a little
	const capture = execFileSync('tmux', ['capture-pane', '-e', '-p', '-t', session.name], {encoding: 'utf8'});
	await mkdir(new URL('../media/', import.meta.url), {recursive: true});
	await writeFile(new URL('../media/natscope.svg', import.meta.url), ansiToSvg(capture, WIDTH));
	await writeFile(new URL('../media/natscope.txt', import.meta.url), execFileSync('tmux', ['capture-pane', '-p', '-t', session.name], {encoding: 'utf8'}));
} finally {
	session.kill();
	clearInterval(traffic);
	slow.close();
	await clients.close();
	await stopAll();
}
