// composeRows must print what Ink's own compositor prints, cell for cell and style for style,
// on natscope's real screens; and step aside (undefined) on any frame it does not understand.
import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import {EventEmitter} from 'node:events';
import type {Config} from '../../source/config/types.js';
import type {Connz, Gathered, Source, SourceRequest} from '../../source/sources/types.js';
import {composeRows, inkOutputClass, installFastFrames, type OutputOperation} from '../../source/perf/fast-frame.js';
import {makeConn, makeConnz, makeVarz} from '../helpers/fixtures.js';
import {waitFor} from '../helpers/wait.js';

// Styles must reach the frames for a cell-for-cell comparison: colour on before Ink (and chalk)
// load, whatever the test runner says.
process.env['FORCE_COLOR'] = '1';
const {Box, render: inkRender, Text} = await import('ink');
const {App} = await import('../../source/app.js');
const {Poller} = await import('../../source/poll/poller.js');

/** Ink into a terminal of the given size (ink-testing-library's is always 100 columns). */
function render(tree: React.ReactElement, columns = 100, rows = 30) {
	let last = '';
	const stdout = Object.assign(new EventEmitter(), {columns, rows, isTTY: false, write: (frame: string) => ((last = frame), true)});
	const stdin = Object.assign(new EventEmitter(), {
		isTTY: true,
		data: null as string | null,
		setEncoding() {},
		setRawMode() {},
		resume() {},
		pause() {},
		ref() {},
		unref() {},
		read() {
			const data = stdin.data;
			stdin.data = null;
			return data;
		},
		write(data: string) {
			stdin.data = data;
			stdin.emit('readable');
			stdin.emit('data', data);
		},
	});
	const instance = inkRender(tree, {stdout: stdout as never, stdin: stdin as never, debug: true, exitOnCtrlC: false, patchConsole: false});
	return {lastFrame: () => last, stdin, unmount: instance.unmount};
}

const plain = (line: string) => line;
const cyan = (line: string) => `\u001B[36m${line}\u001B[39m`;
const write = (x: number, y: number, text: string, transformers = [plain]): OutputOperation => ({type: 'write', x, y, text, transformers});

test('composeRows: whole-row lines become the frame, trailing blanks trimmed', () => {
	assert.equal(composeRows(6, 3, [write(0, 0, 'ab    '), write(0, 1, 'cd\nef  ', [cyan])]), 'ab\n\u001B[36mcd\u001B[39m\n\u001B[36mef  \u001B[39m');
	assert.equal(composeRows(4, 3, [write(0, 1, 'x')]), '\nx\n', 'rows nobody wrote are blank');
	assert.equal(composeRows(4, 2, [write(0, 1, 'a\nb\nc')]), '\na', 'rows below the frame are dropped, as Ink does');
});

test('composeRows steps aside on frames it does not understand', () => {
	assert.equal(composeRows(6, 2, [write(2, 0, 'ab')]), undefined, 'a write off column 0');
	assert.equal(composeRows(6, 2, [write(0, 0, 'ab'), write(0, 0, 'cd')]), undefined, 'two writes on one row');
	assert.equal(composeRows(6, 2, [{type: 'clip', clip: {x1: 0, x2: 3}}, write(0, 0, 'ab'), {type: 'unclip'}]), undefined, 'a clip');
	assert.equal(composeRows(3, 1, [write(0, 0, 'abcd')]), undefined, 'a line wider than the frame');
	assert.equal(composeRows(3, 1, [write(0, 0, '日本')]), undefined, 'wide characters count two cells');
	assert.equal(composeRows(6, 1, [write(0, 0, 'a\u001B]0;x\u0007')]), undefined, 'an escape other than a colour');
});

/** A styled string → one token per cell: the character and the styles in force on it. */
function cells(frame: string): string[] {
	const rows: string[] = [];
	for (const line of frame.split('\n')) {
		const style = new Map<string, string>();
		const out: string[] = [];
		for (let i = 0; i < line.length; i++) {
			const sgr = /^\u001B\[([0-9;]*)m/.exec(line.slice(i));
			if (sgr) {
				i += sgr[0].length - 1;
				const codes = sgr[1] === '' ? [0] : sgr[1]!.split(';').map(Number);
				for (let c = 0; c < codes.length; c++) {
					const code = codes[c]!;
					if (code === 0) style.clear();
					else if (code === 1) style.set('bold', '1');
					else if (code === 2) style.set('dim', '1');
					else if (code === 22) (style.delete('bold'), style.delete('dim'));
					else if (code === 7) style.set('inverse', '1');
					else if (code === 27) style.delete('inverse');
					else if (code === 4) style.set('underline', '1');
					else if (code === 24) style.delete('underline');
					else if ((code >= 30 && code <= 37) || (code >= 90 && code <= 97)) style.set('fg', String(code));
					else if (code === 38) (style.set('fg', codes.slice(c, c + (codes[c + 1] === 5 ? 3 : 5)).join(':')), (c += codes[c + 1] === 5 ? 2 : 4));
					else if (code === 39) style.delete('fg');
					else if ((code >= 40 && code <= 47) || (code >= 100 && code <= 107)) style.set('bg', String(code));
					else if (code === 49) style.delete('bg');
					else style.set(`other${code}`, '1');
				}
				continue;
			}
			out.push(`${line[i]}${[...style].sort().join(',')}`);
		}
		while (out.at(-1) === ' ') out.pop();
		rows.push(out.join('|'));
	}
	while (rows.at(-1) === '') rows.pop();
	return rows;
}

const config: Config = {
	transport: 'http',
	urls: ['http://127.0.0.1:8222'],
	tls: {insecure: false},
	intervalMs: 60_000,
	timeoutMs: 1000,
	sort: 'pending',
	reverse: false,
	state: 'open',
	rawNumbers: false,
	lookup: false,
	showSubs: false,
	demo: false,
};

function fixedSource(total: number): Source {
	const varz = makeVarz({connections: total});
	const conns = Array.from({length: total}, (_, i) =>
		makeConn({cid: i + 1, name: i === 2 ? 'evil␛]0;pwned␇ 名前 with a very long name that is cut' : `client-${i + 1}`, rtt: '850µs', pending_bytes: i * 1000}),
	);
	const reply = <T,>(kind: string, data: T) => ({replies: [{kind, server: {id: varz.server_id, name: varz.server_name, address: 'fixed'}, data, receivedAt: Date.now(), rttMs: 1}], failures: []});
	return {
		transport: 'http',
		description: 'http://fixed:8222',
		async request(request: SourceRequest) {
			if (request.kind === 'varz') return reply('varz', varz) as Gathered<never>;
			if (request.kind === 'healthz') return reply('healthz', {status: 'ok', error: '', http_status: 200}) as Gathered<never>;
			const {offset = 0, limit = 1024} = request.query;
			const connz: Connz = makeConnz(conns.slice(offset, offset + limit), {total, offset});
			return reply('connz', connz) as Gathered<never>;
		},
		async close() {},
	};
}

const Output = await inkOutputClass();
const original = Output?.prototype.get;
let compared = 0;
let fellBack = 0;
let styled = 0;
const mismatches: string[] = [];
if (Output && original) {
	Output.prototype.get = function get(this: InstanceType<NonNullable<typeof Output>>) {
		const ink = original.call(this);
		const fast = composeRows(this.width, this.height, this.operations);
		if (fast === undefined) fellBack++;
		else {
			compared++;
			if (fast.includes('\u001B[7m')) styled++;
			const a = cells(fast);
			const b = cells(ink.output);
			if (JSON.stringify(a) !== JSON.stringify(b)) mismatches.push(`ours:\n${fast}\nink's:\n${ink.output}`);
		}
		return ink;
	};
}
after(() => {
	if (Output && original) Output.prototype.get = original;
});

test("Ink's Output class is where installFastFrames looks for it", () => {
	assert.ok(Output, 'ink/build/output.js exports the Output class');
});

for (const [width, height] of [
	[80, 24],
	[200, 50],
] as const) {
	test(`the app's frames at ${width}x${height} are Ink's frames, cell for cell`, async () => {
		compared = 0;
		fellBack = 0;
		styled = 0;
		mismatches.length = 0;
		const poller = new Poller(fixedSource(300), {intervalMs: config.intervalMs});
		const app = render(<App config={config} source={fixedSource(300)} poller={poller} width={width} height={height} />, width, height);
		try {
			await waitFor(() => (app.lastFrame() ?? '').includes('client-1'), {timeoutMs: 3000, intervalMs: 10, what: 'rows on screen'});
			for (const key of ['j', 'j', '?', '\u001B', 'b', ' ']) {
				app.stdin.write(key);
				await new Promise(resolve => setTimeout(resolve, 20));
			}
		} finally {
			app.unmount();
			await poller.stop();
		}
		assert.deepEqual(mismatches, []);
		assert.ok(compared >= 5, `compared ${compared} frames (${fellBack} fell back)`);
		assert.ok(styled > 0, 'frames with the selected (inverse) row were among them');
	});
}

test('a frame with a box drawn at an offset falls back to Ink and still renders', () => {
	const before = {compared, fellBack};
	const app = render(
		<Box flexDirection="row">
			<Text>left</Text>
			<Text> right</Text>
		</Box>,
	);
	assert.equal(app.lastFrame(), 'left right');
	assert.ok(fellBack > before.fellBack, 'two writes on one row: Ink composes it');
	app.unmount();
});

test('installFastFrames puts the fast path in and the app still draws', async () => {
	if (Output && original) Output.prototype.get = original;
	assert.equal(await installFastFrames(), true);
	const app = render(
		<Box flexDirection="column">
			<Text color="cyan">natscope</Text>
			<Text inverse>selected row</Text>
		</Box>,
	);
	assert.deepEqual(cells(app.lastFrame()), cells('\u001B[36mnatscope\u001B[39m\n\u001B[7mselected row\u001B[27m'));
	app.unmount();
});
