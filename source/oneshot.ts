// --once, -o FILE, --json, --delimiter, -r N: fetch, print, exit. Rates need two samples: the
// first snapshot is printed after a second sample, SNAPSHOT_GAP_MS after the first unless -d was
// given (then one interval after), and every further snapshot (-r N) one interval after the last.
// Only what fetching needs is loaded up front; the views load while the answers are on their way.
import {writeFile, appendFile} from 'node:fs/promises';
import type {Config} from './config/types.js';
import {SourceError, type Connz, type Healthz, type Source, type Varz} from './sources/types.js';
import {planConnections, LOCAL_FETCH_ROWS} from './model/plan.js';
import {combinedVersion} from './model/capabilities.js';
import {sanitizeText} from './model/sanitize.js';

export type OneShotIo = {
	stdout: (text: string) => void;
	stderr: (text: string) => void;
	sleep: (ms: number) => Promise<void>;
	now: () => Date;
	/** Width of the text table; all columns fit at the default. */
	width: number;
};

/**
 * Without -d, the two samples of a one-shot's first snapshot are this far apart: rates are real
 * (deltas over the elapsed time by the servers' own clocks) but over a short window; -d SECONDS
 * gives a longer one. A whole default interval (1 s) was most of `natscope --once`'s wall time.
 */
export const SNAPSHOT_GAP_MS = 100;

/**
 * The wait before the second sample of the first snapshot: the interval when -d was given (or
 * when it is shorter), else SNAPSHOT_GAP_MS. Events are what arrives during the wait, so
 * `--view events` always waits a whole interval.
 */
export function firstGapMs(config: Pick<Config, 'intervalMs' | 'intervalGiven'>, view?: string): number {
	if (config.intervalGiven || view === 'events') return config.intervalMs;
	return Math.min(SNAPSHOT_GAP_MS, config.intervalMs);
}

/** Every server's /varz (summed at render time), /connz and the worst /healthz (not in the first). */
export type Sample = {servers: Varz[]; connz: Connz[]; healthz?: Healthz};

/**
 * One sample. The first (`known` undefined) is only a base for rates: /varz, then /connz as the
 * server's version plans it, no /healthz. A printed one asks /varz, /connz (planned by the
 * version `known` had) and /healthz at once.
 */
async function fetchSample(source: Source, config: Config, known?: Sample): Promise<Sample> {
	const connz = (servers: Varz[]) => source.request({kind: 'connz', query: planFor(config, combinedVersion(servers.map(v => v.version)), servers.length, source.transport !== 'http').query});
	const health = async (): Promise<Healthz | undefined> => {
		try {
			const replies = (await source.request({kind: 'healthz'})).replies;
			return replies.find(r => r.data.status !== 'ok')?.data ?? replies[0]?.data;
		} catch {
			return undefined; // health is a badge; its absence does not fail the snapshot
		}
	};
	const varzAsked = source.request({kind: 'varz'});
	const connzAsked = known ? connz(known.servers) : undefined;
	const healthAsked = known ? health() : undefined;
	// Settle all that was asked before throwing: no rejection may go unheard.
	connzAsked?.catch(() => {});
	const varzAnswer = await varzAsked;
	const servers = varzAnswer.replies.map(r => r.data);
	if (servers.length === 0) throw varzAnswer.failures[0]?.error ?? new SourceError('unknown', 'no server answered /varz');
	const connzAnswer = await (connzAsked ?? connz(servers));
	if (connzAnswer.replies.length === 0) throw connzAnswer.failures[0]?.error ?? new SourceError('unknown', 'no server answered /connz');
	return {servers, connz: connzAnswer.replies.map(r => r.data), healthz: await healthAsked};
}

export function planFor(config: Config, version: string, servers: number, serverFiltersSubject = false) {
	return planConnections({
		sort: config.sort,
		reverse: config.reverse,
		rows: config.rows ?? LOCAL_FETCH_ROWS,
		state: config.state,
		account: config.account,
		user: config.user,
		subject: config.subject,
		filter: '',
		showSubs: config.showSubs,
		scrollTop: 0,
		pageSize: config.rows ?? LOCAL_FETCH_ROWS,
		total: 0,
		version,
		serverFiltersSubject,
		servers,
	});
}

/** One clear line for a failure: message and hint, never a stack. */
export function failureLine(error: unknown): string {
	if (error instanceof SourceError) return `natscope: ${error.message}${error.hint ? ` (${error.hint})` : ''}`;
	const message = error instanceof Error ? error.message : String(error);
	return `natscope: ${sanitizeText(message, 400)}`;
}

/** Runs the one-shot modes; resolves to the exit code. */
export async function runOneShot(config: Config, source: Source, io: OneShotIo): Promise<number> {
	const output = config.output;
	if (!output) throw new Error('runOneShot needs an output mode');
	// The views' modules load while the first answers are on their way and during the gap.
	const views = import('./oneshot-views.js');
	views.catch(() => {}); // awaited where used; a run that fails first never needs it
	if (config.view && config.view !== 'connections') {
		const {isPanelView, oneShotViewProblem, runPanelOneShot} = await views;
		if (isPanelView(config.view)) {
			const problem = oneShotViewProblem(config.view, source);
			if (problem) {
				io.stderr(`natscope: ${problem}\n`);
				await source.close();
				return 2;
			}
			return runPanelOneShot(config, source, io, config.view);
		}
	}
	const refreshes = Math.max(1, config.refreshes ?? 1);
	try {
		if (output.file) await writeFile(output.file, '');
		// The first gap runs from when the first sample was asked for, so the two samples' server
		// clocks are about the gap apart however long the first answer took.
		const asked = io.now().getTime();
		let previous = await fetchSample(source, config);
		for (let i = 0; i < refreshes; i++) {
			await io.sleep(i === 0 ? Math.max(0, asked + firstGapMs(config) - io.now().getTime()) : config.intervalMs);
			const current = await fetchSample(source, config, previous);
			const {renderConnections, renderWithWidths} = await views;
			const text = await renderWithWidths(() => renderConnections(config, source, current, previous, io));
			if (output.file) await appendFile(output.file, text);
			else io.stdout(text);
			previous = current;
		}
		return 0;
	} catch (error) {
		io.stderr(`${failureLine(error)}\n`);
		return 1;
	} finally {
		await source.close();
	}
}
