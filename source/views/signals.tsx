// The signal panel: which server, how its process was found, the three signals (and remote
// reload over NATS), and the confirmation / progress / result of the action under way.
import React from 'react';
import {Box, Text} from '../ui/ink.js';
import type {PanelState} from '../actions/panel.js';
import type {ActionOffer, SignalsState} from '../actions/signals-controller.js';
import {fitToWidth} from '../model/format.js';
import {sanitizeText} from '../model/sanitize.js';
import {Line} from '../components/line.js';

export type SignalsViewProps = {state: SignalsState; width: number; height: number};

function processLines(state: SignalsState): Array<{text: string; color?: string; dim?: boolean}> {
	const p = state.process;
	switch (p.status) {
		case 'unknown':
			return [{text: 'process  waiting for the server to answer…', dim: true}];
		case 'finding':
			return [{text: 'process  looking for it…', dim: true}];
		case 'found':
			return [{text: `process  pid ${p.pid} (${p.how})`, color: 'green'}];
		case 'exited':
			return [{text: `process  pid ${p.pid} has exited — natscope keeps running`, color: 'red'}];
		case 'failed':
			return [
				{text: `process  ${p.message}`, color: p.reason === 'remote' ? 'cyan' : 'yellow'},
				{text: `         ${p.hint}`, dim: true},
			];
	}
}

function OfferRow(props: {offer: ActionOffer; width: number}): React.JSX.Element {
	const {offer, width} = props;
	const keyText = fitToWidth(`  ${offer.key}  `, 5, 'left');
	const label = fitToWidth(offer.label, 24, 'left');
	const rest = offer.enabled ? offer.via : `unavailable: ${offer.reason ?? ''}`;
	return (
		<Text wrap="truncate-end">
			<Text bold={offer.enabled} dimColor={!offer.enabled}>
				{keyText}
			</Text>
			<Text dimColor={!offer.enabled}>{label}</Text>
			<Text color={offer.enabled ? undefined : 'gray'}>{fitToWidth(rest, Math.max(0, width - 29), 'left')}</Text>
		</Text>
	);
}

/** Confirmation, progress or result of an action, as at most `height` rows. */
export function ActionPrompt(props: {panel: PanelState; width: number; height?: number}): React.JSX.Element | null {
	const {panel, width} = props;
	const rows: React.JSX.Element[] = [];
	if (panel.phase === 'idle') {
		if (panel.notice) rows.push(<Line key="notice" text={panel.notice} width={width} color="yellow" />);
	} else if (panel.phase === 'confirm') {
		const [first, ...rest] = panel.prompt;
		rows.push(<Line key="q" text={first ?? ''} width={width} bold color={panel.action === 'ldm' ? 'red' : 'yellow'} />);
		for (const [i, line] of rest.entries()) rows.push(<Line key={`p${i}`} text={line} width={width} dim={/^(same as|sends) /.test(line)} />);
		if (panel.mustType !== undefined) rows.push(<Line key="typed" text={`> ${sanitizeText(panel.typed, 200)}█`} width={width} bold />);
		if (panel.error) rows.push(<Line key="err" text={panel.error} width={width} color="red" />);
	} else if (panel.phase === 'running') {
		if (panel.lines.length === 0) rows.push(<Line key="w" text="working…" width={width} dim />);
		for (const [i, line] of panel.lines.entries()) rows.push(<Line key={`r${i}`} text={line} width={width} color={line.startsWith('✓') ? 'green' : undefined} />);
		if (panel.cancelling) rows.push(<Line key="c" text="stopping…" width={width} dim />);
	} else {
		for (const [i, line] of panel.lines.entries()) {
			const text = i === 0 ? `${panel.ok ? '✓' : '✗'} ${line}` : `  ${line}`;
			rows.push(<Line key={`d${i}`} text={text} width={width} color={i === 0 ? (panel.ok ? 'green' : 'red') : undefined} />);
		}
		rows.push(<Line key="dismiss" text="Esc clears" width={width} dim />);
	}
	if (rows.length === 0) return null;
	const shown = props.height === undefined ? rows : rows.slice(0, Math.max(0, props.height));
	return <Box flexDirection="column">{shown}</Box>;
}

export function SignalsView(props: SignalsViewProps): React.JSX.Element {
	const {state, width, height} = props;
	const server = state.server;
	const rows: React.JSX.Element[] = [];
	const title = server
		? `Signals — ${[server.name || '(no name)', server.id.slice(0, 8), server.address, server.version ? `v${server.version}` : ''].filter(Boolean).join('  ')}`
		: 'Signals — waiting for the server';
	rows.push(<Line key="title" text={title} width={width} bold inverse />);
	for (const [i, line] of processLines(state).entries()) rows.push(<Line key={`proc${i}`} text={line.text} width={width} color={line.color} dim={line.dim} />);
	if (server) {
		const loaded = server.configLoadTime ? server.configLoadTime.replace('T', ' ').replace(/\.\d+/, '') : '?';
		rows.push(<Line key="config" text={`config   loaded ${loaded}   max_payload ${server.maxPayload}`} width={width} />);
	}
	rows.push(<Line key="gap" text="" width={width} />);
	for (const offer of state.offers) rows.push(<OfferRow key={offer.id} offer={offer} width={width} />);
	rows.push(<Line key="find" text={`  f  ${fitToWidth('find the process again', 24, 'left')}`} width={width} dim />);
	rows.push(<Line key="gap2" text="" width={width} />);
	const used = rows.length;
	const prompt = <ActionPrompt key="prompt" panel={state.panel} width={width} height={Math.max(0, height - used)} />;
	const transportNote =
		state.transport === 'http' && state.process.status === 'failed' && state.process.reason === 'remote'
			? 'Over the NATS transport (nats://… as a system-account user) nats-server 2.10+ can reload remotely.'
			: '';
	return (
		<Box flexDirection="column" height={height}>
			{rows.slice(0, height)}
			{height > used ? prompt : null}
			{transportNote && state.panel.phase === 'idle' && !state.panel.notice && height > used ? <Line text={transportNote} width={width} dim /> : null}
		</Box>
	);
}
