import type {Tone} from '../model/overview.js';

/** Terminal colours per tone; Ink drops them when the terminal has no colour support. */
export const TONE_COLOR: Record<Tone, string | undefined> = {
	ok: 'green',
	warn: 'yellow',
	error: 'red',
	info: 'cyan',
	dim: 'gray',
};
