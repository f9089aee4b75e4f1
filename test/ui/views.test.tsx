import {test} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import {renderToString} from 'ink';
import stringWidth from 'string-width';
import {Overview} from '../../source/views/overview.js';
import {ConnectionsView} from '../../source/views/connections.js';
import {DetailView} from '../../source/views/detail.js';
import {HelpView, helpLines} from '../../source/views/help.js';
import {Footer} from '../../source/views/footer.js';
import {buildOverview} from '../../source/model/overview.js';
import {buildConnectionsModel} from '../../source/model/connections-view.js';
import {buildDetailModel} from '../../source/model/detail.js';
import {planConnections} from '../../source/model/plan.js';
import {makeConn, makeConnz, makeVarz} from '../helpers/fixtures.js';

const SIZES = [
	{width: 80, height: 24},
	{width: 200, height: 50},
];

function frame(node: React.ReactElement, width: number): string[] {
	return renderToString(node, {columns: width}).split('\n');
}

function assertFits(lines: string[], width: number, height?: number): void {
	for (const line of lines) assert.ok(stringWidth(line) <= width, `line fits in ${width}: ${JSON.stringify(line)} is ${stringWidth(line)}`);
	if (height !== undefined) assert.ok(lines.length <= height, `${lines.length} lines fit in ${height}`);
}

const varz = makeVarz({slow_consumers: 2, cluster: 'east'});
const previousVarz = makeVarz({now_ms: varz.now_ms - 2000, in_msgs: 800, out_msgs: 1000, in_bytes: 60_000, out_bytes: 100_000});

function connections(count: number) {
	return Array.from({length: count}, (_, i) =>
		makeConn({
			cid: i + 1,
			name: i === 0 ? 'evil\u241B]0;pwned\u2407' : `worker-${i + 1}`,
			pending_bytes: (count - i) * 1000,
			out_msgs: 100 * i,
			ip: `10.0.0.${i + 1}`,
		}),
	);
}

for (const {width, height} of SIZES) {
	test(`overview at ${width}x${height}: identity, load, rates, health`, () => {
		const model = buildOverview({varz, previousVarz, history: [], healthz: {status: 'ok', error: '', http_status: 200}, raw: false, sparkWidth: 60});
		const lines = frame(<Overview model={model} target="http://127.0.0.1:8222" stale={false} width={width} />, width);
		assertFits(lines, width, 4);
		assert.match(lines[0]!, /nats-a NDJWE2T7/);
		assert.match(lines[0]!, /v2\.9\.10/);
		assert.match(lines[0]!, /healthy/);
		assert.match(lines[1]!, /cpu 12\.5%/);
		assert.match(lines[1]!, /slow 2/);
		assert.match(lines[2]!, /100\/s/, 'in: (1000-800)/2 s = 100 msgs/s');
		assert.match(lines[3]!, /500\/s/, 'out: (2000-1000)/2 s = 500 msgs/s');
		if (width >= 200) assert.match(lines[0]!, /cluster east/);
	});

	test(`connections view at ${width}x${height}: header, sort marker, selection, sanitized names`, () => {
		const conns = connections(60);
		const connz = makeConnz(conns.slice(0, 30), {total: 60});
		const plan = planConnections({sort: 'pending', reverse: false, state: 'open', filter: '', showSubs: false, scrollTop: 0, pageSize: height - 9, total: 60, version: '2.9.10', serverFiltersSubject: false});
		const model = buildConnectionsModel({
			answer: {connz: [connz], previous: [], serverNames: new Map([[connz.server_id, 'nats-a']]), maxPending: new Map([[connz.server_id, varz.max_pending]])},
			plan,
			sort: 'pending',
			reverse: false,
			state: 'open',
			filter: '',
			scrollTop: 0,
			pageSize: height - 9,
			selected: 1,
			width,
			mode: 'rates',
			showSubs: false,
			raw: false,
		});
		const lines = frame(<ConnectionsView model={model} loaded width={width} height={height - 8} />, width);
		assertFits(lines, width, height - 8);
		assert.match(lines[0]!, /CID/);
		assert.match(lines[0]!, /PENDING ?▼/);
		assert.match(lines[0]!, /NAME/);
		assert.match(lines[1]!, /evil␛\]0;pwned␇/);
		assert.ok(!lines.join('').includes('\u001B]'), 'no escape sequence reaches the terminal');
		assert.match(model.showing, /^1–\d+ of 60$/);
		if (width >= 200) {
			for (const title of ['HOST', 'ACCOUNT', 'SUBS', 'MSGS_TO', 'MSGS_FROM', 'BYTES_TO', 'BYTES_FROM', 'LANG', 'VERSION', 'RTT', 'UPTIME', 'IDLE']) {
				assert.ok(lines[0]!.includes(title), `${title} shown at ${width} columns`);
			}
		}
	});

	test(`detail view at ${width}x${height}: fields, subscriptions, scrolls`, () => {
		const conn = makeConn({
			cid: 42,
			name: 'orders-api',
			tls_version: '1.3',
			tls_cipher_suite: 'TLS_AES_128_GCM_SHA256',
			authorized_user: 'bob',
			subscriptions: 2,
			subscriptions_list_detail: [
				{account: '$G', subject: 'orders.>', qgroup: 'workers', sid: '1', msgs: 12, max: 0, cid: 42},
				{account: '$G', subject: 'audit.*', qgroup: '', sid: '2', msgs: 3, max: 0, cid: 42},
			],
		});
		const model = buildDetailModel({conn, serverName: 'nats-a', rttHistory: [1, 1.5, 2], raw: false, sparkWidth: 20});
		const all = frame(<DetailView model={model} message="" scroll={0} width={width} height={200} />, width).join('\n');
		for (const text of ['cid 42 orders-api', 'authorized user', 'bob', '1.3 TLS_AES_128_GCM_SHA256', 'orders.> queue workers', 'audit.*', 'rtt history']) {
			assert.ok(all.includes(text), `detail shows ${text}`);
		}
		const lines = frame(<DetailView model={model} message="" scroll={1000} width={width} height={height - 8} />, width);
		assertFits(lines, width, height - 8);
		assert.match(lines.filter(l => l.trim() !== '').at(-1)!, /audit\.\*/, 'scrolled to the end, the last line is the last subscription');
	});

	test(`help and footer at ${width}x${height} come from the keymap`, () => {
		const lines = frame(<HelpView scroll={0} width={width} height={height - 8} />, width);
		assertFits(lines, width, height - 8);
		const sortLine = helpLines(width).findIndex(l => l.text.includes('Choose the sort key'));
		assert.ok(sortLine > 0, 'the help lists the sort prompt');
		const scrolled = frame(<HelpView scroll={sortLine} width={width} height={height - 8} />, width).join('\n');
		assert.match(scrolled, /Choose the sort key/);
		const wrapped = helpLines(width);
		assert.ok(wrapped.every(l => stringWidth(l.text) <= width), 'every help line fits whole: long ones wrap, none is cut');
		assert.match(wrapped.at(-1)!.text, /\$JS\.EVENT\.ADVISORY\.> to it\.$/, 'the notes end whole');
		const footer = frame(<Footer scope="connections" width={width} />, width);
		assertFits(footer, width, 1);
		assert.match(footer[0]!, /Enter detail {2}o sort {2}\/ filter {2}\? help {2}q quit/);
		const prompt = frame(<Footer scope="connections" prompt={{kind: 'sort', text: 'pen', error: 'unknown sort key "pen"'}} width={width} />, width);
		assert.match(prompt[0]!, /sort by .*: pen█/);
		assert.match(prompt[0]!, /unknown sort key/);
	});
}

test('first sample shows "—" for rates, never a wrong 0', () => {
	const model = buildOverview({varz, history: [], raw: false, sparkWidth: 10});
	const lines = frame(<Overview model={model} target="x" stale={false} width={80} />, 80);
	assert.match(lines[2]!, /—/);
	assert.doesNotMatch(lines[2]!, / 0\/s/);
});

test('stale data is marked in the header', () => {
	const model = buildOverview({varz, history: [], raw: false, sparkWidth: 10});
	const lines = frame(<Overview model={model} target="x" stale width={80} />, 80);
	assert.match(lines[0]!, /stale/);
});
