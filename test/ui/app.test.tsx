// The composed app on a scripted Source (our own interface, fixed answers): layout at the
// terminal sizes users have, and what keys do to the screen.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import {render} from 'ink-testing-library';
import stringWidth from 'string-width';
import {App} from '../../source/app.js';
import {Poller} from '../../source/poll/poller.js';
import type {Config} from '../../source/config/types.js';
import type {Connz, Gathered, Source, SourceRequest} from '../../source/sources/types.js';
import {makeConn, makeConnz, makeVarz} from '../helpers/fixtures.js';
import {waitFor} from '../helpers/wait.js';

const config: Config = {
	transport: 'http',
	urls: ['http://127.0.0.1:8222'],
	tls: {insecure: false},
	intervalMs: 60_000,
	timeoutMs: 1000,
	sort: 'cid',
	reverse: false,
	state: 'open',
	rawNumbers: false,
	lookup: false,
	showSubs: false,
};

function fixedSource(total: number): Source {
	const varz = makeVarz({connections: total});
	const conns = Array.from({length: total}, (_, i) => makeConn({cid: i + 1, name: `client-${i + 1}`}));
	const reply = <T,>(kind: string, data: T) => ({replies: [{kind, server: {id: varz.server_id, name: varz.server_name, address: 'fixed'}, data, receivedAt: Date.now(), rttMs: 1}], failures: []});
	return {
		transport: 'http',
		description: 'http://fixed:8222',
		async request(request: SourceRequest) {
			if (request.kind === 'varz') return reply('varz', varz) as Gathered<never>;
			if (request.kind === 'healthz') return reply('healthz', {status: 'ok', error: '', http_status: 200}) as Gathered<never>;
			const {offset = 0, limit = 1024, cid} = request.query;
			const list = cid === undefined ? conns.slice(offset, offset + limit) : conns.filter(c => c.cid === cid);
			const connz: Connz = makeConnz(list, {total: cid === undefined ? total : list.length, offset});
			return reply('connz', connz) as Gathered<never>;
		},
		async close() {},
	};
}

function mount(width: number, height: number, total = 100) {
	const poller = new Poller(fixedSource(total), {intervalMs: config.intervalMs});
	const app = render(<App config={config} source={fixedSource(total)} poller={poller} width={width} height={height} />);
	const frame = () => app.lastFrame() ?? '';
	return {
		app,
		frame,
		shows: async (test: (s: string) => boolean, what: string) => {
			try {
				await waitFor(() => test(frame()), {timeoutMs: 3000, intervalMs: 10, what});
			} catch (error) {
				throw new Error(`${(error as Error).message}\n--- screen ---\n${frame()}`);
			}
		},
		done: async () => {
			app.unmount();
			await poller.stop();
		},
	};
}

for (const [width, height] of [
	[80, 24],
	[200, 50],
] as const) {
	test(`the whole screen fits ${width}x${height} exactly, with room for ${height - 9} rows`, async () => {
		const ui = mount(width, height);
		await ui.shows(s => s.includes('client-1 ') && s.includes('showing 1–'), 'first page');
		const lines = ui.frame().split('\n');
		assert.ok(lines.length <= height - 1, `${lines.length} lines, one spare row so the terminal never scrolls`);
		for (const line of lines) assert.ok(stringWidth(line) <= width, `fits: ${line}`);
		assert.match(ui.frame(), new RegExp(`showing 1–${height - 9} of 100`));
		await ui.done();
	});
}

test('a terminal too small says so instead of drawing garbage', async () => {
	const ui = mount(50, 10);
	await ui.shows(s => s.includes('too small'), 'too-small message');
	assert.match(ui.frame().replace(/\s+/g, ' '), /50x10 is too small: natscope needs at least 60x12/);
	await ui.done();
});

test('keys: a prompt in the footer, help from the keymap, detail and back', async () => {
	const ui = mount(80, 24);
	await ui.shows(s => s.includes('client-1 '), 'first page');
	ui.app.stdin.write('/');
	await ui.shows(s => s.includes('filter fetched rows: █'), 'filter prompt');
	ui.app.stdin.write('client-7');
	ui.app.stdin.write('\r');
	await ui.shows(s => s.includes('filter "client-7"') && s.includes('text filter is local'), 'local filter applied and said so');
	ui.app.stdin.write('\u001b');
	await ui.shows(s => !s.includes('filter "client-7"'), 'Esc clears the filter');
	ui.app.stdin.write('?');
	await ui.shows(s => s.includes('Keys (Esc or ? closes)'), 'help');
	ui.app.stdin.write('?');
	await ui.shows(s => s.includes('client-1 '), 'help closed');
	ui.app.stdin.write('j');
	await ui.shows(s => s.includes('client-2'), 'still the list');
	// Enter acts on the selection of the last render: give the render after j time on a busy machine.
	await new Promise(resolve => setTimeout(resolve, 300));
	ui.app.stdin.write('\r');
	await ui.shows(s => s.includes('cid 2 client-2'), 'detail of the second row');
	ui.app.stdin.write('h');
	await ui.shows(s => s.includes('showing 1–'), 'back to the list');
	await ui.done();
});
