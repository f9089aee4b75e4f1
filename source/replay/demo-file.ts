// Where the built-in demo recording lives: media/demo.ndjson.gz in the package, found by walking
// up from this module (source/replay/ under tsx, dist/source/replay/ when built). The single-file
// bundle replaces this module with one that carries the recording inside (scripts/bundle.ts).
import {readFile} from 'node:fs/promises';
import {SourceError} from '../sources/types.js';

export const DEMO_PATH = 'media/demo.ndjson.gz';

export async function demoRecording(): Promise<Buffer> {
	let directory = new URL('./', import.meta.url);
	for (let depth = 0; depth < 5; depth++) {
		try {
			return await readFile(new URL(DEMO_PATH, directory));
		} catch {
			// not at this level; keep walking up
		}
		directory = new URL('../', directory);
	}
	throw new SourceError('unknown', `the demo recording (${DEMO_PATH}) is missing from this installation`, 'reinstall natscope, or replay a file of your own with --replay FILE');
}
