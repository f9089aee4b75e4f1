import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import {KEYMAP, commandFor, footerHints, helpSections, keyName, readmeKeyTable, type Scope} from '../../source/keymap.js';

test('no key is bound twice within a scope, nor shadows a global key by accident', () => {
	const seen = new Map<string, string>();
	for (const binding of KEYMAP) {
		for (const key of binding.keys) {
			const id = `${binding.scope} ${key}`;
			assert.equal(seen.has(id), false, `${key} is bound twice in ${binding.scope}: ${seen.get(id)} and ${binding.command}`);
			seen.set(id, binding.command);
		}
	}
	const global = KEYMAP.filter(b => b.scope === 'global').flatMap(b => b.keys);
	for (const binding of KEYMAP.filter(b => b.scope !== 'global')) {
		for (const key of binding.keys) assert.equal(global.includes(key), false, `${key} in ${binding.scope} shadows a global key`);
	}
});

test('key names from Ink key events', () => {
	assert.equal(keyName('', {upArrow: true}), 'up');
	assert.equal(keyName('', {pageDown: true}), 'pagedown');
	assert.equal(keyName('', {return: true}), 'enter');
	assert.equal(keyName('', {escape: true}), 'escape');
	assert.equal(keyName('c', {ctrl: true}), 'ctrl+c');
	assert.equal(keyName(' ', {}), 'space');
	assert.equal(keyName('G', {shift: true}), 'G');
	assert.equal(keyName('', {delete: true}), 'backspace');
	assert.equal(keyName('abc', {}), undefined);
});

test('a view scope answers to its own keys first, then the global ones', () => {
	assert.equal(commandFor('o', 'connections'), 'sort-prompt');
	assert.equal(commandFor('o', 'detail'), undefined);
	assert.equal(commandFor('q', 'detail'), 'quit');
	assert.equal(commandFor('escape', 'detail'), 'back');
	assert.equal(commandFor('escape', 'connections'), 'clear-filters');
	assert.equal(commandFor('j', 'help'), 'down');
	assert.equal(commandFor('ctrl+c', 'connections'), 'quit');
});

test('footer hints and help come from the keymap', () => {
	const scopes: Scope[] = ['connections', 'detail', 'help'];
	for (const scope of scopes) {
		const hints = footerHints(scope);
		assert.ok(hints.some(h => h.label === 'quit'), `${scope} footer offers quit`);
		assert.ok(hints.some(h => h.label === 'help'), `${scope} footer offers help`);
	}
	assert.deepEqual(
		footerHints('connections').map(h => h.keys),
		['Enter', 'o', '/', '?', 'q', 'p', 'Tab'],
	);
	const described = helpSections().flatMap(s => s.rows.map(r => r.description));
	for (const binding of KEYMAP) assert.ok(described.includes(binding.description), `help lists ${binding.command}`);
});

test('README key table is the generated one (regenerate with npm run readme:keys)', async () => {
	const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
	const match = /<!-- keys:start -->\n([\s\S]*?)\n<!-- keys:end -->/.exec(readme);
	assert.ok(match, 'README has <!-- keys:start --> … <!-- keys:end --> markers');
	assert.equal(match[1], readmeKeyTable());
});

test('a burst of keys in one input event is split into single keys', async () => {
	const {splitKeys} = await import('../../source/keymap.js');
	assert.deepEqual(splitKeys('jjj', {}).map(k => k.input), ['j', 'j', 'j']);
	const burst = splitKeys('pe\t\r', {});
	assert.deepEqual(burst.map(k => [k.input, Boolean(k.key.tab), Boolean(k.key.return)]), [
		['p', false, false],
		['e', false, false],
		['', true, false],
		['', false, true],
	]);
	assert.equal(splitKeys('G', {shift: true}).length, 1);
	assert.equal(splitKeys('', {upArrow: true}).length, 1);
	assert.equal(splitKeys('GG', {}).every(k => k.key.shift), true);
});
