// The JetStream models without a server: the lag tracker over refreshes, the leader's view,
// the streams, mirrors/sources, consumers and per-server JetStream tables.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {LagTracker, lagSparkline, replicaKey, originKey, trendOf, type LagObservation} from '../../source/model/lag.js';
import {buildConsumersModel, buildJetStreamModel, buildStreamsModel, leaderViews, nsText, trackLag} from '../../source/model/jetstream.js';
import {panelText} from '../../source/model/panel.js';
import {loadWideWidths} from '../../source/model/format.js';
import {context, jsz, reply, S1, S2, S3, status, stream} from '../helpers/panel-fixtures.js';

// Text beyond ASCII and natscope's own glyphs is measured by string-width, loaded on demand.
await loadWideWidths();

const KEY = replicaKey('APP', 'ORDERS', 'n2');
const obs = (o: Partial<LagObservation>): Map<string, LagObservation> => new Map([[KEY, {current: true, lag: 0, offline: false, ...o}]]);

test('lag tracker: behind for N refreshes in a row is a warning, offline is critical at once, current clears', () => {
	const lag = new LagTracker(3);
	lag.update(obs({current: false, lag: 5}));
	assert.equal(lag.get(KEY)!.level, 'behind');
	assert.equal(lag.summary().text, '', 'not flagged yet');
	assert.equal(lag.summary().behind, 1);
	lag.update(obs({current: false, lag: 9}));
	assert.equal(lag.get(KEY)!.level, 'behind');
	lag.update(obs({current: false, lag: 14}));
	assert.deepEqual([lag.get(KEY)!.level, lag.get(KEY)!.behindFor], ['warning', 3]);
	assert.equal(lag.summary().text, '1 replica lagging');
	assert.equal(lag.summary().tone, 'warn');
	// Current but still lag > 0 counts as behind too.
	lag.update(obs({current: true, lag: 2}));
	assert.equal(lag.get(KEY)!.level, 'warning');
	lag.update(obs({current: true, lag: 0}));
	assert.deepEqual([lag.get(KEY)!.level, lag.get(KEY)!.behindFor], ['ok', 0]);
	assert.equal(lag.summary().text, '');
	lag.update(obs({offline: true, current: false}));
	assert.equal(lag.get(KEY)!.level, 'critical');
	assert.equal(lag.summary().text, '1 replica offline');
	assert.equal(lag.summary().tone, 'error');
	assert.equal(lag.count, 6);
});

test('lag tracker: --lag-refreshes 1 flags at once; the history is bounded; a gone stream is forgotten unless kept', () => {
	const lag = new LagTracker(1, 4);
	lag.update(obs({current: false, lag: 1}));
	assert.equal(lag.get(KEY)!.level, 'warning');
	for (let i = 2; i <= 10; i++) lag.update(obs({current: false, lag: i}));
	assert.deepEqual(lag.get(KEY)!.history, [7, 8, 9, 10]);
	assert.equal(lagSparkline(lag.get(KEY), 4).length, 4);
	lag.update(new Map(), key => key === KEY);
	assert.ok(lag.get(KEY), 'kept while its leader does not answer');
	lag.update(new Map());
	assert.equal(lag.get(KEY), undefined, 'forgotten when the stream is gone');
});

test('lag tracker: trend ↑ ↓ → against the previous refresh; summary counts replicas and origins apart', () => {
	assert.equal(trendOf([1]), 'steady');
	assert.equal(trendOf([1, 4]), 'growing');
	assert.equal(trendOf([4, 1]), 'shrinking');
	assert.equal(trendOf([4, 4]), 'steady');
	const lag = new LagTracker(1);
	const many = new Map<string, LagObservation>([
		[replicaKey('A', 'S', 'x'), {current: false, lag: 3, offline: false}],
		[replicaKey('A', 'S', 'y'), {current: false, lag: 3, offline: false}],
		[replicaKey('A', 'T', 'x'), {current: false, lag: 0, offline: true}],
		[originKey('A', 'M', 'mirror', 'S'), {current: false, lag: 7, offline: false}],
		[originKey('A', 'N', 'source', 'S'), {current: true, lag: 0, offline: false, error: 'consumer gone'}],
	]);
	lag.update(many);
	assert.equal(lag.summary().text, '2 replicas lagging, 1 offline, 1 mirror/source lagging, 1 mirror/source failing');
});

// n1 leads ORDERS (R3); n2 and n3 are followers and carry their own stale view of the group.
function ordersReplies(n2: {current: boolean; lag: number; offline?: boolean}, now = '2026-01-01T00:00:01Z', messages = 100) {
	return [
		reply('jsz', S1, jsz(now, [stream('ORDERS', {leader: 'n1', messages, replicas: [{name: 'n2', current: n2.current, lag: n2.lag, offline: n2.offline, active: 2_500_000_000}, {name: 'n3', current: true, active: 1_000_000}]})])),
		reply('jsz', S2, jsz(now, [stream('ORDERS', {leader: 'n1', messages: messages - n2.lag, replicas: [{name: 'n1', current: true}, {name: 'n3', current: false, lag: 999}]})])),
		reply('jsz', S3, jsz(now, [stream('ORDERS', {leader: 'n1', messages, replicas: [{name: 'n1', current: true}, {name: 'n2', current: false, lag: 999}]})])),
	];
}

test('leader view: replica state is taken from the reply of the server that leads the stream', () => {
	const views = leaderViews(ordersReplies({current: false, lag: 12}), r => r.server.name);
	assert.equal(views.length, 1);
	const v = views[0]!;
	assert.deepEqual([v.name, v.account, v.leader, v.fromLeader, v.server, v.replicaCount], ['ORDERS', 'APP', 'n1', true, 'n1', 3]);
	assert.deepEqual(v.replicas.map(p => [p.name, p.current, p.lag]), [['n2', false, 12], ['n3', true, 0]]);
	assert.deepEqual(v.hosts, ['n1', 'n2', 'n3']);
	// Without the leader's reply: the most advanced follower's figures, no replica state.
	const blind = leaderViews(ordersReplies({current: false, lag: 12}).slice(1), r => r.server.name)[0]!;
	assert.deepEqual([blind.leader, blind.fromLeader, blind.server, blind.replicas.length], ['n1', false, 'n3', 0]);
	// A single-server stream without cluster info is its own leader.
	const single = leaderViews([reply('jsz', S1, jsz('2026-01-01T00:00:00Z', [stream('LOCAL', {messages: 3})]))], r => r.server.name)[0]!;
	assert.deepEqual([single.fromLeader, single.replicaCount, single.leader], [true, 1, 'n1']);
});

test('streams view: flagged replica with trend and sparkline, the header alert, JSON a script can read', () => {
	const lag = new LagTracker(3);
	const steps = [4, 9, 15];
	let ctx = context([]);
	steps.forEach((n, i) => {
		const replies = ordersReplies({current: false, lag: n}, `2026-01-01T00:00:0${i + 1}Z`);
		trackLag(lag, replies);
		ctx = context([status('jsz-streams', 'jsz', replies)], {lag, width: 140});
	});
	const model = buildStreamsModel(ctx);
	const text = panelText(model).join('\n');
	assert.match(text, /ORDERS\s+APP\s+file\s+3\s+100\s.*⚠15↑\s+n1\* n2! n3/);
	assert.match(text, /└ n2\s+not current\s+active\s+2\.5s\s+lag\s+15 ↑\s+▃▅█\s+⚠ behind 3 refreshes/);
	assert.match(text, /└ n3\s+current/);
	assert.deepEqual(model.alert, {text: '⚠ 1 replica lagging', tone: 'warn'});
	const json = model.json['streams'] as Array<Record<string, unknown>>;
	assert.equal(json[0]!['worst_lag'], 15);
	assert.equal(json[0]!['level'], 'warning');
	assert.deepEqual(json[0]!['replica_state'], [
		{name: 'n2', current: false, offline: false, active_ns: 2_500_000_000, lag: 15, level: 'warning', behind_refreshes: 3, trend: 'growing'},
		{name: 'n3', current: true, offline: false, active_ns: 1_000_000, lag: 0, level: 'ok', behind_refreshes: 0, trend: 'steady'},
	]);
	assert.deepEqual(model.selection, {account: 'APP', stream: 'ORDERS'});
	// Every line, the flagged replica's included, fits the terminal (the sparkline gives way).
	for (const width of [80, 100, 120]) {
		const narrow = panelText(buildStreamsModel({...ctx, width}));
		for (const l of narrow) assert.ok(l.length <= width, `${width}: ${l}`);
		assert.ok(narrow.some(l => (width < 90 ? /└ n2 .*⚠ 3 refreshes$/ : /└ n2 .*⚠ behind 3 refreshes$/).test(l)), `${width}: the flag is whole`);
	}
	// Catching up: the lag shrinks (↓), then the flag clears.
	trackLag(lag, ordersReplies({current: false, lag: 3}));
	assert.match(panelText(buildStreamsModel(context([status('jsz-streams', 'jsz', ordersReplies({current: false, lag: 3}))], {lag}))).join('\n'), /⚠3↓/);
	trackLag(lag, ordersReplies({current: true, lag: 0}));
	const clear = buildStreamsModel(context([status('jsz-streams', 'jsz', ordersReplies({current: true, lag: 0}))], {lag}));
	assert.equal(clear.alert, undefined);
	assert.doesNotMatch(panelText(clear).join('\n'), /└/, 'replicas hidden when all are current (unless expanded)');
	assert.match(panelText(buildStreamsModel(context([status('jsz-streams', 'jsz', ordersReplies({current: true, lag: 0}))], {lag, expanded: true}))).join('\n'), /└ n2\s+current/);
	// Offline: critical at once.
	trackLag(lag, ordersReplies({current: false, lag: 0, offline: true}));
	const off = buildStreamsModel(context([status('jsz-streams', 'jsz', ordersReplies({current: false, lag: 0, offline: true}))], {lag}));
	assert.deepEqual(off.alert, {text: '⚠ 1 replica offline', tone: 'error'});
	assert.match(panelText(off).join('\n'), /n2✖.*\n.*└ n2\s+OFFLINE.*✖ offline/);
});

test('streams view: without the leader reply it says so instead of guessing', () => {
	const ctx = context([status('jsz-streams', 'jsz', ordersReplies({current: false, lag: 12}).slice(1))]);
	const model = buildStreamsModel(ctx);
	assert.match(panelText(model).join('\n'), /ORDERS.*\?\s+n1\* \(no leader view\)/);
	assert.deepEqual(model.notes, ["1 stream without the leader's reply: replica state needs the leader (n1)"]);
});

function many() {
	const lagging = stream('B_LAGGING', {leader: 'n1', messages: 10, replicas: [{name: 'n2', current: false, lag: 5}]});
	const big = stream('C_BIG', {leader: 'n1', messages: 5000, bytes: 9, replicas: [{name: 'n2', current: true}]});
	const worse = stream('D_WORSE', {leader: 'n1', messages: 1, replicas: [{name: 'n2', current: false, lag: 50}]});
	const small = stream('A_SMALL', {leader: 'n1', messages: 7, replicas: [{name: 'n2', current: true}]});
	return [reply('jsz', S1, jsz('2026-01-01T00:00:01Z', [lagging, big, worse, small]))];
}

test('streams sort: by worst replica lag (default), messages, name; reversed; filter is local', () => {
	const lag = new LagTracker(3);
	trackLag(lag, many());
	const order = (sort: string, extra: Record<string, unknown> = {}) =>
		(buildStreamsModel(context([status('jsz-streams', 'jsz', many())], {lag, panel: {sort, ...extra} as never})).records as Array<{stream: string}>).map(r => r.stream);
	assert.deepEqual(order(''), ['D_WORSE', 'B_LAGGING', 'A_SMALL', 'C_BIG']);
	assert.deepEqual(order('messages'), ['C_BIG', 'B_LAGGING', 'A_SMALL', 'D_WORSE']);
	assert.deepEqual(order('name'), ['A_SMALL', 'B_LAGGING', 'C_BIG', 'D_WORSE']);
	assert.deepEqual(order('name', {reverse: true}), ['D_WORSE', 'C_BIG', 'B_LAGGING', 'A_SMALL']);
	assert.deepEqual(order('', {filter: 'big'}), ['C_BIG']);
	const filtered = buildStreamsModel(context([status('jsz-streams', 'jsz', many())], {lag, panel: {filter: 'b_'} as never}));
	assert.match(filtered.summary, /^1 of 4 streams · sort lag ▼/);
	assert.deepEqual(filtered.notes, ['filter "b_" is local']);
});

test('mirror and source: the server lag, and for a mirror the origin minus mirror last sequence when 2.9.10 reports 0', () => {
	const origin = stream('ORIGIN', {leader: 'n1', messages: 500, last_seq: 500, replicas: []});
	const copy = stream('COPY', {leader: 'n2', messages: 380, last_seq: 380, mirror: {name: 'ORIGIN', lag: 0, active: 4_200_000_000}});
	const agg = stream('AGG', {leader: 'n2', messages: 10, sources: [{name: 'ORIGIN', lag: 7, active: -1, error: {code: 503, description: 'no origin'}}, {name: 'OTHER', lag: 0, active: 1000, external: {api: '$JS.hub.API'}}]});
	const replies = [reply('jsz', S1, jsz('2026-01-01T00:00:01Z', [origin])), reply('jsz', S2, jsz('2026-01-01T00:00:01Z', [copy, agg]))];
	const lag = new LagTracker(1);
	trackLag(lag, replies);
	const model = buildStreamsModel(context([status('jsz-streams', 'jsz', replies)], {lag}));
	const streams = model.json['streams'] as Array<{stream: string; origins: Array<Record<string, unknown>>}>;
	const copyOrigin = streams.find(s => s.stream === 'COPY')!.origins[0]!;
	assert.deepEqual([copyOrigin['kind'], copyOrigin['name'], copyOrigin['lag'], copyOrigin['server_lag'], copyOrigin['level']], ['mirror', 'ORIGIN', 120, 0, 'warning']);
	const aggOrigins = streams.find(s => s.stream === 'AGG')!.origins;
	assert.deepEqual(
		aggOrigins.map(o => [o['kind'], o['name'], o['lag'], o['active_ns'], o['error'], o['external'], o['level']]),
		[
			['source', 'ORIGIN', 7, -1, 'no origin', null, 'critical'],
			['source', 'OTHER', 0, 1000, null, '$JS.hub.API', 'ok'],
		],
	);
	const text = panelText(model).join('\n');
	assert.match(text, /Mirrors and sources \(lag = messages behind the origin\)/);
	assert.match(text, /COPY\s+mirror\s+ORIGIN\s+120→?\s+4\.2s\s+⚠ behind 1 refreshes/);
	assert.match(text, /AGG\s+source\s+ORIGIN\s+7\S*\s+never\s+✖ no origin/);
	assert.match(text, /OTHER \(\$JS\.hub\./);
	assert.equal(model.alert?.text, '⚠ 1 mirror/source lagging, 1 mirror/source failing');
	assert.equal(nsText(-1), 'never');
	assert.equal(nsText(1_500_000_000), '1.5s');
});

test('consumers of the selected stream: counts from the consumer leader, rates between two answers', () => {
	const consumer = (delivered: number, ackFloor: number, pending: number) => ({
		stream_name: 'ORDERS',
		name: 'workers',
		config: {durable_name: 'workers', ack_policy: 'explicit', filter_subject: 'orders.>'},
		delivered: {consumer_seq: delivered, stream_seq: delivered},
		ack_floor: {consumer_seq: ackFloor, stream_seq: ackFloor},
		num_ack_pending: delivered - ackFloor,
		num_redelivered: 2,
		num_waiting: 1,
		num_pending: pending,
		cluster: {name: 'c', leader: 'n2', replicas: []},
	});
	const at = (now: string, d: number, a: number, p: number) => [
		reply('jsz', S2, jsz(now, [stream('ORDERS', {leader: 'n1', consumer_detail: [consumer(d, a, p)]})])),
		// A replica's stale copy must not win.
		reply('jsz', S3, jsz(now, [stream('ORDERS', {leader: 'n1', consumer_detail: [{...consumer(1, 1, 999), cluster: {leader: 'n2'}}]})])),
	];
	const ctx = context([status('jsz-consumers', 'jsz', at('2026-01-01T00:00:02Z', 60, 40, 100), at('2026-01-01T00:00:00Z', 20, 10, 140))], {stream: {account: 'APP', name: 'ORDERS'}});
	const model = buildConsumersModel(ctx);
	assert.equal(model.records.length, 1);
	const r = model.records[0]!;
	assert.deepEqual(
		[r['num_pending'], r['num_ack_pending'], r['num_redelivered'], r['num_waiting'], r['delivered_stream_seq'], r['ack_floor_stream_seq'], r['delivered_per_sec'], r['acked_per_sec'], r['leader'], r['from_leader']],
		[100, 20, 2, 1, 60, 40, 20, 15, 'n2', true],
	);
	assert.match(panelText(model).join('\n'), /workers\s+100\s+20\s+2\s+1\s+60\s+40\s+20\/s\s+15\/s\s+n2/);
	assert.match(model.summary, /consumers of ORDERS \(account APP\)/);
	assert.equal(buildConsumersModel(context([])).sections[0]!.empty, 'select a stream in the streams view and press Enter');
});

test('JetStream view: used/reserved/limit per server, API rates from the server clock, meta group from its leader', () => {
	const meta = (leader: string) => ({name: 'c', leader, peer: 'P1', cluster_size: 3, replicas: [{name: 'n2', current: true, active: 300_000_000}, {name: 'n3', current: false, offline: true, active: 9_000_000_000, lag: 4}]});
	const server = (s: {id: string; name: string}, now: string, api: number, errors: number) =>
		reply('jsz', s, {server_id: s.id, now, memory: 10, storage: 2048, reserved_memory: 0, reserved_storage: 4096, config: {max_memory: 1024, max_storage: 1048576}, streams: 2, consumers: 3, messages: 40, bytes: 400, api: {total: api, errors}, meta_cluster: meta('n1')});
	const current = [server(S1, '2026-01-01T00:00:02Z', 300, 5), server(S2, '2026-01-01T00:00:02Z', 10, 0)];
	const previous = [server(S1, '2026-01-01T00:00:00Z', 100, 1), server(S2, '2026-01-01T00:00:00Z', 10, 0)];
	const model = buildJetStreamModel(context([status('jsz', 'jsz', current, previous)], {width: 140}));
	const text = panelText(model).join('\n');
	assert.match(text, /n1\*\s+10\/0\/1024\s+2048\/4096\/1048576\s+2\s+3\s+40\s+400\s+300\s+100\/s\s+5\s+2\/s/);
	assert.match(text, /Meta group c · 3 peers · leader n1/);
	assert.match(text, /n1\s+leader/);
	assert.match(text, /n3\s+OFFLINE\s+9\.0s\s+4/);
	const rec = model.records.find(r => r['server_name'] === 'n1')!;
	assert.deepEqual([rec['api_per_sec'], rec['api_errors_per_sec'], rec['meta_leader']], [100, 2, true]);
	// The meta leader did not answer: no guessing at peer state.
	const blind = buildJetStreamModel(context([status('jsz', 'jsz', [current[1]!])]));
	assert.match(panelText(blind).join('\n'), /peer state needs the meta leader's reply \(n1 did not answer\)/);
	const off = buildJetStreamModel(context([status('jsz', 'jsz', [reply('jsz', S1, {server_id: 'NS1', now: '2026-01-01T00:00:00Z', disabled: true})])]));
	assert.match(panelText(off).join('\n'), /JetStream off[\s\S]*JetStream is off on every server that answered/);
});

test('hostile stream, consumer and server names reach the text as pictures, never as escapes', () => {
	const evil = 'EV\u001b]0;pwned\u0007IL\u202e';
	// Server names in ServerRef are cleaned by the sources; the leader names inside /jsz here.
	const replies = [reply('jsz', S1, jsz('2026-01-01T00:00:01Z', [stream(`S${evil}`, {leader: `n1${evil}`, replicas: [{name: `r${evil}`, current: false, lag: 3}], consumer_detail: [{name: `c${evil}`, stream_name: `S${evil}`, num_pending: 1, cluster: {leader: `n1${evil}`}}]})]))];
	const lag = new LagTracker(1);
	trackLag(lag, replies);
	const streamsText = panelText(buildStreamsModel(context([status('jsz-streams', 'jsz', replies)], {lag, expanded: true}))).join('\n');
	const consumersText = panelText(buildConsumersModel(context([status('jsz-consumers', 'jsz', replies)], {stream: {account: 'APP', name: replies[0]!.data.account_details[0]!.stream_detail[0]!.name}}))).join('\n');
	for (const text of [streamsText, consumersText]) {
		assert.doesNotMatch(text, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/, 'no control or bidi characters');
		assert.match(text, /␛/);
	}
});
