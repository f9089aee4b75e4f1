// Any table view: its sections (title, column header, lines) in the rows it has, the selected
// row highlighted and kept on screen. Draws a PanelModel and nothing else.
import React, {useRef} from 'react';
import {Box} from '../ui/ink.js';
import type {PanelModel} from '../model/panel.js';
import {TONE_COLOR} from '../components/tone.js';
import {Line} from '../components/line.js';

type Drawn = {text: string; color?: string; bold?: boolean; dim?: boolean; inverse?: boolean; row?: number};

/** The model flattened into screen lines, with the index of the selected row's first line. */
export function panelLines(model: PanelModel): {lines: Drawn[]; selectedLine?: number} {
	const lines: Drawn[] = [];
	let selectedLine: number | undefined;
	model.sections.forEach((section, index) => {
		if (index > 0) lines.push({text: ''});
		if (section.title) lines.push({text: section.title, bold: true, color: 'cyan'});
		if (section.header) lines.push({text: section.header, bold: true, color: 'cyan'});
		if (section.lines.length === 0 && section.empty) lines.push({text: section.empty, dim: true});
		let previousRow: number | undefined;
		for (const line of section.lines) {
			const first = index === 0 && line.row !== undefined && line.row !== previousRow;
			if (first && line.row === model.selected && model.total > 0) selectedLine = lines.length;
			lines.push({
				text: line.text,
				color: line.tone ? TONE_COLOR[line.tone] : undefined,
				bold: line.bold,
				dim: line.dim,
				inverse: first && line.row === model.selected && model.total > 0,
				row: line.row,
			});
			previousRow = line.row;
		}
	});
	return {lines, selectedLine};
}

export function PanelView(props: {model: PanelModel; width: number; height: number}): React.JSX.Element {
	const {model, width, height} = props;
	const {lines, selectedLine} = panelLines(model);
	const top = useRef(0);
	let start = top.current;
	if (selectedLine !== undefined) {
		// Keep the selected row and, when they fit, the lines under it (its replicas, its errors).
		let end = selectedLine;
		while (end + 1 < lines.length && lines[end + 1]!.row === lines[selectedLine]!.row && lines[end + 1]!.row !== undefined && end + 1 - selectedLine < height - 1) end++;
		if (selectedLine < start) start = selectedLine;
		if (end >= start + height) start = end - height + 1;
	}
	start = Math.max(0, Math.min(start, lines.length - height));
	top.current = start;
	const shown = lines.slice(start, start + height);
	const body = shown.map((line, index) => (
		<Line key={start + index} text={line.text} width={width} color={line.color} bold={line.bold} dim={line.dim} inverse={line.inverse} />
	));
	while (body.length < height) body.push(<Line key={`pad${body.length}`} text="" width={width} />);
	return (
		<Box flexDirection="column" height={height}>
			{body}
		</Box>
	);
}
