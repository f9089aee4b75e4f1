import {test} from 'node:test';
import assert from 'node:assert/strict';
import {confirmPrompt, IDLE, panelCapturesKeys, panelReducer, type ActionTarget, type PanelState} from '../../source/actions/panel.js';

const target: ActionTarget = {serverName: 'nats-a', serverId: 'NDJWE2T7', address: '127.0.0.1:8222', pid: 4321};
const none = {};

function keys(state: PanelState, ...inputs: Array<string | 'ENTER' | 'ESC' | 'BS'>): PanelState {
	for (const input of inputs) {
		if (input === 'ENTER') state = panelReducer(state, {type: 'key', input: '', key: {return: true}});
		else if (input === 'ESC') state = panelReducer(state, {type: 'key', input: '', key: {escape: true}});
		else if (input === 'BS') state = panelReducer(state, {type: 'key', input: '', key: {backspace: true}});
		else for (const ch of input) state = panelReducer(state, {type: 'key', input: ch, key: none});
	}
	return state;
}

test('confirmation names the server and pid and shows the equivalent command', () => {
	assert.deepEqual(confirmPrompt('reload', target).lines, [
		'Reload the configuration of nats-a (pid 4321)?',
		'same as: nats-server --signal reload=4321',
		'y or Enter confirms · n or Esc cancels',
	]);
	assert.equal(confirmPrompt('reopen', target).lines[1], 'same as: nats-server --signal reopen=4321');
	const ldm = confirmPrompt('ldm', target);
	assert.equal(ldm.mustType, 'nats-a');
	assert.deepEqual(ldm.lines, [
		'Lame-duck mode for nats-a (pid 4321)?',
		'It stops accepting clients, evicts every client, then exits.',
		'same as: nats-server --signal ldm=4321',
		'Type the server name (nats-a) and Enter to confirm · Esc cancels',
	]);
	assert.equal(confirmPrompt('remote-reload', target).lines[1], 'sends $SYS.REQ.SERVER.NDJWE2T7.RELOAD');
	assert.equal(confirmPrompt('kick', {...target, cid: 7, client: 'worker'}).lines[1], 'sends $SYS.REQ.SERVER.NDJWE2T7.KICK {"cid":7}');
	assert.equal(confirmPrompt('client-ldm', {...target, cid: 7}).lines[1], 'sends $SYS.REQ.SERVER.NDJWE2T7.LDM {"cid":7}');
	assert.equal(confirmPrompt('ldm', {...target, serverName: ''}).mustType, 'NDJWE2T7', 'no name: type the id');
});

test('reload: y confirms, n and Esc cancel with a notice, other keys do nothing', () => {
	const asked = panelReducer(IDLE, {type: 'request', action: 'reload', target});
	assert.equal(asked.phase, 'confirm');
	assert.equal(panelCapturesKeys(asked), true);
	assert.equal(keys(asked, 'x').phase, 'confirm');
	assert.equal(keys(asked, 'y').phase, 'running');
	assert.equal(keys(asked, 'ENTER').phase, 'running');
	assert.deepEqual(keys(asked, 'n'), {phase: 'idle', notice: 'cancelled: reload configuration (SIGHUP) was not sent'});
	assert.deepEqual(keys(asked, 'ESC'), {phase: 'idle', notice: 'cancelled: reload configuration (SIGHUP) was not sent'});
});

test('lame duck needs the server name typed exactly; y alone does not confirm', () => {
	let state = panelReducer(IDLE, {type: 'request', action: 'ldm', target});
	state = keys(state, 'y', 'ENTER');
	assert.equal(state.phase, 'confirm');
	assert.match(state.phase === 'confirm' ? (state.error ?? '') : '', /that is not the server name: type nats-a exactly/);
	state = keys(state, 'BS', 'nats-b');
	assert.equal(state.phase === 'confirm' && state.typed, 'nats-b');
	assert.equal(state.phase === 'confirm' && state.error, undefined, 'typing clears the error');
	state = keys(state, 'BS', 'a', 'ENTER');
	assert.equal(state.phase, 'running');
	assert.equal(state.phase === 'running' && state.action, 'ldm');
});

test('control characters are not typed into the confirmation', () => {
	let state = panelReducer(IDLE, {type: 'request', action: 'ldm', target});
	state = panelReducer(state, {type: 'key', input: '\u001b[2J', key: none});
	state = panelReducer(state, {type: 'key', input: 'c', key: {ctrl: true}});
	assert.equal(state.phase === 'confirm' && state.typed, '');
});

test('running → progress → done, Esc asks to cancel, Esc clears the result', () => {
	let state = keys(panelReducer(IDLE, {type: 'request', action: 'reload', target}), 'y');
	assert.equal(panelReducer(state, {type: 'request', action: 'reopen', target}), state, 'no second action while one runs');
	state = panelReducer(state, {type: 'progress', lines: ['SIGHUP sent']});
	assert.deepEqual(state.phase === 'running' && state.lines, ['SIGHUP sent']);
	const cancelling = keys(state, 'ESC');
	assert.equal(cancelling.phase === 'running' && cancelling.cancelling, true);
	state = panelReducer(state, {type: 'finished', ok: true, lines: ['configuration reloaded']});
	assert.deepEqual(state, {phase: 'done', action: 'reload', target, ok: true, lines: ['configuration reloaded']});
	assert.equal(panelCapturesKeys(state), false);
	assert.equal(keys(state, 'ESC'), IDLE);
	assert.equal(panelReducer(state, {type: 'request', action: 'reopen', target}).phase, 'confirm', 'a new action after a result');
});
