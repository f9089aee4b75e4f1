import React from 'react';
import {stringWidth, Text, Transform} from '../ui/ink.js';
import {displayWidth, fitToWidth, setWideWidths} from '../model/format.js';

// Every view draws through this module: displayWidth measures with the string-width Ink measures
// with (the same copy, inside the built Ink bundle), so nothing drawn through Ink can meet it
// unloaded (see loadWideWidths) and the TUI does not load a second one.
setWideWidths(stringWidth);

// Ink measures every row's text on every frame: a row holding anything but printable ASCII (a
// "—", a "…", a sparkline) goes through grapheme segmentation, about 200 µs for a 200-cell row.
// Ink 6 also caches every text it measures in module-level maps that are never emptied (ink#986,
// bounded only in Ink 7+, which needs Node 22), so a monitor whose rows change every second
// would grow without end. Rows are therefore always measured through stand-ins of spaces:
// cheap to measure, and as few distinct strings as there are widths.

type Style = {color?: string; bold?: boolean; inverse?: boolean; dim?: boolean};

/** A run of text in one style. */
export type Segment = Style & {text: string};

/**
 * Segments drawn as one row. Ink measures a stand-in of the same width in spaces (our own width,
 * the same string-width answer, cached per character), and the Transform puts the real text
 * back as the row is written: same layout, same output, a fraction of the work.
 */
function Row(props: {segments: Segment[]}): React.JSX.Element {
	const {segments} = props;
	const texts = segments.map(s => ' '.repeat(displayWidth(s.text)));
	const only = segments.length === 1 ? segments[0]! : undefined;
	const row = only ? (
		<Text color={only.color} bold={only.bold} inverse={only.inverse} dimColor={only.dim} wrap="truncate-end">
			{texts[0]}
		</Text>
	) : (
		<Text wrap="truncate-end">
			{segments.map((s, i) =>
				s.text === '' ? null : (
					<Text key={i} color={s.color} bold={s.bold} inverse={s.inverse} dimColor={s.dim}>
						{texts[i]}
					</Text>
				),
			)}
		</Text>
	);
	const real = segments.map(s => s.text);
	return (
		<Transform transform={styled => swapIn(styled, texts, real)} accessibilityLabel={real.join('')}>
			{row}
		</Transform>
	);
}

/**
 * The styled stand-in with each run of spaces replaced, in order, by its real text. Styles are
 * SGR sequences (digits, ';', 'm'), which hold no spaces, so each stand-in is found whole.
 */
export function swapIn(styled: string, standIns: readonly string[], real: readonly string[]): string {
	let out = '';
	let from = 0;
	for (let i = 0; i < standIns.length; i++) {
		const standIn = standIns[i]!;
		if (standIn === '') continue;
		const at = styled.indexOf(standIn, from);
		if (at < 0) return out + styled.slice(from);
		out += styled.slice(from, at) + real[i]!;
		from = at + standIn.length;
	}
	return out + styled.slice(from);
}

/**
 * One terminal row, cut to `width` cells so nothing ever wraps, and padded to them where the
 * padding shows (an inverse or right-aligned row). Trailing blanks are left out otherwise: Ink
 * measures every row's text on every frame, so a short status line costs a fraction of a
 * full-width one. Memoized: a row whose text and style did not change is not rendered again.
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
	const text = visibleRow(props.text, props.width, props.align ?? 'left', Boolean(props.inverse));
	return <Row segments={[{text, color: props.color, bold: props.bold, inverse: props.inverse, dim: props.dim}]} />;
});

function visibleRow(text: string, width: number, align: 'left' | 'right', inverse: boolean): string {
	const row = fitToWidth(text, width, align);
	if (inverse || align === 'right') return row;
	// An empty Text takes no row at all in Ink: a blank row keeps one cell.
	const trimmed = row.trimEnd();
	return trimmed === '' && width > 0 ? ' ' : trimmed;
}

/**
 * Unstyled rows drawn as one Ink text node: a table body of fifty rows is one element for React
 * and one node for Ink's layout instead of fifty. Ink measures a block of full-width blank lines
 * (as many distinct texts as there are sizes, see Row) and the Transform writes each real row on
 * its line. Rows are cut to `width` cells.
 */
export const LinesBlock = React.memo(function LinesBlock(props: {lines: readonly string[]; width: number}): React.JSX.Element | null {
	const width = Math.max(0, Math.floor(props.width));
	if (props.lines.length === 0 || width === 0) return null;
	const rows = props.lines.map(line => visibleRow(line, width, 'left', false));
	return (
		<Transform transform={(line, index) => rows[index] ?? line} accessibilityLabel={rows.join('\n')}>
			<Text wrap="truncate-end">{blankBlock(width, rows.length)}</Text>
		</Transform>
	);
});

function blankBlock(width: number, count: number): string {
	const blank = ' '.repeat(width);
	return count === 1 ? blank : `${blank}\n`.repeat(count - 1) + blank;
}

/**
 * Styled runs on one row, cut to `width` cells: each run is fitted to its own `cells` when
 * given (padded or cut), and the row ends where the last run's text ends.
 */
export const SegmentsLine = React.memo(function SegmentsLine(props: {segments: Array<Segment & {cells?: number; align?: 'left' | 'right'}>; width: number}): React.JSX.Element {
	let left = Math.max(0, Math.floor(props.width));
	const fitted: Segment[] = [];
	for (const s of props.segments) {
		if (left === 0) break;
		const cells = Math.min(left, s.cells ?? displayWidth(s.text));
		const text = fitToWidth(s.text, cells, s.align ?? 'left');
		fitted.push({...s, text});
		left -= cells;
	}
	const last = fitted.at(-1);
	if (last && !last.inverse) last.text = last.text.trimEnd();
	if (fitted.every(s => s.text === '')) fitted.push({text: props.width > 0 ? ' ' : ''});
	return <Row segments={fitted} />;
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
	const left = fitToWidth(props.left, leftWidth, 'left');
	const segments: Segment[] =
		rightWidth > 0
			? [
					{text: left, color: props.leftColor, bold: props.bold},
					{text: ' '},
					{text: fitToWidth(props.right, rightWidth, 'right'), color: props.rightColor},
				]
			: [{text: left.trimEnd(), color: props.leftColor, bold: props.bold}];
	if (segments.every(s => s.text === '')) return <Row segments={[{text: props.width > 0 ? ' ' : ''}]} />;
	return <Row segments={segments} />;
});
