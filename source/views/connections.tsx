// The connections table: a header row with the sort marker and the rows on screen, the
// selected one highlighted. Everything arrives formatted in the model.
import React from 'react';
import {Box} from '../ui/ink.js';
import type {ConnectionsModel} from '../model/connections-view.js';
import {Line} from '../components/line.js';

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
	const body: React.JSX.Element[] = [];
	if (!props.loaded && props.problem) {
		body.push(<Line key="err" text={`✖ ${props.problem.message}`} width={width} color="red" />);
		if (props.problem.hint) body.push(<Line key="hint" text={`  ${props.problem.hint}`} width={width} />);
	} else if (!props.loaded) {
		body.push(<Line key="wait" text="waiting for /connz…" width={width} dim />);
	} else if (model.empty) {
		body.push(<Line key="empty" text={model.empty} width={width} dim />);
	} else {
		model.lines.forEach((line, index) => {
			const selected = index === model.selectedLine;
			body.push(<Line key={index} text={line} width={width} inverse={selected} />);
		});
	}
	while (body.length < height - 1) body.push(<Line key={`pad${body.length}`} text="" width={width} />);
	return (
		<Box flexDirection="column" height={height}>
			<Line text={model.headerLine} width={width} bold color="cyan" />
			{body.slice(0, Math.max(0, height - 1))}
		</Box>
	);
});
