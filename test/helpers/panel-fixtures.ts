// Poller-shaped answers for unit tests of the panel models: raw JSON as a server sends it goes
// through the real decoders (so sanitizing is part of what is tested), then into NeedStatus.
import type {NeedStatus} from '../../source/poll/poller.js';
import {decodeGatewayz, decodeHealthz, decodeJsz, decodeLeafz, decodeRoutez} from '../../source/sources/decode.js';
import {SourceError, type Gathered, type Kind, type Reply, type ServerFailure} from '../../source/sources/types.js';
import {LagTracker} from '../../source/model/lag.js';
import {EMPTY_PANEL, type PanelContext} from '../../source/model/panel.js';

const DECODERS = {
	jsz: (j: unknown) => decodeJsz(j),
	routez: (j: unknown) => decodeRoutez(j),
	gatewayz: (j: unknown) => decodeGatewayz(j),
	leafz: (j: unknown) => decodeLeafz(j),
	healthz: (j: unknown) => decodeHealthz(j, (j as {status?: string}).status === 'ok' ? 200 : 503),
} as const;

export function reply<K extends keyof typeof DECODERS>(kind: K, server: {id: string; name: string}, json: Record<string, unknown>): Reply<K> {
	return {kind, server: {...server, address: `http://${server.name}:8222`}, data: DECODERS[kind](json) as Reply<K>['data'], receivedAt: 0, rttMs: 1};
}

export function status(id: string, kind: Kind, current?: Reply[], previous?: Reply[], partialFailures: ServerFailure[] = [], error?: SourceError): NeedStatus {
	return {
		id,
		request: {kind} as NeedStatus['request'],
		current: current ? ({replies: current, failures: partialFailures} as Gathered) : undefined,
		previous: previous ? ({replies: previous, failures: []} as Gathered) : undefined,
		partialFailures,
		consecutiveErrors: error ? 1 : 0,
		error,
		inFlight: false,
		completions: current ? 1 : 0,
	};
}

export function context(needs: NeedStatus[], overrides: Partial<PanelContext> = {}): PanelContext {
	return {
		needs: new Map(needs.map(n => [n.id, n])),
		panel: {...EMPTY_PANEL, ...(overrides.panel ?? {})},
		width: 160,
		raw: true,
		mode: 'rates',
		now: 0,
		paused: false,
		transport: 'http',
		serverNames: new Map(),
		lag: new LagTracker(3),
		expanded: false,
		...overrides,
		panel: {...EMPTY_PANEL, ...(overrides.panel ?? {})},
	};
}

export function failure(name: string, message: string): ServerFailure {
	return {address: `http://${name}:8222`, server: {id: `ID_${name}`, name, address: `http://${name}:8222`}, error: new SourceError('timeout', message, 'is it running?')};
}

export const S1 = {id: 'NS1', name: 'n1'};
export const S2 = {id: 'NS2', name: 'n2'};
export const S3 = {id: 'NS3', name: 'n3'};

type Peer = {name: string; current?: boolean; offline?: boolean; active?: number; lag?: number};

/** A stream_detail entry as /jsz sends it. */
export function stream(name: string, o: {leader?: string; replicas?: Peer[]; messages?: number; last_seq?: number; first_seq?: number; bytes?: number; consumers?: number; r?: number; mirror?: Record<string, unknown>; sources?: Array<Record<string, unknown>>; consumer_detail?: Array<Record<string, unknown>>; storage?: string} = {}): Record<string, unknown> {
	return {
		name,
		created: '2026-01-01T00:00:00Z',
		cluster: o.leader === undefined ? {name: 'c'} : {name: 'c', leader: o.leader, replicas: o.replicas ?? []},
		config: {name, subjects: [`${name.toLowerCase()}.>`], storage: o.storage ?? 'file', num_replicas: o.r ?? (o.replicas ? o.replicas.length + 1 : 1)},
		state: {messages: o.messages ?? 0, bytes: o.bytes ?? 0, first_seq: o.first_seq ?? 1, last_seq: o.last_seq ?? o.messages ?? 0, consumer_count: o.consumers ?? 0},
		...(o.mirror ? {mirror: o.mirror} : {}),
		...(o.sources ? {sources: o.sources} : {}),
		...(o.consumer_detail ? {consumer_detail: o.consumer_detail} : {}),
	};
}

/** A /jsz reply with one account of streams. */
export function jsz(now: string, streams: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}, account = 'APP'): Record<string, unknown> {
	return {server_id: 'X', now, config: {max_memory: 1000, max_storage: 2000}, accounts: 1, streams: streams.length, account_details: [{name: account, id: account, stream_detail: streams}], ...extra};
}
