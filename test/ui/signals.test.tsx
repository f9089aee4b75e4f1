import {test} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import {render} from 'ink-testing-library';
import stringWidth from 'string-width';
import {SignalsView, ActionPrompt} from '../../source/views/signals.js';
import type {SignalsState} from '../../source/actions/signals-controller.js';
import {confirmPrompt} from '../../source/actions/panel.js';

const server = {
	name: 'nats-a',
	id: 'NDJWE2T7ABCDEFGH',
	version: '2.9.10',
	address: '127.0.0.1:8222',
	host: '127.0.0.1',
	port: 4222,
	httpPort: 8222,
	startMs: 0,
	configLoadTime: '2026-11-22T10:00:00.123456Z',
	maxPayload: 1048576,
};

const found: SignalsState = {
	transport: 'http',
	server,
	process: {status: 'found', pid: 4321, how: 'listening on 127.0.0.1:8222'},
	offers: [
		{id: 'reload', key: 'r', label: 'reload configuration', via: 'SIGHUP to pid 4321', enabled: true},
		{id: 'reopen', key: 'o', label: 'reopen log file', via: 'SIGUSR1 to pid 4321', enabled: true},
		{id: 'ldm', key: 'L', label: 'lame-duck mode', via: 'SIGUSR2 to pid 4321', enabled: true},
	],
	panel: {phase: 'idle'},
};

function lines(state: SignalsState, width = 80, height = 24): string[] {
	const view = render(<SignalsView state={state} width={width} height={height} />);
	const text = view.lastFrame() ?? '';
	view.unmount();
	const out = text.split('\n');
	for (const line of out) assert.ok(stringWidth(line) <= width, `fits ${width}: ${JSON.stringify(line)}`);
	assert.ok(out.length <= height, `${out.length} lines fit in ${height}`);
	return out;
}

test('signal panel at 80x24: server, how the process was found, the three actions', () => {
	const out = lines(found);
	assert.equal(out[0]!.trimEnd(), 'Signals — nats-a  NDJWE2T7  127.0.0.1:8222  v2.9.10');
	assert.equal(out[1]!.trimEnd(), 'process  pid 4321 (listening on 127.0.0.1:8222)');
	assert.equal(out[2]!.trimEnd(), 'config   loaded 2026-11-22 10:00:00Z   max_payload 1048576');
	assert.equal(out[4]!.trimEnd(), '  r  reload configuration    SIGHUP to pid 4321');
	assert.equal(out[5]!.trimEnd(), '  o  reopen log file         SIGUSR1 to pid 4321');
	assert.equal(out[6]!.trimEnd(), '  L  lame-duck mode          SIGUSR2 to pid 4321');
	assert.equal(out[7]!.trimEnd(), '  f  find the process again');
});

test('no process: the reason and the hint, actions unavailable', () => {
	const state: SignalsState = {
		...found,
		process: {status: 'failed', reason: 'several', message: 'several nats-server processes hold port 8222: 10, 11', hint: 'pass --pid N or --pid-file PATH'},
		offers: found.offers.map(o => ({...o, enabled: false, reason: 'no local process (see above)'})),
	};
	const out = lines(state);
	assert.match(out[1]!, /^process  several nats-server processes hold port 8222: 10, 11/);
	assert.match(out[2]!, /^ {9}pass --pid N or --pid-file PATH/);
	assert.match(out.join('\n'), /L  lame-duck mode {10}unavailable: no local process \(see above\)/);
});

test('a remote server over HTTP points at the NATS transport', () => {
	const state: SignalsState = {
		...found,
		process: {status: 'failed', reason: 'remote', message: "nats.example.com is not this host: signals can only be sent on the server's own host", hint: 'run natscope there'},
		offers: found.offers.map(o => ({...o, enabled: false, reason: 'no local process (see above)'})),
	};
	assert.match(lines(state, 100).join('\n'), /Over the NATS transport \(nats:\/\/… as a system-account user\) nats-server 2\.10\+ can reload remotely\./);
});

test('lame-duck confirmation: the equivalent command, the typed name, a wrong name', () => {
	const target = {serverName: 'nats-a', serverId: server.id, address: server.address, pid: 4321};
	const prompt = confirmPrompt('ldm', target);
	const state: SignalsState = {...found, panel: {phase: 'confirm', action: 'ldm', target, prompt: prompt.lines, mustType: prompt.mustType, typed: 'nats-\u001b[2J', error: 'that is not the server name: type nats-a exactly, or Esc to cancel'}};
	const text = lines(state, 100).join('\n');
	assert.match(text, /Lame-duck mode for nats-a \(pid 4321\)\?\nIt stops accepting clients, evicts every client, then exits\./);
	assert.match(text, /same as: nats-server --signal ldm=4321/);
	assert.match(text, /Type the server name \(nats-a\) and Enter to confirm · Esc cancels/);
	assert.match(text, /> nats-␛\[2J█/, 'typed control characters are shown, not obeyed');
	assert.match(text, /that is not the server name: type nats-a exactly, or Esc to cancel/);
});

test('running and done: progress lines, then ✓ or ✗ with the reason', () => {
	const target = {serverName: 'nats-a', serverId: server.id, address: server.address, pid: 4321};
	const running = lines({...found, panel: {phase: 'running', action: 'ldm', target, lines: ['SIGUSR2 sent to pid 4321', '✓ stops accepting new connections', '… connections drain (3 of 5 left)']}}).join('\n');
	assert.match(running, /✓ stops accepting new connections\n… connections drain \(3 of 5 left\)/);
	const failed = lines({...found, panel: {phase: 'done', action: 'reload', target, ok: false, lines: ['not permitted to send SIGHUP to pid 4321: it belongs to another user', "run natscope as the server's user (or root)"]}}).join('\n');
	assert.match(failed, /✗ not permitted to send SIGHUP to pid 4321: it belongs to another user\n {2}run natscope as the server's user \(or root\)\nEsc clears/);
});

test('the prompt fits the rows it is given and says nothing when idle', () => {
	const target = {serverName: 'nats-a', serverId: 'NB', address: '', cid: 7, client: 'worker'};
	const prompt = confirmPrompt('kick', target);
	const view = render(<ActionPrompt panel={{phase: 'confirm', action: 'kick', target, prompt: prompt.lines, typed: ''}} width={60} height={2} />);
	const out = (view.lastFrame() ?? '').split('\n');
	view.unmount();
	assert.equal(out.length, 2);
	assert.match(out[0]!, /^Kick connection 7 \(worker\) from nats-a\?/);
	const idle = render(<ActionPrompt panel={{phase: 'idle'}} width={60} />);
	assert.equal(idle.lastFrame(), '');
	idle.unmount();
});
