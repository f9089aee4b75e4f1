// The one-shot modes' views: the connections snapshot and the table views (--view NAME). Loaded
// by oneshot.ts while the first sample is on its way and during the gap before the second, so
// their modules' loading costs a snapshot no wall time.
import {appendFile, writeFile} from 'node:fs/promises';
import type {Config} from './config/types.js';
import {SourceError, type Source} from './sources/types.js';
import {buildConnectionsModel} from './model/connections-view.js';
import {aggregateVarz, buildOverview} from './model/overview.js';
import {varzRates} from './model/rates.js';
import {listSummary} from './model/status.js';
import {panelSnapshotDelimited, panelSnapshotJson, panelSnapshotText, snapshotDelimited, snapshotJson, snapshotText, type SnapshotInput} from './model/snapshot.js';
import {viewSpec} from './model/view-list.js';
import {EMPTY_PANEL, type PanelModel} from './model/panel.js';
import {LagTracker} from './model/lag.js';
import {NEED_JSZ_STREAMS, trackLag} from './model/jetstream.js';
import {EventBuffer, EVENT_SUBJECTS} from './model/events.js';
import type {Need, NeedStatus} from './poll/poller.js';
import type {Gathered, Reply} from './sources/types.js';
import {loadWideWidths, WideWidthsNotLoaded} from './model/format.js';
import {failureLine, firstGapMs, planFor, type OneShotIo, type Sample} from './oneshot.js';

export {isPanelView} from './model/view-list.js';

/**
 * Renders a snapshot's text, loading string-width first only if the text turns out to need it
 * (see loadWideWidths): displayWidth throws WideWidthsNotLoaded for text it cannot measure
 * without it, and the render is done again once it is loaded. Printable ASCII and natscope's own
 * glyphs never need it, so most snapshots skip its ~45 ms. `render` must have no side effects.
 */
export async function renderWithWidths<T>(render: () => T): Promise<T> {
	try {
		return render();
	} catch (error) {
		if (!(error instanceof WideWidthsNotLoaded)) throw error;
		await loadWideWidths();
		return render();
	}
}

/** The connections snapshot of `current`, with rates against `previous`, as the output mode prints it. */
export function renderConnections(config: Config, source: Source, current: Sample, previous: Sample | undefined, io: OneShotIo): string {
	const varz = aggregateVarz(current.servers);
	const previousVarz = previous ? aggregateVarz(previous.servers) : undefined;
	const plan = planFor(config, varz.version, current.servers.length, source.transport !== 'http');
	const model = buildConnectionsModel({
		answer: {
			connz: current.connz,
			previous: previous?.connz ?? [],
			serverNames: new Map(current.servers.map(v => [v.server_id, v.server_name])),
			maxPending: new Map(current.servers.map(v => [v.server_id, v.max_pending])),
		},
		plan,
		sort: config.sort,
		reverse: config.reverse,
		state: config.state,
		filter: '',
		subject: config.subject,
		scrollTop: 0,
		pageSize: Number.MAX_SAFE_INTEGER,
		selected: -1,
		width: io.width,
		mode: 'rates',
		showSubs: config.showSubs,
		raw: config.rawNumbers,
	});
	const overview = buildOverview({
		varz,
		previousVarz,
		history: [],
		healthz: current.healthz,
		raw: config.rawNumbers,
		sparkWidth: 0,
	});
	const input: SnapshotInput = {
		source: source.description,
		at: io.now(),
		varz,
		rates: varzRates(previousVarz, varz),
		healthz: current.healthz,
		overview,
		connz: current.connz,
		model,
		sort: config.sort,
		reverse: config.reverse,
		state: config.state,
		summary: listSummary({
			showing: model.showing,
			sortLabel: model.sortLabel,
			state: config.state,
			account: config.account,
			user: config.user,
			subject: config.subject,
			filter: '',
			rows: config.rows,
			mode: 'rates',
			notes: model.notes,
		}),
	};
	const output = config.output!;
	if (output.kind === 'json') return snapshotJson(input);
	if (output.kind === 'delimited') return snapshotDelimited(input, output.delimiter);
	return snapshotText(input);
}

// --- table views: --view jetstream, streams, routes, gateways, leafnodes, health, events ---------

/** One answer per need; a need that failed as a whole keeps its error. */
type PanelSample = Map<string, {gathered?: Gathered; error?: SourceError}>;

async function fetchPanelSample(source: Source, needs: readonly Need[]): Promise<PanelSample> {
	const sample: PanelSample = new Map();
	await Promise.all(
		needs.map(async need => {
			try {
				sample.set(need.id, {gathered: await source.request(need.request as never)});
			} catch (error) {
				sample.set(need.id, {error: error instanceof SourceError ? error : new SourceError('unknown', String(error))});
			}
		}),
	);
	const varz = sample.get('varz');
	if (!varz?.gathered) throw varz?.error ?? new SourceError('unknown', 'no server answered /varz');
	return sample;
}

function needStatuses(needs: readonly Need[], current: PanelSample, previous: PanelSample | undefined): Map<string, NeedStatus> {
	const statuses = new Map<string, NeedStatus>();
	for (const need of needs) {
		const now = current.get(need.id);
		statuses.set(need.id, {
			id: need.id,
			request: need.request,
			current: now?.gathered,
			previous: previous?.get(need.id)?.gathered,
			error: now?.error,
			partialFailures: now?.gathered?.failures ?? [],
			consecutiveErrors: now?.error ? 1 : 0,
			inFlight: false,
			completions: 1,
		});
	}
	return statuses;
}

function serverNames(sample: PanelSample): Map<string, string> {
	return new Map(((sample.get('varz')?.gathered?.replies ?? []) as Array<Reply<'varz'>>).map(r => [r.data.server_id, r.data.server_name]));
}

/** Refuses the views a one-shot cannot print, with the reason; undefined when it can. */
export function oneShotViewProblem(view: string, source: Source): string | undefined {
	if (view === 'events' && !source.subscribe) {
		return '--view events needs the NATS transport: give a nats:// address and a system-account login (monitoring HTTP has no events)';
	}
	return undefined;
}

export async function runPanelOneShot(config: Config, source: Source, io: OneShotIo, view: string): Promise<number> {
	const output = config.output!;
	const spec = viewSpec(view)!;
	const build = spec.build!;
	const needs: Need[] = [
		{id: 'varz', request: {kind: 'varz'}},
		...spec.needs({panel: EMPTY_PANEL}),
	];
	const lag = new LagTracker(config.lagWarnRefreshes ?? 3);
	const events = new EventBuffer();
	const write = async (text: string) => {
		if (output.file) await appendFile(output.file, text);
		else io.stdout(text);
	};
	let stopEvents: (() => void) | undefined;
	try {
		if (output.file) await writeFile(output.file, '');
		// Events: what arrives during each interval (subscribed from before the first answer).
		if (view === 'events' && source.subscribe) stopEvents = source.subscribe(EVENT_SUBJECTS, event => events.push(event));
		let previous = await fetchPanelSample(source, needs);
		const track = (sample: PanelSample) => {
			const streams = sample.get(NEED_JSZ_STREAMS)?.gathered;
			if (streams) trackLag(lag, streams.replies as Array<Reply<'jsz'>>, serverNames(sample));
		};
		track(previous);
		const refreshes = Math.max(1, config.refreshes ?? 1);
		for (let i = 0; i < refreshes; i++) {
			await io.sleep(i === 0 ? firstGapMs(config, view) : config.intervalMs);
			const current = await fetchPanelSample(source, needs);
			track(current);
			const text = await renderWithWidths(() => {
				const model: PanelModel = build({
					needs: needStatuses(needs, current, previous),
					panel: EMPTY_PANEL,
					width: io.width,
					raw: config.rawNumbers,
					mode: 'rates',
					now: io.now().getTime(),
					paused: false,
					transport: source.transport,
					serverNames: serverNames(current),
					lag,
					events: source.subscribe ? events : undefined,
					expanded: true,
				});
				// The view's own question failed everywhere: say why, as any other one-shot failure.
				const main = needs.find(n => n.id !== 'varz' && n.id !== 'healthz');
				const failed = main ? current.get(main.id)?.error : undefined;
				if (failed) throw failed;
				const input = {source: source.description, at: io.now(), view, model};
				return output.kind === 'json' ? panelSnapshotJson(input) : output.kind === 'delimited' ? panelSnapshotDelimited(input, output.delimiter) : panelSnapshotText(input);
			});
			await write(text);
			// Each events snapshot holds what arrived since the one before.
			events.clear();
			previous = current;
		}
		return 0;
	} catch (error) {
		io.stderr(`${failureLine(error)}\n`);
		return 1;
	} finally {
		stopEvents?.();
		await source.close();
	}
}

