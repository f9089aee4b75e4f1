// Numbers, bytes, rates, durations and cells as the terminal shows them. Deterministic: no
// locale-dependent formatting, so screens and tests look the same everywhere.

const COUNT_UNITS = ['', 'K', 'M', 'G', 'T', 'P', 'E'] as const;
const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'] as const;

/**
 * Scale into the largest unit that keeps the value below `base`; one decimal below 100, none
 * above. A value that would print as "1000K" (or "1024KiB") moves up to the next unit instead.
 */
function compact(n: number, base: number, units: readonly string[]): string {
	const sign = n < 0 ? '-' : '';
	let value = Math.abs(n);
	let unit = 0;
	while (value >= base && unit < units.length - 1) {
		value /= base;
		unit++;
	}
	if (unit === 0) {
		const whole = Math.round(value);
		if (whole >= base && units.length > 1) return `${sign}1.0${units[1]}`;
		return `${sign}${whole}${units[0]}`;
	}
	let text = value < 99.95 ? value.toFixed(1) : Math.round(value).toString();
	if (Number(text) >= base && unit < units.length - 1) {
		unit++;
		text = (Number(text) / base).toFixed(1);
	}
	return `${sign}${text}${units[unit]}`;
}

function plainInteger(n: number): string {
	// Math.round keeps counters above 2^53 as they came (they are already imprecise).
	return Math.round(n).toFixed(0);
}

/** 999, 1.2K, 34.5M, 1.2G, 3.4T; raw → the plain integer ('1234567'). */
export function formatCount(n: number, raw: boolean): string {
	if (!Number.isFinite(n)) return '?';
	if (raw) return plainInteger(n);
	return compact(n, 1000, COUNT_UNITS);
}

/** 512B, 1.5KiB, 20.0MiB, 3.2GiB (binary units, as the server's limits are set); raw → bytes. */
export function formatBytes(n: number, raw: boolean): string {
	if (!Number.isFinite(n)) return '?';
	if (raw) return plainInteger(n);
	return compact(n, 1024, BYTE_UNITS);
}

/**
 * A per-second rate. undefined means "no second sample yet" and shows as "—", never as a 0
 * that would claim the connection is idle. A trickle below 10/s keeps one decimal ("0.5/s").
 */
export function formatRate(value: number | undefined, unit: 'msgs' | 'bytes', raw: boolean): string {
	if (value === undefined || !Number.isFinite(value)) return '—';
	const small = value > 0 && value < 10 && !Number.isInteger(value);
	if (raw) return `${small ? trimmedFixed(value) : plainInteger(value)}/s`;
	if (small) return `${trimmedFixed(value)}${unit === 'bytes' ? 'B' : ''}/s`;
	return `${unit === 'msgs' ? formatCount(value, false) : formatBytes(value, false)}/s`;
}

/** One decimal, except where that would round a non-zero value to a misleading "0.0". */
function trimmedFixed(value: number): string {
	const text = value.toFixed(1);
	if (text === '0.0') return value.toFixed(2) === '0.00' ? '0.01' : value.toFixed(2);
	return text;
}

const MS_PER: Record<string, number> = {
	y: 365 * 24 * 3_600_000,
	d: 24 * 3_600_000,
	h: 3_600_000,
	m: 60_000,
	s: 1000,
	ms: 1,
	us: 0.001,
	'µs': 0.001, // U+00B5 micro sign (what Go prints)
	'μs': 0.001, // U+03BC Greek mu (Go accepts it too)
	ns: 0.000_001,
};

/**
 * Go durations as nats-server prints them → milliseconds: "1h2m3s", "1.234ms", "850µs",
 * "12ns", and the uptime form with days and years ("2d3h4m5s", "1y2d3h"). '' or anything else
 * that is not a duration → undefined.
 */
export function parseDuration(goDuration: string): number | undefined {
	// A character loop, not a sticky regexp: a one-shot parses three durations per connection
	// (3,072 for 1,024 rows) in code V8 has not optimized yet, where the regexp version took
	// ~9 ms of the snapshot and this one ~2.
	const text = goDuration.trim();
	let at = 0;
	let sign = 1;
	if (text[0] === '-' || text[0] === '+') {
		if (text[0] === '-') sign = -1;
		at = 1;
	}
	if (at === text.length) return undefined;
	if (text.length === at + 1 && text[at] === '0') return 0;
	let total = 0;
	while (at < text.length) {
		const start = at;
		let dots = 0;
		let digits = 0;
		for (; at < text.length; at++) {
			const code = text.charCodeAt(at);
			if (code === 46) dots++;
			else if (code >= 48 && code <= 57) digits++;
			else break;
		}
		if (digits === 0 || dots > 1) return undefined;
		const value = Number(text.slice(start, at));
		const unit = text[at];
		const next = text[at + 1];
		let perUnit: number | undefined;
		if (next === 's' && (unit === 'm' || unit === 'u' || unit === 'µ' || unit === 'μ' || unit === 'n')) {
			perUnit = MS_PER[`${unit}s`];
			at += 2;
		} else if (unit !== undefined) {
			perUnit = MS_PER[unit];
			at += 1;
		}
		if (perUnit === undefined) return undefined;
		total += value * perUnit;
	}
	return sign * total;
}

function pad2(n: number): string {
	return n.toString().padStart(2, '0');
}

/** Compact, two units at most: 12ns, 850µs, 1.2ms, 45s, 3m12s, 2h05m, 3d04h, 1y12d. */
export function formatDuration(ms: number): string {
	if (!Number.isFinite(ms)) return '?';
	if (ms < 0) return `-${formatDuration(-ms)}`;
	if (ms === 0) return '0s';
	if (ms < 0.001) return `${Math.max(1, Math.round(ms * 1_000_000))}ns`;
	if (ms < 1) {
		const us = Math.round(ms * 1000);
		return us < 1000 ? `${us}µs` : '1.0ms';
	}
	if (ms < 9.95) return `${ms.toFixed(1)}ms`;
	if (ms < 999.5) return `${Math.round(ms)}ms`;
	if (ms < 9950) return `${(ms / 1000).toFixed(1)}s`;
	const seconds = Math.floor(ms / 1000);
	if (seconds < 60) return `${seconds}s`;
	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) return `${minutes}m${pad2(seconds % 60)}s`;
	const hours = Math.floor(minutes / 60);
	if (hours < 24) return `${hours}h${pad2(minutes % 60)}m`;
	const days = Math.floor(hours / 24);
	if (days < 365) return `${days}d${pad2(hours % 24)}h`;
	return `${Math.floor(days / 365)}y${days % 365}d`;
}

/** '12.3%', '0%', '100%'. */
export function formatPercent(v: number): string {
	if (!Number.isFinite(v)) return '?';
	if (v === 0) return '0%';
	const text = Math.abs(v) < 99.95 ? v.toFixed(1) : Math.round(v).toString();
	return `${text}%`;
}

// Most cells are plain printable ASCII; measuring those by length keeps a 1,024-row refresh cheap.
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Scripts and symbols whose characters each stand alone for width: no character here joins its
 * neighbours into a cluster of another width (no emoji selectors or joiners, no Hangul jamo, no
 * Indic or Thai marks, no astral planes). A string made only of these measures as the sum of its
 * characters, which string-width would otherwise find by segmenting graphemes — about 200 µs
 * for a 200-cell row holding a single "…" or "µ".
 */
const PER_CHARACTER = /^[\x20-\x7e\u00a0-\u02ff\u0370-\u03ff\u0400-\u0482\u048a-\u04ff\u2010-\u2027\u2030-\u205e\u20a0-\u20cf\u2100-\u2bff\u3000-\u303f\u3041-\u3096\u30a0-\u30ff\u4e00-\u9fff\uac00-\ud7a3\uff01-\uff9d\uffa0-\uffdc]*$/;
/**
 * natscope's own glyphs, one cell each (test/unit/display-width.test.ts checks them against
 * string-width): measured without string-width, whose first call compiles its Unicode-property
 * regular expressions (~30 ms, a tenth of a one-shot's wall time) for a "▼" or a "—".
 */
export const OWN_GLYPHS = '…—–·→↑↓µμ✖✗✓⚠●◌▼▲└≠█▁▂▃▄▅▆▇␀␛␟␡';
const characterWidths = new Map<number, number>([...OWN_GLYPHS].map(glyph => [glyph.charCodeAt(0), 1]));

// string-width is loaded on demand: importing it costs ~45 ms (its Intl.Segmenter and the East
// Asian width tables), a sixth of a one-shot, and printable ASCII plus OWN_GLYPHS never need it.
// The TUI hands it Ink's own copy (components/line.tsx, setWideWidths); a one-shot renders, and
// loads it and renders again only if displayWidth met text it cannot measure without it: before
// string-width is there, displayWidth throws WideWidthsNotLoaded rather than guess a width.
let wide: ((s: string) => number) | undefined;

/** Loads string-width for displayWidth; once, however often it is called. */
export async function loadWideWidths(): Promise<void> {
	wide ??= (await import('string-width')).default;
}

/** Hands displayWidth a string-width already loaded (Ink's own copy, in the TUI). */
export function setWideWidths(measure: (s: string) => number): void {
	wide ??= measure;
}

/** Thrown by displayWidth for text it cannot measure before loadWideWidths() has run. */
export class WideWidthsNotLoaded extends Error {
	constructor(s: string) {
		super(`internal: measuring ${JSON.stringify(s.slice(0, 40))} needs string-width; await loadWideWidths() before rendering`);
		this.name = 'WideWidthsNotLoaded';
	}
}

function stringWidth(s: string): number {
	if (!wide) throw new WideWidthsNotLoaded(s);
	return wide(s);
}

/** Whether string-width is there for displayWidth (loaded, or handed over by the TUI). */
export function wideWidthsLoaded(): boolean {
	return wide !== undefined;
}

/** Terminal cells a string takes (wide characters count two). */
export function displayWidth(s: string): number {
	if (PRINTABLE_ASCII.test(s)) return s.length;
	if (!PER_CHARACTER.test(s)) return stringWidth(s);
	let width = 0;
	for (let i = 0; i < s.length; i++) {
		const code = s.charCodeAt(i);
		if (code < 0x7f) {
			width++;
			continue;
		}
		let cells = characterWidths.get(code);
		if (cells === undefined) {
			cells = stringWidth(s[i]!);
			characterWidths.set(code, cells);
		}
		width += cells;
	}
	return width;
}

// Made on first use: constructing a segmenter takes ~10 ms, and only text that needs
// string-width is cut by graphemes.
let graphemes: Intl.Segmenter | undefined;

/**
 * Exactly `width` cells: padded on the side away from `align`, or cut by display width with
 * "…" as the last visible character. A wide character that would straddle the cut is dropped
 * and the gap filled with a space.
 */
export function fitToWidth(s: string, width: number, align: 'left' | 'right'): string {
	const cells = Math.max(0, Math.floor(width));
	if (cells === 0) return '';
	const used = displayWidth(s);
	if (used <= cells) {
		const padding = ' '.repeat(cells - used);
		return align === 'left' ? s + padding : padding + s;
	}
	if (PRINTABLE_ASCII.test(s)) return `${s.slice(0, cells - 1)}…`;
	let out = '';
	let taken = 0;
	const pieces = PER_CHARACTER.test(s) ? s : Array.from((graphemes ??= new Intl.Segmenter(undefined, {granularity: 'grapheme'})).segment(s), g => g.segment);
	for (const segment of pieces) {
		const w = displayWidth(segment);
		if (taken + w > cells - 1) break;
		out += segment;
		taken += w;
	}
	return `${out}…${' '.repeat(cells - 1 - taken)}`;
}

/**
 * Lines of at most `width` cells, broken at spaces; continuation lines start with `indent`
 * spaces. A word longer than a line is left whole (the line is cut where it is drawn).
 */
export function wrapWords(text: string, width: number, indent = 0): string[] {
	if (displayWidth(text) <= width) return [text];
	const lines: string[] = [];
	let line = '';
	let lineWidth = 0;
	// Each word with the spaces before it, which are kept as written within a line.
	for (const [, gap, word] of text.matchAll(/( *)(\S+)/g) as IterableIterator<[string, string, string]>) {
		const w = displayWidth(word);
		if (line !== '' && lineWidth + gap.length + w > width) {
			lines.push(line);
			line = ' '.repeat(indent) + word;
			lineWidth = indent + w;
			continue;
		}
		line += gap + word;
		lineWidth += gap.length + w;
	}
	lines.push(line);
	return lines;
}

const GO_ZERO_TIME = /^0001-01-01T00:00:00/;
const UTC_TIME = /^\d{4}-(0\d|1[0-2])-[0-3]\dT[0-2]\d:[0-5]\d:[0-5]\d(\.\d+)?Z$/;

/** 'YYYY-MM-DD HH:MM:SS' in UTC; '' for empty, invalid or Go's zero time. */
export function formatTimestamp(iso: string): string {
	const text = iso.trim();
	if (text === '' || GO_ZERO_TIME.test(text)) return '';
	// The server's own form (UTC, 'Z'): cut, not parsed; two per row per refresh add up.
	if (UTC_TIME.test(text)) return `${text.slice(0, 10)} ${text.slice(11, 19)}`;
	// Go prints up to nanoseconds; Date.parse wants at most milliseconds.
	const ms = Date.parse(text.replace(/(\.\d{3})\d+/, '$1'));
	if (Number.isNaN(ms)) return '';
	const iso8601 = new Date(ms).toISOString();
	return `${iso8601.slice(0, 10)} ${iso8601.slice(11, 19)}`;
}
