// Every key, generated from the keymap, grouped by where it works.
import React from 'react';
import {Box} from '../ui/ink.js';
import {helpSections} from '../keymap.js';
import {fitToWidth, wrapWords} from '../model/format.js';
import {Line} from '../components/line.js';

export type HelpViewProps = {scroll: number; width: number; height: number};

type HelpLine = {text: string; title?: boolean};

const JETSTREAM_NOTES = [
	"Replica state (current, active, lag, offline) comes from the stream leader's reply: every server answers for the streams it hosts, but only the leader knows how far its followers are behind. Ask all servers (several URLs, or $SYS) so the leader is among them; a stream whose leader did not answer shows '?' and says so. The meta group's peers come from the meta leader's reply.",
	'A replica not current or lagging for --lag-refreshes refreshes in a row (default 3) is flagged ⚠, an offline one ✖; ↑ ↓ → mark the lag growing, shrinking or steady since the last refresh.',
	'Mirrors and sources: lag = messages behind the origin (for a mirror whose origin answered too, at least the origin\'s last sequence minus the mirror\'s: 2.9 servers report 0), active = time since the last message.',
	'Events need the NATS transport (a system-account user); JetStream advisories of other accounts reach the system account only when that account exports $JS.EVENT.ADVISORY.> to it.',
];

/** The help text, wrapped to `width` cells (a key's description continues under itself). */
export function helpLines(width = Number.POSITIVE_INFINITY): HelpLine[] {
	const lines: HelpLine[] = [];
	const add = (text: string, indent: number, title?: boolean) => {
		for (const part of wrapWords(text, width, indent)) lines.push({text: part, title});
	};
	for (const section of helpSections()) {
		add(section.title, 2, true);
		for (const row of section.rows) add(`  ${fitToWidth(row.keys, 22, 'left')} ${row.description}`, 25);
		lines.push({text: ''});
	}
	add('Rates are per second of server time between two samples; "—" means one sample so far.', 0);
	add('Sorting and paging are done by the server; the status line says when something is local.', 0);
	lines.push({text: ''});
	lines.push({text: 'JetStream', title: true});
	for (const paragraph of JETSTREAM_NOTES) add(`  ${paragraph}`, 2);
	return lines;
}

export function HelpView(props: HelpViewProps): React.JSX.Element {
	const {width, height} = props;
	const lines = helpLines(width);
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
