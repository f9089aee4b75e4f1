// The views, as data: id, key, title, the keymap scope, how it sorts, what it polls, and (for
// table views) the pure function that turns the poller's answers into lines. The keymap, the
// reducer, the app and the one-shot modes all read this list, so adding a view is one entry
// here (plus, only if it needs its own drawing, a component in views/registry.tsx).
import type {Need} from '../poll/poller.js';
import type {Scope} from '../keymap.js';
import {buildEventsModel} from './events.js';
import {buildHealthModel, HEALTH_SORT_KEYS, HEALTH_VARIANTS} from './health.js';
import {
	buildConsumersModel,
	buildJetStreamModel,
	buildStreamsModel,
	CONSUMER_SORT_KEYS,
	JETSTREAM_SORT_KEYS,
	JSZ_ACCOUNTS_PAGE,
	NEED_JSZ,
	NEED_JSZ_CONSUMERS,
	NEED_JSZ_STREAMS,
	STREAM_SORT_KEYS,
} from './jetstream.js';
import type {PanelContext, PanelModel, PanelState} from './panel.js';
import {buildGatewaysModel, buildLeafnodesModel, buildRoutesModel, GATEWAY_SORT_KEYS, LEAF_SORT_KEYS, NEED_GATEWAYZ, NEED_LEAFZ, NEED_ROUTEZ, ROUTE_SORT_KEYS} from './topology.js';

/** What a view's needs may depend on. */
export type NeedsInput = {panel: PanelState; stream?: {account: string; name: string}};

export type ViewSpec = {
	id: string;
	/** The key that opens it from anywhere (optional: every view opens with `:` and its name). */
	key?: string;
	title: string;
	/** One line for the help screen. */
	description: string;
	scope: Scope;
	/** Tab walks through the views that have this. */
	cycle: boolean;
	/** Sort keys, the default first ([] = no sorting). */
	sortKeys: readonly string[];
	/** What it polls beyond the header's /varz and /healthz. */
	needs: (input: NeedsInput) => Need[];
	/** Table views: answers → lines. Absent for views the app draws itself (connections, servers). */
	build?: (ctx: PanelContext) => PanelModel;
	/** Shown by `--view NAME` (a sub-view such as consumers is reached from another view). */
	cli: boolean;
};

const none = (): Need[] => [];

export const VIEW_LIST = [
	{id: 'connections', key: '1', title: 'Connections', description: 'clients sorted by the server, with per-second rates', scope: 'connections', cycle: true, sortKeys: [], needs: none, cli: true},
	{id: 'servers', key: '2', title: 'Servers', description: 'every server of the cluster, missing ones included', scope: 'servers', cycle: true, sortKeys: [], needs: none, cli: true},
	{
		id: 'jetstream',
		key: '3',
		title: 'JetStream',
		description: 'per-server usage (used/reserved/limit), API rates, and the meta group from its leader',
		scope: 'tables',
		cycle: true,
		sortKeys: JETSTREAM_SORT_KEYS,
		needs: () => [{id: NEED_JSZ, request: {kind: 'jsz', query: {}}}],
		build: buildJetStreamModel,
		cli: true,
	},
	{
		id: 'streams',
		key: '4',
		title: 'Streams',
		description: 'streams with replica lag from each stream leader, mirrors and sources; Enter shows consumers',
		scope: 'streams',
		cycle: true,
		sortKeys: STREAM_SORT_KEYS,
		needs: ({panel}) => [
			{id: NEED_JSZ_STREAMS, request: {kind: 'jsz', query: {accounts: true, streams: true, config: true, offset: panel.offset, limit: JSZ_ACCOUNTS_PAGE}}},
		],
		build: buildStreamsModel,
		cli: true,
	},
	{
		id: 'consumers',
		title: 'Consumers',
		description: 'the consumers of the stream chosen in the streams view',
		scope: 'consumers',
		cycle: false,
		sortKeys: CONSUMER_SORT_KEYS,
		needs: ({stream}) => (stream ? [{id: NEED_JSZ_CONSUMERS, request: {kind: 'jsz', query: {acc: stream.account, consumers: true, config: true}}}] : []),
		build: buildConsumersModel,
		cli: false,
	},
	{
		id: 'routes',
		key: '5',
		title: 'Routes',
		description: 'cluster routes of every server: remote, RTT, pending, traffic',
		scope: 'tables',
		cycle: true,
		sortKeys: ROUTE_SORT_KEYS,
		needs: () => [{id: NEED_ROUTEZ, request: {kind: 'routez'}}],
		build: buildRoutesModel,
		cli: true,
	},
	{
		id: 'gateways',
		key: '6',
		title: 'Gateways',
		description: 'gateway links to other clusters, outbound and inbound',
		scope: 'tables',
		cycle: true,
		sortKeys: GATEWAY_SORT_KEYS,
		needs: () => [{id: NEED_GATEWAYZ, request: {kind: 'gatewayz'}}],
		build: buildGatewaysModel,
		cli: true,
	},
	{
		id: 'leafnodes',
		key: '7',
		title: 'Leafnodes',
		description: 'leafnode connections: remote, account, RTT, traffic',
		scope: 'tables',
		cycle: true,
		sortKeys: LEAF_SORT_KEYS,
		needs: () => [{id: NEED_LEAFZ, request: {kind: 'leafz'}}],
		build: buildLeafnodesModel,
		cli: true,
	},
	{
		id: 'health',
		key: '8',
		title: 'Health',
		description: '/healthz of every server: plain, js-enabled-only, js-server-only, errors in full',
		scope: 'tables',
		cycle: true,
		sortKeys: HEALTH_SORT_KEYS,
		// The plain variant is the header's need (same id and question), here asked every refresh.
		needs: () => HEALTH_VARIANTS.map(v => ({id: v.id, request: v.query ? {kind: 'healthz' as const, query: v.query} : {kind: 'healthz' as const}})),
		build: buildHealthModel,
		cli: true,
	},
	{
		id: 'events',
		key: '9',
		title: 'Events',
		description: 'live connect, disconnect, auth error and JetStream advisory events (NATS transport)',
		scope: 'events',
		cycle: true,
		sortKeys: [],
		needs: none,
		build: buildEventsModel,
		cli: true,
	},
	// Operator actions on one server: drawn by the app from their controllers, not from answers.
	{
		id: 'signals',
		key: 'S',
		title: 'Signals',
		description: 'reload, reopen log, lame duck; confirmed, verified',
		scope: 'signals',
		cycle: false,
		sortKeys: [],
		needs: none,
		cli: true,
	},
	{
		id: 'profiles',
		key: 'P',
		title: 'Profiles',
		description: 'pprof downloads (cpu, heap, …) of the server',
		scope: 'profiles',
		cycle: false,
		sortKeys: [],
		needs: none,
		cli: true,
	},
] as const satisfies readonly ViewSpec[];

export type MainViewId = (typeof VIEW_LIST)[number]['id'];

const BY_ID = new Map<string, ViewSpec>(VIEW_LIST.map(v => [v.id, v]));

export function viewSpec(id: string): ViewSpec | undefined {
	return BY_ID.get(id);
}

export function isMainView(id: string): id is MainViewId {
	return BY_ID.has(id);
}

/** Views drawn from a PanelModel (everything but connections, servers and the action panels). */
export function isPanelView(id: string): boolean {
	return Boolean(BY_ID.get(id)?.build);
}

/** The views Tab walks through, in order. */
export const CYCLE_VIEWS: readonly MainViewId[] = VIEW_LIST.filter(v => v.cycle).map(v => v.id);
