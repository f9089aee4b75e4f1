// The app at the terminal's size, following resizes, behind an error boundary.
import React, {useEffect, useState, useSyncExternalStore} from 'react';
import {useStdout} from './ui/ink.js';
import {App, type AppProps} from './app.js';
import {ErrorBoundary} from './components/error-boundary.js';

function useTerminalSize(): {width: number; height: number} {
	const {stdout} = useStdout();
	const read = () => ({width: stdout.columns || 80, height: stdout.rows || 24});
	const [size, setSize] = useState(read);
	useEffect(() => {
		const onResize = () => setSize(read());
		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout]); // eslint-disable-line react-hooks/exhaustive-deps
	return size;
}

export function Root(props: Omit<AppProps, 'width' | 'height'>): React.JSX.Element {
	const {width, height} = useTerminalSize();
	const snapshot = useSyncExternalStore(props.poller.subscribe, props.poller.getSnapshot);
	return (
		<ErrorBoundary resetKey={snapshot.seq} onQuit={props.onQuit}>
			<App {...props} width={width} height={height} />
		</ErrorBoundary>
	);
}

/** How the TUI asks Ink to draw; cli.tsx and the bench both use it, so the bench draws as the TUI does. */
export const INK_RENDER_OPTIONS = {
	exitOnCtrlC: false,
	maxFps: 20,
} as const;
