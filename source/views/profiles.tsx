// The profiles panel: where profiles come from, the keys for each kind, a cpu profile's progress
// bar, and what was written where (with the go tool pprof hint).
import React from 'react';
import {Box, Text} from '../ui/ink.js';
import {PROFILE_PANEL_KEYS, type ProfilesState} from '../actions/profiles-controller.js';
import {fitToWidth} from '../model/format.js';
import {sanitizeText} from '../model/sanitize.js';
import {Line} from '../components/line.js';

export type ProfilesViewProps = {state: ProfilesState; width: number; height: number};

/** "[#####.....]" for a fraction in 0..1, `cells` wide including the brackets. */
export function progressBar(fraction: number, cells: number): string {
	const inner = Math.max(1, cells - 2);
	const filled = Math.round(Math.max(0, Math.min(1, fraction)) * inner);
	return `[${'#'.repeat(filled)}${'.'.repeat(inner - filled)}]`;
}

function originLine(state: ProfilesState): {text: string; color?: string; hint?: string} {
	const o = state.origin;
	switch (o.status) {
		case 'unknown':
			return {text: 'from     waiting for the server…'};
		case 'finding':
			return {text: 'from     looking for the profiling port…'};
		case 'http':
			return {text: `from     ${sanitizeText(o.base, 200)} (${o.how})`, color: 'green'};
		case 'nats':
			return {text: `from     ${o.how}`, color: 'green'};
		case 'none':
			return {text: `from     ${o.message}`, color: 'yellow', hint: o.hint};
	}
}

export function ProfilesView(props: ProfilesViewProps): React.JSX.Element {
	const {state, width, height} = props;
	const rows: React.JSX.Element[] = [];
	const server = state.server;
	rows.push(
		<Line
			key="title"
			text={`Profiles — ${server ? [server.name || '(no name)', server.id.slice(0, 8), server.version ? `v${server.version}` : ''].filter(Boolean).join('  ') : 'waiting for the server'}`}
			width={width}
			bold
			inverse
		/>,
	);
	const origin = originLine(state);
	rows.push(<Line key="origin" text={origin.text} width={width} color={origin.color} dim={!origin.color} />);
	if (origin.hint) rows.push(<Line key="hint" text={`         ${origin.hint}`} width={width} dim />);
	rows.push(<Line key="dir" text={`folder   ${sanitizeText(state.dir, 300)}`} width={width} />);
	rows.push(<Line key="secs" text={`cpu      ${state.cpuSeconds} s   ([ and ] change it; f looks for the port again)`} width={width} />);
	rows.push(<Line key="gap" text="" width={width} />);
	const keys = PROFILE_PANEL_KEYS.map(k => `${k.key} ${k.profile}`).join('  ');
	const enabled = state.origin.status === 'http' || state.origin.status === 'nats';
	rows.push(<Line key="keys" text={`  ${keys}`} width={width} bold={enabled} dim={!enabled} />);
	rows.push(<Line key="gap2" text="" width={width} />);
	const running = state.running;
	if (running) {
		if (running.totalMs > 0) {
			const label = `${running.profile} profile `;
			const tail = ` ${(running.elapsedMs / 1000).toFixed(1)}/${(running.totalMs / 1000).toFixed(0)} s   Esc cancels`;
			const barCells = Math.max(4, Math.min(42, width - label.length - tail.length));
			rows.push(
				<Text key="bar" wrap="truncate-end">
					{label}
					<Text color="cyan">{progressBar(running.elapsedMs / running.totalMs, barCells)}</Text>
					{fitToWidth(tail, Math.max(0, width - label.length - barCells), 'left')}
				</Text>,
			);
		} else {
			rows.push(<Line key="bar" text={`${running.profile} profile: downloading…`} width={width} />);
		}
	} else if (state.result) {
		for (const [i, line] of state.result.lines.entries()) {
			const text = i === 0 ? `${state.result.ok ? '✓' : '✗'} ${line}` : `  ${line}`;
			rows.push(<Line key={`res${i}`} text={text} width={width} color={i === 0 ? (state.result.ok ? 'green' : 'red') : state.result.ok ? 'cyan' : undefined} />);
		}
	}
	if (state.history.length > 1) {
		rows.push(<Line key="gap3" text="" width={width} />);
		rows.push(<Line key="histtitle" text="earlier downloads" width={width} dim />);
		for (const [i, line] of state.history.slice(1).entries()) rows.push(<Line key={`h${i}`} text={`  ${line}`} width={width} dim />);
	}
	return (
		<Box flexDirection="column" height={height}>
			{rows.slice(0, height)}
		</Box>
	);
}
