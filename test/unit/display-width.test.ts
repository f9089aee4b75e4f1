// displayWidth measures strings of stand-alone characters by summing cached character widths
// instead of segmenting graphemes; it must agree with string-width (what Ink measures with)
// everywhere, including on strings that mix in characters that do join into clusters.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import stringWidth from 'string-width';
import {displayWidth, fitToWidth, loadWideWidths, OWN_GLYPHS} from '../../source/model/format.js';

// A second instance of the module, string-width not loaded: what a one-shot measures with
// until it knows that its text needs string-width.
type Format = typeof import('../../source/model/format.js');
const unloaded = (await import(new URL('../../source/model/format.js?unloaded', import.meta.url).href)) as Format;
// This file's own instance measures anything, as the TUI's does.
await loadWideWidths();

// Deterministic pseudo-random numbers, so a failure names a reproducible string.
function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
		return state / 2 ** 32;
	};
}

const RANGES: Array<[number, number]> = [
	[0x20, 0x7e],
	[0xa0, 0x2ff],
	[0x300, 0x36f], // combining diacritics: joins clusters
	[0x370, 0x4ff],
	[0x900, 0x97f], // Devanagari: spacing marks and viramas
	[0xe00, 0xe7f], // Thai: SARA AM and friends
	[0x1100, 0x11ff], // Hangul jamo: compose
	[0x2010, 0x206f],
	[0x20a0, 0x20ff],
	[0x2100, 0x2bff],
	[0x3000, 0x30ff],
	[0x4e00, 0x4e80],
	[0xac00, 0xac80],
	[0xfe00, 0xfe0f], // variation selectors
	[0xff00, 0xffef],
];

function randomString(next: () => number, length: number): string {
	let s = '';
	for (let i = 0; i < length; i++) {
		const [from, to] = RANGES[Math.floor(next() * RANGES.length)]!;
		s += String.fromCharCode(from + Math.floor(next() * (to - from + 1)));
	}
	return s;
}

test('displayWidth agrees with string-width on random mixed strings', () => {
	const next = random(7);
	for (let i = 0; i < 4000; i++) {
		const s = randomString(next, 1 + Math.floor(next() * 12));
		assert.equal(displayWidth(s), stringWidth(s), `width of ${JSON.stringify(s)}`);
	}
});

test('displayWidth agrees with string-width on the characters natscope draws', () => {
	const samples = [
		'94µs',
		'showing 1–41 of 1,024 · sort pending ▼',
		'▁▂▃▄▅▆▇█',
		'⚠ TLS not verified',
		'✖ connection refused',
		'名前 client-1…',
		'␛]0;pwned␇',
		'❤️ emoji with selector',
		'👩‍💻 joined',
		'한국어 e\u0301',
		'ｶﾞ halfwidth voiced',
		'\u0915\u093e Devanagari',
		'\u0e01\u0e33 Thai',
	];
	for (const s of samples) assert.equal(displayWidth(s), stringWidth(s), `width of ${JSON.stringify(s)}`);
});

test('fitToWidth cuts non-ASCII text to the exact width', () => {
	const next = random(11);
	for (let i = 0; i < 1000; i++) {
		const s = randomString(next, 5 + Math.floor(next() * 20));
		const width = 1 + Math.floor(next() * 15);
		const fitted = fitToWidth(s, width, i % 2 === 0 ? 'left' : 'right');
		assert.equal(stringWidth(fitted), width, `fit ${JSON.stringify(s)} to ${width}: ${JSON.stringify(fitted)}`);
	}
});

test("natscope's own glyphs, measured without string-width, are one cell as string-width says", () => {
	for (const glyph of OWN_GLYPHS) {
		assert.equal(glyph.length, 1, `${glyph} is one UTF-16 unit`);
		assert.equal(stringWidth(glyph), 1, glyph);
		assert.equal(unloaded.displayWidth(glyph), 1, glyph);
		assert.equal(unloaded.displayWidth(`ab${glyph}c${glyph}`), 5, glyph);
		assert.equal(unloaded.fitToWidth(`abc${glyph}${glyph}de`, 6, 'left'), `abc${glyph}${glyph}…`, glyph);
	}
});

test('before loadWideWidths, text that needs string-width is refused, never measured wrong; after, it is exact', async () => {
	const samples = ['名前 client-1…', '한국어', 'e\u0301', '👩‍💻', '\u00e9t\u00e9', '␁', '\u00ad'];
	for (const s of samples) {
		assert.throws(() => unloaded.displayWidth(s), unloaded.WideWidthsNotLoaded, JSON.stringify(s));
		assert.throws(() => unloaded.fitToWidth(s, 3, 'left'), unloaded.WideWidthsNotLoaded, JSON.stringify(s));
	}
	assert.equal(unloaded.wideWidthsLoaded(), false);
	assert.equal(unloaded.displayWidth('plain ASCII ~ 94µs ▼'), 20);
	await unloaded.loadWideWidths();
	await unloaded.loadWideWidths(); // once is enough; again is harmless
	assert.equal(unloaded.wideWidthsLoaded(), true);
	for (const s of samples) {
		assert.equal(unloaded.displayWidth(s), stringWidth(s), `width of ${JSON.stringify(s)}`);
	}
	assert.equal(unloaded.displayWidth('日本'), 4);
});
