// Numbers, bytes, rates, durations and cells as the terminal shows them.
import stringWidth from 'string-width';

function compact(n: number, base: number, units: readonly string[], precisionBelow = 100): string {
	let value = n;
	let unit = 0;
	while (Math.abs(value) >= base && unit < units.length - 1) {
		value /= base;
		unit++;
	}
	if (unit === 0) return `${Math.round(value)}${units[0]}`;
	const text = Math.abs(value) < precisionBelow ? value.toFixed(1) : Math.round(value).toString();
	return `${text}${units[unit]}`;
}

const COUNT_UNITS = ['', 'K', 'M', 'G', 'T', 'P'] as const;
const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** 999, 1.2K, 34.5M; raw → the plain integer. */
export function formatCount(n: number, raw: boolean): string {
	if (!Number.isFinite(n)) return '?';
	if (raw) return Math.round(n).toString();
	return compact(n, 1000, COUNT_UNITS);
}

/** 512B, 1.5KiB, 20.0MiB (binary units, as the server's limits are set). */
export function formatBytes(n: number, raw: boolean): string {
	if (!Number.isFinite(n)) return '?';
	if (raw) return Math.round(n).toString();
	return compact(n, 1024, BYTE_UNITS);
}

/**
 * A per-second rate. undefined means "one sample so far" and shows as "—", never as a 0 that
 * would claim the connection is idle.
 */
export function formatRate(value: number | undefined, unit: 'msgs' | 'bytes', raw: boolean): string {
	if (value === undefined || !Number.isFinite(value)) return '—';
	if (raw) return `${Math.round(value)}/s`;
	if (value > 0 && value < 10 && unit === 'msgs' && !Number.isInteger(value)) return `${value.toFixed(1)}/s`;
	return `${unit === 'msgs' ? formatCount(value, false) : formatBytes(value, false)}/s`;
}

const DURATION_UNITS_MS: Record<string, number> = {
	y: 365 * 24 * 3_600_000,
	d: 24 * 3_600_000,
	h: 3_600_000,
	m: 60_000,
	s: 1000,
	ms: 1,
	us: 0.001,
	µs: 0.001,
	μs: 0.001,
	ns: 0.000_001,
};

/** Go durations as nats-server prints them ("1h2m3s", "1.234ms", "850µs", "2y3d4h") → ms. */
export function parseDuration(text: string): number | undefined {
	const trimmed = text.trim();
	if (trimmed === '') return undefined;
	if (trimmed === '0' || trimmed === '0s') return 0;
	const negative = trimmed.startsWith('-');
	const body = negative ? trimmed.slice(1) : trimmed;
	const part = /(\d+(?:\.\d+)?)(ms|us|µs|μs|ns|y|d|h|m|s)/gy;
	let total = 0;
	let consumed = 0;
	let match: RegExpExecArray | null;
	while ((match = part.exec(body)) !== null) {
		total += Number(match[1]) * DURATION_UNITS_MS[match[2]!]!;
		consumed = part.lastIndex;
	}
	if (consumed === 0 || consumed !== body.length) return undefined;
	return negative ? -total : total;
}

function pad2(n: number): string {
	return n.toString().padStart(2, '0');
}

/** Compact, two units at most: 850µs, 1.2ms, 45s, 3m12s, 2h05m, 3d04h, 1y12d. */
export function formatDuration(ms: number): string {
	if (!Number.isFinite(ms)) return '?';
	if (ms < 0) return `-${formatDuration(-ms)}`;
	if (ms === 0) return '0s';
	if (ms < 1) return `${Math.round(ms * 1000)}µs`;
	if (ms < 10) return `${ms.toFixed(1)}ms`;
	if (ms < 1000) return `${Math.round(ms)}ms`;
	const seconds = Math.floor(ms / 1000);
	if (seconds < 60) return ms < 10_000 && ms % 1000 !== 0 ? `${(ms / 1000).toFixed(1)}s` : `${seconds}s`;
	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) return `${minutes}m${pad2(seconds % 60)}s`;
	const hours = Math.floor(minutes / 60);
	if (hours < 24) return `${hours}h${pad2(minutes % 60)}m`;
	const days = Math.floor(hours / 24);
	if (days < 365) return `${days}d${pad2(hours % 24)}h`;
	return `${Math.floor(days / 365)}y${days % 365}d`;
}

export function formatPercent(value: number): string {
	if (!Number.isFinite(value)) return '?';
	if (value === 0) return '0%';
	if (Math.abs(value) < 100) return `${value.toFixed(1)}%`;
	return `${Math.round(value)}%`;
}

/** Terminal cells a string takes (wide characters count two). */
export function displayWidth(text: string): number {
	return ASCII.test(text) ? text.length : stringWidth(text);
}

// Most cells are plain ASCII; measuring those by length keeps a 1,024-row refresh cheap.
const ASCII = /^[\x20-\x7e]*$/;

/** Exactly `width` cells: padded, or cut with "…" by display width. */
export function fitToWidth(text: string, width: number, align: 'left' | 'right'): string {
	if (width <= 0) return '';
	if (ASCII.test(text)) {
		if (text.length <= width) return align === 'left' ? text.padEnd(width) : text.padStart(width);
		return `${text.slice(0, width - 1)}…`;
	}
	const cells = stringWidth(text);
	if (cells <= width) {
		const padding = ' '.repeat(width - cells);
		return align === 'left' ? text + padding : padding + text;
	}
	let out = '';
	let used = 0;
	for (const char of text) {
		const w = stringWidth(char);
		if (used + w > width - 1) break;
		out += char;
		used += w;
	}
	return `${out}…${' '.repeat(Math.max(0, width - 1 - used))}`;
}

/** "2026-11-22 14:51:18" in UTC; '' for empty, invalid or Go's zero time. */
export function formatTimestamp(iso: string): string {
	if (!iso || iso.startsWith('0001-01-01')) return '';
	const ms = Date.parse(iso.replace(/(\.\d{3})\d+/, '$1'));
	if (Number.isNaN(ms)) return '';
	return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
