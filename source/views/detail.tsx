// One connection in full: fields, traffic with rates, RTT history, security, subscriptions.
import React from 'react';
import {Box, Text} from 'ink';
import type {DetailLine, DetailModel} from '../model/detail.js';
import {fitToWidth} from '../model/format.js';
import {Line} from '../components/line.js';

export type DetailViewProps = {
	model?: DetailModel;
	/** Why there is no model (loading, gone). */
	message: string;
	scroll: number;
	width: number;
	height: number;
};

const LABEL_WIDTH = 20;

function DetailRow(props: {line: DetailLine; width: number}): React.JSX.Element {
	const {line, width} = props;
	if (line.kind === 'section') return <Line text={line.text} width={width} bold color="cyan" />;
	if (line.kind === 'text') return <Line text={`  ${line.text}`} width={width} />;
	const label = fitToWidth(`  ${line.label}`, Math.min(LABEL_WIDTH, width), 'left');
	return (
		<Text wrap="truncate-end">
			<Text dimColor>{label}</Text>
			<Text color={line.alert ? 'yellow' : undefined}>{fitToWidth(line.value, Math.max(0, width - label.length), 'left')}</Text>
		</Text>
	);
}

/** The first line the view shows, so the last page stays full. */
export function detailScrollTop(lineCount: number, scroll: number, height: number): number {
	const room = Math.max(1, height - 1);
	return Math.max(0, Math.min(scroll, lineCount - room));
}

export function DetailView(props: DetailViewProps): React.JSX.Element {
	const {model, width, height} = props;
	const rows: React.JSX.Element[] = [];
	if (!model) {
		rows.push(<Line key="title" text="Connection" width={width} bold />);
		rows.push(<Line key="msg" text={props.message} width={width} dim />);
	} else {
		const top = detailScrollTop(model.lines.length, props.scroll, height);
		const room = Math.max(0, height - 1);
		const more = model.lines.length - top - room;
		rows.push(<Line key="title" text={`${model.title}${more > 0 ? `   (${more} more below, ↓)` : ''}`} width={width} bold inverse />);
		for (const [index, line] of model.lines.slice(top, top + room).entries()) {
			rows.push(<DetailRow key={top + index} line={line} width={width} />);
		}
	}
	while (rows.length < height) rows.push(<Line key={`pad${rows.length}`} text="" width={width} />);
	return (
		<Box flexDirection="column" height={height}>
			{rows.slice(0, height)}
		</Box>
	);
}
