import React from 'react';
import {Text} from 'ink';
import {displayWidth, fitToWidth} from '../model/format.js';

/**
 * One terminal row, cut or padded to exactly `width` cells so nothing ever wraps. Memoized: a
 * row whose text and style did not change is not rendered again.
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
			{fitToWidth(props.text, props.width, props.align ?? 'left')}
		</Text>
	);
});

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
				{fitToWidth(props.left, leftWidth, 'left')}
			</Text>
			{rightWidth > 0 ? ' ' : ''}
			<Text color={props.rightColor}>{rightWidth > 0 ? fitToWidth(props.right, rightWidth, 'right') : ''}</Text>
		</Text>
	);
});
