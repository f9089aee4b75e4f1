// Every server of the cluster: answering ones with their figures, missing ones marked.
import React from 'react';
import {Box} from '../ui/ink.js';
import type {ServersModel} from '../model/servers.js';
import {Line} from '../components/line.js';

export function ServersView(props: {model: ServersModel; loaded: boolean; width: number; height: number}): React.JSX.Element {
	const {model, width, height} = props;
	const body: React.JSX.Element[] = [];
	if (!props.loaded) body.push(<Line key="wait" text="waiting for /varz from the servers…" width={width} dim />);
	model.lines.forEach((line, index) => {
		const tone = model.tones[index];
		body.push(
			<Line
				key={index}
				text={line}
				width={width}
				inverse={index === model.selectedLine}
				color={tone === 'missing' ? 'red' : tone === 'alert' ? 'yellow' : undefined}
			/>,
		);
	});
	while (body.length < height - 1) body.push(<Line key={`pad${body.length}`} text="" width={width} />);
	return (
		<Box flexDirection="column" height={height}>
			<Line text={model.headerLine} width={width} bold color="cyan" />
			{body.slice(0, Math.max(0, height - 1))}
		</Box>
	);
}
