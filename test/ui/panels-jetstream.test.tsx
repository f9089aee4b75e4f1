// The panel view drawing the streams, health and events models at 80x24 and 100x40 (ink-testing-library's own width): every line
// fits, the selected stream is highlighted with its replica lines kept on screen, and the
// scroll follows the selection.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import {render} from 'ink-testing-library';
import stringWidth from 'string-width';
import {PanelView, panelLines} from '../../source/views/panel.js';
import {buildStreamsModel, trackLag} from '../../source/model/jetstream.js';
import {buildHealthModel} from '../../source/model/health.js';
import {LagTracker} from '../../source/model/lag.js';
import {context, jsz, reply, S1, S2, status, stream} from '../helpers/panel-fixtures.js';

function streamsReplies(count: number) {
	const streams = Array.from({length: count}, (_, i) =>
		stream(`STREAM_${String(i).padStart(2, '0')}`, {leader: 'n1', messages: 1000 - i, replicas: [{name: 'n2', current: i !== 30, lag: i === 30 ? 77 : 0, active: 1_000_000_000}, {name: 'n3', current: true}]}),
	);
	return [reply('jsz', S1, jsz('2026-01-01T00:00:01Z', streams))];
}

for (const size of [{width: 80, height: 24}, {width: 100, height: 40}]) {
	test(`streams at ${size.width}x${size.height}: fits, the flagged stream first and highlighted with its replicas`, () => {
		const lag = new LagTracker(1);
		const replies = streamsReplies(40);
		trackLag(lag, replies);
		const model = buildStreamsModel(context([status('jsz-streams', 'jsz', replies)], {lag, width: size.width}));
		const {lastFrame} = render(<PanelView model={model} width={size.width} height={size.height - 6} />);
		const frame = lastFrame()!;
		const lines = frame.split('\n');
		assert.equal(lines.length, size.height - 6);
		for (const line of lines) assert.ok(stringWidth(line.replace(/\u001b\[[0-9;]*m/g, '')) <= size.width, `fits: ${JSON.stringify(line)}`);
		assert.match(lines[1]!, /STREAM_30/, 'the lagging stream sorts first');
		const drawn = panelLines(model);
		assert.equal(drawn.selectedLine, 1);
		assert.equal(drawn.lines[1]!.inverse, true, 'selected row drawn inverse');
		assert.equal(drawn.lines[2]!.inverse, false, 'its replica lines are not');
		assert.match(lines[2]!, /└ n2\s+not current/);
		assert.match(lines[3]!, /└ n3\s+current/);
	});
}

test('scrolling: the selected row and its replica lines stay on screen', () => {
	const lag = new LagTracker(1);
	const replies = streamsReplies(40);
	trackLag(lag, replies);
	const model = buildStreamsModel(context([status('jsz-streams', 'jsz', replies)], {lag, width: 80, expanded: true, panel: {selected: 25} as never}));
	const {selectedLine, lines} = panelLines(model);
	assert.ok(selectedLine !== undefined);
	assert.match(lines[selectedLine].text, /^STREAM_/);
	const {lastFrame} = render(<PanelView model={model} width={80} height={10} />);
	const frame = lastFrame()!.split('\n');
	const at = frame.findIndex(l => l.includes(lines[selectedLine].text.slice(0, 9)));
	assert.ok(at >= 0, 'the selected stream is on screen');
	assert.match(frame[at + 1]!, /└ n2/);
	assert.match(frame[at + 2]!, /└ n3/);
});

test('health at 80 columns: long errors wrap under their server, nothing is cut', () => {
	const long = 'JetStream has not established contact with a meta leader and this sentence goes on well past eighty columns';
	const model = buildHealthModel(context([status('healthz', 'healthz', [reply('healthz', S1, {status: 'ok'}), reply('healthz', S2, {status: 'unavailable', error: long})])], {width: 80}));
	const {lastFrame} = render(<PanelView model={model} width={80} height={12} />);
	const text = lastFrame()!.replace(/\u001b\[[0-9;]*m/g, '');
	assert.match(text.replace(/\s+/g, ' '), /plain: unavailable \(HTTP 503\) — JetStream has not established contact with a meta leader and this sentence goes on well past eighty columns/);
	for (const line of text.split('\n')) assert.ok(stringWidth(line) <= 80);
});
