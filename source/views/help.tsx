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
	lines.push({text: ''});
	lines.push({text: 'JetStream', title: true});
	lines.push({text: "  Replica state (current, active, lag, offline) comes from the stream leader's reply: every server"});
	lines.push({text: '  answers for the streams it hosts, but only the leader knows how far its followers are behind.'});
	lines.push({text: '  Ask all servers (several URLs, or $SYS) so the leader is among them; a stream whose leader did'});
	lines.push({text: "  not answer shows '?' and says so. The meta group's peers come from the meta leader's reply."});
	lines.push({text: '  A replica not current or lagging for --lag-refreshes refreshes in a row (default 3) is flagged ⚠,'});
	lines.push({text: '  an offline one ✖; ↑ ↓ → mark the lag growing, shrinking or steady since the last refresh.'});
	lines.push({text: '  Mirrors and sources: lag = messages behind the origin, active = time since the last message.'});
	lines.push({text: '  Events need the NATS transport (a system-account user); JetStream advisories of other accounts'});
	lines.push({text: '  reach the system account only when that account exports $JS.EVENT.ADVISORY.> to it.'});
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
