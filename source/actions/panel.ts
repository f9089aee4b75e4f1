// The confirmation state machine every operator action goes through, pure (no I/O, no React):
// idle → confirm (what, on which server and pid, the equivalent command; lame duck wants the
// server name typed) → running (progress lines) → done (verified or failed, with the reason).
import {sanitizeText} from '../model/sanitize.js';

export type ActionId = 'reload' | 'reopen' | 'ldm' | 'remote-reload' | 'kick' | 'client-ldm';

export type ActionTarget = {
	serverName: string;
	serverId: string;
	/** host:port we reach it at. */
	address: string;
	/** Signals: the process. */
	pid?: number;
	/** Kick / client lame duck: the connection. */
	cid?: number;
	/** The connection's name or address, for the prompt. */
	client?: string;
};

export type PanelState =
	| {phase: 'idle'; notice?: string}
	| {phase: 'confirm'; action: ActionId; target: ActionTarget; prompt: string[]; mustType?: string; typed: string; error?: string}
	| {phase: 'running'; action: ActionId; target: ActionTarget; lines: string[]; cancelling?: boolean}
	| {phase: 'done'; action: ActionId; target: ActionTarget; ok: boolean; lines: string[]};

export type KeyInfo = {return?: boolean; escape?: boolean; backspace?: boolean; delete?: boolean; ctrl?: boolean; meta?: boolean};

export type PanelEvent =
	| {type: 'request'; action: ActionId; target: ActionTarget}
	| {type: 'key'; input: string; key: KeyInfo}
	| {type: 'progress'; lines: string[]}
	| {type: 'finished'; ok: boolean; lines: string[]}
	| {type: 'dismiss'};

export const IDLE: PanelState = {phase: 'idle'};

const YES_LINE = 'y or Enter confirms · n or Esc cancels';
const MAX_TYPED = 200;

export const ACTION_TITLE: Record<ActionId, string> = {
	reload: 'reload configuration (SIGHUP)',
	reopen: 'reopen log file (SIGUSR1)',
	ldm: 'lame-duck mode (SIGUSR2)',
	'remote-reload': 'reload configuration over NATS ($SYS RELOAD)',
	kick: 'kick connection ($SYS KICK)',
	'client-ldm': 'lame duck for one connection ($SYS LDM)',
};

function serverLabel(t: ActionTarget): string {
	return t.serverName || t.serverId || t.address || 'the server';
}

/** The name to type for lame duck: the server name, or its id when it has none. */
export function nameToType(t: ActionTarget): string {
	return t.serverName || t.serverId;
}

function clientLabel(t: ActionTarget): string {
	return `connection ${t.cid ?? '?'}${t.client ? ` (${sanitizeText(t.client, 80)})` : ''}`;
}

/** The confirmation text: what happens, to which server and pid, and the equivalent command. */
export function confirmPrompt(action: ActionId, t: ActionTarget): {lines: string[]; mustType?: string} {
	const name = serverLabel(t);
	const pid = t.pid ?? 0;
	switch (action) {
		case 'reload':
			return {lines: [`Reload the configuration of ${name} (pid ${pid})?`, `same as: nats-server --signal reload=${pid}`, YES_LINE]};
		case 'reopen':
			return {lines: [`Reopen the log file of ${name} (pid ${pid})?`, `same as: nats-server --signal reopen=${pid}`, YES_LINE]};
		case 'ldm': {
			const mustType = nameToType(t);
			return {
				lines: [
					`Lame-duck mode for ${name} (pid ${pid})?`,
					'It stops accepting clients, evicts every client, then exits.',
					`same as: nats-server --signal ldm=${pid}`,
					`Type the server name (${mustType}) and Enter to confirm · Esc cancels`,
				],
				mustType,
			};
		}
		case 'remote-reload':
			return {lines: [`Reload the configuration of ${name} over NATS?`, `sends $SYS.REQ.SERVER.${t.serverId}.RELOAD`, YES_LINE]};
		case 'kick':
			return {lines: [`Kick ${clientLabel(t)} from ${name}? It will reconnect if it can.`, `sends $SYS.REQ.SERVER.${t.serverId}.KICK {"cid":${t.cid ?? 0}}`, YES_LINE]};
		case 'client-ldm':
			return {
				lines: [`Tell ${clientLabel(t)} on ${name} that the server is going lame-duck (it moves to another server)?`, `sends $SYS.REQ.SERVER.${t.serverId}.LDM {"cid":${t.cid ?? 0}}`, YES_LINE],
			};
	}
}

function printable(input: string, key: KeyInfo): boolean {
	return input.length > 0 && !key.ctrl && !key.meta && !key.return && !key.escape && !/[\x00-\x1f\x7f]/.test(input);
}

export function panelReducer(state: PanelState, event: PanelEvent): PanelState {
	switch (event.type) {
		case 'request': {
			if (state.phase === 'running' || state.phase === 'confirm') return state;
			const prompt = confirmPrompt(event.action, event.target);
			return {phase: 'confirm', action: event.action, target: event.target, prompt: prompt.lines, mustType: prompt.mustType, typed: ''};
		}
		case 'progress':
			return state.phase === 'running' ? {...state, lines: event.lines} : state;
		case 'finished':
			return state.phase === 'running' ? {phase: 'done', action: state.action, target: state.target, ok: event.ok, lines: event.lines} : state;
		case 'dismiss':
			return state.phase === 'done' || state.phase === 'confirm' ? IDLE : state;
		case 'key':
			return keyReducer(state, event.input, event.key);
	}
}

function keyReducer(state: PanelState, input: string, key: KeyInfo): PanelState {
	if (state.phase === 'confirm') {
		if (key.escape) return {phase: 'idle', notice: `cancelled: ${ACTION_TITLE[state.action]} was not sent`};
		if (state.mustType === undefined) {
			if (key.return || input === 'y' || input === 'Y') return {phase: 'running', action: state.action, target: state.target, lines: []};
			if (input === 'n' || input === 'N') return {phase: 'idle', notice: `cancelled: ${ACTION_TITLE[state.action]} was not sent`};
			return state;
		}
		if (key.return) {
			if (state.typed === state.mustType) return {phase: 'running', action: state.action, target: state.target, lines: []};
			return {...state, error: `that is not the server name: type ${state.mustType} exactly, or Esc to cancel`};
		}
		if (key.backspace || key.delete) return {...state, typed: state.typed.slice(0, -1), error: undefined};
		if (printable(input, key)) return {...state, typed: (state.typed + input).slice(0, MAX_TYPED), error: undefined};
		return state;
	}
	if (state.phase === 'running') {
		if (key.escape) return {...state, cancelling: true};
		return state;
	}
	if (state.phase === 'done' && (key.escape || key.return)) return IDLE;
	return state;
}

/** Does the panel want every key (a confirmation is being answered or typed)? */
export function panelCapturesKeys(state: PanelState): boolean {
	return state.phase === 'confirm';
}
