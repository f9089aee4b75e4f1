// The bottom row: an open prompt, or the view's key hints (from the keymap).
import React from 'react';
import {Text} from '../ui/ink.js';
import {fitHints, footerHints, type Scope} from '../keymap.js';
import type {Prompt, PromptKind} from '../state.js';
import {Line} from '../components/line.js';
import {fitToWidth} from '../model/format.js';

const PROMPT_LABELS: Record<PromptKind, string> = {
	sort: 'sort by (Tab completes)',
	rows: 'rows to fetch (empty = screen)',
	filter: 'filter fetched rows',
	account: 'account (empty = all)',
	user: 'user (empty = all)',
	subject: 'subject (empty = all)',
	'panel-filter': 'filter rows',
	view: 'open view (Tab completes)',
};

export function footerText(scope: Scope, replay = false, width = Number.POSITIVE_INFINITY): string {
	return fitHints(footerHints(scope, {replay}), width);
}

// Memoized: its props change on keys and resizes, not with each refresh (the hints come from the keymap).
export const Footer = React.memo(function Footer(props: {scope: Scope; prompt?: Prompt; width: number; replay?: boolean}): React.JSX.Element {
	const {prompt, width} = props;
	if (prompt) {
		const head = `${PROMPT_LABELS[prompt.kind]}: ${prompt.text}█`;
		const tail = prompt.error ? `  ${prompt.error}` : '  Enter applies · Esc cancels';
		return (
			<Text wrap="truncate-end">
				<Text bold>{fitToWidth(head, Math.min(width, head.length), 'left')}</Text>
				<Text color={prompt.error ? 'red' : 'gray'}>{fitToWidth(tail, Math.max(0, width - head.length), 'left')}</Text>
			</Text>
		);
	}
	return <Line text={footerText(props.scope, props.replay, width)} width={width} dim />;
});
