// The connections table: a header row with the sort marker and the rows on screen, the
// selected one highlighted. Everything arrives formatted in the model.
import React from 'react';
import {Box} from '../ui/ink.js';
import type {ConnectionsModel} from '../model/connections-view.js';
import {Line, LinesBlock} from '../components/line.js';

export type ConnectionsViewProps = {
	model: ConnectionsModel;
	/** Whether an answer has arrived at all (before it, the body says so). */
	loaded: boolean;
	/** Why there is no answer yet, when the server failed before the first one. */
	problem?: {message: string; hint: string};
	width: number;
	/** Rows for the body including the table header. */
	height: number;
};

/** Memoized: the model is the same object until the rows or the window change. */
export const ConnectionsView = React.memo(function ConnectionsView(props: ConnectionsViewProps): React.JSX.Element {
	const {model, width, height} = props;
	const rowsBelowHeader = Math.max(0, height - 1);
	const body: React.JSX.Element[] = [];
	let tableDrawn = false;
	if (!props.loaded && props.problem) {
		body.push(<Line key="err" text={`✖ ${props.problem.message}`} width={width} color="red" />);
		if (props.problem.hint) body.push(<Line key="hint" text={`  ${props.problem.hint}`} width={width} />);
	} else if (!props.loaded) {
		body.push(<Line key="wait" text="waiting for /connz…" width={width} dim />);
	} else if (model.empty) {
		body.push(<Line key="empty" text={model.empty} width={width} dim />);
	} else {
		tableDrawn = true;
		// The rows around the selected one are drawn as blocks: one Ink node each, not one per row.
		const lines = model.lines.slice(0, rowsBelowHeader);
		while (lines.length < rowsBelowHeader) lines.push('');
		const selected = model.selectedLine;
		if (selected !== undefined && selected < lines.length) {
			body.push(<LinesBlock key="above" lines={lines.slice(0, selected)} width={width} />);
			body.push(<Line key="selected" text={lines[selected]!} width={width} inverse />);
			body.push(<LinesBlock key="below" lines={lines.slice(selected + 1)} width={width} />);
		} else {
			body.push(<LinesBlock key="rows" lines={lines} width={width} />);
		}
	}
	if (!tableDrawn && body.length < rowsBelowHeader) body.push(<LinesBlock key="pad" lines={Array.from({length: rowsBelowHeader - body.length}, () => '')} width={width} />);
	return (
		<Box flexDirection="column" height={height}>
			<Line text={model.headerLine} width={width} bold color="cyan" />
			{body.slice(0, rowsBelowHeader)}
		</Box>
	);
});
