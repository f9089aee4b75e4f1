import {test} from 'node:test';
import assert from 'node:assert/strict';
import {groupDigits} from '../../source/model/digits.js';

test('groupDigits writes what toLocaleString("en-US") writes', () => {
	const values = [0, -0, 1, 9, 10, 99, 100, 999, 1000, 1001, 9999, 10_000, 12_345, 99_999, 100_000, 999_999, 1_000_000, 1_234_567, 2 ** 31, 2 ** 53 - 1, -1, -999, -1000, -1_234_567, -(2 ** 53 - 1), 1.5, 1234.5678, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60];
	for (let i = 0; i < 2000; i++) values.push(Math.floor(Math.random() * 10 ** (1 + (i % 16))) * (i % 3 === 0 ? -1 : 1));
	for (const n of values) assert.equal(groupDigits(n), n.toLocaleString('en-US'), String(n));
});
