// A last line of defence: a bug in a view shows one sanitized line instead of a stack trace,
// keys still work, and the next poller update tries the view again.
import React from 'react';
import {Box, Text, useApp, useInput} from '../ui/ink.js';
import {sanitizeText} from '../model/sanitize.js';

function Fallback(props: {message: string; onQuit?: () => void}): React.JSX.Element {
	const {exit} = useApp();
	useInput((input, key) => {
		if (input === 'q' || (key.ctrl && input === 'c')) (props.onQuit ?? exit)();
	});
	return (
		<Box flexDirection="column">
			<Text color="red" wrap="truncate-end">
				{`natscope hit an internal error drawing this view: ${props.message}`}
			</Text>
			<Text wrap="truncate-end">It retries with the next refresh; q quits.</Text>
		</Box>
	);
}

type Props = {children: React.ReactNode; resetKey: unknown; onQuit?: () => void};
type State = {message?: string; resetKey: unknown};

export class ErrorBoundary extends React.Component<Props, State> {
	override state: State = {resetKey: undefined};

	static getDerivedStateFromError(error: unknown): Partial<State> {
		return {message: sanitizeText(error instanceof Error ? error.message : String(error), 200)};
	}

	static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
		if (props.resetKey !== state.resetKey) return {resetKey: props.resetKey, message: undefined};
		return null;
	}

	override render(): React.ReactNode {
		if (this.state.message !== undefined) return <Fallback message={this.state.message} onQuit={this.props.onQuit} />;
		return this.props.children;
	}
}
