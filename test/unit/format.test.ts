import {test} from 'node:test';
import assert from 'node:assert/strict';
import {
	displayWidth,
	fitToWidth,
	loadWideWidths,
	formatBytes,
	formatCount,
	formatDuration,
	formatPercent,
	formatRate,
	formatTimestamp,
	parseDuration,
	wrapWords,
} from '../../source/model/format.js';

// Text beyond ASCII and natscope's own glyphs is measured by string-width, loaded on demand.
await loadWideWidths();

test('formatCount: compact SI units, raw plain integers', () => {
	assert.equal(formatCount(0, false), '0');
	assert.equal(formatCount(999, false), '999');
	assert.equal(formatCount(1234, false), '1.2K');
	assert.equal(formatCount(34_500_000, false), '34.5M');
	assert.equal(formatCount(1_200_000_000, false), '1.2G');
	assert.equal(formatCount(3_400_000_000_000, false), '3.4T');
	assert.equal(formatCount(123_456, false), '123K');
	assert.equal(formatCount(999_999, false), '1.0M', 'never "1000K"');
	assert.equal(formatCount(999.7, false), '1.0K');
	assert.equal(formatCount(1_234_567, true), '1234567');
	assert.equal(formatCount(12.4, true), '12');
	assert.equal(formatCount(Number.NaN, false), '?');
});

test('formatBytes: binary units', () => {
	assert.equal(formatBytes(512, false), '512B');
	assert.equal(formatBytes(1536, false), '1.5KiB');
	assert.equal(formatBytes(20 * 1024 * 1024, false), '20.0MiB');
	assert.equal(formatBytes(3.2 * 1024 ** 3, false), '3.2GiB');
	assert.equal(formatBytes(512 * 1024, false), '512KiB');
	assert.equal(formatBytes(1024 * 1024 - 1, false), '1.0MiB', 'never "1024KiB"');
	assert.equal(formatBytes(67_108_864, true), '67108864');
});

test('formatRate: dash before a second sample, units per second', () => {
	assert.equal(formatRate(undefined, 'msgs', false), '—');
	assert.equal(formatRate(undefined, 'bytes', true), '—');
	assert.equal(formatRate(0, 'msgs', false), '0/s');
	assert.equal(formatRate(1234, 'msgs', false), '1.2K/s');
	assert.equal(formatRate(1536, 'bytes', false), '1.5KiB/s');
	assert.equal(formatRate(1234, 'msgs', true), '1234/s');
	assert.equal(formatRate(1234.6, 'bytes', true), '1235/s');
	assert.equal(formatRate(0.5, 'msgs', false), '0.5/s');
	assert.equal(formatRate(0.5, 'msgs', true), '0.5/s');
	assert.equal(formatRate(0.5, 'bytes', false), '0.5B/s');
	assert.equal(formatRate(7, 'msgs', false), '7/s');
});

test('parseDuration: Go duration strings as nats-server prints them', () => {
	assert.equal(parseDuration('0s'), 0);
	assert.equal(parseDuration('0'), 0);
	assert.equal(parseDuration('1h2m3s'), 3_723_000);
	assert.equal(parseDuration('1.234ms'), 1.234);
	assert.ok(Math.abs(parseDuration('850µs')! - 0.85) < 1e-12);
	assert.ok(Math.abs(parseDuration('850μs')! - 0.85) < 1e-12, 'Greek mu too');
	assert.ok(Math.abs(parseDuration('850us')! - 0.85) < 1e-12);
	assert.ok(Math.abs(parseDuration('12ns')! - 0.000012) < 1e-15);
	assert.equal(parseDuration('2d3h4m5s'), 2 * 86_400_000 + 3 * 3_600_000 + 4 * 60_000 + 5000);
	assert.equal(parseDuration('1y2d3h'), 365 * 86_400_000 + 2 * 86_400_000 + 3 * 3_600_000);
	assert.equal(parseDuration('1m30.5s'), 90_500);
	assert.equal(parseDuration('-1.5s'), -1500);
	for (const bad of ['', '   ', 'abc', '5', '1h2', 'h', '1x', '1h 2m', '--1s']) {
		assert.equal(parseDuration(bad), undefined, JSON.stringify(bad));
	}
});

test('formatDuration: compact, at most two units', () => {
	assert.equal(formatDuration(0), '0s');
	assert.equal(formatDuration(0.000012), '12ns');
	assert.equal(formatDuration(0.85), '850µs');
	assert.equal(formatDuration(1.2), '1.2ms');
	assert.equal(formatDuration(123), '123ms');
	assert.equal(formatDuration(1500), '1.5s');
	assert.equal(formatDuration(45_000), '45s');
	assert.equal(formatDuration(192_000), '3m12s');
	assert.equal(formatDuration(2 * 3_600_000 + 5 * 60_000 + 10_000), '2h05m');
	assert.equal(formatDuration(3 * 86_400_000 + 4 * 3_600_000), '3d04h');
	assert.equal(formatDuration(377 * 86_400_000), '1y12d');
	assert.equal(formatDuration(parseDuration('1h2m3s')!), '1h02m');
});

test('formatPercent', () => {
	assert.equal(formatPercent(12.34), '12.3%');
	assert.equal(formatPercent(0), '0%');
	assert.equal(formatPercent(100), '100%');
	assert.equal(formatPercent(250.4), '250%');
});

test('displayWidth counts wide characters as two cells', () => {
	assert.equal(displayWidth('abc'), 3);
	assert.equal(displayWidth('日本'), 4);
	assert.equal(displayWidth('—'), 1);
	assert.equal(displayWidth(''), 0);
});

test('fitToWidth pads and truncates by display width, always exactly width cells', () => {
	assert.equal(fitToWidth('abc', 6, 'left'), 'abc   ');
	assert.equal(fitToWidth('abc', 6, 'right'), '   abc');
	assert.equal(fitToWidth('abcdef', 6, 'left'), 'abcdef');
	assert.equal(fitToWidth('abcdefgh', 6, 'left'), 'abcde…');
	assert.equal(fitToWidth('abcdefgh', 1, 'right'), '…');
	assert.equal(fitToWidth('abc', 0, 'left'), '');
	assert.equal(fitToWidth('日本語', 6, 'right'), '日本語');
	assert.equal(fitToWidth('日本語', 8, 'right'), '  日本語');
	// 5 cells: two wide chars (4) + "…" (1)
	assert.equal(fitToWidth('日本語テキスト', 5, 'left'), '日本…');
	// 4 cells: one wide char + "…" + a space where half a wide char would have been
	assert.equal(fitToWidth('日本語テキスト', 4, 'left'), '日… ');
	const samples = ['plain', '日本語テキスト', 'mixed 日本 text', 'e\u0301te\u0301', '👍🏽 ok', '👩‍👩‍👧 family', '—dash—', ''];
	for (const s of samples) {
		for (let w = 0; w <= 16; w++) {
			for (const align of ['left', 'right'] as const) {
				const out = fitToWidth(s, w, align);
				assert.equal(displayWidth(out), w, `${JSON.stringify(s)} at ${w} ${align} → ${JSON.stringify(out)}`);
				if (displayWidth(s) > w && w > 0) assert.ok(out.includes('…'), 'truncated text ends with …');
			}
		}
	}
});

test('formatTimestamp: UTC, blank for empty, invalid and the Go zero time', () => {
	assert.equal(formatTimestamp('2026-11-22T14:51:18.123456789Z'), '2026-11-22 14:51:18');
	assert.equal(formatTimestamp('2026-11-22T15:51:18+01:00'), '2026-11-22 14:51:18');
	assert.equal(formatTimestamp(''), '');
	assert.equal(formatTimestamp('0001-01-01T00:00:00Z'), '');
	assert.equal(formatTimestamp('not a time'), '');
});

test('wrapWords breaks at spaces within the width and indents what follows', () => {
	assert.deepEqual(wrapWords('short', 20, 4), ['short']);
	assert.deepEqual(wrapWords('  k     one two three four', 14, 8), ['  k     one', '        two', '        three', '        four']);
	assert.deepEqual(wrapWords('ab cdefghijklmnop qr', 6, 0), ['ab', 'cdefghijklmnop', 'qr'], 'a long word stays whole');
	for (const line of wrapWords('↑ ↓ → mark the lag growing, shrinking or steady since the last refresh', 20, 2)) assert.ok(displayWidth(line) <= 20, line);
});

test('parseDuration agrees with the Go duration grammar as a regular expression, over 20,000 seeded strings', () => {
	const MS: Record<string, number> = {y: 365 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, 'µs': 0.001, 'μs': 0.001, ns: 0.000_001};
	const reference = (input: string): number | undefined => {
		let text = input.trim();
		if (text === '') return undefined;
		let sign = 1;
		if (text.startsWith('-') || text.startsWith('+')) {
			if (text.startsWith('-')) sign = -1;
			text = text.slice(1);
		}
		if (text === '0') return 0;
		const part = /(\d+(?:\.\d*)?|\.\d+)(ms|us|µs|μs|ns|y|d|h|m|s)/y;
		let total = 0;
		let at = 0;
		while (at < text.length) {
			part.lastIndex = at;
			const match = part.exec(text);
			if (!match) return undefined;
			total += Number(match[1]) * MS[match[2]!]!;
			at = part.lastIndex;
		}
		return at === 0 ? undefined : sign * total;
	};
	const alphabet = ['0', '1', '5', '9', '.', 'h', 'm', 's', 'ms', 'us', 'µs', 'μs', 'n', 'ns', 'd', 'y', '-', '+', ' ', 'x', 'µ'];
	let seed = 7;
	const random = (n: number) => {
		seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
		return seed % n;
	};
	for (let i = 0; i < 20_000; i++) {
		let text = '';
		for (let length = 1 + random(8); length > 0; length--) text += alphabet[random(alphabet.length)];
		assert.equal(parseDuration(text), reference(text), JSON.stringify(text));
	}
});
