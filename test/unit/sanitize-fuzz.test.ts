// sanitizeText against random strings built from everything that can hurt a terminal: C0 and C1
// controls, DEL, lone surrogates, bidi controls, zero-width and tag characters, line separators,
// mixed with ASCII, CJK, emoji and combining marks. Seeded, so a failure names its input.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {sanitizeText} from '../../source/model/sanitize.js';

function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const POOLS: Array<[number, number]> = [
	[0x00, 0x1f], // C0
	[0x7f, 0x9f], // DEL and C1 (0x9b is CSI)
	[0x20, 0x7e], // printable ASCII
	[0xd800, 0xdfff], // surrogates, paired by chance or lone
	[0x202a, 0x202e], // bidi embeddings and overrides
	[0x2066, 0x2069], // bidi isolates
	[0x200b, 0x200f], // zero-width, LRM, RLM
	[0x2028, 0x2029], // line and paragraph separators
	[0xfeff, 0xfeff], // BOM
	[0x0300, 0x036f], // combining marks
	[0x4e00, 0x4e20], // CJK (wide)
	[0xfff9, 0xfffb], // interlinear annotations
];
const ASTRAL = ['🙂', '\u{e0041}', '\u{e007f}', '𝔘', '\u{1f1fa}\u{1f1f8}'];

/** What must never come out: controls, bidi, zero-width, separators, lone surrogates, tags. */
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff\ufff9-\ufffb]|[\u{e0000}-\u{e007f}]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/u;

function randomText(rng: () => number, length: number): string {
	let out = '';
	for (let i = 0; i < length; i++) {
		if (rng() < 0.05) {
			out += ASTRAL[Math.floor(rng() * ASTRAL.length)];
			continue;
		}
		const [from, to] = POOLS[Math.floor(rng() * POOLS.length)]!;
		out += String.fromCharCode(from + Math.floor(rng() * (to - from + 1)));
	}
	return out;
}

test('20,000 random hostile strings: nothing forbidden comes out, the length is bounded, the result is well-formed', () => {
	const rng = mulberry32(8);
	for (let i = 0; i < 20_000; i++) {
		const input = randomText(rng, 1 + Math.floor(rng() * 80));
		const max = 1 + Math.floor(rng() * 100);
		const output = sanitizeText(input, max);
		const what = `input ${JSON.stringify(input)} max ${max}`;
		assert.equal(FORBIDDEN.exec(output), null, `${what} → ${JSON.stringify(output)}`);
		assert.ok([...output].length <= max, `${what}: ${[...output].length} code points > ${max}`);
		assert.ok((output as unknown as {isWellFormed(): boolean}).isWellFormed(), `${what}: well-formed UTF-16`);
		assert.equal(Buffer.from(output, 'utf8').toString('utf8'), output, `${what}: survives UTF-8`);
		// Idempotent once it fits: sanitizing what is already clean changes nothing.
		if (!output.endsWith('…')) assert.equal(sanitizeText(output, max), output, `${what}: idempotent`);
	}
});

test('every escape and control is visible or replaced, never dropped silently (except invisible formatting)', () => {
	assert.equal(sanitizeText('\u001b[2J\u001b]0;t\u0007'), '␛[2J␛]0;t␇');
	assert.equal(sanitizeText('a\u009b31mb'), 'a�31mb');
	assert.equal(sanitizeText('\u202eevil\u2066'), '�evil�');
	assert.equal(sanitizeText('z\u200bw\ufeff\u2060j'), 'zwj');
	assert.equal(sanitizeText('l\u2028p\u2029'), 'l�p�');
	assert.equal(sanitizeText('\ud800x\udc00'), '�x�');
	assert.equal(sanitizeText('tag\u{e0041}\u{e007f}'), 'tag');
	assert.equal(sanitizeText('🙂界'), '🙂界');
});

test('huge inputs are cut to the limit, with an ellipsis', () => {
	for (const huge of ['x'.repeat(10_000_000), '\u001b'.repeat(1_000_000), '界'.repeat(1_000_000)]) {
		const output = sanitizeText(huge, 1024);
		assert.equal([...output].length, 1024);
		assert.ok(output.endsWith('…'));
	}
});

test('values that are not strings', () => {
	assert.equal(sanitizeText(undefined), '');
	assert.equal(sanitizeText(null), '');
	assert.equal(sanitizeText({toString: () => '\u001b[2J'}), '');
	assert.equal(sanitizeText(['\u001b']), '');
	assert.equal(sanitizeText(42), '42');
	assert.equal(sanitizeText(true), 'true');
	assert.equal(sanitizeText(10n), '10');
});
