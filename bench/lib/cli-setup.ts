// The bench drives the app in-process, so it must set up the runtime the way the built CLI does
// and no better: it reads dist/cli.js to see which of natscope's performance switches it turns on.
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {built} from './child.js';

export type CliSetup = {
	/** dist/cli.js loads source/perf/runtime before anything else (React's production build). */
	production: boolean;
	/** dist/cli.js calls installFastFrames(…) before rendering. */
	fastFrames: boolean;
};

export function cliSetup(): CliSetup {
	const text = readFileSync(fileURLToPath(new URL('../../dist/cli.js', import.meta.url)), 'utf8');
	const firstImport = /^import\s[^\n]*/m.exec(text)?.[0] ?? '';
	return {
		production: /['"]\.\/source\/perf\/runtime\.js['"]/.test(firstImport),
		fastFrames: /installFastFrames\(/.test(text),
	};
}

/** Apply it (before React or Ink is loaded: callers import the app after this). */
export async function applyCliSetup(setup: CliSetup): Promise<void> {
	if (setup.production) await built<typeof import('../../source/perf/runtime.js')>('source/perf/runtime.js');
	if (setup.fastFrames) {
		const {installFastFrames} = await built<typeof import('../../source/perf/fast-frame.js')>('source/perf/fast-frame.js');
		// As cli.tsx: the Output class of the Ink bundle the built app renders with.
		const ink = await built<{InkOutput?: unknown}>('source/ui/ink.js');
		await installFastFrames(ink.InkOutput);
	}
}
