// The replay clock as plain values: where in the recording we are for a given real time, at
// what speed, paused or not, and where a step forward or back lands. No timers, no I/O.

/** Speeds `]` and `[` move through. */
export const SPEEDS: readonly number[] = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64];

export type ClockState = {
	/** Recording time (local epoch ms of the recorder) of the first and last entry. */
	readonly start: number;
	readonly end: number;
	/** Start again from the beginning after the end (the demo) instead of stopping there. */
	readonly loop: boolean;
	readonly speed: number;
	readonly paused: boolean;
	/** Real time and recording time at the last change of speed, pause or position. */
	readonly anchorReal: number;
	readonly anchorTime: number;
};

export function initialClock(start: number, end: number, realNow: number, options: {loop?: boolean; speed?: number} = {}): ClockState {
	return {start, end: Math.max(start, end), loop: options.loop ?? false, speed: options.speed ?? 1, paused: false, anchorReal: realNow, anchorTime: start};
}

/** Recording time shown at `realNow`. */
export function clockTime(state: ClockState, realNow: number): number {
	const elapsed = state.paused ? 0 : Math.max(0, realNow - state.anchorReal) * state.speed;
	const raw = state.anchorTime + elapsed;
	if (raw <= state.end) return raw;
	const length = state.end - state.start;
	if (!state.loop || length <= 0) return state.end;
	return state.start + ((raw - state.start) % (length + 1));
}

/** The end was reached and the clock stands still there (not looping). */
export function clockEnded(state: ClockState, realNow: number): boolean {
	return !state.loop && clockTime(state, realNow) >= state.end;
}

function reanchor(state: ClockState, realNow: number): ClockState {
	return {...state, anchorReal: realNow, anchorTime: clockTime(state, realNow)};
}

export function withSpeed(state: ClockState, speed: number, realNow: number): ClockState {
	const clamped = Math.min(SPEEDS[SPEEDS.length - 1]!, Math.max(SPEEDS[0]!, speed));
	return {...reanchor(state, realNow), speed: clamped};
}

export function fasterSpeed(speed: number): number {
	return SPEEDS.find(s => s > speed) ?? SPEEDS[SPEEDS.length - 1]!;
}

export function slowerSpeed(speed: number): number {
	return [...SPEEDS].reverse().find(s => s < speed) ?? SPEEDS[0]!;
}

export function withPaused(state: ClockState, paused: boolean, realNow: number): ClockState {
	if (state.paused === paused) return state;
	return {...reanchor(state, realNow), paused};
}

export function seekTo(state: ClockState, time: number, realNow: number): ClockState {
	return {...state, anchorReal: realNow, anchorTime: Math.min(state.end, Math.max(state.start, time))};
}

/**
 * Real milliseconds until the clock reaches recording time `time` (undefined: it never will
 * while paused or stopped at the end). In a loop, a time already passed comes round again.
 */
export function realDelayUntil(state: ClockState, time: number, realNow: number): number | undefined {
	if (state.paused) return undefined;
	const now = clockTime(state, realNow);
	if (time > now) return time > state.end && !state.loop ? undefined : Math.ceil((Math.min(time, state.end + 1) - now) / state.speed);
	if (!state.loop) return undefined;
	return Math.ceil((state.end + 1 - now + (time - state.start)) / state.speed);
}

/** Index of the last tick at or before `time`, -1 when none. `ticks` ascending. */
export function roundAt(ticks: readonly number[], time: number): number {
	let low = 0;
	let high = ticks.length - 1;
	let found = -1;
	while (low <= high) {
		const mid = (low + high) >> 1;
		if (ticks[mid]! <= time) {
			found = mid;
			low = mid + 1;
		} else high = mid - 1;
	}
	return found;
}

/**
 * Where a step lands. `ticks` are the times refresh rounds began (the recorded /varz answers);
 * a step shows the next or previous round complete, so the clock goes to just before the round
 * after it begins (or to the end). Returns `time` unchanged when there is nowhere to go.
 */
export function stepTarget(ticks: readonly number[], time: number, direction: 1 | -1, end: number): number {
	const round = roundAt(ticks, time);
	const target = round + direction;
	if (target < 0 || target >= ticks.length) return time;
	const next = ticks[target + 1];
	return next === undefined ? end : next - 1;
}

function two(n: number): string {
	return String(n).padStart(2, '0');
}

/** 0:45, 1:02:03 */
export function formatOffset(ms: number): string {
	const total = Math.max(0, Math.floor(ms / 1000));
	const h = Math.floor(total / 3600);
	const m = Math.floor((total % 3600) / 60);
	const s = total % 60;
	return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

export function formatSpeed(speed: number): string {
	return `×${speed < 1 ? speed.toString().replace(/^0/, '') : speed}`;
}

/** "2026-11-22 22:21:14 UTC": the recording's own wall clock. */
export function formatClock(time: number): string {
	const d = new Date(time);
	if (Number.isNaN(d.getTime())) return '?';
	return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC`;
}

/** The status line text: "replay ▶ ×2 · 2026-11-22 22:21:14 UTC · 0:45 / 5:00". */
export function replayStatus(state: ClockState, realNow: number): string {
	const time = clockTime(state, realNow);
	const mode = clockEnded(state, realNow) ? '■ end' : state.paused ? '⏸ paused' : `▶ ${formatSpeed(state.speed)}`;
	return `replay ${mode} · ${formatClock(time)} · ${formatOffset(time - state.start)} / ${formatOffset(state.end - state.start)}${state.loop ? ' ⟲' : ''}`;
}
