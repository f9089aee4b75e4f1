// Rows that are not plain ASCII are measured by Ink through a same-width stand-in and written
// with their real text: the frame must be exactly what a plain <Text> of the same row prints.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import {EventEmitter} from 'node:events';

process.env['FORCE_COLOR'] = '1';
const {Box, render: inkRender, Text} = await import('ink');
const {Line, LinesBlock, SplitLine, SegmentsLine, swapIn} = await import('../../source/components/line.js');
const {fitToWidth} = await import('../../source/model/format.js');

/** What Line used to render in one plain Text: the row fitted to the width, trimmed unless inverse. */
function fitted(text: string, width: number, inverse: boolean): string {
	const row = fitToWidth(text, width, 'left');
	return inverse ? row : row.trimEnd();
}

function frameOf(tree: React.ReactElement, columns = 40): string {
	let last = '';
	const stdout = Object.assign(new EventEmitter(), {columns, rows: 10, isTTY: false, write: (frame: string) => ((last = frame), true)});
	const stdin = Object.assign(new EventEmitter(), {isTTY: true, setEncoding() {}, setRawMode() {}, resume() {}, pause() {}, ref() {}, unref() {}, read: () => null});
	const instance = inkRender(tree, {stdout: stdout as never, stdin: stdin as never, debug: true, exitOnCtrlC: false, patchConsole: false});
	// Read before unmounting: under CI=true Ink writes a bare newline as it unmounts.
	const frame = last;
	instance.unmount();
	return frame;
}

test('swapIn puts each real text where its stand-in was, styles kept', () => {
	assert.equal(swapIn('\u001B[7m   \u001B[27m', ['   '], ['a—b']), '\u001B[7ma—b\u001B[27m');
	assert.equal(swapIn('  \u001B[36m \u001B[39m', ['  ', ' '], ['é…', '▼']), 'é…\u001B[36m▼\u001B[39m');
	assert.equal(swapIn('    ', ['  ', '  '], ['ab', 'cd']), 'abcd', 'adjacent unstyled stand-ins');
});

test('Line: non-ASCII rows print exactly what a plain Text prints', () => {
	const rows = [
		{text: '   5 slow-consumer—2   2.8MiB 4%       —/s', props: {}},
		{text: 'name that is far too long for the row… and more', props: {inverse: true}},
		{text: 'sort pending ▼ · 1–41 of 1,000', props: {color: 'cyan', bold: true}},
		{text: '日本語の名前 ▁▂▃▄▅▆▇█', props: {dim: true}},
		{text: 'plain ascii row', props: {color: 'red'}},
	];
	for (const {text, props} of rows) {
		const ours = frameOf(<Box flexDirection="column" width={30}><Line text={text} width={30} {...props} /><Line text="" width={30} /><Line text="after" width={30} /></Box>, 40);
		const inverse = 'inverse' in props;
		const {inverse: _i, dim, ...style} = props as {inverse?: boolean; dim?: boolean; color?: string; bold?: boolean};
		const reference = frameOf(
			<Box flexDirection="column" width={30}>
				<Text {...style} inverse={inverse} dimColor={dim} wrap="truncate-end">
					{fitted(text, 30, inverse)}
				</Text>
				<Text> </Text>
				<Text>after</Text>
			</Box>,
			40,
		);
		assert.equal(ours, reference, text);
	}
});

test('SplitLine and SegmentsLine: several styled runs on one row', () => {
	const ours = frameOf(<SplitLine left="showing 1–41 of 1,000 · sort ▼" right="⚠ TLS" width={40} rightColor="yellow" />, 40);
	const reference = frameOf(
		<Text wrap="truncate-end">
			<Text>{'showing 1–41 of 1,000 · sort ▼'.padEnd(34)}</Text>{' '}<Text color="yellow">⚠ TLS</Text>
		</Text>,
		40,
	);
	assert.equal(ours, reference);
	const segments = frameOf(<SegmentsLine width={40} segments={[{text: 'in ', cells: 4}, {text: '▁▂▃', color: 'cyan'}, {text: ' total 5 msgs'}]} />, 40);
	assert.equal(segments, frameOf(<Text>{'in  '}<Text color="cyan">▁▂▃</Text>{' total 5 msgs'}</Text>, 40));
});


test('LinesBlock: rows as one node print exactly what a Line per row prints', () => {
	const lines = ['   5 slow-consumer—2   2.8MiB 4%       —/s', '', 'name that is far too long for the row… and more', '日本語の名前 ▁▂▃▄▅▆▇█', 'plain ascii row'];
	const asBlock = frameOf(
		<Box flexDirection="column" width={30}>
			<Line text="header" width={30} bold />
			<LinesBlock lines={lines} width={30} />
			<Line text="after" width={30} inverse />
		</Box>,
		40,
	);
	const perRow = frameOf(
		<Box flexDirection="column" width={30}>
			<Line text="header" width={30} bold />
			{lines.map((text, i) => (
				<Line key={i} text={text} width={30} />
			))}
			<Line text="after" width={30} inverse />
		</Box>,
		40,
	);
	assert.equal(asBlock, perRow);
	assert.equal(asBlock.split('\n').length, lines.length + 2, 'one row per line, the empty one kept');
	assert.equal(frameOf(<LinesBlock lines={[]} width={30} />), '', 'no lines, no rows');
});
