import {test} from 'node:test';
import assert from 'node:assert/strict';
import {sanitizeText} from '../../source/model/sanitize.js';

test('escape sequences become visible text', () => {
	assert.equal(sanitizeText('evil\u001b]0;pwned\u0007\u001b[2J'), 'evil␛]0;pwned␇␛[2J');
	assert.equal(sanitizeText('a\r\nb\tc\u0000'), 'a␍␊b␉c␀');
	assert.equal(sanitizeText('del\u007f'), 'del␡');
});

test('C1 controls, bidi overrides, line separators and lone surrogates are replaced', () => {
	assert.equal(sanitizeText('x\u009b31my'), 'x\uFFFD31my', 'CSI as a single C1 byte');
	assert.equal(sanitizeText('abc\u202Eevil'), 'abc\uFFFDevil');
	assert.equal(sanitizeText('a\u2066b\u2069'), 'a\uFFFDb\uFFFD');
	assert.equal(sanitizeText('a\u2028b'), 'a\uFFFDb');
	assert.equal(sanitizeText('a\uD800b'), 'a\uFFFDb');
	assert.equal(sanitizeText('ok 😀'), 'ok 😀', 'paired surrogates stay');
});

test('invisible characters are dropped so width is what is drawn', () => {
	assert.equal(sanitizeText('a\u200Bb\u200Dc\uFEFFd\u00ADe'), 'abcde');
	assert.equal(sanitizeText('tag\u{E0041}s'), 'tags');
});

test('length is bounded, non-strings are handled', () => {
	assert.equal(sanitizeText('x'.repeat(20), 10), `${'x'.repeat(9)}…`);
	assert.equal(sanitizeText('\u001b'.repeat(20), 5).length, 5);
	assert.equal(sanitizeText(42), '42');
	assert.equal(sanitizeText(true), 'true');
	assert.equal(sanitizeText(null), '');
	assert.equal(sanitizeText({toString: () => '\u001b[2J'}), '');
	assert.equal(sanitizeText(undefined), '');
});

test('no control character survives any input', () => {
	let seed = 7;
	const random = () => {
		seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
		return seed;
	};
	for (let round = 0; round < 2000; round++) {
		const length = random() % 40;
		let text = '';
		for (let i = 0; i < length; i++) {
			const pick = random() % 4;
			text += String.fromCharCode(pick === 0 ? random() % 0x20 : pick === 1 ? 0x7f + (random() % 0x30) : pick === 2 ? 0x2000 + (random() % 0x80) : random() % 0xffff);
		}
		const clean = sanitizeText(text);
		assert.doesNotMatch(clean, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/, JSON.stringify(text));
	}
});
