import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import {KEYMAP, commandFor, fitHints, footerHints, helpSections, keyName, readmeKeyTable, type Scope} from '../../source/keymap.js';

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
	// The replay scope shadows on purpose (see the next test).
	for (const binding of KEYMAP.filter(b => b.scope !== 'global' && b.scope !== 'replay')) {
		for (const key of binding.keys) assert.equal(global.includes(key), false, `${key} in ${binding.scope} shadows a global key`);
	}
});

test('while replaying the replay keys come first, and what they shadow keeps a key of its own', () => {
	assert.equal(commandFor('space', 'connections', {replay: true}), 'replay-pause');
	assert.equal(commandFor(']', 'streams', {replay: true}), 'replay-faster');
	assert.equal(commandFor('[', 'streams', {replay: true}), 'replay-slower');
	assert.equal(commandFor('.', 'servers', {replay: true}), 'replay-step-forward');
	assert.equal(commandFor(',', 'detail', {replay: true}), 'replay-step-back');
	// Live, the same keys do what they always did.
	assert.equal(commandFor('space', 'connections'), 'toggle-rates');
	assert.equal(commandFor(']', 'streams'), 'next-page');
	assert.equal(commandFor('.', 'connections'), undefined);
	const replayKeys = KEYMAP.filter(b => b.scope === 'replay').flatMap(b => b.keys);
	const scopes = [...new Set(KEYMAP.map(b => b.scope))].filter(s => s !== 'replay');
	for (const scope of scopes) {
		for (const binding of KEYMAP.filter(b => b.scope === scope || b.scope === 'global')) {
			if (!binding.keys.some(k => replayKeys.includes(k))) continue;
			// Operator panels act on live servers only: in a replay they have nothing to do.
			if (binding.scope === 'profiles' || binding.scope === 'signals') continue;
			const other = binding.keys.filter(k => !replayKeys.includes(k));
			assert.ok(other.length > 0, `${binding.command} (${scope}) is shadowed in a replay and has no other key`);
			assert.equal(commandFor(other[0]!, scope === 'global' ? 'connections' : scope, {replay: true}), binding.command, `${other[0]} still runs ${binding.command} in a replay`);
		}
	}
	assert.equal(commandFor('R', 'connections', {replay: true}), 'toggle-rates');
	assert.equal(commandFor('}', 'streams', {replay: true}), 'next-page');
	assert.equal(commandFor('{', 'streams', {replay: true}), 'prev-page');
});

test('the panels\' keys in the keymap are the keys their controllers answer to', async () => {
	const {SIGNAL_PANEL_KEYS, CLIENT_ACTION_KEYS, PROFILE_PANEL_KEYS} = await import('../../source/actions/controller.js');
	const keysOf = (scope: Scope) => KEYMAP.filter(b => b.scope === scope).flatMap(b => b.keys).sort();
	assert.deepEqual(keysOf('signals'), SIGNAL_PANEL_KEYS.map(k => k.key).sort());
	assert.deepEqual(keysOf('profiles'), [...PROFILE_PANEL_KEYS.map(k => k.key), '[', ']', 'f'].sort());
	for (const k of CLIENT_ACTION_KEYS) assert.equal(commandFor(k.key, 'detail'), k.id);
	assert.equal(commandFor('S', 'connections'), 'view-signals');
	assert.equal(commandFor('P', 'streams'), 'view-profiles');
	assert.equal(commandFor('q', 'signals'), 'quit');
	assert.equal(commandFor('1', 'profiles'), 'view-connections');
	const help = helpSections().map(s => s.title);
	assert.ok(help.includes('Signal panel') && help.includes('Profiles panel') && help.some(t => t.startsWith('Replay (')));
	assert.deepEqual(footerHints('connections', {replay: true}).slice(0, 2).map(h => h.keys), ['Space', ']']);
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

test('the footer shows whole hints only, and keeps help when hints before it must go', () => {
	const scopes: Scope[] = ['connections', 'servers', 'tables', 'streams', 'consumers', 'events', 'detail', 'signals', 'profiles', 'help'];
	for (const scope of scopes) {
		for (const replay of [false, true]) {
			const hints = footerHints(scope, {replay});
			const whole = hints.map(h => `${h.keys} ${h.label}`);
			for (const width of [12, 24, 40, 60, 80, 120, 200]) {
				const text = fitHints(hints, width);
				const where = `${scope}${replay ? ' (replay)' : ''} at ${width}`;
				assert.ok(text.length <= width, `${where}: ${text.length} columns`);
				const pieces = text === '' ? [] : text.split('  ');
				for (const piece of pieces) assert.ok(whole.includes(piece), `${where}: "${piece}" is a whole hint`);
				// In the keymap's order, so the first hints of a view stay where they were.
				const positions = pieces.map(p => whole.indexOf(p));
				assert.deepEqual(positions, [...positions].sort((a, b) => a - b), `${where}: in order`);
				if (whole.includes('? help')) assert.ok(pieces.includes('? help'), `${where}: help kept`);
			}
		}
	}
	// The replay footer at 80 columns: the last hints drop whole instead of a cut "p p…".
	const replay = fitHints(footerHints('connections', {replay: true}), 80);
	assert.equal(replay, 'Space play/pause  ] faster  Enter detail  o sort  / filter  ? help  q quit');
	// Narrow: the hints before help give way to it.
	assert.equal(fitHints(footerHints('streams'), 24), 'Enter consumers  ? help');
	assert.equal(fitHints(footerHints('connections'), 200), whole(footerHints('connections')));
});

function whole(hints: Array<{keys: string; label: string}>): string {
	return hints.map(h => `${h.keys} ${h.label}`).join('  ');
}
