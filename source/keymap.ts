// Every key natscope answers to, as data. The help screen, the footer hints and the README key
// table are generated from this list (test/unit/keymap.test.ts fails when README drifts).
import {CYCLE_VIEWS, VIEW_LIST, type MainViewId} from './model/view-list.js';
import {CLIENT_ACTION_KEYS, SIGNAL_PANEL_KEYS} from './actions/signals-controller.js';
import {PROFILE_PANEL_KEYS} from './actions/profiles-controller.js';

/**
 * Where a key works. 'tables' holds the keys every table view shares (JetStream, streams,
 * consumers, routes, gateways, leafnodes, health, events); a table view's own scope comes first.
 * 'replay' holds the replay clock's keys: they apply only while replaying a recording and then
 * come before every other scope (what they shadow has a second key that keeps working).
 */
export type Scope =
	| 'global'
	| 'connections'
	| 'servers'
	| 'detail'
	| 'help'
	| 'tables'
	| 'streams'
	| 'consumers'
	| 'events'
	| 'signals'
	| 'profiles'
	| 'replay';

/** Scopes that fall back to the shared table keys. */
const TABLE_SCOPES: ReadonlySet<Scope> = new Set<Scope>(['tables', 'streams', 'consumers', 'events']);

export type CommandId =
	| 'quit'
	| 'help'
	| 'back'
	| 'pause'
	| 'slower'
	| 'faster'
	| 'refresh'
	| 'up'
	| 'down'
	| 'page-up'
	| 'page-down'
	| 'top'
	| 'bottom'
	| 'open-detail'
	| 'sort-prompt'
	| 'sort-prev'
	| 'sort-next'
	| 'reverse'
	| 'rows-prompt'
	| 'filter-prompt'
	| 'cycle-state'
	| 'account-prompt'
	| 'user-prompt'
	| 'subject-prompt'
	| 'clear-filters'
	| 'toggle-subs'
	| 'toggle-raw'
	| 'toggle-dns'
	| 'toggle-rates'
	| `view-${MainViewId}`
	| 'view-prompt'
	| 'open-consumers'
	| 'next-page'
	| 'prev-page'
	| 'toggle-replicas'
	| 'clear-events'
	| 'next-view'
	| 'focus-server'
	| 'all-servers'
	| `signal-${(typeof SIGNAL_PANEL_KEYS)[number]['id']}`
	| `profile-${(typeof PROFILE_PANEL_KEYS)[number]['profile']}`
	| 'profile-longer'
	| 'profile-shorter'
	| 'profile-find'
	| (typeof CLIENT_ACTION_KEYS)[number]['id']
	| 'replay-faster'
	| 'replay-slower'
	| 'replay-pause'
	| 'replay-step-forward'
	| 'replay-step-back';

const SIGNAL_KEY_TEXT: Record<(typeof SIGNAL_PANEL_KEYS)[number]['id'], string> = {
	reload: 'Reload the config, confirmed (SIGHUP; $SYS RELOAD)',
	reopen: 'Reopen the log file, confirmed (SIGUSR1)',
	ldm: 'Lame-duck mode (SIGUSR2): type the server name',
	find: 'Find the server process again',
};

export type KeyBinding = {
	command: CommandId;
	/** Key names as produced by keyName(): single characters, or 'up', 'pagedown', 'ctrl+c', … */
	keys: string[];
	/** Short label for the footer. */
	label: string;
	description: string;
	scope: Scope;
	/** Shown in the footer of its scope. */
	footer: boolean;
};

export const KEYMAP: readonly KeyBinding[] = [
	{command: 'help', keys: ['?'], label: 'help', description: 'Show or close this help', scope: 'global', footer: true},
	{command: 'quit', keys: ['q', 'ctrl+c'], label: 'quit', description: 'Quit', scope: 'global', footer: true},
	{command: 'pause', keys: ['p'], label: 'pause', description: 'Pause or resume refreshing (the screen keeps the last data)', scope: 'global', footer: true},
	{command: 'slower', keys: ['+'], label: 'slower', description: 'Refresh less often (longer interval)', scope: 'global', footer: false},
	{command: 'faster', keys: ['-'], label: 'faster', description: 'Refresh more often (shorter interval)', scope: 'global', footer: false},
	{command: 'refresh', keys: ['ctrl+r'], label: 'refresh', description: 'Refresh now, also retrying a failing server at once', scope: 'global', footer: false},
	{command: 'toggle-raw', keys: ['b'], label: 'raw', description: 'Raw numbers instead of 1.2K / 3.4MiB', scope: 'global', footer: false},
	{command: 'toggle-rates', keys: ['space', 'R'], label: 'rates/totals', description: 'Rates or totals first (in a replay Space pauses: use R)', scope: 'global', footer: false},
	...VIEW_LIST.filter(v => 'key' in v && v.key).map(
		(v): KeyBinding => ({command: `view-${v.id}`, keys: ['key' in v ? v.key : ''], label: v.id, description: `${v.title}: ${v.description}`, scope: 'global', footer: false}),
	),
	{command: 'view-prompt', keys: [':'], label: 'view', description: `Open a view by name, Tab completes (${VIEW_LIST.filter(v => v.cli).map(v => v.id).join(', ')})`, scope: 'global', footer: false},
	{command: 'next-view', keys: ['tab'], label: 'next view', description: `Next view (${CYCLE_VIEWS.join(', ')})`, scope: 'global', footer: true},
	{command: 'all-servers', keys: ['*'], label: 'all servers', description: 'Stop focusing one server: all servers again', scope: 'global', footer: false},

	{command: 'up', keys: ['up', 'k'], label: 'up', description: 'Move the selection up', scope: 'connections', footer: false},
	{command: 'down', keys: ['down', 'j'], label: 'down', description: 'Move the selection down', scope: 'connections', footer: false},
	{command: 'page-up', keys: ['pageup', 'ctrl+b'], label: 'page up', description: 'One page up', scope: 'connections', footer: false},
	{command: 'page-down', keys: ['pagedown', 'ctrl+f'], label: 'page down', description: 'One page down', scope: 'connections', footer: false},
	{command: 'top', keys: ['home', 'g'], label: 'first', description: 'First connection', scope: 'connections', footer: false},
	{command: 'bottom', keys: ['end', 'G'], label: 'last', description: 'Last connection (fetches the last page)', scope: 'connections', footer: false},
	{command: 'open-detail', keys: ['enter'], label: 'detail', description: 'Open the selected connection: every field, subscriptions, TLS, RTT history', scope: 'connections', footer: true},
	{command: 'sort-prompt', keys: ['o'], label: 'sort', description: 'Choose the sort key (pending, cid, subs, msgs_to, …)', scope: 'connections', footer: true},
	{command: 'sort-prev', keys: ['<'], label: 'sort ←', description: 'Sort by the column to the left', scope: 'connections', footer: false},
	{command: 'sort-next', keys: ['>'], label: 'sort →', description: 'Sort by the column to the right', scope: 'connections', footer: false},
	{command: 'reverse', keys: ['r'], label: 'reverse', description: 'Reverse the order (pages from the far end of the server\'s order)', scope: 'connections', footer: false},
	{command: 'rows-prompt', keys: ['n'], label: 'rows', description: 'How many connections to fetch per refresh (nats-top -n)', scope: 'connections', footer: false},
	{command: 'filter-prompt', keys: ['/'], label: 'filter', description: 'Filter the fetched rows by name, host, account, user or language (local)', scope: 'connections', footer: true},
	{command: 'cycle-state', keys: ['t'], label: 'open/closed', description: 'Show open, closed or all connections (closed ones show stop time and reason)', scope: 'connections', footer: false},
	{command: 'account-prompt', keys: ['a'], label: 'account', description: 'Only connections of one account (asked of the server)', scope: 'connections', footer: false},
	{command: 'user-prompt', keys: ['u'], label: 'user', description: 'Only connections of one user (asked of the server)', scope: 'connections', footer: false},
	{command: 'subject-prompt', keys: ['f'], label: 'subject', description: 'Only connections subscribed to a subject (wildcards allowed)', scope: 'connections', footer: false},
	{command: 'clear-filters', keys: ['escape'], label: 'clear filters', description: 'Clear the text, account, user and subject filters', scope: 'connections', footer: false},
	{command: 'toggle-subs', keys: ['s'], label: 'subs', description: 'Show or hide the subscriptions column', scope: 'connections', footer: false},
	{command: 'toggle-dns', keys: ['d'], label: 'dns', description: 'Show client host names by reverse DNS (looked up in the background, cached)', scope: 'connections', footer: false},

	{command: 'up', keys: ['up', 'k'], label: 'up', description: 'Move the selection up', scope: 'servers', footer: false},
	{command: 'down', keys: ['down', 'j'], label: 'down', description: 'Move the selection down', scope: 'servers', footer: false},
	{command: 'page-up', keys: ['pageup', 'ctrl+b'], label: 'page up', description: 'One page up', scope: 'servers', footer: false},
	{command: 'page-down', keys: ['pagedown', 'ctrl+f'], label: 'page down', description: 'One page down', scope: 'servers', footer: false},
	{command: 'top', keys: ['home', 'g'], label: 'first', description: 'First server', scope: 'servers', footer: false},
	{command: 'bottom', keys: ['end', 'G'], label: 'last', description: 'Last server', scope: 'servers', footer: false},
	{command: 'focus-server', keys: ['enter'], label: 'focus', description: 'Focus the selected server: the header and connections show only it (* for all again)', scope: 'servers', footer: true},
	{command: 'sort-prev', keys: ['<'], label: 'sort ←', description: 'Sort by the column to the left', scope: 'servers', footer: false},
	{command: 'sort-next', keys: ['>'], label: 'sort →', description: 'Sort by the column to the right', scope: 'servers', footer: true},
	{command: 'reverse', keys: ['r'], label: 'reverse', description: 'Reverse the order', scope: 'servers', footer: false},

	{command: 'up', keys: ['up', 'k'], label: 'up', description: 'Move the selection up (events: scroll back)', scope: 'tables', footer: false},
	{command: 'down', keys: ['down', 'j'], label: 'down', description: 'Move the selection down', scope: 'tables', footer: false},
	{command: 'page-up', keys: ['pageup', 'ctrl+b'], label: 'page up', description: 'One page up', scope: 'tables', footer: false},
	{command: 'page-down', keys: ['pagedown', 'ctrl+f'], label: 'page down', description: 'One page down', scope: 'tables', footer: false},
	{command: 'top', keys: ['home', 'g'], label: 'first', description: 'First row', scope: 'tables', footer: false},
	{command: 'bottom', keys: ['end', 'G'], label: 'last', description: 'Last row (events: follow the newest again)', scope: 'tables', footer: false},
	{command: 'sort-prev', keys: ['<'], label: 'sort ←', description: 'Previous sort key of the view', scope: 'tables', footer: false},
	{command: 'sort-next', keys: ['>'], label: 'sort', description: 'Next sort key of the view (streams: worst lag, messages, name, …)', scope: 'tables', footer: true},
	{command: 'reverse', keys: ['r'], label: 'reverse', description: 'Reverse the order', scope: 'tables', footer: false},
	{command: 'filter-prompt', keys: ['/'], label: 'filter', description: 'Filter the rows by their text (local)', scope: 'tables', footer: true},
	{command: 'clear-filters', keys: ['escape'], label: 'clear filter', description: 'Clear the filter', scope: 'tables', footer: false},

	{command: 'open-consumers', keys: ['enter'], label: 'consumers', description: 'Consumers of the selected stream (pending, ack pending, redelivered, waiting, rates)', scope: 'streams', footer: true},
	{command: 'toggle-replicas', keys: ['x'], label: 'replicas', description: 'Show every replica under its stream, or only those behind', scope: 'streams', footer: true},
	{command: 'next-page', keys: [']', '}'], label: 'next accounts', description: 'Next page of accounts, 100 a page (} in a replay)', scope: 'streams', footer: false},
	{command: 'prev-page', keys: ['[', '{'], label: 'prev accounts', description: 'Previous page of accounts ({ in a replay)', scope: 'streams', footer: false},

	{command: 'back', keys: ['escape', 'backspace', 'left', 'h'], label: 'back', description: 'Back to the streams', scope: 'consumers', footer: true},

	{command: 'clear-events', keys: ['c'], label: 'clear', description: 'Clear the events buffer (and its dropped count)', scope: 'events', footer: true},

	{command: 'back', keys: ['escape', 'backspace', 'left', 'h'], label: 'back', description: 'Back to the connections', scope: 'detail', footer: true},
	{command: 'up', keys: ['up', 'k'], label: 'scroll', description: 'Scroll up', scope: 'detail', footer: false},
	{command: 'down', keys: ['down', 'j'], label: 'scroll', description: 'Scroll down', scope: 'detail', footer: false},
	{command: 'page-up', keys: ['pageup'], label: 'page up', description: 'One page up', scope: 'detail', footer: false},
	{command: 'page-down', keys: ['pagedown'], label: 'page down', description: 'One page down', scope: 'detail', footer: false},
	...CLIENT_ACTION_KEYS.map(
		(k): KeyBinding => ({
			command: k.id,
			keys: [k.key],
			label: k.id === 'kick' ? 'kick' : 'lame duck',
			description: k.id === 'kick' ? 'Kick this connection, confirmed ($SYS KICK, 2.10+)' : 'Tell this client to move away, confirmed ($SYS LDM)',
			scope: 'detail',
			footer: false,
		}),
	),

	...SIGNAL_PANEL_KEYS.map(
		(k): KeyBinding => ({
			command: `signal-${k.id}`,
			keys: [k.key],
			label: k.id === 'find' ? 'find' : k.id,
			description: SIGNAL_KEY_TEXT[k.id],
			scope: 'signals',
			footer: k.id !== 'find',
		}),
	),

	...PROFILE_PANEL_KEYS.map(
		(k): KeyBinding => ({
			command: `profile-${k.profile}`,
			keys: [k.key],
			label: k.profile,
			description: k.profile === 'cpu' ? 'Download a cpu profile of the chosen seconds' : `Download the ${k.profile} profile`,
			scope: 'profiles',
			footer: k.profile === 'cpu' || k.profile === 'heap',
		}),
	),
	{command: 'profile-longer', keys: [']'], label: 'longer', description: 'Longer cpu profile (up to 120 s; 15 s over NATS)', scope: 'profiles', footer: false},
	{command: 'profile-shorter', keys: ['['], label: 'shorter', description: 'Shorter cpu profile', scope: 'profiles', footer: false},
	{command: 'profile-find', keys: ['f'], label: 'find', description: 'Look for the profiling port again', scope: 'profiles', footer: false},

	{command: 'replay-pause', keys: ['space'], label: 'play/pause', description: 'Pause or resume the replay (rates/totals: R)', scope: 'replay', footer: true},
	{command: 'replay-faster', keys: [']'], label: 'faster', description: 'Replay faster, up to ×64 (streams paging: } {)', scope: 'replay', footer: true},
	{command: 'replay-slower', keys: ['['], label: 'slower', description: 'Replay slower, down to ×0.25', scope: 'replay', footer: false},
	{command: 'replay-step-forward', keys: ['.'], label: 'step', description: 'Step to the next recorded refresh (and pause)', scope: 'replay', footer: false},
	{command: 'replay-step-back', keys: [','], label: 'step back', description: 'Step back to the previous recorded refresh (and pause)', scope: 'replay', footer: false},

	{command: 'back', keys: ['escape'], label: 'close', description: 'Close the help', scope: 'help', footer: true},
	{command: 'up', keys: ['up', 'k'], label: 'scroll', description: 'Scroll up', scope: 'help', footer: false},
	{command: 'down', keys: ['down', 'j'], label: 'scroll', description: 'Scroll down', scope: 'help', footer: false},
];

/** Keys typed in the connections view that also work while a prompt is open are none: prompts take all input. */
export const SCOPE_TITLES: Record<Scope, string> = {
	global: 'Everywhere',
	connections: 'Connections',
	servers: 'Servers',
	detail: 'Connection detail',
	help: 'Help',
	tables: 'Every table view (JetStream, streams, consumers, routes, gateways, leafnodes, health, events)',
	streams: 'Streams',
	consumers: 'Consumers',
	events: 'Events',
	signals: 'Signal panel',
	profiles: 'Profiles panel',
	replay: 'Replay (--replay, --demo; before other keys)',
};

export type InkKey = {
	upArrow?: boolean;
	downArrow?: boolean;
	leftArrow?: boolean;
	rightArrow?: boolean;
	pageUp?: boolean;
	pageDown?: boolean;
	home?: boolean;
	end?: boolean;
	return?: boolean;
	escape?: boolean;
	ctrl?: boolean;
	shift?: boolean;
	tab?: boolean;
	backspace?: boolean;
	delete?: boolean;
	meta?: boolean;
};

const CONTROL_CHARS: Record<string, InkKey> = {
	'\r': {return: true},
	'\n': {return: true},
	'\t': {tab: true},
	'\u007F': {backspace: true},
	'\b': {backspace: true},
};

/**
 * Ink hands over plain text as it arrives, so fast typing, key repeat or a paste can bring
 * several keys in one event ("jjj", "pend\t\r"). Split those into one event per key.
 */
export function splitKeys(input: string, key: InkKey): Array<{input: string; key: InkKey}> {
	const special = Object.entries(key).some(([name, on]) => on === true && name !== 'shift');
	const chars = [...input];
	if (special || chars.length <= 1) return [{input, key}];
	return chars.map(char => {
		const control = CONTROL_CHARS[char];
		if (control) return {input: '', key: control};
		return {input: char, key: /[A-Z]/.test(char) ? {shift: true} : {}};
	});
}

/** One name for a key press, in the vocabulary of KEYMAP. */
export function keyName(input: string, key: InkKey): string | undefined {
	if (key.upArrow) return 'up';
	if (key.downArrow) return 'down';
	if (key.leftArrow) return 'left';
	if (key.rightArrow) return 'right';
	if (key.pageUp) return 'pageup';
	if (key.pageDown) return 'pagedown';
	if (key.home) return 'home';
	if (key.end) return 'end';
	if (key.return) return 'enter';
	if (key.escape) return 'escape';
	if (key.tab) return 'tab';
	if (key.backspace || key.delete) return 'backspace';
	if (key.ctrl && input) return `ctrl+${input.toLowerCase()}`;
	if (input === ' ') return 'space';
	if (input.length === 1) return input;
	return undefined;
}

/**
 * The command a key runs in a scope; while replaying the replay keys come first, then the
 * view's own scope, then global.
 */
export function commandFor(name: string, scope: Scope, options: {replay?: boolean} = {}): CommandId | undefined {
	if (options.replay) {
		const replay = KEYMAP.find(b => b.scope === 'replay' && b.keys.includes(name));
		if (replay) return replay.command;
	}
	const own = KEYMAP.find(b => b.scope === scope && b.keys.includes(name));
	if (own) return own.command;
	if (TABLE_SCOPES.has(scope)) {
		const shared = KEYMAP.find(b => b.scope === 'tables' && b.keys.includes(name));
		if (shared) return shared.command;
	}
	return KEYMAP.find(b => b.scope === 'global' && b.keys.includes(name))?.command;
}

const KEY_LABELS: Record<string, string> = {
	up: '↑',
	down: '↓',
	left: '←',
	right: '→',
	pageup: 'PgUp',
	pagedown: 'PgDn',
	home: 'Home',
	end: 'End',
	enter: 'Enter',
	escape: 'Esc',
	backspace: 'Backspace',
	space: 'Space',
	tab: 'Tab',
};

export function keyLabel(name: string): string {
	if (KEY_LABELS[name]) return KEY_LABELS[name];
	if (name.startsWith('ctrl+')) return `Ctrl-${name.slice(5).toUpperCase()}`;
	return name;
}

export function bindingKeys(binding: KeyBinding): string {
	return binding.keys.map(keyLabel).join(' ');
}

/**
 * Footer hints for a view: while replaying the replay keys first, then its own footer keys,
 * then the shared table keys, then the global ones.
 */
export function footerHints(scope: Scope, options: {replay?: boolean} = {}): Array<{keys: string; label: string}> {
	const replay = options.replay ? KEYMAP.filter(b => b.footer && b.scope === 'replay') : [];
	const shadowed = (b: KeyBinding) => replay.some(r => r.keys.includes(b.keys[0]!));
	const own = KEYMAP.filter(b => b.footer && b.scope === scope && !shadowed(b));
	const shared = TABLE_SCOPES.has(scope) && scope !== 'tables' ? KEYMAP.filter(b => b.footer && b.scope === 'tables' && !own.some(o => o.keys[0] === b.keys[0])) : [];
	const global = KEYMAP.filter(b => b.footer && b.scope === 'global' && !shadowed(b));
	return [...replay, ...own, ...shared, ...global].map(b => ({keys: keyLabel(b.keys[0]!), label: b.label}));
}

/**
 * The hints that fit in `width` columns, whole: in order while the next one fits, so no hint is
 * cut mid-word at 80 columns. The help hint is kept even when hints before it must go for it,
 * since the help screen lists the rest. (Keymap texts are one column a character.)
 */
export function fitHints(hints: ReadonlyArray<{keys: string; label: string}>, width: number): string {
	const text = (list: ReadonlyArray<{keys: string; label: string}>) => list.map(h => `${h.keys} ${h.label}`).join('  ');
	const shown: Array<{keys: string; label: string}> = [];
	for (const hint of hints) {
		if (text([...shown, hint]).length > width) break;
		shown.push(hint);
	}
	const help = hints.find(h => h.label === 'help');
	if (help && !shown.includes(help)) {
		while (shown.length > 0 && text([...shown, help]).length > width) shown.pop();
		if (text([...shown, help]).length <= width) shown.push(help);
	}
	return text(shown);
}

export type HelpSection = {title: string; rows: Array<{keys: string; description: string}>};

export function helpSections(): HelpSection[] {
	const scopes: Scope[] = ['global', 'connections', 'servers', 'detail', 'tables', 'streams', 'consumers', 'events', 'signals', 'profiles', 'replay', 'help'];
	return scopes.map(scope => ({
		title: SCOPE_TITLES[scope],
		rows: mergeRows(KEYMAP.filter(b => b.scope === scope)),
	}));
}

/** Bindings with the same description in one scope (up/down scroll) read better as one row. */
function mergeRows(bindings: KeyBinding[]): Array<{keys: string; description: string}> {
	const rows: Array<{keys: string; description: string}> = [];
	for (const binding of bindings) {
		const existing = rows.find(r => r.description === binding.description);
		if (existing) existing.keys += ` ${bindingKeys(binding)}`;
		else rows.push({keys: bindingKeys(binding), description: binding.description});
	}
	return rows;
}

function markdownCell(text: string): string {
	return text.replaceAll('|', '\\|');
}

/** The README's key table, generated. */
export function readmeKeyTable(): string {
	const lines = ['| Keys | Where | What it does |', '| --- | --- | --- |'];
	for (const section of helpSections()) {
		for (const row of section.rows) {
			const keys = row.keys
				.split(' ')
				.map(k => `\`${markdownCell(k)}\``)
				.join(' ');
			lines.push(`| ${keys} | ${section.title} | ${markdownCell(row.description)} |`);
		}
	}
	return lines.join('\n');
}
