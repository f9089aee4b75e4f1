import {test} from 'node:test';
import assert from 'node:assert/strict';
import {initialState, reducer, type Action, type UiState} from '../../source/state.js';
import type {Config} from '../../source/config/types.js';

const config: Config = {
	transport: 'http',
	urls: ['http://127.0.0.1:8222'],
	tls: {insecure: false},
	intervalMs: 1000,
	timeoutMs: 5000,
	sort: 'cid',
	reverse: false,
	state: 'open',
	rawNumbers: false,
	lookup: false,
	showSubs: false,
};

function run(state: UiState, ...actions: Action[]): UiState {
	return actions.reduce(reducer, state);
}

function listOf(total: number, pageSize = 10): UiState {
	return run(initialState(config), {type: 'page-size', rows: pageSize}, {type: 'total', total});
}

test('selection moves and the window follows it', () => {
	let state = listOf(100);
	state = run(state, ...Array.from({length: 12}, () => ({type: 'command', command: 'down'}) as Action));
	assert.equal(state.selected, 12);
	assert.equal(state.scrollTop, 3);
	state = run(state, {type: 'command', command: 'page-down'});
	assert.equal(state.selected, 22);
	state = run(state, {type: 'command', command: 'bottom'});
	assert.equal(state.selected, 99);
	assert.equal(state.scrollTop, 90);
	state = run(state, {type: 'command', command: 'down'});
	assert.equal(state.selected, 99, 'stays on the last row');
	state = run(state, {type: 'command', command: 'top'});
	assert.deepEqual([state.selected, state.scrollTop], [0, 0]);
	state = run(state, {type: 'command', command: 'up'});
	assert.equal(state.selected, 0);
});

test('a shrinking list pulls the selection back inside it', () => {
	let state = run(listOf(100), {type: 'command', command: 'bottom'});
	state = run(state, {type: 'total', total: 5});
	assert.equal(state.selected, 4);
	assert.equal(state.scrollTop, 0);
});

test('sort prompt: completion, validation, apply', () => {
	let state = run(listOf(100), {type: 'command', command: 'down'}, {type: 'command', command: 'sort-prompt'});
	assert.equal(state.prompt?.kind, 'sort');
	state = run(state, {type: 'prompt-input', text: 'pen'}, {type: 'prompt-complete'});
	assert.equal(state.prompt?.text, 'pending');
	state = run(state, {type: 'prompt-submit'});
	assert.equal(state.sort, 'pending');
	assert.equal(state.prompt, undefined);
	assert.equal(state.selected, 0, 'a new order starts at the top');

	state = run(state, {type: 'command', command: 'sort-prompt'}, {type: 'prompt-input', text: 'bogus'}, {type: 'prompt-submit'});
	assert.match(state.prompt?.error ?? '', /unknown sort key "bogus"/);
	assert.equal(state.sort, 'pending');
	state = run(state, {type: 'prompt-cancel'});
	assert.equal(state.prompt, undefined);

	state = run(state, {type: 'command', command: 'sort-prompt'}, {type: 'prompt-input', text: 'reason'}, {type: 'prompt-submit'});
	assert.match(state.prompt?.error ?? '', /needs closed connections/);
});

test('< and > walk the visible sort columns and wrap around', () => {
	const keys = ['cid', 'pending', 'msgs_to'] as const;
	let state = initialState(config);
	state = run(state, {type: 'command', command: 'sort-next', sortKeys: keys});
	assert.equal(state.sort, 'pending');
	state = run(state, {type: 'command', command: 'sort-prev', sortKeys: keys}, {type: 'command', command: 'sort-prev', sortKeys: keys});
	assert.equal(state.sort, 'msgs_to');
});

test('rows prompt takes a positive integer or empty', () => {
	let state = run(initialState(config), {type: 'command', command: 'rows-prompt'}, {type: 'prompt-input', text: '0'}, {type: 'prompt-submit'});
	assert.ok(state.prompt?.error);
	state = run(state, {type: 'prompt-backspace'}, {type: 'prompt-input', text: '50'}, {type: 'prompt-submit'});
	assert.equal(state.rows, 50);
	state = run(state, {type: 'command', command: 'rows-prompt'}, {type: 'prompt-backspace'}, {type: 'prompt-backspace'}, {type: 'prompt-submit'});
	assert.equal(state.rows, undefined);
});

test('state cycles open → closed → all, leaving closed-only sorts behind', () => {
	let state = run(initialState(config), {type: 'command', command: 'cycle-state'});
	assert.equal(state.state, 'closed');
	state = run(state, {type: 'command', command: 'sort-prompt'}, {type: 'prompt-input', text: 'reason'}, {type: 'prompt-submit'});
	assert.equal(state.sort, 'reason');
	state = run(state, {type: 'command', command: 'cycle-state'});
	assert.equal(state.state, 'all');
	assert.equal(state.sort, 'cid');
	state = run(state, {type: 'command', command: 'cycle-state'});
	assert.equal(state.state, 'open');
});

test('filters, clear, detail, help and toggles', () => {
	let state = run(
		initialState(config),
		{type: 'command', command: 'account-prompt'},
		{type: 'prompt-input', text: 'APP'},
		{type: 'prompt-submit'},
		{type: 'command', command: 'filter-prompt'},
		{type: 'prompt-input', text: 'go'},
		{type: 'prompt-submit'},
	);
	assert.equal(state.account, 'APP');
	assert.equal(state.filter, 'go');
	state = run(state, {type: 'command', command: 'subject-prompt'}, {type: 'prompt-input', text: 'a b'}, {type: 'prompt-submit'});
	assert.match(state.prompt?.error ?? '', /no spaces/);
	state = run(state, {type: 'prompt-cancel'}, {type: 'command', command: 'clear-filters'});
	assert.equal(state.account, undefined);
	assert.equal(state.filter, '');

	state = run(state, {type: 'command', command: 'open-detail'});
	assert.equal(state.view, 'connections', 'nothing selected, nothing opened');
	state = run(state, {type: 'command', command: 'open-detail', selectedRow: {serverId: 'S', cid: 7}});
	assert.equal(state.view, 'detail');
	assert.deepEqual(state.detail, {serverId: 'S', cid: 7});
	state = run(state, {type: 'command', command: 'help'});
	assert.equal(state.view, 'help');
	state = run(state, {type: 'command', command: 'back'});
	assert.equal(state.view, 'detail', 'help returns where it was opened');
	state = run(state, {type: 'command', command: 'back'});
	assert.equal(state.view, 'connections');

	state = run(state, {type: 'command', command: 'pause'}, {type: 'command', command: 'toggle-raw'}, {type: 'command', command: 'toggle-rates'});
	assert.equal(state.paused, true);
	assert.equal(state.raw, true);
	assert.equal(state.mode, 'totals');
	state = run(state, {type: 'command', command: 'slower'});
	assert.equal(state.intervalMs, 2000);
	state = run(state, {type: 'command', command: 'faster'}, {type: 'command', command: 'faster'}, {type: 'command', command: 'faster'}, {type: 'command', command: 'faster'});
	assert.equal(state.intervalMs, 250, 'stops at the fastest step');
});

test('the action panels open by key, by name and from --view; replay and panel commands leave the UI state to the app', async () => {
	const {commandFor} = await import('../../source/keymap.js');
	let state = initialState(config);
	state = run(state, {type: 'command', command: commandFor('S', 'connections')!});
	assert.equal(state.view, 'signals');
	state = run(state, {type: 'command', command: 'view-prompt'}, {type: 'prompt-input', text: 'prof'}, {type: 'prompt-complete'}, {type: 'prompt-submit'});
	assert.equal(state.view, 'profiles');
	assert.equal(initialState({...config, view: 'signals'}).view, 'signals');
	assert.equal(initialState({...config, view: 'profiles'}).view, 'profiles');
	assert.equal(initialState({...config, view: 'profiles'}).notice, undefined);
	for (const command of ['replay-pause', 'replay-faster', 'replay-slower', 'replay-step-forward', 'replay-step-back', 'signal-reload', 'profile-heap', 'kick'] as const) {
		assert.equal(reducer(state, {type: 'command', command}), state, `${command} is the app's to run`);
	}
	// Tab from a panel goes back to the monitoring views.
	assert.equal(run(state, {type: 'command', command: 'next-view'}).view, 'connections');
	// R is rates/totals too (Space is play/pause while replaying).
	const rates = initialState(config);
	assert.equal(run(rates, {type: 'command', command: commandFor('R', 'connections', {replay: true})!}).mode, 'totals');
});
