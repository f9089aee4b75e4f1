// One connection in full: fields, traffic with rates, RTT history, security, subscriptions.
import React from 'react';
import {Box} from '../ui/ink.js';
import type {DetailLine, DetailModel} from '../model/detail.js';
import {fitToWidth} from '../model/format.js';
import {Line, SegmentsLine} from '../components/line.js';
import type {PanelState} from '../actions/panel.js';
import type {ActionOffer} from '../actions/signals-controller.js';
import {ActionPrompt} from './signals.js';

/** Kick and client lame duck for the connection on screen, and the confirmation under way. */
export type DetailActions = {offers: ActionOffer[]; panel: PanelState};

export type DetailViewProps = {
	model?: DetailModel;
	/** Why there is no model (loading, gone). */
	message: string;
	scroll: number;
	width: number;
	height: number;
	actions?: DetailActions;
};

/** Rows the confirmation of a kick or lame duck may take at the bottom of the view. */
const PROMPT_ROWS = 5;

/** The bottom rows: the action under way, or what K and D do here (or why they can't). */
function actionRows(actions: DetailActions, width: number, room: number): {rows: React.JSX.Element[]; height: number} {
	const {panel, offers} = actions;
	if (room <= 0) return {rows: [], height: 0};
	if (panel.phase !== 'idle' || panel.notice) {
		const height = Math.min(PROMPT_ROWS, room);
		return {rows: [<ActionPrompt key="prompt" panel={panel} width={width} height={height} />], height};
	}
	return {rows: offerRows(offers, width).slice(0, room), height: Math.min(room, offerRows(offers, width).length)};
}

function offerRows(offers: ActionOffer[], width: number): React.JSX.Element[] {
	if (offers.every(o => o.enabled)) {
		const text = offers.map(o => `${o.key} ${o.label} (${o.via})`).join('   ');
		return [<Line key="offers" text={text} width={width} dim />];
	}
	const reasons = [...new Set(offers.map(o => o.reason ?? ''))];
	if (reasons.length === 1) return [<Line key="offers" text={`${offers.map(o => `${o.key} ${o.label}`).join(', ')} unavailable: ${reasons[0]}`} width={width} dim />];
	return offers.map(o => <Line key={o.id} text={o.enabled ? `${o.key} ${o.label} (${o.via})` : `${o.key} ${o.reason ?? ''}`} width={width} dim />);
}

const LABEL_WIDTH = 20;

function DetailRow(props: {line: DetailLine; width: number}): React.JSX.Element {
	const {line, width} = props;
	if (line.kind === 'section') return <Line text={line.text} width={width} bold color="cyan" />;
	if (line.kind === 'text') return <Line text={`  ${line.text}`} width={width} />;
	const label = fitToWidth(`  ${line.label}`, Math.min(LABEL_WIDTH, width), 'left');
	return (
		<SegmentsLine
			width={width}
			segments={[
				{text: label, dim: true},
				{text: fitToWidth(line.value, Math.max(0, width - label.length), 'left'), color: line.alert ? 'yellow' : undefined},
			]}
		/>
	);
}

/** The first line the view shows, so the last page stays full. */
export function detailScrollTop(lineCount: number, scroll: number, height: number): number {
	const room = Math.max(1, height - 1);
	return Math.max(0, Math.min(scroll, lineCount - room));
}

export function DetailView(props: DetailViewProps): React.JSX.Element {
	const {model, width} = props;
	// The connection's own lines keep two rows at least (title and one line).
	const bottom = props.actions && model ? actionRows(props.actions, width, props.height - 2) : {rows: [], height: 0};
	const height = Math.max(1, props.height - bottom.height);
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
		<Box flexDirection="column" height={props.height}>
			{rows.slice(0, height)}
			{bottom.rows}
		</Box>
	);
}
