// --once, -o FILE, --json, --delimiter, -r N: fetch, print, exit. Rates need two samples, so the
// first snapshot is printed one interval after the first fetch.
import {appendFile, writeFile} from 'node:fs/promises';
import type {Config} from './config/types.js';
import {SourceError, type Connz, type Healthz, type Source, type Varz} from './sources/types.js';
import {planConnections, LOCAL_FETCH_ROWS} from './model/plan.js';
import {buildConnectionsModel} from './model/connections-view.js';
import {aggregateVarz, buildOverview} from './model/overview.js';
import {varzRates} from './model/rates.js';
import {listSummary} from './model/status.js';
import {snapshotDelimited, snapshotJson, snapshotText, type SnapshotInput} from './model/snapshot.js';
import {sanitizeText} from './model/sanitize.js';

export type OneShotIo = {
	stdout: (text: string) => void;
	stderr: (text: string) => void;
	sleep: (ms: number) => Promise<void>;
	now: () => Date;
	/** Width of the text table; all columns fit at the default. */
	width: number;
};

/** `varz` is the whole cluster summed when several servers answer; `servers` has each one. */
type Sample = {varz: Varz; servers: Varz[]; connz: Connz[]; healthz?: Healthz};

async function fetchSample(source: Source, config: Config): Promise<Sample> {
	const varzAnswer = await source.request({kind: 'varz'});
	const servers = varzAnswer.replies.map(r => r.data);
	if (servers.length === 0) throw varzAnswer.failures[0]?.error ?? new SourceError('unknown', 'no server answered /varz');
	const varz = aggregateVarz(servers);
	const plan = planFor(config, varz.version, servers.length, source.transport !== 'http');
	const connzAnswer = await source.request({kind: 'connz', query: plan.query});
	if (connzAnswer.replies.length === 0) throw connzAnswer.failures[0]?.error ?? new SourceError('unknown', 'no server answered /connz');
	let healthz: Healthz | undefined;
	try {
		const replies = (await source.request({kind: 'healthz'})).replies;
		healthz = replies.find(r => r.data.status !== 'ok')?.data ?? replies[0]?.data;
	} catch {
		healthz = undefined; // health is a badge; its absence does not fail the snapshot
	}
	return {varz, servers, connz: connzAnswer.replies.map(r => r.data), healthz};
}

function planFor(config: Config, version: string, servers: number, serverFiltersSubject = false) {
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

function render(config: Config, source: Source, current: Sample, previous: Sample | undefined, io: OneShotIo): string {
	const plan = planFor(config, current.varz.version, current.servers.length, source.transport !== 'http');
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
		varz: current.varz,
		previousVarz: previous?.varz,
		history: [],
		healthz: current.healthz,
		raw: config.rawNumbers,
		sparkWidth: 0,
	});
	const input: SnapshotInput = {
		source: source.description,
		at: io.now(),
		varz: current.varz,
		rates: varzRates(previous?.varz, current.varz),
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
	const refreshes = Math.max(1, config.refreshes ?? 1);
	try {
		if (output.file) await writeFile(output.file, '');
		let previous = await fetchSample(source, config);
		for (let i = 0; i < refreshes; i++) {
			await io.sleep(config.intervalMs);
			const current = await fetchSample(source, config);
			const text = render(config, source, current, previous, io);
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
