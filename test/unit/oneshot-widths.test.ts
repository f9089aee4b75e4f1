// A one-shot loads string-width only when its text needs it (~45 ms of a ~300 ms snapshot):
// printable ASCII and natscope's own glyphs are measured without it, anything else with it,
// and the table is aligned either way. wideWidthsLoaded() says whether it is loaded yet.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {runOneShot} from '../../source/oneshot.js';
import {loadConfigModules, parseCli} from '../../source/config/flags.js';
import {wideWidthsLoaded} from '../../source/model/format.js';
import type {Connz, Gathered, Kind, Source, Varz} from '../../source/sources/types.js';
import {makeConn, makeConnz, makeVarz} from '../helpers/fixtures.js';
import {displayColumn} from '../helpers/hostile.js';

// parseCli needs the configuration modules a NATS target or a context uses (parseCommandLine loads them itself).
await loadConfigModules();

function fakeSource(varz: Varz, connz: Connz): Source {
	const server = {id: varz.server_id, name: varz.server_name, address: 'http://fake:8222'};
	const data: Partial<Record<Kind, unknown>> = {varz, connz, healthz: {status: 'ok'}};
	return {
		transport: 'http',
		description: 'http://fake:8222',
		async request(request) {
			return {replies: [{kind: request.kind, server, data: data[request.kind], receivedAt: Date.now(), rttMs: 1}], failures: []} as unknown as Gathered<never>;
		},
		async close() {},
	};
}

async function snapshot(names: string[]): Promise<string> {
	const parsed = parseCli(['--once', '--sort', 'cid'], {});
	if (parsed.kind !== 'run') assert.fail(JSON.stringify(parsed));
	const varz = makeVarz();
	const connz = makeConnz(names.map((name, i) => makeConn({cid: i + 1, name, rtt: '94µs'})), {server_id: varz.server_id});
	let out = '';
	const code = await runOneShot(parsed.config, fakeSource(varz, connz), {
		stdout: text => (out += text),
		stderr: text => assert.fail(text),
		sleep: async () => {},
		now: () => new Date(0),
		width: 160,
	});
	assert.equal(code, 0);
	return out;
}

/** The display column where each named row's host starts. */
function hostColumns(text: string, names: string[]): number[] {
	return text.split('\n').filter(line => names.some(n => line.includes(n))).map(line => displayColumn(line, '127.0.0.1:'));
}

test('ASCII and own glyphs: the snapshot never loads string-width; wide names: it does, and rows stay aligned', async () => {
	const ascii = ['client-a', 'client-b…', 'µ-client'];
	const plain = await snapshot(ascii);
	assert.ok(ascii.every(n => plain.includes(n)), plain);
	assert.equal(wideWidthsLoaded(), false, 'string-width still not loaded');

	const wide = ['名前-client', 'client-b', '🙂 emoji'];
	const text = await snapshot(wide);
	assert.equal(wideWidthsLoaded(), true, 'string-width loaded for the wide names');
	const columns = hostColumns(text, wide);
	assert.equal(columns.length, wide.length, text);
	assert.ok(columns[0]! > 0 && columns.every(c => c === columns[0]), `rows aligned: ${columns.join(' ')}\n${text}`);
	assert.deepEqual(hostColumns(plain, ascii), hostColumns(text, wide), 'the same layout as the ASCII snapshot');
});
