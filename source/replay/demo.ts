// --demo: the recording shipped with natscope, replayed in a loop (no server needed).
import {replayFromBytes, type ReplayOptions, type ReplaySource} from '../sources/replay.js';
import {demoRecording} from './demo-file.js';

export async function openDemo(options: ReplayOptions = {}): Promise<ReplaySource> {
	return replayFromBytes(await demoRecording(), 'the built-in demo', {loop: true, skipWarmup: true, ...options});
}
