// The server overview (the header): totals, true per-second rates, one-minute sparklines,
// health and staleness, as display strings.
import type {Healthz, Reply, Varz} from '../sources/types.js';
import {formatBytes, formatCount, formatDuration, formatPercent, formatRate, parseDuration} from './format.js';
import {varzRates} from './rates.js';
import {sparkline} from './sparkline.js';
import {combinedVersion} from './capabilities.js';

export type Tone = 'ok' | 'warn' | 'error' | 'info' | 'dim';

export type Badge = {text: string; tone: Tone};

export type TrafficLine = {msgs: string; msgsRate: string; bytes: string; bytesRate: string; spark: string};

export type OverviewModel = {
	serverName: string;
	shortId: string;
	version: string;
	address: string;
	cluster: string;
	uptime: string;
	cpu: string;
	mem: string;
	connections: string;
	totalConnections: string;
	subscriptions: string;
	slowConsumers: string;
	slowAlert: boolean;
	in: TrafficLine;
	out: TrafficLine;
	health: Badge;
};

export const SPARK_SECONDS = 60;

/** Per-second message rates between consecutive samples of the last minute (server clock). */
function msgRates(history: ReadonlyArray<Reply<'varz'>>, nowMs: number): {in: Array<number | undefined>; out: Array<number | undefined>} {
	const inRates: Array<number | undefined> = [];
	const outRates: Array<number | undefined> = [];
	for (let i = 1; i < history.length; i++) {
		const cur = history[i]!.data;
		if (nowMs - cur.now_ms > SPARK_SECONDS * 1000) continue;
		const rates = varzRates(history[i - 1]!.data, cur);
		inRates.push(rates?.inMsgs);
		outRates.push(rates?.outMsgs);
	}
	return {in: inRates, out: outRates};
}

/** Fit a minute of samples into `width` cells by averaging neighbours, so the line always spans a minute. */
export function downsample(values: ReadonlyArray<number | undefined>, width: number): Array<number | undefined> {
	if (width <= 0) return [];
	if (values.length <= width) return [...values];
	const out: Array<number | undefined> = [];
	const per = values.length / width;
	for (let cell = 0; cell < width; cell++) {
		let sum = 0;
		let count = 0;
		for (let i = Math.floor(cell * per); i < Math.floor((cell + 1) * per); i++) {
			const value = values[i];
			if (value !== undefined) {
				sum += value;
				count++;
			}
		}
		out.push(count > 0 ? sum / count : undefined);
	}
	return out;
}

export function healthBadge(healthz: Healthz | undefined, error: string | undefined): Badge {
	if (error) return {text: '? health unknown', tone: 'dim'};
	if (!healthz) return {text: '… health', tone: 'dim'};
	if (healthz.status === 'ok') return {text: '● healthy', tone: 'ok'};
	const detail = healthz.error ? `: ${healthz.error}` : '';
	return {text: `✖ ${healthz.status || 'unhealthy'}${detail}`, tone: 'error'};
}

export function buildOverview(args: {
	varz: Varz;
	previousVarz?: Varz;
	history: ReadonlyArray<Reply<'varz'>>;
	healthz?: Healthz;
	healthError?: string;
	raw: boolean;
	sparkWidth: number;
}): OverviewModel {
	const {varz, raw} = args;
	const rates = varzRates(args.previousVarz, varz);
	const spark = msgRates(args.history, varz.now_ms);
	const uptimeMs = parseDuration(varz.uptime);
	return {
		serverName: varz.server_name || varz.server_id,
		shortId: varz.server_id.includes(',') ? '' : varz.server_id.slice(0, 8),
		version: varz.version,
		address: varz.host ? `${varz.host}:${varz.port}` : '',
		cluster: varz.cluster,
		uptime: uptimeMs === undefined ? varz.uptime : formatDuration(uptimeMs),
		cpu: formatPercent(varz.cpu),
		mem: formatBytes(varz.mem, false),
		connections: formatCount(varz.connections, raw),
		totalConnections: formatCount(varz.total_connections, raw),
		subscriptions: formatCount(varz.subscriptions, raw),
		slowConsumers: formatCount(varz.slow_consumers, raw),
		slowAlert: varz.slow_consumers > 0,
		in: {
			msgs: formatCount(varz.in_msgs, raw),
			msgsRate: formatRate(rates?.inMsgs, 'msgs', raw),
			bytes: formatBytes(varz.in_bytes, raw),
			bytesRate: formatRate(rates?.inBytes, 'bytes', raw),
			spark: sparkline(downsample(spark.in, args.sparkWidth), args.sparkWidth),
		},
		out: {
			msgs: formatCount(varz.out_msgs, raw),
			msgsRate: formatRate(rates?.outMsgs, 'msgs', raw),
			bytes: formatBytes(varz.out_bytes, raw),
			bytesRate: formatRate(rates?.outBytes, 'bytes', raw),
			spark: sparkline(downsample(spark.out, args.sparkWidth), args.sparkWidth),
		},
		health: healthBadge(args.healthz, args.healthError),
	};
}

/**
 * Several servers as one header: counters summed (so rates are cluster-wide), CPU averaged,
 * the version shown once when all agree.
 */
export function aggregateVarz(list: readonly Varz[]): Varz {
	const first = list[0]!;
	if (list.length === 1) return first;
	const sum = (pick: (v: Varz) => number) => list.reduce((total, v) => total + pick(v), 0);
	const clusters = [...new Set(list.map(v => v.cluster).filter(Boolean))];
	const newest = list.reduce((a, b) => (b.now_ms > a.now_ms ? b : a));
	return {
		...first,
		server_id: list.map(v => v.server_id).sort().join(','),
		server_name: `${list.length} servers`,
		version: combinedVersion(list.map(v => v.version)),
		uptime: '',
		host: '',
		port: 0,
		cluster: clusters.join(', '),
		now: newest.now,
		now_ms: newest.now_ms,
		cpu: sum(v => v.cpu) / list.length,
		mem: sum(v => v.mem),
		connections: sum(v => v.connections),
		total_connections: sum(v => v.total_connections),
		subscriptions: sum(v => v.subscriptions),
		slow_consumers: sum(v => v.slow_consumers),
		in_msgs: sum(v => v.in_msgs),
		out_msgs: sum(v => v.out_msgs),
		in_bytes: sum(v => v.in_bytes),
		out_bytes: sum(v => v.out_bytes),
		routes: sum(v => v.routes),
		leafnodes: sum(v => v.leafnodes),
		jetstream: list.some(v => v.jetstream),
	};
}
