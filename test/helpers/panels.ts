// Drive one table view the way the app does, without React: a real Poller asks the real source
// for what the view needs (plus /varz for server names), the lag tracker gets one refresh per
// new streams answer, and model() builds the view's PanelModel from the latest answers.
import {Poller, type PollerSnapshot} from '../../source/poll/poller.js';
import {LagTracker} from '../../source/model/lag.js';
import {EventBuffer} from '../../source/model/events.js';
import {NEED_JSZ_STREAMS, trackLag} from '../../source/model/jetstream.js';
import {EMPTY_PANEL, panelText, type PanelContext, type PanelModel, type PanelState} from '../../source/model/panel.js';
import {viewSpec} from '../../source/model/view-list.js';
import type {Reply, Source, SysEvent} from '../../source/sources/types.js';
import {waitFor} from './wait.js';

export type ViewWatch = {
	poller: Poller;
	lag: LagTracker;
	events: EventBuffer;
	/** Streams answers the lag tracker has seen. */
	readonly lagRefreshes: number;
	model(panel?: Partial<PanelState>, extra?: Partial<PanelContext>): PanelModel;
	text(panel?: Partial<PanelState>): string;
	/** Resolves after `count` new answers of `need` (default: the view's first need, else varz). */
	answers(count?: number, need?: string, timeoutMs?: number): Promise<void>;
	/** Poll model() until `check` holds. */
	until(check: (model: PanelModel) => boolean, what: string, timeoutMs?: number): Promise<PanelModel>;
	stop(): Promise<void>;
};

export function watchView(
	source: Source,
	viewId: string,
	options: {intervalMs?: number; lagRefreshes?: number; stream?: {account: string; name: string}; width?: number; subscribeEvents?: readonly string[]} = {},
): ViewWatch {
	const spec = viewSpec(viewId);
	if (!spec?.build) throw new Error(`${viewId} is not a table view`);
	const build = spec.build;
	const poller = new Poller(source, {intervalMs: options.intervalMs ?? 500});
	const needs = spec.needs({panel: EMPTY_PANEL, stream: options.stream});
	poller.setNeeds([{id: 'varz', request: {kind: 'varz'}}, ...(viewId === 'health' ? [{id: 'healthz', request: {kind: 'healthz' as const}}] : []), ...needs]);
	const lag = new LagTracker(options.lagRefreshes ?? 3);
	const events = new EventBuffer(options.subscribeEvents ? 1000 : undefined);
	let lagRefreshes = 0;
	const seen = new WeakSet<object>();
	const counts = new Map<string, number>();
	const lastCurrent = new Map<string, object>();
	const onChange = (snapshot: PollerSnapshot): void => {
		for (const [id, status] of snapshot.needs) {
			if (status.current && lastCurrent.get(id) !== status.current) {
				lastCurrent.set(id, status.current);
				counts.set(id, (counts.get(id) ?? 0) + 1);
			}
		}
		const streams = snapshot.needs.get(NEED_JSZ_STREAMS)?.current;
		if (streams && !seen.has(streams)) {
			seen.add(streams);
			lagRefreshes++;
			trackLag(lag, streams.replies as Array<Reply<'jsz'>>, names(snapshot));
		}
	};
	const names = (snapshot: PollerSnapshot) => new Map(((snapshot.needs.get('varz')?.current?.replies ?? []) as Array<Reply<'varz'>>).map(r => [r.data.server_id, r.data.server_name]));
	const unsubscribePoller = poller.subscribe(() => onChange(poller.getSnapshot()));
	const unsubscribeEvents = options.subscribeEvents && source.subscribe ? source.subscribe(options.subscribeEvents, (e: SysEvent) => events.push(e)) : undefined;
	poller.start();
	const firstNeed = needs[0]?.id ?? 'varz';
	const model = (panel: Partial<PanelState> = {}, extra: Partial<PanelContext> = {}): PanelModel => {
		const snapshot = poller.getSnapshot();
		return build({
			needs: snapshot.needs,
			panel: {...EMPTY_PANEL, ...panel},
			width: options.width ?? 160,
			raw: true,
			mode: 'rates',
			now: Date.now(),
			paused: false,
			transport: source.transport,
			serverNames: names(snapshot),
			lag,
			events: source.subscribe ? events : undefined,
			stream: options.stream,
			expanded: true,
			...extra,
		});
	};
	return {
		poller,
		lag,
		events,
		get lagRefreshes() {
			return lagRefreshes;
		},
		model,
		text: panel => panelText(model(panel)).join('\n'),
		async answers(count = 1, need = firstNeed, timeoutMs = 15_000) {
			const target = (counts.get(need) ?? 0) + count;
			await waitFor(() => (counts.get(need) ?? 0) >= target, {timeoutMs, intervalMs: 20, what: `${count} new answer(s) of ${need}`});
		},
		async until(check, what, timeoutMs = 15_000) {
			let last: PanelModel | undefined;
			try {
				await waitFor(
					() => {
						last = model();
						return check(last);
					},
					{timeoutMs, intervalMs: 50, what},
				);
			} catch (error) {
				throw new Error(`${(error as Error).message}\n--- last screen ---\n${last ? panelText(last).join('\n') : '(none)'}\nnotes: ${last?.notes.join(' | ')}\nalert: ${last?.alert?.text ?? 'none'}`);
			}
			return last!;
		},
		async stop() {
			unsubscribePoller();
			unsubscribeEvents?.();
			await poller.stop();
		},
	};
}
