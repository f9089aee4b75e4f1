import {test} from 'node:test';
import assert from 'node:assert/strict';
import {sparkline} from '../../source/model/sparkline.js';

test('scaled to the maximum of the values shown', () => {
	assert.equal(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8), '▁▂▃▄▅▆▇█');
	assert.equal(sparkline([7, 14], 2), '▅█');
	assert.equal(sparkline([1, 1000], 2), '▂█', 'a trickle is not silence');
	assert.equal(sparkline([10], 1), '█');
});

test('gaps are blank, all zero is a flat floor', () => {
	assert.equal(sparkline([0, 0, 0], 3), '▁▁▁');
	assert.equal(sparkline([7, undefined, 0], 3), '█ ▁');
	assert.equal(sparkline([undefined, undefined], 2), '  ');
});

test('exactly width characters: left-padded when short, the last values when long', () => {
	assert.equal(sparkline([7], 4), '   █');
	assert.equal(sparkline([], 3), '   ');
	assert.equal(sparkline([100, 0, 7], 2), '▁█', 'only the last two count, and the scale follows them');
	assert.equal(sparkline([1, 2, 3], 0), '');
	for (let width = 1; width < 70; width += 7) {
		const values = Array.from({length: 60}, (_, i) => (i % 5 === 0 ? undefined : i * 13));
		assert.equal([...sparkline(values, width)].length, width);
	}
});
