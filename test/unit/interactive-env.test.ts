import {test} from 'node:test';
import assert from 'node:assert/strict';
import {clearCiForTerminal} from '../../source/interactive-env.js';

test('a terminal is never CI: CI variables are marked false so Ink draws every frame', () => {
	const env: NodeJS.ProcessEnv = {CI: 'true', CONTINUOUS_INTEGRATION: '1', HOME: '/root'};
	assert.deepEqual(clearCiForTerminal(env, true), ['CI', 'CONTINUOUS_INTEGRATION']);
	assert.deepEqual(env, {CI: 'false', CONTINUOUS_INTEGRATION: 'false', HOME: '/root'});
});

test('output to a pipe or file keeps the CI variables as they are', () => {
	const env: NodeJS.ProcessEnv = {CI: 'true'};
	assert.deepEqual(clearCiForTerminal(env, false), []);
	assert.equal(env.CI, 'true');
});

test('absent or already false variables are left alone', () => {
	const env: NodeJS.ProcessEnv = {CI: '0'};
	assert.deepEqual(clearCiForTerminal(env, true), []);
	assert.deepEqual(env, {CI: '0'});
});
