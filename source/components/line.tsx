import React from 'react';
import {Text} from 'ink';
import {displayWidth, fitToWidth} from '../model/format.js';

/**
 * One terminal row, cut to `width` cells so nothing ever wraps, and padded to them where the
 * padding shows (an inverse or right-aligned row). Trailing blanks are left out otherwise: Ink
 * measures every row's text on every frame, by grapheme when it holds one non-ASCII character,
 * so a short status line costs a fraction of a full-width one. Memoized: a row whose text and
 * style did not change is not rendered again.
 */
export const Line = React.memo(function Line(props: {
	text: string;
	width: number;
	color?: string;
	bold?: boolean;
	inverse?: boolean;
	dim?: boolean;
	align?: 'left' | 'right';
}): React.JSX.Element {
	return (
		<Text color={props.color} bold={props.bold} inverse={props.inverse} dimColor={props.dim} wrap="truncate-end">
			{visibleRow(props.text, props.width, props.align ?? 'left', Boolean(props.inverse))}
		</Text>
	);
});

function visibleRow(text: string, width: number, align: 'left' | 'right', inverse: boolean): string {
	const row = fitToWidth(text, width, align);
	if (inverse || align === 'right') return row;
	// An empty Text takes no row at all in Ink: a blank row keeps one cell.
	const trimmed = row.trimEnd();
	return trimmed === '' && width > 0 ? ' ' : trimmed;
}

/** Two texts on one row: `right` keeps its room (up to half the row), `left` is cut first. */
export const SplitLine = React.memo(function SplitLine(props: {
	left: string;
	right: string;
	width: number;
	leftColor?: string;
	rightColor?: string;
	bold?: boolean;
}): React.JSX.Element {
	const rightWidth = props.right === '' ? 0 : Math.min(displayWidth(props.right), Math.max(0, props.width - 1));
	const leftWidth = Math.max(0, props.width - rightWidth - (rightWidth > 0 ? 1 : 0));
	return (
		<Text wrap="truncate-end">
			<Text color={props.leftColor} bold={props.bold}>
				{rightWidth > 0 ? fitToWidth(props.left, leftWidth, 'left') : fitToWidth(props.left, leftWidth, 'left').trimEnd()}
			</Text>
			{rightWidth > 0 ? ' ' : ''}
			<Text color={props.rightColor}>{rightWidth > 0 ? fitToWidth(props.right, rightWidth, 'right') : ''}</Text>
		</Text>
	);
});
