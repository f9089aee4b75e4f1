// Decoder fuzzing: real answers of every monitoring endpoint, captured from a real JetStream
// cluster under light load, mutated by a seeded generator (wrong types, missing fields, huge and
// negative numbers, "NaN" strings, deep nesting, hostile strings, huge arrays, truncated and
// garbled text, other top-level values) and pushed through the source boundary (parseJson +
// decodeAnswer) and every model that draws them. Each run either fails with a SourceError that
// carries a clear, printable message, or gives models whose lines are harmless text: no throw
// past the boundary, no "NaN"/"undefined"/"[object Object]", no control characters.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import stringWidth from 'string-width';
import {AckPolicy, connect, type NatsConnection} from 'nats';
import {startCluster, stopAll, type NatsServer} from '../helpers/server.js';
import {parseJson} from '../../source/sources/decode.js';
import {decodeAnswer} from '../../source/sources/http.js';
import {SourceError, type Connz, type Kind, type Reply, type Varz} from '../../source/sources/types.js';
import {aggregateVarz, buildOverview} from '../../source/model/overview.js';
import {buildConnectionsModel} from '../../source/model/connections-view.js';
import {planConnections} from '../../source/model/plan.js';
import {buildDetailModel} from '../../source/model/detail.js';
import {buildServersModel, ServerRoster} from '../../source/model/servers.js';
import {snapshotDelimited, snapshotJson, snapshotText} from '../../source/model/snapshot.js';
import {varzRates} from '../../source/model/rates.js';
import {VIEW_LIST} from '../../source/model/view-list.js';
import {EMPTY_PANEL, type PanelContext} from '../../source/model/panel.js';
import {LagTracker} from '../../source/model/lag.js';
import type {NeedStatus} from '../../source/poll/poller.js';
import {loadWideWidths} from '../../source/model/format.js';

// The models are built as the TUI builds them, string-width loaded (a one-shot loads it when its text needs it).
await loadWideWidths();

const ITERATIONS = Number(process.env['NATSCOPE_FUZZ_ITERATIONS'] ?? 2000);
const SEED = Number(process.env['NATSCOPE_FUZZ_SEED'] ?? 0x5eed);
const WIDTH = 120;

type Capture = {kind: Kind; path: string; text: string; status: number};

let nodes: NatsServer[] = [];
let clients: NatsConnection[] = [];
const captures: Capture[] = [];

before(async () => {
	nodes = await startCluster(3, {jetstream: true, name: 'fuzz'});
	for (const node of nodes) clients.push(await connect({port: node.port, name: `fuzz-client-${node.port}`}));
	const [first, second] = clients as [NatsConnection, NatsConnection];
	const jsm = await first.jetstreamManager();
	await jsm.streams.add({name: 'FUZZ', subjects: ['fuzz.>'], num_replicas: 3});
	await jsm.consumers.add('FUZZ', {durable_name: 'worker', ack_policy: AckPolicy.Explicit});
	await jsm.streams.add({name: 'FUZZ_MIRROR', mirror: {name: 'FUZZ'}});
	const js = first.jetstream();
	for (let i = 0; i < 20; i++) await js.publish(`fuzz.${i % 4}`, new TextEncoder().encode(`m${i}`));
	second.subscribe('work.>', {queue: 'q'});
	second.subscribe('plain');
	await second.flush();
	const base = nodes[0]!.monitorUrl;
	const get = async (kind: Kind, path: string): Promise<void> => {
		const response = await fetch(`${base}${path}`);
		captures.push({kind, path, text: await response.text(), status: response.status});
	};
	await get('varz', '/varz');
	await get('connz', '/connz?subs=detail&auth=true');
	await get('connz', '/connz?state=all&subs=1');
	await get('jsz', '/jsz?accounts=true&streams=true&consumers=true&config=true');
	await get('jsz', '/jsz');
	await get('routez', '/routez?subs=1');
	await get('healthz', '/healthz');
	await get('healthz', '/healthz?js-enabled-only=true');
	await get('gatewayz', '/gatewayz');
	await get('leafz', '/leafz?subs=1');
});

after(async () => {
	for (const client of clients) await client.close().catch(() => undefined);
	clients = [];
	await stopAll();
});

// --- the seeded generator -----------------------------------------------------------------------

function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

type Rng = () => number;
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;

const HOSTILE = [
	'\u001b]0;pwned\u0007\u001b[2J',
	'\u009b31m\u0085\u202e\u2066rev',
	'\u200b\ufeff\u00ad',
	'界'.repeat(300),
	'x'.repeat(70_000),
	'\ud800lone',
	'',
	'NaN',
	'Infinity',
	'-1',
	'1e400',
	'0001-01-01T00:00:00Z',
	'9999-99-99T99:99:99.999999999Z',
];

function deep(depth: number, leaf: unknown, asArray: boolean): unknown {
	let value = leaf;
	for (let i = 0; i < depth; i++) value = asArray ? [value] : {x: value};
	return value;
}

/** A replacement for any value: another type, an extreme number, a hostile string, a huge or deep shape. */
function wrongValue(rng: Rng, original: unknown): unknown {
	switch (Math.floor(rng() * 14)) {
		case 0:
			return null;
		case 1:
			// Doubles no nats-server sends (1e308: decode clamps to ±2^53 so rates stay finite), the
			// largest a Go uint64/int64 field can carry, negatives and fractions.
			return pick(rng, [1e308, -1e308, 2 ** 64, -(2 ** 63), Number.MAX_SAFE_INTEGER * 1024, -1, -0.5, 0, 1e-300]);
		case 2:
			return pick(rng, HOSTILE);
		case 3:
			return rng() < 0.5;
		case 4:
			return [];
		case 5:
			return {};
		case 6:
			return deep(1 + Math.floor(rng() * 2000), original, rng() < 0.5);
		case 7:
			return Array.from({length: typeof original === 'object' || typeof original === 'string' ? 20 : 5000}, () => original);
		case 8:
			return [original, original, 'x', 3, null];
		case 9:
			return typeof original === 'number' ? String(original) : typeof original === 'string' ? Number(original.length) : pick(rng, HOSTILE);
		case 10:
			return {...(typeof original === 'object' && original !== null && !Array.isArray(original) ? original : {}), extra: pick(rng, HOSTILE)};
		case 11:
			return typeof original === 'number' ? original * pick(rng, [-1, 1e6, 1e300, 0.5]) : original;
		case 12:
			return Array.isArray(original) ? original.slice(0, Math.floor(rng() * original.length)) : original;
		default:
			return Array.isArray(original) ? [...original, ...original] : original;
	}
}

/** Every (container, key) in the tree, so a mutation can land anywhere, nested ones included. */
function slots(value: unknown, out: Array<{holder: Record<string, unknown> | unknown[]; key: string | number}> = [], depth = 0): typeof out {
	if (depth > 12 || typeof value !== 'object' || value === null) return out;
	if (Array.isArray(value)) {
		value.slice(0, 20).forEach((item, index) => {
			out.push({holder: value, key: index});
			slots(item, out, depth + 1);
		});
	} else {
		for (const [key, item] of Object.entries(value)) {
			out.push({holder: value as Record<string, unknown>, key});
			slots(item, out, depth + 1);
		}
	}
	return out;
}

/** One mutated body (text) from a real one. */
function mutate(rng: Rng, text: string): string {
	const roll = rng();
	if (roll < 0.08) return text.slice(0, Math.floor(rng() * text.length)); // truncated
	if (roll < 0.12) {
		const at = Math.floor(rng() * text.length);
		return text.slice(0, at) + pick(rng, ['}', ']', '"', ',', '\u0000', 'NaN', '\\u00', '\\ud800', '{{']) + text.slice(at + 1);
	}
	if (roll < 0.15) return pick(rng, ['', 'null', '[]', '"varz"', '42', 'true', '[{}]', '<html>502</html>', '{"now": {}}', '{}']);
	const json = JSON.parse(text) as unknown;
	const count = 1 + Math.floor(rng() * 6);
	for (let i = 0; i < count; i++) {
		const all = slots(json);
		if (all.length === 0) break;
		const {holder, key} = pick(rng, all);
		const current = (holder as Record<string | number, unknown>)[key];
		if (!Array.isArray(holder) && rng() < 0.2) delete (holder as Record<string, unknown>)[key as string];
		else (holder as Record<string | number, unknown>)[key] = wrongValue(rng, current);
	}
	const mutated = JSON.stringify(json);
	// Bodies stay under the source's own size limit's order of magnitude (a 50 MB body is an HTTP fault test).
	return mutated.length > 4_000_000 ? mutated.slice(0, 4_000_000) : mutated;
}

// --- what must hold for every output --------------------------------------------------------------

const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/u;
const INSANE = /\bNaN\b|undefined|\[object Object\]|Infinity/;

/** `body`: the answer the text was drawn from; words it holds itself are the server's, not ours. */
function assertHarmless(text: string, what: string, body = ''): void {
	const bad = CONTROL.exec(text);
	assert.equal(bad, null, `${what}: control character U+${bad?.[0].codePointAt(0)?.toString(16)} in ${JSON.stringify(text.slice(Math.max(0, (bad?.index ?? 0) - 40), (bad?.index ?? 0) + 40))}`);
	const insane = [...text.matchAll(new RegExp(INSANE, 'g'))].find(m => !body.includes(m[0])) ?? null;
	assert.equal(insane, null, `${what}: "${insane?.[0]}" in ${JSON.stringify(text.slice(Math.max(0, (insane?.index ?? 0) - 60), (insane?.index ?? 0) + 60))}`);
}

function assertFitsWidth(line: string, what: string): void {
	assert.ok(stringWidth(line) <= WIDTH, `${what}: a table line ${stringWidth(line)} cells wide (> ${WIDTH}): ${JSON.stringify(line.slice(0, 200))}`);
}

function reply<K extends Kind>(kind: K, data: unknown, id = 'NFUZZ'): Reply<K> {
	return {kind, server: {id, name: 'fuzz-1', address: '127.0.0.1:1'}, data: data as Reply<K>['data'], receivedAt: 1_700_000_000_000, rttMs: 1} as Reply<K>;
}

function decodeReal(kind: Kind): unknown {
	const capture = captures.find(c => c.kind === kind)!;
	return decodeAnswer(kind, JSON.parse(capture.text), capture.status);
}

/** Every model that can draw an answer of this kind, fed with it; returns the text they made. */
function drawAll(kind: Kind, data: unknown): string[] {
	const texts: string[] = [];
	const realVarz = decodeReal('varz') as Varz;
	const varz = kind === 'varz' ? (data as Varz) : realVarz;
	const connz = kind === 'connz' ? (data as Connz) : (decodeReal('connz') as Connz);
	const previousConnz = decodeReal('connz') as Connz;

	const overview = buildOverview({varz, previousVarz: realVarz, history: [reply('varz', realVarz), reply('varz', varz)], raw: false, sparkWidth: 30});
	texts.push(JSON.stringify(overview));
	const aggregate = aggregateVarz([varz, realVarz]);
	texts.push(aggregate.server_name, aggregate.version);

	const roster = new ServerRoster();
	roster.update([reply('varz', realVarz)], 1000);
	roster.update([reply('varz', varz)], 2000);
	const servers = buildServersModel({entries: roster.list(), health: new Map(), sort: 'name', reverse: false, selected: 0, scrollTop: 0, pageSize: 20, width: WIDTH, raw: false, now: 3000} as Parameters<typeof buildServersModel>[0]);
	texts.push(JSON.stringify(servers));

	const plan = planConnections({
		sort: 'cid',
		reverse: false,
		rows: 1024,
		state: 'open',
		filter: '',
		showSubs: true,
		scrollTop: 0,
		pageSize: 1024,
		total: 0,
		version: varz.version,
		serverFiltersSubject: false,
		servers: 1,
	} as Parameters<typeof planConnections>[0]);
	const model = buildConnectionsModel({
		answer: {connz: [connz], previous: [previousConnz], serverNames: new Map([[connz.server_id, varz.server_name]]), maxPending: new Map([[connz.server_id, varz.max_pending]])},
		plan,
		sort: 'cid',
		reverse: false,
		state: 'open',
		filter: '',
		scrollTop: 0,
		pageSize: 50,
		selected: 0,
		width: WIDTH,
		mode: 'rates',
		showSubs: true,
		raw: false,
	} as Parameters<typeof buildConnectionsModel>[0]);
	texts.push(model.headerLine, ...model.lines, model.showing);
	for (const line of [model.headerLine, ...model.lines]) assertFitsWidth(line, 'connections view');
	for (const conn of connz.connections.slice(0, 3)) {
		const detail = buildDetailModel({conn, serverName: varz.server_name, rttHistory: [1, undefined, 3], maxPending: varz.max_pending, raw: false, sparkWidth: 20});
		texts.push(JSON.stringify(detail));
	}
	const input = {
		source: 'fuzz',
		at: new Date(0),
		varz,
		rates: varzRates(realVarz, varz),
		overview,
		connz: [connz],
		model,
		sort: 'cid',
		reverse: false,
		state: 'open',
		summary: model.showing,
	};
	texts.push(snapshotText(input));
	const json = snapshotJson(input);
	JSON.parse(json);
	texts.push(json, snapshotDelimited(input, ','));

	// Every table view, each need answered by the fuzzed reply when it is of this kind.
	for (const spec of VIEW_LIST) {
		if (!('build' in spec) || !spec.build) continue;
		const needs = new Map<string, NeedStatus>();
		for (const need of spec.needs({panel: EMPTY_PANEL, stream: {account: '$G', name: 'FUZZ'}})) {
			const current = need.request.kind === kind ? data : decodeReal(need.request.kind);
			const previous = decodeReal(need.request.kind);
			needs.set(need.id, {id: need.id, request: need.request, current: {replies: [reply(need.request.kind, current)], failures: []}, previous: {replies: [reply(need.request.kind, previous)], failures: []}, okAt: 2000} as unknown as NeedStatus);
		}
		const ctx: PanelContext = {
			needs,
			panel: EMPTY_PANEL,
			width: WIDTH,
			raw: false,
			mode: 'rates',
			now: 3000,
			paused: false,
			transport: 'http',
			serverNames: new Map([[varz.server_id, varz.server_name]]),
			lag: new LagTracker(),
			stream: {account: '$G', name: 'FUZZ'},
			expanded: true,
		};
		const panel = spec.build(ctx);
		// Panel lines may run long (detail lines under a row): the screen's Line cuts each to the width.
		for (const section of panel.sections) assertFitsWidth(section.header ?? '', `${spec.id} view header`);
		texts.push(panel.summary, ...panel.notes, ...panel.sections.flatMap(s => [s.title ?? '', s.header ?? '', s.empty ?? '', ...s.lines.map(l => l.text)]));
		texts.push(JSON.stringify(panel.json), JSON.stringify(panel.records));
	}
	return texts;
}

test('the captured answers decode and draw cleanly (the baseline the fuzzing mutates)', () => {
	assert.deepEqual([...new Set(captures.map(c => c.kind))].sort(), ['connz', 'gatewayz', 'healthz', 'jsz', 'leafz', 'routez', 'varz']);
	for (const capture of captures) {
		const data = decodeAnswer(capture.kind, parseJson(capture.text), capture.status);
		for (const text of drawAll(capture.kind, data)) assertHarmless(text, `${capture.path} unmutated`);
	}
	const jsz = decodeReal('jsz');
	assert.ok(JSON.stringify(jsz).includes('FUZZ'), 'the JetStream answer holds the stream');
});

test(`${ITERATIONS} mutated answers: a SourceError with a clear message, or harmless models`, () => {
	const rng = mulberry32(SEED);
	const outcomes = {decoded: 0, refused: 0};
	const survey = new Map<string, string>();
	const started = Date.now();
	for (let i = 0; i < ITERATIONS; i++) {
		const capture = captures[i % captures.length]!;
		const text = mutate(rng, capture.text);
		const what = `iteration ${i} (seed ${SEED}, ${capture.path})`;
		let data: unknown;
		try {
			data = decodeAnswer(capture.kind, parseJson(text, capture.path), capture.status);
		} catch (error) {
			assert.ok(error instanceof SourceError, `${what}: only a SourceError leaves the boundary, got ${String(error)}`);
			assert.ok(error.message.length > 0 && error.message.length < 300, `${what}: a short message`);
			assertHarmless(error.message, `${what} error message`, text);
			outcomes.refused++;
			continue;
		}
		let texts: string[];
		try {
			texts = drawAll(capture.kind, data);
		} catch (error) {
			assert.fail(`${what}: a model threw ${(error as Error).stack}\nbody: ${text.slice(0, 400)}`);
		}
		if (process.env['NATSCOPE_FUZZ_SURVEY']) {
			for (const t of texts) {
				try {
					assertHarmless(t, what, text);
				} catch (error) {
					const m = /: (.*?) in /.exec((error as Error).message.split('\n')[0]!);
					const key = `${capture.kind} ${m?.[1]}`;
					if (!survey.has(key)) survey.set(key, (error as Error).message.split('\n')[0]!.slice(0, 400));
				}
			}
		} else for (const t of texts) assertHarmless(t, what, text);
		outcomes.decoded++;
	}
	for (const [key, example] of survey) console.log(`SURVEY ${key}\n   ${example}`);
	// Both paths exercised: most mutations still decode (tolerant), the broken texts are refused.
	assert.ok(outcomes.decoded > ITERATIONS * 0.5, `decoded ${outcomes.decoded}`);
	assert.ok(outcomes.refused > ITERATIONS * 0.05, `refused ${outcomes.refused}`);
	console.log(`fuzz: ${ITERATIONS} iterations, seed ${SEED}: ${outcomes.decoded} decoded and drawn, ${outcomes.refused} refused, ${Date.now() - started} ms`);
});
