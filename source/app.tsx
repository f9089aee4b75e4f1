// Composes the screen: reads the poller, turns UI state into what to fetch, picks the view,
// maps keys to commands. Fetching, formatting and deciding live elsewhere.
import React, {useEffect, useMemo, useReducer, useRef, useState, useSyncExternalStore} from 'react';
import {Box, Text, useApp, useInput} from './ui/ink.js';
import type {Config} from './config/types.js';
import type {ConnInfo, Connz, LinkState, Reply, Source, SourceRequest, Varz} from './sources/types.js';
import type {Need, NeedStatus, Poller} from './poll/poller.js';
import type {DnsCache} from './poll/dns.js';
import {commandFor, keyName, splitKeys, type InkKey, type Scope} from './keymap.js';
import {initialState, reducer, type UiState} from './state.js';
import {planConnections, type ConnectionsPlan} from './model/plan.js';
import {buildConnectionsModel, type ConnectionsAnswer} from './model/connections-view.js';
import {aggregateVarz, buildOverview} from './model/overview.js';
import {buildDetailModel, type DetailModel} from './model/detail.js';
import {SeenConnections} from './model/seen.js';
import {connRates, connzElapsedMs} from './model/rates.js';
import {parseDuration} from './model/format.js';
import {freshness, listSummary} from './model/status.js';
import {sanitizeText} from './model/sanitize.js';
import {TONE_COLOR} from './components/tone.js';
import {Line, SplitLine} from './components/line.js';
import {Overview, OVERVIEW_HEIGHT} from './views/overview.js';
import {ConnectionsView} from './views/connections.js';
import {ServersView} from './views/servers.js';
import {buildServersModel, ServerRoster} from './model/servers.js';
import {LagTracker} from './model/lag.js';
import {lagAlert, NEED_JSZ_STREAMS, trackLag} from './model/jetstream.js';
import {EventBuffer, EVENT_SUBJECTS} from './model/events.js';
import {EMPTY_PANEL, type PanelContext, type PanelModel} from './model/panel.js';
import {isPanelView, viewSpec} from './model/view-list.js';
import {panelComponent} from './views/registry.js';
import {DetailView, type DetailActions} from './views/detail.js';
import {SignalsView} from './views/signals.js';
import {ProfilesView} from './views/profiles.js';
import {clientActionOffers, createActionControllers, type ActionControllers} from './actions/controller.js';
import {IDLE, panelCapturesKeys, type PanelState} from './actions/panel.js';
import type {ActionOffer, SignalsState} from './actions/signals-controller.js';
import type {ProfilesState} from './actions/profiles-controller.js';
import {HelpView} from './views/help.js';
import {Footer} from './views/footer.js';

export const MIN_WIDTH = 60;
export const MIN_HEIGHT = 12;
/** Rows that are not the body: overview, two status rows, footer, and one spare so Ink never scrolls. */
const CHROME_ROWS = OVERVIEW_HEIGHT + 2 + 1 + 1;
const RTT_SAMPLES = 60;

export type AppProps = {
	config: Config;
	source: Source;
	poller: Poller;
	dns?: DnsCache;
	width: number;
	height: number;
	onQuit?: () => void;
	now?: () => number;
	/** Where the profiles panel writes (default: the current directory). */
	profileDir?: string;
};

/** What the app drives on a replay source (ReplaySource has these). */
export type ReplayControls = {
	faster(): number;
	slower(): number;
	togglePause(): void;
	step(direction: 1 | -1): void;
	/** "replay ▶ ×2 · 2026-11-22 22:21:14 UTC · 0:45 / 5:00" */
	status(): string;
	onChange(listener: () => void): () => void;
};

export function replayControls(source: Source): ReplayControls | undefined {
	if (source.transport !== 'replay') return undefined;
	const s = source as unknown as Partial<ReplayControls>;
	const methods = [s.faster, s.slower, s.togglePause, s.step, s.status, s.onChange];
	return methods.every(m => typeof m === 'function') ? (source as unknown as ReplayControls) : undefined;
}

/** host, port and "host:port" of an address the source gave a reply from (a URL, usually). */
function placeOf(address: string): {host: string; port?: number; text: string} | undefined {
	try {
		const url = new URL(address);
		if (!url.hostname) return undefined;
		const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : url.protocol === 'http:' ? 80 : undefined;
		return {host: url.hostname.replace(/^\[|\]$/g, ''), port, text: url.host};
	} catch {
		return undefined;
	}
}

const noSubscribe = () => () => {};
const noState = (): undefined => undefined;

/** Keys a pending kick or lame duck in the detail view takes: its confirmation, or Esc/Enter on its result. */
function detailPanelWants(panel: PanelState, key: InkKey): boolean {
	if (panelCapturesKeys(panel)) return true;
	if (panel.phase === 'running' || panel.phase === 'done') return Boolean(key.escape || (panel.phase === 'done' && key.return));
	return panel.phase === 'idle' && Boolean(panel.notice) && Boolean(key.escape);
}

/** Rows available for the connections table (without its header row). */
export function tableRows(height: number): number {
	return Math.max(1, height - CHROME_ROWS - 1);
}

function sameQuestion(a: SourceRequest | undefined, b: SourceRequest): boolean {
	if (!a || a.kind !== 'connz' || b.kind !== 'connz') return false;
	const {offset: _ao, limit: _al, ...restA} = a.query;
	const {offset: _bo, limit: _bl, ...restB} = b.query;
	return JSON.stringify(restA) === JSON.stringify(restB);
}

function firstReply<K extends 'varz' | 'connz' | 'healthz'>(status: NeedStatus | undefined, which: 'current' | 'previous'): Reply<K> | undefined {
	return status?.[which]?.replies[0] as Reply<K> | undefined;
}

/**
 * nats-server 2.9 finds a cid with state=all only among closed connections, so the detail asks
 * for the open one first and falls back to the closed ones when it has gone.
 */
type DetailLookup = 'open' | 'closed';

/** The view whose data is on screen (help shows over the view it came from). */
function shownView(state: UiState): Exclude<UiState['view'], 'help'> {
	return state.view === 'help' ? state.returnTo : state.view;
}

/**
 * The header's health badge (and the servers view's health column) asks /healthz this often, not
 * on every refresh: health seldom changes, and it was one of three requests per refresh, about a
 * millisecond of CPU each. The health view asks it on every refresh.
 */
export const HEALTH_BADGE_MS = 5000;

/** Poll only what the visible view needs: the header's /varz and /healthz, and the view's own. */
export function needsFor(state: UiState, plan: ConnectionsPlan, detailLookup: DetailLookup): Need[] {
	const needs: Need[] = [{id: 'varz', request: {kind: 'varz'}}];
	const view = shownView(state);
	const spec = viewSpec(view);
	const own = spec ? spec.needs({panel: state.panels[view] ?? EMPTY_PANEL, stream: state.stream}) : [];
	if (!own.some(need => need.id === 'healthz')) needs.push({id: 'healthz', request: {kind: 'healthz'}, everyMs: HEALTH_BADGE_MS});
	if (view === 'connections' || view === 'detail') needs.push({id: 'connz', request: {kind: 'connz', query: plan.query}});
	needs.push(...own);
	// Once the streams view has been open, the header's replication-lag flag stays live everywhere.
	if (state.lagWatched && view !== 'streams') {
		for (const need of viewSpec('streams')!.needs({panel: state.panels['streams'] ?? EMPTY_PANEL})) {
			if (!needs.some(n => n.id === need.id)) needs.push(need);
		}
	}
	if (state.view === 'detail' && state.detail) {
		needs.push({
			id: 'detail',
			request: {kind: 'connz', query: {cid: state.detail.cid, subs: 'detail', auth: true, state: detailLookup}},
		});
	}
	return needs;
}

/** Who we are over NATS, for the status line: user key, account, JWT expiry and warnings. */
export function identityText(config: Config): string {
	const identity = config.nats?.identity;
	if (!identity) return '';
	const short = (key: string) => (key.length > 12 ? `${key.slice(0, 6)}…${key.slice(-4)}` : key);
	const parts: string[] = [];
	const auth = config.nats?.auth;
	if (identity.userPublicKey) parts.push(`user ${short(identity.userPublicKey)}`);
	else if (!identity.account) {
		// Password and token logins carry no key or account: say who, never the password or token.
		if (auth?.kind === 'user-password') parts.push(`user ${sanitizeText(auth.user, 40)}`);
		else if (auth?.kind === 'token') parts.push('token');
	}
	if (identity.account) parts.push(`account ${short(identity.account)}`);
	if (identity.warnings.length > 0) parts.push(`⚠ ${identity.warnings[0]}`);
	else if (identity.jwtExpiresAt !== undefined) parts.push(`jwt until ${new Date(identity.jwtExpiresAt).toISOString().slice(0, 10)}`);
	return parts.join(' · ');
}

/** Printable text typed into a prompt (a paste of escape sequences types nothing). */
function promptText(input: string): string {
	return sanitizeText(input, 256).replace(/[\u2400-\u2421\uFFFD]/g, '');
}

function PanelBody(props: {view: string; model: PanelModel; width: number; height: number}): React.JSX.Element {
	const Component = panelComponent(props.view);
	return <Component model={props.model} width={props.width} height={props.height} />;
}

/** The signal or profiles panel, or why there is none (a replay, several servers, no answer yet). */
function ActionPanel(props: {
	view: 'signals' | 'profiles';
	signals?: SignalsState;
	profiles?: ProfilesState;
	unavailable?: string;
	width: number;
	height: number;
}): React.JSX.Element {
	const {view, width, height} = props;
	if (view === 'signals' && props.signals && !props.unavailable) return <SignalsView state={props.signals} width={width} height={height} />;
	if (view === 'profiles' && props.profiles && !props.unavailable) return <ProfilesView state={props.profiles} width={width} height={height} />;
	return (
		<Box flexDirection="column" height={height}>
			<Line text={view === 'signals' ? 'Signals' : 'Profiles'} width={width} bold inverse />
			<Line text={props.unavailable ?? 'waiting for the server to answer…'} width={width} color={props.unavailable ? 'yellow' : undefined} dim={!props.unavailable} />
		</Box>
	);
}

export function App(props: AppProps): React.JSX.Element {
	const {config, poller, source, width, height} = props;
	const now = props.now ?? Date.now;
	const {exit} = useApp();
	const [state, dispatch] = useReducer(reducer, config, initialState);
	const snapshot = useSyncExternalStore(poller.subscribe, poller.getSnapshot);
	// The time on screen ("updated 2s ago", ages) is read at every render: an answer's render
	// shows it up to date. The timer below only redraws when nothing else has for a second (a
	// clock tick of its own drew one more frame per second).
	const clock = now();
	const [, clockTick] = useReducer((n: number) => n + 1, 0);
	const [, dnsTick] = useReducer((n: number) => n + 1, 0);
	const [link, setLink] = useState<LinkState | undefined>(() => source.linkState?.());
	useEffect(() => source.onLinkState?.(setLink), [source]);
	const lag = useRef(new LagTracker(state.lagWarnRefreshes));
	const lagSeen = useRef(new WeakSet<object>());
	const events = useRef(new EventBuffer());
	const [eventsTick, setEventsTick] = useState(0);
	const [eventsError, setEventsError] = useState<string | undefined>(undefined);
	const frozenAt = useRef<number | undefined>(undefined);
	const rttHistory = useRef(new Map<string, Array<number | undefined>>());
	const rttSeen = useRef(new WeakSet<object>());
	const seen = useRef(new SeenConnections());

	const varzStatus = snapshot.needs.get('varz');
	const healthStatus = snapshot.needs.get('healthz');
	const connzStatus = snapshot.needs.get('connz');
	const detailStatus = snapshot.needs.get('detail');
	const focusId = state.focus?.id;
	const roster = useRef(new ServerRoster());
	const rostered = useRef(new WeakSet<object>());
	const aggregateHistory = useRef<Array<Reply<'varz'>>>([]);
	const varzReplies = (varzStatus?.current?.replies ?? []) as Array<Reply<'varz'>>;
	if (varzStatus?.current && !rostered.current.has(varzStatus.current)) {
		rostered.current.add(varzStatus.current);
		roster.current.update(varzReplies, now());
		if (varzReplies.length > 1) {
			const data = aggregateVarz(varzReplies.map(r => r.data));
			aggregateHistory.current.push({...varzReplies[0]!, data});
			if (aggregateHistory.current.length > 120) aggregateHistory.current.shift();
		}
	}
	const pickVarz = (gathered: NeedStatus['current']): Varz | undefined => {
		const list = ((gathered?.replies ?? []) as Array<Reply<'varz'>>).map(r => r.data);
		if (list.length === 0) return undefined;
		if (focusId) return list.find(v => v.server_id === focusId);
		return aggregateVarz(list);
	};
	const varz = useMemo(() => pickVarz(varzStatus?.current), [varzStatus?.current, focusId]); // eslint-disable-line react-hooks/exhaustive-deps
	const previousVarz = useMemo(() => pickVarz(varzStatus?.previous), [varzStatus?.previous, focusId]); // eslint-disable-line react-hooks/exhaustive-deps
	const serverCount = focusId ? 1 : Math.max(1, varzReplies.length);

	// Replication lag: one tracker refresh per new streams answer, whichever view is on screen.
	const streamsStatus = snapshot.needs.get(NEED_JSZ_STREAMS);
	if (streamsStatus?.current && !lagSeen.current.has(streamsStatus.current)) {
		lagSeen.current.add(streamsStatus.current);
		trackLag(lag.current, streamsStatus.current.replies as Array<Reply<'jsz'>>, new Map(varzReplies.map(r => [r.data.server_id, r.data.server_name])));
	}

	// Live events: subscribed while the events view is on screen; the buffer outlives it.
	const eventsOn = shownView(state) === 'events' && typeof source.subscribe === 'function';
	useEffect(() => {
		if (!eventsOn || !source.subscribe) return undefined;
		let scheduled: ReturnType<typeof setTimeout> | undefined;
		const unsubscribe = source.subscribe(
			EVENT_SUBJECTS,
			event => {
				events.current.push(event);
				// A burst of events redraws at most ten times a second.
				scheduled ??= setTimeout(() => {
					scheduled = undefined;
					setEventsTick(n => n + 1);
				}, 100);
			},
			error => setEventsError(`events: ${error.message}${error.hint ? ` (${error.hint})` : ''}`),
		);
		return () => {
			clearTimeout(scheduled);
			unsubscribe();
		};
	}, [eventsOn, source]);
	if (state.paused && frozenAt.current === undefined) frozenAt.current = events.current.received;
	if (!state.paused) frozenAt.current = undefined;

	const pageSize = tableRows(height);
	useEffect(() => dispatch({type: 'page-size', rows: pageSize}), [pageSize]);

	const plan = useMemo(
		() =>
			planConnections({
				sort: state.sort,
				reverse: state.reverse,
				rows: state.rows,
				state: state.state,
				account: state.account,
				user: state.user,
				subject: state.subject,
				filter: state.filter,
				showSubs: state.showSubs,
				scrollTop: state.scrollTop,
				pageSize: state.pageSize,
				total: state.total,
				version: varz?.version ?? '',
				serverFiltersSubject: source.transport !== 'http',
				servers: serverCount,
			}),
		[state.sort, state.reverse, state.rows, state.state, state.account, state.user, state.subject, state.filter, state.showSubs, state.scrollTop, state.pageSize, state.total, varz?.version, source.transport, serverCount],
	);

	const [detailLookup, setDetailLookup] = useState<DetailLookup>('open');
	useEffect(() => setDetailLookup(state.state === 'closed' ? 'closed' : 'open'), [state.detail]); // eslint-disable-line react-hooks/exhaustive-deps
	useEffect(() => {
		const request = detailStatus?.currentRequest;
		const data = ((detailStatus?.current?.replies ?? []) as Array<Reply<'connz'>>).find(r => r.data.server_id === state.detail?.serverId)?.data;
		if (!state.detail || !data || request?.kind !== 'connz' || request.query.state !== 'open') return;
		if (request.query.cid === state.detail.cid && !data.connections.some(c => c.cid === state.detail!.cid)) setDetailLookup('closed');
	}, [detailStatus?.current, state.detail]); // eslint-disable-line react-hooks/exhaustive-deps

	const needs = needsFor(state, plan, detailLookup);
	const needsKey = JSON.stringify(needs);
	useEffect(() => poller.setNeeds(needs), [needsKey]); // eslint-disable-line react-hooks/exhaustive-deps
	useEffect(() => {
		poller.start();
		return () => void poller.stop();
	}, [poller]);
	useEffect(() => poller.setPaused(state.paused), [poller, state.paused]);
	useEffect(() => poller.setIntervalMs(state.intervalMs), [poller, state.intervalMs]);
	useEffect(() => {
		const timer = setTimeout(clockTick, 1000);
		return () => clearTimeout(timer);
	});
	useEffect(() => (props.dns ? props.dns.onChange(dnsTick) : undefined), [props.dns]);

	const answer = useMemo((): ConnectionsAnswer | undefined => {
		const current = connzStatus?.current;
		if (!current || !sameQuestion(connzStatus.currentRequest, {kind: 'connz', query: plan.query})) return undefined;
		const connz = current.replies.map(r => r.data as Connz).filter(c => !focusId || c.server_id === focusId);
		for (const answer of connz) seen.current.record(answer);
		return {
			connz,
			seen: seen.current,
			previous: (connzStatus.previous?.replies ?? []).map(r => r.data as Connz).filter(c => !focusId || c.server_id === focusId),
			serverNames: new Map(varzReplies.map(r => [r.data.server_id, r.data.server_name])),
			maxPending: new Map(varzReplies.map(r => [r.data.server_id, r.data.max_pending])),
		};
	}, [connzStatus?.current, connzStatus?.previous, connzStatus?.currentRequest, varzStatus?.current, plan.query, focusId]); // eslint-disable-line react-hooks/exhaustive-deps

	const resolveHost = state.lookup && props.dns ? props.dns.resolve : undefined;
	const model = buildConnectionsModel({
		answer,
		plan,
		sort: state.sort,
		reverse: state.reverse,
		state: state.state,
		filter: state.filter,
		subject: state.subject,
		scrollTop: state.scrollTop,
		pageSize: state.pageSize,
		selected: state.selected,
		width,
		mode: state.mode,
		showSubs: state.showSubs,
		raw: state.raw,
		resolveHost,
	});
	useEffect(() => {
		if (answer) dispatch({type: 'total', total: model.total});
	}, [answer, model.total]);

	const overview = useMemo(() => {
		if (!varz) return undefined;
		const healthReplies = (healthStatus?.current?.replies ?? []) as Array<Reply<'healthz'>>;
		const unhealthy = healthReplies.find(r => r.data.status !== 'ok' && (!focusId || r.server.id === focusId));
		const healthz = unhealthy?.data ?? healthReplies.find(r => !focusId || r.server.id === focusId)?.data;
		const single = focusId ?? (varzReplies.length === 1 ? varz.server_id : undefined);
		return buildOverview({
			varz,
			previousVarz,
			history: single ? poller.history.get('varz', single) : aggregateHistory.current,
			healthz,
			healthError: healthStatus?.error?.message,
			raw: state.raw,
			sparkWidth: 60,
		});
	}, [varz, previousVarz, healthStatus?.current, healthStatus?.error, state.raw, poller.history, focusId]); // eslint-disable-line react-hooks/exhaustive-deps

	const healthById = useMemo(
		() => new Map(((healthStatus?.current?.replies ?? []) as Array<Reply<'healthz'>>).map(r => [r.server.id, r.data])),
		[healthStatus?.current],
	);
	// Built only on the servers view (where its keys are handled too): every other view would
	// sort and format the roster on every refresh for nothing.
	const serversModel =
		state.view === 'servers'
			? buildServersModel({
					entries: roster.current.list(),
					health: healthById,
					sort: state.servers.sort,
					reverse: state.servers.reverse,
					selected: state.servers.selected,
					scrollTop: state.servers.scrollTop,
					pageSize: state.pageSize,
					width,
					raw: state.raw,
					now: clock,
				})
			: undefined;
	const rosterSize = roster.current.size;
	useEffect(() => dispatch({type: 'servers-total', total: rosterSize}), [rosterSize]);

	const panelView = isPanelView(state.view) ? state.view : state.view === 'help' && isPanelView(state.returnTo) ? state.returnTo : undefined;
	const panelSpec = panelView ? viewSpec(panelView) : undefined;
	const panelModel = useMemo((): PanelModel | undefined => {
		if (!panelView || !panelSpec?.build) return undefined;
		const ctx: PanelContext = {
			needs: snapshot.needs,
			panel: state.panels[panelView] ?? EMPTY_PANEL,
			width,
			raw: state.raw,
			mode: state.mode,
			now: clock,
			paused: state.paused,
			transport: source.transport,
			serverNames: new Map(roster.current.list().map(e => [e.id, e.name])),
			focusId,
			lag: lag.current,
			events: source.subscribe ? events.current : undefined,
			eventsFrozenAt: frozenAt.current,
			eventsError,
			stream: state.stream,
			expanded: state.expanded,
		};
		return panelSpec.build(ctx);
	}, [panelView, snapshot, state.panels, width, state.raw, state.mode, state.paused, state.stream, state.expanded, focusId, eventsTick, eventsError, source]); // eslint-disable-line react-hooks/exhaustive-deps
	useEffect(() => {
		if (panelView && panelModel) dispatch({type: 'panel-total', view: panelView, total: panelModel.total});
	}, [panelView, panelModel?.total]); // eslint-disable-line react-hooks/exhaustive-deps

	const detail = useMemo((): {model?: DetailModel; message: string; conn?: ConnInfo} => {
		if (!state.detail) return {message: ''};
		const replies = (detailStatus?.current?.replies ?? []) as Array<Reply<'connz'>>;
		const data = (replies.find(r => r.data.server_id === state.detail!.serverId) ?? (replies.length === 1 ? replies[0] : undefined))?.data;
		const key = `${state.detail.serverId}:${state.detail.cid}`;
		if (!data) {
			return {message: detailStatus?.error ? `✖ ${detailStatus.error.message}` : `loading connection ${state.detail.cid}…`};
		}
		const conn = data.connections.find(c => c.cid === state.detail!.cid);
		if (!conn) {
			const looked = detailStatus?.currentRequest?.kind === 'connz' ? detailStatus.currentRequest.query.state : 'open';
			if (looked !== 'closed') return {message: `connection ${state.detail.cid} closed; looking among closed connections…`};
			return {message: `connection ${state.detail.cid} is gone (the server no longer lists it, open or closed)`};
		}
		const samples = rttHistory.current.get(key) ?? [];
		if (!rttSeen.current.has(data)) {
			rttSeen.current.add(data);
			samples.push(parseDuration(conn.rtt));
			if (samples.length > RTT_SAMPLES) samples.shift();
			rttHistory.current.set(key, samples);
		}
		const previous = ((detailStatus?.previous?.replies ?? []) as Array<Reply<'connz'>>).find(r => r.data.server_id === state.detail!.serverId)?.data;
		const previousConn = previous?.connections.find(c => c.cid === conn.cid);
		const elapsed = connzElapsedMs(previous, data);
		return {
			conn,
			model: buildDetailModel({
				conn,
				serverName: varz?.server_name ?? '',
				rates: elapsed === undefined ? undefined : connRates(previousConn, conn, elapsed),
				rttHistory: samples,
				maxPending: varz?.max_pending,
				raw: state.raw,
				sparkWidth: Math.min(RTT_SAMPLES, Math.max(10, width - 70)),
				host: resolveHost?.(conn.ip) ? `${resolveHost(conn.ip)}:${conn.port}` : undefined,
			}),
			message: '',
		};
	}, [state.detail, detailStatus?.current, detailStatus?.error, state.raw, width, varz, resolveHost]);

	// --- replay clock ------------------------------------------------------------------------
	const replay = useMemo(() => replayControls(source), [source]);
	const [, replayTick] = useReducer((n: number) => n + 1, 0);
	useEffect(() => replay?.onChange(replayTick), [replay]);

	// --- operator actions: controllers for one server, made when first needed -------------------
	const [actions, setActions] = useState<{serverId: string; controllers: ActionControllers} | undefined>(undefined);
	const actionsRef = useRef(actions);
	actionsRef.current = actions;
	useEffect(() => () => void actionsRef.current?.controllers.dispose(), []);
	const ensureActions = (reply: Reply<'varz'>, keep = false): ActionControllers => {
		const current = actionsRef.current;
		if (current && (keep || current.serverId === reply.data.server_id)) return current.controllers;
		void current?.controllers.dispose();
		const place = placeOf(reply.server.address);
		const controllers = createActionControllers(
			config,
			source,
			{pid: config.pid, pidFile: config.pidFile, profPort: config.profPort, profUrl: config.profUrl},
			{serverId: reply.data.server_id, dir: props.profileDir, reach: config.transport === 'http' && place ? {host: place.host, port: place.port} : undefined},
		);
		const next = {serverId: reply.data.server_id, controllers};
		actionsRef.current = next;
		setActions(next);
		return controllers;
	};
	const actionView = shownView(state) === 'signals' || shownView(state) === 'profiles';
	// The panels act on one server: the focused one, or the only one.
	const targetReply = focusId ? varzReplies.find(r => r.data.server_id === focusId) : varzReplies.length === 1 ? varzReplies[0] : undefined;
	const actionsUnavailable = replay
		? 'this is a replay of a recording: signals and profiles act on a live server'
		: !targetReply && varzReplies.length > 1
			? `${varzReplies.length} servers answer: focus the one to act on (2, select it, Enter)`
			: undefined;
	useEffect(() => {
		if (actionView && targetReply && !replay) ensureActions(targetReply);
	}, [actionView, targetReply?.data.server_id, replay]); // eslint-disable-line react-hooks/exhaustive-deps
	useEffect(() => {
		if (!actions) return;
		const reply = varzReplies.find(r => r.data.server_id === actions.serverId);
		if (!reply) return;
		actions.controllers.signals.setServer(reply.data, placeOf(reply.server.address)?.text ?? reply.server.address);
		actions.controllers.profiles.setServer(reply.data);
	}, [actions, varzStatus?.current]); // eslint-disable-line react-hooks/exhaustive-deps
	const signals = actions?.controllers.signals;
	const profiles = actions?.controllers.profiles;
	const signalsState = useSyncExternalStore<SignalsState | undefined>(signals?.subscribe ?? noSubscribe, signals?.getState ?? noState);
	const profilesState = useSyncExternalStore<ProfilesState | undefined>(profiles?.subscribe ?? noSubscribe, profiles?.getState ?? noState);

	// Kick and client lame duck of the connection in the detail view.
	const detailServer = state.detail ? varzReplies.find(r => r.data.server_id === state.detail!.serverId) : undefined;
	const detailOffers = useMemo((): ActionOffer[] => {
		if (replay || source.transport === 'replay') {
			return clientActionOffers('http', '').map(o => ({...o, enabled: false, reason: `${o.label}: this is a replay, there is no live connection`}));
		}
		return clientActionOffers(source.transport, detailServer?.data.version ?? '');
	}, [replay, source.transport, detailServer?.data.version]);
	const detailActions: DetailActions = {offers: detailOffers, panel: signalsState?.panel ?? IDLE};
	const requestClientAction = (action: 'kick' | 'client-ldm'): void => {
		const conn = detail.conn;
		if (!state.detail || !conn) return;
		const offer = detailOffers.find(o => o.id === action);
		if (!offer?.enabled || !detailServer) {
			dispatch({type: 'notice', notice: {text: offer?.reason ?? `${action}: the server has not answered yet`, level: 'warn'}});
			return;
		}
		const controllers = ensureActions(detailServer, true);
		controllers.signals.requestClientAction(action, {
			serverId: state.detail.serverId,
			serverName: detailServer.data.server_name,
			version: detailServer.data.version,
			cid: conn.cid,
			client: conn.name || `${conn.ip}:${conn.port}`,
			address: placeOf(detailServer.server.address)?.text,
		});
	};

	const scope: Scope = state.view === 'detail' || state.view === 'help' ? state.view : (viewSpec(state.view)?.scope ?? 'connections');
	const quit = (): void => {
		if (props.onQuit) props.onQuit();
		else exit();
	};

	// Commands run through the reducer one by one, so a burst of keys ("jjj") acts like typing them.
	const promptOpen = useRef(false);
	promptOpen.current = Boolean(state.prompt);
	const onKey = (input: string, key: InkKey): void => {
		if (promptOpen.current) {
			if (key.ctrl && input === 'c') quit();
			else if (key.escape) dispatch({type: 'prompt-cancel'});
			else if (key.return) {
				dispatch({type: 'prompt-submit'});
				promptOpen.current = false; // a key after Enter in the same burst is a command again
			}
			else if (key.backspace || key.delete) dispatch({type: 'prompt-backspace'});
			else if (key.tab) dispatch({type: 'prompt-complete'});
			else if (!key.ctrl && !key.meta && input) {
				const text = promptText(input);
				if (text) dispatch({type: 'prompt-input', text});
			}
			return;
		}
		const name = keyName(input, key);
		if (name === 'ctrl+c') return quit();
		// A confirmation takes every key: typing a server name must not switch views or quit.
		const panelController = state.view === 'signals' ? signals : state.view === 'profiles' ? profiles : undefined;
		const plain = !key.ctrl && !key.meta;
		if (state.view === 'signals' && signals && signalsState && panelCapturesKeys(signalsState.panel)) {
			signals.handleKey(input, key);
			return;
		}
		if (state.view === 'detail' && signals && signalsState && detailPanelWants(signalsState.panel, key)) {
			signals.handleKey(input, key);
			return;
		}
		if (!name) return;
		const command = commandFor(name, scope, {replay: Boolean(replay)});
		if (replay && command?.startsWith('replay-')) {
			if (command === 'replay-faster') replay.faster();
			else if (command === 'replay-slower') replay.slower();
			else if (command === 'replay-pause') replay.togglePause();
			else if (command === 'replay-step-forward') replay.step(1);
			else if (command === 'replay-step-back') replay.step(-1);
			return;
		}
		// The panel's own keys first (it knows what is running); q, views and global keys after.
		if (panelController && (plain || key.escape) && panelController.handleKey(input, key)) return;
		if (!command) return;
		if (command === 'quit') return quit();
		if (command === 'kick' || command === 'client-ldm') return requestClientAction(command);
		if (command === 'refresh') return poller.refreshNow();
		if (command === 'clear-events') {
			events.current.clear();
			frozenAt.current = state.paused ? 0 : undefined;
			setEventsTick(n => n + 1);
			return;
		}
		if (command.endsWith('-prompt')) promptOpen.current = true;
		const selectedId = serversModel?.selectedId;
		const selectedServer = selectedId ? {id: selectedId, name: serversModel.rows.find(r => r.id === selectedId)?.name ?? selectedId} : undefined;
		dispatch({type: 'command', command, sortKeys: model.sortKeys, selectedRow: model.selectedRow, selectedServer, selectedStream: panelModel?.selection});
	};
	useInput((input: string, key: InkKey) => {
		for (const press of splitKeys(input, key)) onKey(press.input, press.key);
	});

	if (width < MIN_WIDTH || height < MIN_HEIGHT) {
		return (
			<Box flexDirection="column">
				<Text color="yellow" wrap="wrap">
					{`Terminal ${width}x${height} is too small: natscope needs at least ${MIN_WIDTH}x${MIN_HEIGHT}.`}
				</Text>
				<Text wrap="wrap">Enlarge the window, or press q to quit.</Text>
			</Box>
		);
	}

	const viewNeeds = panelSpec ? panelSpec.needs({panel: state.panels[panelView!] ?? EMPTY_PANEL, stream: state.stream}).map(n => snapshot.needs.get(n.id)) : [connzStatus];
	const fresh = freshness([...viewNeeds, varzStatus, detailStatus], clock, state.paused, state.intervalMs);
	const partial = varzStatus?.partialFailures ?? [];
	const missingNote =
		partial.length > 0 && !fresh.stale
			? `${varzReplies.length} of ${varzReplies.length + partial.length} servers answered; ${partial[0]!.address}: ${partial[0]!.error.message}`
			: '';
	const linkNote = link === 'reconnecting' ? `reconnecting to ${source.description}…` : link === 'closed' ? 'connection closed' : '';
	const viewNotes = state.view === 'connections' && !fresh.stale ? model.notes : panelModel && !fresh.stale ? panelModel.notes : [];
	const freshText = [replay?.status() ?? '', linkNote, fresh.text, missingNote, ...viewNotes].filter(Boolean).join(' · ');
	const focusNote = state.focus ? ` · focus ${state.focus.name} (* for all)` : '';
	const summary =
		(state.view === 'connections'
			? listSummary({
					showing: model.showing,
					sortLabel: model.sortLabel,
					state: state.state,
					account: state.account,
					user: state.user,
					subject: state.subject,
					filter: state.filter,
					rows: state.rows,
					mode: state.mode,
					notes: [],
				})
			: state.view === 'servers' && serversModel
				? serversModel.summary
				: state.view === 'detail'
					? 'connection detail'
					: state.view === 'signals'
						? 'signal panel'
						: state.view === 'profiles'
							? 'profiles'
							: panelModel && state.view !== 'help'
								? panelModel.summary
								: 'help') + focusNote;
	const bodyHeight = height - CHROME_ROWS;
	const problem = connzStatus?.error ? {message: connzStatus.error.message, hint: connzStatus.error.hint} : undefined;

	return (
		<Box flexDirection="column" width={width}>
			<Overview model={overview} target={source.description} stale={fresh.stale && Boolean(overview)} width={width} alert={lagAlert(lag.current)} />
			<SplitLine
				left={summary}
				right={state.notice?.text ?? (config.tls.insecure ? '⚠ TLS not verified (--insecure)' : identityText(config))}
				width={width}
				rightColor={state.notice?.level === 'info' || (!state.notice && !config.tls.insecure && !config.nats?.identity.warnings.length) ? 'cyan' : 'yellow'}
			/>
			<Line
				text={freshText}
				width={width}
				color={TONE_COLOR[linkNote || missingNote ? 'warn' : fresh.tone]}
			/>
			{state.view === 'connections' ? (
				<ConnectionsView model={model} loaded={Boolean(answer)} problem={problem} width={width} height={bodyHeight} />
			) : state.view === 'servers' && serversModel ? (
				<ServersView model={serversModel} loaded={roster.current.size > 0} width={width} height={bodyHeight} />
			) : state.view === 'detail' ? (
				<DetailView model={detail.model} message={detail.message} scroll={state.detailScroll} width={width} height={bodyHeight} actions={detailActions} />
			) : state.view === 'signals' || state.view === 'profiles' ? (
				<ActionPanel view={state.view} signals={signalsState} profiles={profilesState} unavailable={actionsUnavailable} width={width} height={bodyHeight} />
			) : panelModel && state.view !== 'help' ? (
				<PanelBody view={state.view} model={panelModel} width={width} height={bodyHeight} />
			) : (
				<HelpView scroll={state.helpScroll} width={width} height={bodyHeight} />
			)}
			<Footer scope={scope} prompt={state.prompt} width={width} replay={Boolean(replay)} />
		</Box>
	);
}
