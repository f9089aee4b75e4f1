// Every key, generated from the keymap, grouped by where it works.
import React from 'react';
import {Box} from 'ink';
import {helpSections} from '../keymap.js';
import {fitToWidth} from '../model/format.js';
import {Line} from '../components/line.js';

export type HelpViewProps = {scroll: number; width: number; height: number};

type HelpLine = {text: string; title?: boolean};

export function helpLines(): HelpLine[] {
	const lines: HelpLine[] = [];
	for (const section of helpSections()) {
		lines.push({text: section.title, title: true});
		for (const row of section.rows) lines.push({text: `  ${fitToWidth(row.keys, 22, 'left')} ${row.description}`});
		lines.push({text: ''});
	}
	lines.push({text: 'Rates are per second of server time between two samples; "—" means one sample so far.'});
	lines.push({text: 'Sorting and paging are done by the server; the status line says when something is local.'});
	return lines;
}

export function HelpView(props: HelpViewProps): React.JSX.Element {
	const {width, height} = props;
	const lines = helpLines();
	const room = Math.max(0, height - 1);
	const top = Math.max(0, Math.min(props.scroll, lines.length - room));
	const rows = lines.slice(top, top + room).map((line, index) => (
		<Line key={top + index} text={line.text} width={width} bold={line.title} color={line.title ? 'cyan' : undefined} />
	));
	while (rows.length < room) rows.push(<Line key={`pad${rows.length}`} text="" width={width} />);
	return (
		<Box flexDirection="column" height={height}>
			<Line text="Keys (Esc or ? closes)" width={width} bold inverse />
			{rows}
		</Box>
	);
}
