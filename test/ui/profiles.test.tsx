import {test} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import {render} from 'ink-testing-library';
import stringWidth from 'string-width';
import {ProfilesView, progressBar} from '../../source/views/profiles.js';
import type {ProfilesState} from '../../source/actions/profiles-controller.js';

const ready: ProfilesState = {
	server: {name: 'nats-a', id: 'NDJWE2T7ABCDEFGH', version: '2.9.10'},
	origin: {status: 'http', base: 'http://127.0.0.1:6060/debug/pprof/', how: '--prof-port'},
	cpuSeconds: 10,
	dir: '/var/tmp/profiles',
	history: [],
};

function lines(state: ProfilesState, width = 80, height = 24): string[] {
	const view = render(<ProfilesView state={state} width={width} height={height} />);
	const out = (view.lastFrame() ?? '').split('\n');
	view.unmount();
	for (const line of out) assert.ok(stringWidth(line) <= width, `fits ${width}: ${JSON.stringify(line)}`);
	assert.ok(out.length <= height);
	return out;
}

test('progress bar', () => {
	assert.equal(progressBar(0, 12), '[..........]');
	assert.equal(progressBar(0.5, 12), '[#####.....]');
	assert.equal(progressBar(2, 12), '[##########]');
});

test('profiles panel at 80x24: origin, folder, seconds, keys', () => {
	const out = lines(ready);
	assert.equal(out[0]!.trimEnd(), 'Profiles — nats-a  NDJWE2T7  v2.9.10');
	assert.equal(out[1]!.trimEnd(), 'from     http://127.0.0.1:6060/debug/pprof/ (--prof-port)');
	assert.equal(out[2]!.trimEnd(), 'folder   /var/tmp/profiles');
	assert.equal(out[3]!.trimEnd(), 'cpu      10 s   ([ and ] change it; f looks for the port again)');
	assert.equal(out[5]!.trimEnd(), '  c cpu  h heap  a allocs  g goroutine  B block  m mutex  t threadcreate');
});

test('a cpu profile shows a progress bar with the seconds and Esc', () => {
	const out = lines({...ready, running: {profile: 'cpu', startedAt: 0, totalMs: 10_000, elapsedMs: 2500}}, 100);
	assert.match(out.join('\n'), /cpu profile \[#+\.+\] 2\.5\/10 s {3}Esc cancels/);
	const bar = /\[(#+)(\.+)\]/.exec(out.join('\n'))!;
	assert.equal(bar[1]!.length / (bar[1]!.length + bar[2]!.length), 0.25);
});

test('a download: size, path and the go tool pprof hint; earlier downloads below', () => {
	const out = lines({
		...ready,
		result: {ok: true, lines: ['heap profile: 12.3KiB in 0.1 s → /var/tmp/profiles/heap-nats-a-20261122-100000.pprof', 'go tool pprof /var/tmp/profiles/heap-nats-a-20261122-100000.pprof']},
		history: ['heap profile: 12.3KiB in 0.1 s → /var/tmp/profiles/heap-nats-a-20261122-100000.pprof', 'cpu profile: 40.0KiB in 10.0 s → /var/tmp/profiles/cpu-nats-a-20261122-095900.pprof'],
	}, 100).join('\n');
	assert.match(out, /✓ heap profile: 12\.3KiB in 0\.1 s → \/var\/tmp\/profiles\/heap-nats-a-20261122-100000\.pprof/);
	assert.match(out, / {2}go tool pprof \/var\/tmp\/profiles\/heap-nats-a-20261122-100000\.pprof/);
	assert.match(out, /earlier downloads\n {2}cpu profile: 40\.0KiB in 10\.0 s/);
});

test('no profiling port: why, and what to do', () => {
	const out = lines({...ready, origin: {status: 'none', message: 'pid 42 has no profiling port (prof_port is not set)', hint: 'set prof_port in the server config and reload or restart it; then press f'}}, 100).join('\n');
	assert.match(out, /from {5}pid 42 has no profiling port \(prof_port is not set\)/);
	assert.match(out, /set prof_port in the server config/);
	const failed = lines({...ready, result: {ok: false, lines: ['connection refused by 127.0.0.1:6060', 'is prof_port set in the server config? Pass it with --prof-port']}}, 100).join('\n');
	assert.match(failed, /✗ connection refused by 127\.0\.0\.1:6060/);
});
