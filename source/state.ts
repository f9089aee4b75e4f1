// The UI reducer: what is on screen and how the user has arranged it. Pure; the app turns the
// state into poller needs and views.
import {DEFAULT_LAG_WARN_REFRESHES, type Config} from './config/types.js';
import type {CommandId} from './keymap.js';
import type {ConnState, ConnzSortKey} from './sources/types.js';
import {SORT_KEYS, isSortKey} from './model/capabilities.js';
import {SERVERS_SORT_KEYS, type ServersSortKey} from './model/servers.js';
import {EMPTY_PANEL, type PanelState} from './model/panel.js';
import {CYCLE_VIEWS, VIEW_LIST, isMainView, isPanelView, viewSpec, type MainViewId} from './model/view-list.js';
import {JSZ_ACCOUNTS_PAGE as JSZ_PAGE} from './model/jetstream.js';

export type ViewId = MainViewId | 'detail' | 'help';

/** The views Tab walks through, in order. */
export const MAIN_VIEWS: readonly ViewId[] = CYCLE_VIEWS;

/** 'panel-filter' filters the rows of the table view on screen; 'view' opens a view by name. */
export type PromptKind = 'sort' | 'rows' | 'filter' | 'account' | 'user' | 'subject' | 'panel-filter' | 'view';

export type Prompt = {kind: PromptKind; text: string; error?: string};

export type Notice = {text: string; level: 'info' | 'warn'};

export type UiState = {
	view: ViewId;
	/** Where help returns to. */
	returnTo: Exclude<ViewId, 'help'>;
	sort: ConnzSortKey;
	reverse: boolean;
	/** -n: rows fetched per refresh; undefined = the rows on screen. */
	rows?: number;
	state: ConnState;
	account?: string;
	user?: string;
	subject?: string;
	/** Local text filter over fetched rows. */
	filter: string;
	/** Index of the selected row in the (possibly reversed) server order. */
	selected: number;
	/** Index of the first row on screen. */
	scrollTop: number;
	/** Rows the table has room for (set by the app from the terminal size). */
	pageSize: number;
	/** How many connections the server says match (set from each connz answer). */
	total: number;
	/** The connection the detail view shows. */
	detail?: {serverId: string; cid: number};
	detailScroll: number;
	helpScroll: number;
	paused: boolean;
	intervalMs: number;
	raw: boolean;
	showSubs: boolean;
	lookup: boolean;
	mode: 'rates' | 'totals';
	prompt?: Prompt;
	notice?: Notice;
	/** Servers view: order, selection and scroll of its own. */
	servers: {sort: ServersSortKey; reverse: boolean; selected: number; scrollTop: number; total: number};
	/** One server the header and connections are limited to (Enter in the servers view). */
	focus?: {id: string; name: string};
	/** Each table view's selection, order, filter and page. */
	panels: Record<string, PanelState>;
	/** The stream whose consumers the consumers view shows. */
	stream?: {account: string; name: string};
	/** Streams view: every replica under its stream (x), not only those behind. */
	expanded: boolean;
	/** Refreshes a lag must last before it is flagged (--lag-refreshes). */
	lagWarnRefreshes: number;
	/** The streams view has been open: its /jsz keeps being polled so the header's lag flag stays live. */
	lagWatched: boolean;
};

export type Action =
	| {
			type: 'command';
			command: CommandId;
			sortKeys?: readonly ConnzSortKey[];
			selectedRow?: {serverId: string; cid: number};
			selectedServer?: {id: string; name: string};
			/** The stream selected in the streams view. */
			selectedStream?: {account: string; stream: string};
	  }
	| {type: 'prompt-input'; text: string}
	| {type: 'prompt-backspace'}
	| {type: 'prompt-complete'}
	| {type: 'prompt-submit'}
	| {type: 'prompt-cancel'}
	| {type: 'page-size'; rows: number}
	| {type: 'total'; total: number}
	| {type: 'servers-total'; total: number}
	| {type: 'panel-total'; view: string; total: number}
	| {type: 'notice'; notice?: Notice};

export const INTERVAL_STEPS_MS = [250, 500, 1000, 2000, 3000, 5000, 10_000, 30_000, 60_000];

function initialPanels(): Record<string, PanelState> {
	const panels: Record<string, PanelState> = {};
	for (const spec of VIEW_LIST) {
		if (!isPanelView(spec.id)) continue;
		panels[spec.id] = {...EMPTY_PANEL, sort: spec.sortKeys[0] ?? '', follow: spec.id === 'events'};
	}
	return panels;
}

/** The view to open with: --view NAME when this build has that view. */
function firstView(config: Config): {view: MainViewId; notice?: Notice} {
	const wanted = config.view;
	if (!wanted || wanted === 'connections') return {view: 'connections'};
	if (isMainView(wanted) && viewSpec(wanted)?.cli) return {view: wanted};
	return {view: 'connections', notice: {text: `the ${wanted} view is not part of this build`, level: 'warn'}};
}

export function initialState(config: Config): UiState {
	const first = firstView(config);
	return {
		view: first.view,
		returnTo: first.view,
		notice: first.notice,
		sort: config.sort,
		reverse: config.reverse,
		rows: config.rows,
		state: config.state,
		account: config.account,
		user: config.user,
		subject: config.subject,
		filter: '',
		selected: 0,
		scrollTop: 0,
		pageSize: 10,
		total: 0,
		detailScroll: 0,
		helpScroll: 0,
		paused: false,
		intervalMs: config.intervalMs,
		raw: config.rawNumbers,
		showSubs: config.showSubs,
		lookup: config.lookup,
		mode: 'rates',
		servers: {sort: 'name', reverse: false, selected: 0, scrollTop: 0, total: 0},
		panels: initialPanels(),
		expanded: false,
		lagWarnRefreshes: config.lagWarnRefreshes ?? DEFAULT_LAG_WARN_REFRESHES,
		lagWatched: first.view === 'streams',
	};
}

const STATES: ConnState[] = ['open', 'closed', 'all'];

function clamp(value: number, min: number, max: number): number {
	return Math.max(min, Math.min(max, value));
}

/** Keep the selection inside the list and on screen. */
function select(state: UiState, selected: number): UiState {
	const last = Math.max(0, state.total - 1);
	const index = clamp(selected, 0, last);
	let scrollTop = state.scrollTop;
	if (index < scrollTop) scrollTop = index;
	if (index >= scrollTop + state.pageSize) scrollTop = index - state.pageSize + 1;
	scrollTop = clamp(scrollTop, 0, Math.max(0, state.total - state.pageSize));
	return {...state, selected: index, scrollTop};
}

/** The same for the servers list. */
function selectServer(state: UiState, selected: number): UiState {
	const list = state.servers;
	const index = clamp(selected, 0, Math.max(0, list.total - 1));
	let scrollTop = list.scrollTop;
	if (index < scrollTop) scrollTop = index;
	if (index >= scrollTop + state.pageSize) scrollTop = index - state.pageSize + 1;
	scrollTop = clamp(scrollTop, 0, Math.max(0, list.total - state.pageSize));
	return {...state, servers: {...list, selected: index, scrollTop}};
}

/** Start over at the top: the order or the set of rows changed. */
function restart(state: UiState): UiState {
	return {...state, selected: 0, scrollTop: 0};
}

function nextInterval(current: number, direction: 1 | -1): number {
	if (direction > 0) return INTERVAL_STEPS_MS.find(s => s > current) ?? INTERVAL_STEPS_MS.at(-1)!;
	return [...INTERVAL_STEPS_MS].reverse().find(s => s < current) ?? INTERVAL_STEPS_MS[0]!;
}

function openPrompt(state: UiState, kind: PromptKind): UiState {
	const initial: Record<PromptKind, string> = {
		sort: '',
		rows: state.rows === undefined ? '' : String(state.rows),
		filter: state.filter,
		account: state.account ?? '',
		user: state.user ?? '',
		subject: state.subject ?? '',
		'panel-filter': state.panels[state.view]?.filter ?? '',
		view: '',
	};
	return {...state, prompt: {kind, text: initial[kind]}, notice: undefined};
}

/** Open a view: panels keep their arrangement; leaving consumers forgets nothing. */
function openView(state: UiState, view: MainViewId): UiState {
	if (view === 'consumers' && !state.stream) return {...state, notice: {text: 'choose a stream in the streams view (4) and press Enter', level: 'info'}};
	return {...state, view, prompt: undefined, detail: state.view === 'detail' ? undefined : state.detail};
}

function updatePanel(state: UiState, view: string, change: (panel: PanelState) => PanelState): UiState {
	const panel = state.panels[view];
	if (!panel) return state;
	return {...state, panels: {...state.panels, [view]: change(panel)}};
}

function panelCommand(state: UiState, action: Extract<Action, {type: 'command'}>): UiState | undefined {
	const view = state.view;
	const panel = state.panels[view];
	if (!panel) return undefined;
	const at = panel.follow ? Math.max(0, panel.total - 1) : Math.min(panel.selected, Math.max(0, panel.total - 1));
	const move = (to: number, follow = false) => updatePanel(state, view, p => ({...p, selected: clamp(to, 0, Math.max(0, p.total - 1)), follow}));
	const spec = viewSpec(view);
	switch (action.command) {
		case 'up':
			return move(at - 1);
		case 'down':
			return move(at + 1, view === 'events' && at + 1 >= panel.total - 1);
		case 'page-up':
			return move(at - state.pageSize);
		case 'page-down':
			return move(at + state.pageSize, view === 'events' && at + state.pageSize >= panel.total - 1);
		case 'top':
			return move(0);
		case 'bottom':
			return move(panel.total - 1, view === 'events');
		case 'sort-prev':
		case 'sort-next': {
			const keys = spec?.sortKeys ?? [];
			if (keys.length === 0) return state;
			const index = keys.indexOf(panel.sort);
			const step = action.command === 'sort-next' ? 1 : -1;
			const sort = keys[(index + step + keys.length) % keys.length]!;
			return {...updatePanel(state, view, p => ({...p, sort, selected: 0, follow: false})), notice: {text: `sort ${sort}`, level: 'info'}};
		}
		case 'reverse':
			return updatePanel(state, view, p => ({...p, reverse: !p.reverse, selected: 0}));
		case 'filter-prompt':
			return openPrompt(state, 'panel-filter');
		case 'clear-filters':
			return panel.filter ? updatePanel(state, view, p => ({...p, filter: '', selected: 0})) : state;
		case 'open-consumers':
			if (view !== 'streams' || !action.selectedStream) return state;
			return {
				...state,
				view: 'consumers',
				stream: {account: action.selectedStream.account, name: action.selectedStream.stream},
				panels: {...state.panels, consumers: {...state.panels['consumers']!, selected: 0}},
			};
		case 'back':
			if (view === 'consumers') return {...state, view: 'streams'};
			return undefined;
		case 'toggle-replicas':
			return {...state, expanded: !state.expanded};
		case 'next-page':
			return updatePanel(state, view, p => ({...p, offset: p.offset + JSZ_PAGE, selected: 0}));
		case 'prev-page':
			return updatePanel(state, view, p => ({...p, offset: Math.max(0, p.offset - JSZ_PAGE), selected: 0}));
		default:
			return undefined;
	}
}

function serversCommand(state: UiState, action: Extract<Action, {type: 'command'}>): UiState | undefined {
	const list = state.servers;
	switch (action.command) {
		case 'up':
			return selectServer(state, list.selected - 1);
		case 'down':
			return selectServer(state, list.selected + 1);
		case 'page-up':
			return selectServer(state, list.selected - state.pageSize);
		case 'page-down':
			return selectServer(state, list.selected + state.pageSize);
		case 'top':
			return selectServer(state, 0);
		case 'bottom':
			return selectServer(state, list.total - 1);
		case 'sort-prev':
		case 'sort-next': {
			const at = SERVERS_SORT_KEYS.indexOf(list.sort);
			const step = action.command === 'sort-next' ? 1 : -1;
			const sort = SERVERS_SORT_KEYS[(at + step + SERVERS_SORT_KEYS.length) % SERVERS_SORT_KEYS.length]!;
			return {...state, servers: {...list, sort, selected: 0, scrollTop: 0}};
		}
		case 'reverse':
			return {...state, servers: {...list, reverse: !list.reverse, selected: 0, scrollTop: 0}};
		case 'focus-server':
			if (!action.selectedServer) return state;
			return restart({...state, focus: action.selectedServer, view: 'connections'});
		default:
			return undefined;
	}
}

function command(state: UiState, action: Extract<Action, {type: 'command'}>): UiState {
	if (state.view === 'servers') {
		const handled = serversCommand(state, action);
		if (handled) return handled;
	}
	if (isPanelView(state.view)) {
		const handled = panelCommand(state, action);
		if (handled) return handled;
	}
	if (action.command.startsWith('view-') && action.command !== 'view-prompt') {
		const view = action.command.slice('view-'.length);
		return isMainView(view) ? openView(state, view) : state;
	}
	switch (action.command) {
		case 'view-prompt':
			return openPrompt(state, 'view');
		case 'next-view': {
			const current = state.view === 'consumers' ? 'streams' : state.view;
			const at = MAIN_VIEWS.indexOf(current);
			const next = at < 0 ? 'connections' : MAIN_VIEWS[(at + 1) % MAIN_VIEWS.length]!;
			return {...state, view: next as MainViewId, detail: undefined};
		}
		case 'all-servers':
			return state.focus ? restart({...state, focus: undefined}) : state;
		case 'focus-server':
			return state;
		case 'help':
			if (state.view === 'help') return {...state, view: state.returnTo};
			return {...state, view: 'help', returnTo: state.view, helpScroll: 0};
		case 'back':
			if (state.view === 'help') return {...state, view: state.returnTo};
			if (state.view === 'detail') return {...state, view: 'connections', detail: undefined};
			return state;
		case 'pause':
			return {...state, paused: !state.paused};
		case 'slower':
			return {...state, intervalMs: nextInterval(state.intervalMs, 1)};
		case 'faster':
			return {...state, intervalMs: nextInterval(state.intervalMs, -1)};
		case 'toggle-raw':
			return {...state, raw: !state.raw};
		case 'toggle-rates':
			return {...state, mode: state.mode === 'rates' ? 'totals' : 'rates'};
		case 'toggle-subs':
			return {...state, showSubs: !state.showSubs};
		case 'toggle-dns':
			return {...state, lookup: !state.lookup};
		case 'up':
			if (state.view === 'detail') return {...state, detailScroll: Math.max(0, state.detailScroll - 1)};
			if (state.view === 'help') return {...state, helpScroll: Math.max(0, state.helpScroll - 1)};
			return select(state, state.selected - 1);
		case 'down':
			if (state.view === 'detail') return {...state, detailScroll: state.detailScroll + 1};
			if (state.view === 'help') return {...state, helpScroll: state.helpScroll + 1};
			return select(state, state.selected + 1);
		case 'page-up':
			if (state.view === 'detail') return {...state, detailScroll: Math.max(0, state.detailScroll - state.pageSize)};
			return select({...state, scrollTop: Math.max(0, state.scrollTop - state.pageSize)}, state.selected - state.pageSize);
		case 'page-down':
			if (state.view === 'detail') return {...state, detailScroll: state.detailScroll + state.pageSize};
			return select({...state, scrollTop: state.scrollTop + state.pageSize}, state.selected + state.pageSize);
		case 'top':
			return select({...state, scrollTop: 0}, 0);
		case 'bottom':
			return select(state, state.total - 1);
		case 'open-detail':
			if (!action.selectedRow) return state;
			return {...state, view: 'detail', detail: action.selectedRow, detailScroll: 0};
		case 'sort-prompt':
			return openPrompt(state, 'sort');
		case 'rows-prompt':
			return openPrompt(state, 'rows');
		case 'filter-prompt':
			return openPrompt(state, 'filter');
		case 'account-prompt':
			return openPrompt(state, 'account');
		case 'user-prompt':
			return openPrompt(state, 'user');
		case 'subject-prompt':
			return openPrompt(state, 'subject');
		case 'sort-prev':
		case 'sort-next': {
			const keys = action.sortKeys ?? [];
			if (keys.length === 0) return state;
			const at = keys.indexOf(state.sort);
			const step = action.command === 'sort-next' ? 1 : -1;
			const next = at < 0 ? keys[0]! : keys[(at + step + keys.length) % keys.length]!;
			return restart({...state, sort: next});
		}
		case 'reverse':
			return restart({...state, reverse: !state.reverse});
		case 'cycle-state': {
			const next = STATES[(STATES.indexOf(state.state) + 1) % STATES.length]!;
			// stop and reason only make sense for closed connections
			const sort = next !== 'closed' && (state.sort === 'stop' || state.sort === 'reason') ? 'cid' : state.sort;
			return restart({...state, state: next, sort});
		}
		case 'clear-filters':
			if (!state.filter && !state.account && !state.user && !state.subject) return state;
			return restart({...state, filter: '', account: undefined, user: undefined, subject: undefined});
		case 'quit':
		case 'refresh':
		case 'clear-events':
			return state; // handled by the app (side effects)
		default:
			return state; // a view's own command pressed where it does not apply
	}
}

function submitPrompt(state: UiState, prompt: Prompt): UiState {
	const text = prompt.text.trim();
	const closed = {...state, prompt: undefined};
	switch (prompt.kind) {
		case 'sort': {
			if (text === '') return closed;
			const key = text.toLowerCase();
			if (!isSortKey(key)) return {...state, prompt: {...prompt, error: `unknown sort key "${text}"; one of ${SORT_KEYS.join(' ')}`}};
			if ((key === 'stop' || key === 'reason') && state.state !== 'closed') {
				return {...state, prompt: {...prompt, error: `sorting by ${key} needs closed connections (press t)`}};
			}
			return restart({...closed, sort: key});
		}
		case 'rows': {
			if (text === '') return restart({...closed, rows: undefined});
			if (!/^\d+$/.test(text) || Number(text) < 1) return {...state, prompt: {...prompt, error: 'a whole number ≥ 1, or empty for the rows on screen'}};
			return restart({...closed, rows: Number(text)});
		}
		case 'filter':
			return restart({...closed, filter: prompt.text});
		case 'account':
			return restart({...closed, account: text || undefined});
		case 'user':
			return restart({...closed, user: text || undefined});
		case 'subject':
			if (/\s/.test(text)) return {...state, prompt: {...prompt, error: 'a subject has no spaces'}};
			return restart({...closed, subject: text || undefined});
		case 'panel-filter':
			return updatePanel(closed, state.view, p => ({...p, filter: prompt.text, selected: 0}));
		case 'view': {
			if (text === '') return closed;
			const name = text.toLowerCase();
			const spec = VIEW_LIST.find(v => v.id === name) ?? VIEW_LIST.filter(v => v.cli && v.id.startsWith(name))[0];
			if (!spec) return {...state, prompt: {...prompt, error: `no view "${text}"; one of ${VIEW_NAMES_TEXT}`}};
			return openView(closed, spec.id);
		}
	}
}

const VIEW_NAMES_TEXT = VIEW_LIST.filter(v => v.cli).map(v => v.id).join(' ');

export function reducer(state: UiState, action: Action): UiState {
	const next = reduce(state, action);
	if (!next.lagWatched && (next.view === 'streams' || next.view === 'consumers')) return {...next, lagWatched: true};
	return next;
}

function reduce(state: UiState, action: Action): UiState {
	switch (action.type) {
		case 'command':
			return command(state, action);
		case 'prompt-input':
			if (!state.prompt) return state;
			return {...state, prompt: {...state.prompt, text: state.prompt.text + action.text, error: undefined}};
		case 'prompt-backspace':
			if (!state.prompt) return state;
			return {...state, prompt: {...state.prompt, text: state.prompt.text.slice(0, -1), error: undefined}};
		case 'prompt-complete': {
			const kind = state.prompt?.kind;
			if (kind !== 'sort' && kind !== 'view') return state;
			const prefix = state.prompt!.text.toLowerCase();
			const words: readonly string[] = kind === 'sort' ? SORT_KEYS : VIEW_LIST.filter(v => v.cli).map(v => v.id);
			const match = words.find(k => k.startsWith(prefix));
			return match ? {...state, prompt: {...state.prompt!, text: match, error: undefined}} : state;
		}
		case 'prompt-submit':
			return state.prompt ? submitPrompt(state, state.prompt) : state;
		case 'prompt-cancel':
			return {...state, prompt: undefined};
		case 'page-size': {
			const pageSize = Math.max(1, action.rows);
			return pageSize === state.pageSize ? state : select({...state, pageSize}, state.selected);
		}
		case 'total':
			if (action.total === state.total) return state;
			return select({...state, total: action.total}, state.selected);
		case 'servers-total':
			if (action.total === state.servers.total) return state;
			return selectServer({...state, servers: {...state.servers, total: action.total}}, state.servers.selected);
		case 'panel-total': {
			const panel = state.panels[action.view];
			if (!panel || panel.total === action.total) return state;
			const last = Math.max(0, action.total - 1);
			const selected = panel.follow ? last : Math.min(panel.selected, last);
			return {...state, panels: {...state.panels, [action.view]: {...panel, total: action.total, selected}}};
		}
		case 'notice':
			return {...state, notice: action.notice};
	}
}
