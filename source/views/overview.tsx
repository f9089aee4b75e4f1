// The header: who the server is, how busy it is, and whether it is healthy.
import React from 'react';
import {Box} from '../ui/ink.js';
import type {OverviewModel} from '../model/overview.js';
import {fitToWidth} from '../model/format.js';
import {TONE_COLOR} from '../components/tone.js';
import type {Tone} from '../model/overview.js';
import {Line, SegmentsLine} from '../components/line.js';

export const OVERVIEW_HEIGHT = 4;

export type OverviewProps = {
	model?: OverviewModel;
	/** What we are connecting to, shown until the first answer. */
	target: string;
	stale: boolean;
	width: number;
	/** A flag shown before the health badge (replication lag: "⚠ 2 replicas lagging, 1 offline"). */
	alert?: {text: string; tone: Tone};
};

function ratesText(label: string, line: OverviewModel['in']): string {
	return `${label} ${fitToWidth(line.msgsRate, 10, 'right')} ${fitToWidth(line.bytesRate, 11, 'right')}`;
}

function totalsText(line: OverviewModel['in']): string {
	return `  total ${line.msgs} msgs ${line.bytes}`;
}

/** One width for both sparklines so in and out line up; at most a minute of samples. */
function sparkWidthFor(model: OverviewModel, width: number): number {
	const fixed = ratesText('in ', model.in).length + Math.max(totalsText(model.in).length, totalsText(model.out).length) + 1;
	return Math.max(0, Math.min(60, width - fixed));
}

function Traffic(props: {label: string; line: OverviewModel['in']; width: number; sparkWidth: number}): React.JSX.Element {
	const {line, sparkWidth} = props;
	const rates = ratesText(props.label, line);
	const totals = totalsText(line);
	return (
		<SegmentsLine
			width={props.width}
			segments={[
				{text: rates},
				{text: sparkWidth > 0 ? ' ' : ''},
				{text: fitToWidth(line.spark.slice(-sparkWidth), sparkWidth, 'right'), color: 'cyan'},
				{text: fitToWidth(totals, Math.max(0, props.width - rates.length - sparkWidth - (sparkWidth > 0 ? 1 : 0)), 'left')},
			]}
		/>
	);
}

export function Overview(props: OverviewProps): React.JSX.Element {
	const {model, width} = props;
	if (!model) {
		return (
			<Box flexDirection="column" height={OVERVIEW_HEIGHT}>
				<Line text={`natscope → ${props.target}`} width={width} bold />
				<Line text="waiting for the first /varz answer…" width={width} dim />
				<Line text="" width={width} />
				<Line text="" width={width} />
			</Box>
		);
	}
	const identity = [
		[model.serverName, model.shortId].filter(Boolean).join(' '),
		`v${model.version}`,
		model.address,
		model.cluster ? `cluster ${model.cluster}` : '',
		model.uptime ? `up ${model.uptime}` : '',
	]
		.filter(Boolean)
		.join('  ');
	const badge = props.stale ? {text: '◌ stale', tone: 'warn' as const} : model.health;
	const badgeWidth = Math.min(badge.text.length, Math.floor(width / 2));
	const alert = props.alert;
	const alertWidth = alert ? Math.min(alert.text.length, Math.max(0, Math.floor(width / 2) - badgeWidth - 1)) : 0;
	const identityWidth = Math.max(0, width - badgeWidth - 1 - (alertWidth > 0 ? alertWidth + 1 : 0));
	const load = `cpu ${model.cpu}  mem ${model.mem}  conns ${model.connections} (total ${model.totalConnections})  subs ${model.subscriptions}  `;
	return (
		<Box flexDirection="column" height={OVERVIEW_HEIGHT}>
			<SegmentsLine
				width={width}
				segments={[
					{text: fitToWidth(identity, identityWidth, 'left'), bold: true},
					{text: ' '},
					...(alert && alertWidth > 0 ? [{text: `${fitToWidth(alert.text, alertWidth, 'left')} `, color: TONE_COLOR[alert.tone], bold: true}] : []),
					{text: fitToWidth(badge.text, badgeWidth, 'right'), color: TONE_COLOR[badge.tone]},
				]}
			/>
			<SegmentsLine
				width={width}
				segments={[
					{text: fitToWidth(load, Math.min(load.length, width), 'left')},
					{text: fitToWidth(`slow ${model.slowConsumers}`, Math.max(0, width - load.length), 'left'), color: model.slowAlert ? 'red' : undefined, bold: model.slowAlert},
				]}
			/>
			<Traffic label="in " line={model.in} width={width} sparkWidth={sparkWidthFor(model, width)} />
			<Traffic label="out" line={model.out} width={width} sparkWidth={sparkWidthFor(model, width)} />
		</Box>
	);
}
