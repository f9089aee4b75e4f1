// Hostile input from real clients to a real server, through every view and output mode: client
// names, languages and versions in CONNECT, subjects in SUB, an account name and a server name
// in the server's config, and error text from a misbehaving endpoint — escape sequences, C0/C1
// controls, bidi overrides, zero-width and combining characters, wide characters, 100 KB, bytes
// that are not UTF-8. Everything must arrive as harmless text of the width it is drawn at, with
// the table's columns where the header says they are.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import stringWidth from 'string-width';
import {connect, AckPolicy} from 'nats';
import {startServer, stopAll, type NatsServer} from '../helpers/server.js';
import {freePorts as freePortsFor} from '../helpers/ports.js';
import {FakeHttp} from '../helpers/fake-http.js';
import {HOSTILE_STRINGS, INVALID_UTF8, displayColumn, hostileClient, type HostileClient} from '../helpers/hostile.js';
import {CLI, assertFits, assertNoControls, assertNoStack, assertOneLineFailure, runCli} from '../helpers/cli-run.js';
import {TmuxSession} from '../e2e/tmux.js';

const WIDTH = 180;
const HEIGHT = 40;
const EVIL_ACCOUNT = 'acct\u001b]0;owned\u0007\u202e\u200b';
const SERVER_NAME = 'srv\u001b[2J\u001b]0;srvtitle\u0007\u202eX';
// A real 2.9.10 takes these as a stream and a durable consumer name (it refuses only spaces,
// dots, wildcards and path separators).
const STREAM_NAME = 'st\u001b]0;sttitle\u0007\u001b[31m\u202eS\u200b';
const CONSUMER_NAME = 'cn\u001b[2J\u009b31m\u202dC';

let server: NatsServer;
let fake: FakeHttp;
const clients: HostileClient[] = [];
const sessions: TmuxSession[] = [];

/** Marker prefixes find each row whatever happened to the rest of its name. */
const NAMED = Object.entries(HOSTILE_STRINGS).map(([kind, text], index) => ({kind, marker: `hx${index}-`, name: `hx${index}-${text}`}));
const INVALID_MARKER = 'hx9-';

before(async () => {
	// The account name goes into the config file as raw bytes (the parser takes them as they are).
	const config = [
		'max_control_line: 1MB',
		'accounts {',
		`  "${EVIL_ACCOUNT}" { jetstream: enabled, users: [ {user: evil, password: evil} ] }`,
		'  SYS { users: [ {user: mon, password: mon-secret} ] }',
		'}',
		'system_account: SYS',
	].join('\n');
	server = await startServer({name: SERVER_NAME, config, jetstream: true});
	const nc = await connect({port: server.port, user: 'evil', pass: 'evil'});
	const jsm = await nc.jetstreamManager();
	await jsm.streams.add({name: STREAM_NAME, subjects: ['hostile.js.>']});
	await jsm.consumers.add(STREAM_NAME, {durable_name: CONSUMER_NAME, ack_policy: AckPolicy.Explicit});
	await nc.close();
	for (const [index, entry] of NAMED.entries()) {
		clients.push(
			await hostileClient(server.port, {
				name: entry.name,
				user: 'evil',
				pass: 'evil',
				lang: index === 0 ? HOSTILE_STRINGS.ansi : index === 2 ? HOSTILE_STRINGS.bidi : 'raw',
				version: index === 1 ? HOSTILE_STRINGS.controls : index === 3 ? HOSTILE_STRINGS.long : '0',
				subjects: [`sub.${entry.kind}.\u001b[2J\u001b]0;subtitle\u0007\u202e>`, `big.${'s'.repeat(100 * 1024)}`],
			}),
		);
	}
	clients.push(
		await hostileClient(server.port, {
			name: Buffer.concat([Buffer.from(INVALID_MARKER), INVALID_UTF8]),
			user: 'evil',
			pass: 'evil',
			lang: INVALID_UTF8,
			subjects: [Buffer.concat([Buffer.from('bad.'), INVALID_UTF8])],
		}),
	);
	fake = await FakeHttp.start({kind: 'status', status: 500, body: ''});
});

after(async () => {
	for (const session of sessions) session.kill();
	for (const client of clients) client.close();
	await fake?.close();
	await stopAll();
});

const MARKERS = [...NAMED.map(n => n.marker), INVALID_MARKER];

/**
 * The connections table in `text` (a screen or a --once snapshot): every line fits, no control
 * character is left, and in every row the HOST cell starts at the header's HOST column.
 */
function assertTable(text: string, width: number, what: string): void {
	assertFits(text, width, what);
	assertNoControls(text, what);
	const lines = text.split('\n');
	const header = lines.find(l => /\bCID\b/.test(l) && l.includes('HOST'));
	assert.ok(header, `${what}: the table header\n${text}`);
	const hostAt = displayColumn(header, 'HOST');
	const rows = lines.filter(l => MARKERS.some(m => l.includes(m)));
	assert.equal(rows.length, MARKERS.length, `${what}: one row per hostile client\n${text}`);
	for (const row of rows) {
		assert.equal(displayColumn(row, /127\.0\.0\.1:\d+/), hostAt, `${what}: HOST under its header in ${JSON.stringify(row)}`);
	}
}

const TITLES = /pwned|owned|srvtitle|subtitle|sttitle|rtitle/;

/**
 * In every row holding `needle`, the cell matching `cell` starts at the display column of the
 * header's `title` (a left-aligned column after the hostile text).
 */
function assertUnder(screen: string, needle: string, title: string, cell: RegExp, what: string): void {
	const lines = screen.split('\n');
	const header = lines.find(l => l.includes(title) && /^ *[A-Z][A-Z_]+[▲▼]? /.test(l));
	assert.ok(header, `${what}: the header with ${title}\n${screen}`);
	const rows = lines.slice(lines.indexOf(header) + 1).filter(l => l.includes(needle));
	assert.ok(rows.length > 0, `${what}: a row with ${needle}\n${screen}`);
	for (const row of rows) assert.equal(displayColumn(row, cell), displayColumn(header, title), `${what}: ${title} under its header in ${JSON.stringify(row)}\n${header}`);
}

function paneTitle(session: TmuxSession): string {
	return execFileSync('tmux', ['display-message', '-p', '-t', session.name, '#{pane_title}'], {encoding: 'utf8'}).trim();
}

test('TUI: the list, every connection detail and the servers view stay harmless and aligned', async () => {
	const session = TmuxSession.start(`node ${CLI} ${server.monitorUrl} --subs --sort cid -d 0.5`, {width: WIDTH, height: HEIGHT});
	sessions.push(session);
	const screen = await session.waitForScreen(s => MARKERS.every(m => s.includes(m)), 'every hostile row', 20_000);
	assertTable(screen, WIDTH, 'connections view');
	assert.match(screen.split('\n')[0]!, /^srv␛\[2J␛\]0;srvtitle␇�X/, 'the hostile server name is text in the header, the screen not cleared');
	// The NAME column is narrower than the names: the list shows their start, the detail all of it.
	assert.ok(screen.includes('hx0-␛]0;pwned␇␛[2J…'), 'escape sequences shown as pictures, cut to the column with an ellipsis');
	assert.ok(screen.includes('hx2-�evil��iso��'), 'bidi controls replaced');
	assert.ok(screen.includes('hx3-zwname'), 'zero-width characters dropped');
	assert.ok(screen.includes('hx4-界界界🙂wide'), 'wide characters kept');
	assert.ok(screen.includes(`${INVALID_MARKER}inv�`), 'invalid UTF-8 became U+FFFD');
	assert.doesNotMatch(paneTitle(session), TITLES, 'no OSC reached the terminal title');

	// Each connection's detail, one after another (j moves, Enter opens, Escape returns).
	const details: string[] = [];
	for (let row = 0; row < MARKERS.length; row++) {
		session.keys('Enter');
		const detail = await session.waitForScreen(s => s.includes('Connection') && /cid \d+/.test(s) && s.includes(MARKERS[row]!), `detail of row ${row}`);
		details.push(detail);
		assertFits(detail, WIDTH, `detail ${row}`);
		assertNoControls(detail, `detail ${row}`);
		assertNoStack(detail, `detail ${row}`);
		session.keys('Escape');
		await session.waitForScreen(s => s.includes('HOST') && s.includes('CID'), 'back to the list');
		session.keys('j');
		// The terminal hands "j" and the next Enter to the app as one chunk ("j\r") when they come
		// together, which is no key at all; the selection is not visible in a plain capture.
		await new Promise(resolve => setTimeout(resolve, 300));
	}
	assert.ok(details[0]!.includes('hx0-␛]0;pwned␇␛[2J␛[H␛[31mred␛[0m'), `the whole hostile name, as pictures, in the detail\n${details[0]}`);
	assert.ok(details[1]!.includes('c0␀␁␈␉␍␊␡ c1��31m�0;x�'), `C0 as pictures, C1 replaced, in the detail\n${details[1]}`);
	assert.ok(details[0]!.includes('sub.ansi.␛[2J␛]0;subtitle␇�>'), `a hostile subject in the detail's subscriptions\n${details[0]}`);
	session.keys('2');
	const servers = await session.waitForScreen(s => s.includes('srv␛[2J'), 'servers view');
	assertFits(servers, WIDTH, 'servers view');
	assertNoControls(servers, 'servers view');
	assert.doesNotMatch(paneTitle(session), TITLES);
	assert.equal(session.exitStatus(), undefined);
	session.keys('q');
	await session.waitForScreen(() => session.exitStatus() !== undefined, 'q quits');
	assert.equal(session.exitStatus(), 0);
});

test('TUI over $SYS: account names from the config and client names in live events are text too', async () => {
	const session = TmuxSession.start(`NATS_PASSWORD=mon-secret node ${CLI} nats://127.0.0.1:${server.port} --user mon --sort cid -d 0.5`, {width: WIDTH, height: HEIGHT});
	sessions.push(session);
	const screen = await session.waitForScreen(s => MARKERS.every(m => s.includes(m)), 'every hostile row over $SYS', 20_000);
	assertTable(screen, WIDTH, '$SYS connections view');
	session.keys('Enter');
	const detail = await session.waitForScreen(s => s.includes('acct␛]0;owned␇�'), 'the hostile account in the detail');
	assertFits(detail, WIDTH, '$SYS detail');
	assertNoControls(detail, '$SYS detail');
	// The events view: a hostile client connecting and leaving while it is open.
	session.keys('Escape');
	await session.waitForScreen(s => s.includes('CID'), 'back to the list');
	session.keys('9');
	await session.waitForScreen(s => /events/i.test(s.split('\n').slice(4, 7).join(' ')), 'the events view');
	const late = await hostileClient(server.port, {name: `hxE-${HOSTILE_STRINGS.ansi}${HOSTILE_STRINGS.bidi}`, user: 'evil', pass: 'evil', lang: HOSTILE_STRINGS.controls});
	clients.push(late);
	const events = await session.waitForScreen(s => s.includes('hxE-␛]0;pwned␇'), 'the hostile connect event', 20_000);
	assertFits(events, WIDTH, 'events view');
	assertNoControls(events, 'events view');
	late.close();
	assert.doesNotMatch(paneTitle(session), TITLES);
	session.keys('q');
	await session.waitForScreen(() => session.exitStatus() !== undefined, 'q quits');
});

test('TUI: JetStream, streams and consumers views show hostile server, stream and consumer names as text', async () => {
	const session = TmuxSession.start(`node ${CLI} ${server.monitorUrl} -d 0.5`, {width: WIDTH, height: HEIGHT});
	sessions.push(session);
	await session.waitForScreen(s => s.includes('CID'), 'the connections view');
	session.keys('3');
	const jetstream = await session.waitForScreen(s => /srv␛\[2J.*\n(.*\n)*.*srv␛\[2J/.test(s) && /STRMS/.test(s), 'the JetStream view, the server in its table');
	assertFits(jetstream, WIDTH, 'JetStream view');
	assertNoControls(jetstream, 'JetStream view');
	session.keys('4');
	const streams = await session.waitForScreen(s => s.includes('st␛]0;sttitle␇'), 'the hostile stream in the streams view');
	assertFits(streams, WIDTH, 'streams view');
	assertNoControls(streams, 'streams view');
	assertUnder(streams, 'st␛]0;sttitle␇␛[31m�S', 'ACCOUNT', /acct␛/, 'streams view');
	assertUnder(streams, 'st␛]0;sttitle␇␛[31m�S', 'REPLICAS', /srv␛\[2J/, 'streams view');
	session.keys('Enter');
	const consumers = await session.waitForScreen(s => s.includes('cn␛[2J'), 'the hostile consumer in the consumers view');
	assertFits(consumers, WIDTH, 'consumers view');
	assertNoControls(consumers, 'consumers view');
	assertUnder(consumers, 'cn␛[2J�31m�C', 'LEADER', /srv␛\[2J/, 'consumers view');
	assert.doesNotMatch(paneTitle(session), TITLES, 'no OSC reached the terminal title');
	assert.equal(session.exitStatus(), undefined);
	session.keys('q');
	await session.waitForScreen(() => session.exitStatus() !== undefined, 'q quits');
	assert.equal(session.exitStatus(), 0);
});

test('--once, --json and --delimiter of the streams view: hostile stream names as text', async () => {
	const [once, json, delimited] = await Promise.all([
		runCli([server.monitorUrl, '--once', '--view', 'streams', '-d', '0.2']),
		runCli([server.monitorUrl, '--json', '--view', 'streams', '-d', '0.2']),
		runCli([server.monitorUrl, '--delimiter', ',', '--view', 'streams', '-d', '0.2']),
	]);
	assert.equal(once.code, 0, once.stderr);
	assertNoControls(once.stdout, '--once --view streams');
	assert.ok(once.stdout.includes('st␛]0;sttitle␇␛[31m�S'), once.stdout);
	assertUnder(once.stdout, 'st␛]0;sttitle␇␛[31m�S', 'ACCOUNT', /acct␛/, '--once --view streams');
	assert.equal(json.code, 0, json.stderr);
	assertNoControls(json.stdout.trimEnd(), '--json --view streams');
	assert.doesNotMatch(json.stdout, /\\u00[01][0-9a-f]|\\u009[0-9a-f]|\\u202[a-e]/i, 'no escaped control character');
	assert.ok(JSON.stringify(JSON.parse(json.stdout)).includes('st␛]0;sttitle␇␛[31m�S'), json.stdout.slice(0, 2000));
	assert.equal(delimited.code, 0, delimited.stderr);
	assertNoControls(delimited.stdout.trimEnd(), '--delimiter --view streams');
	assert.ok(delimited.stdout.includes('st␛]0;sttitle␇␛[31m�S'), delimited.stdout);
});

test('TUI routes and leafnodes views: hostile server names across a real route and a real leaf link', async () => {
	const [clusterA, clusterB, leafPort] = await freePortsFor(3);
	const routeName = (i: number): string => `r${i}\u001b]0;rtitle\u0007\u001b[7m\u202e`;
	const a = await startServer({
		name: routeName(1),
		cluster: {name: 'hostile-c', port: clusterA!, routes: [`nats-route://127.0.0.1:${clusterB}`]},
		config: `leafnodes {\n  listen: "127.0.0.1:${leafPort}"\n}`,
	});
	const b = await startServer({name: routeName(2), cluster: {name: 'hostile-c', port: clusterB!, routes: [`nats-route://127.0.0.1:${clusterA}`]}});
	// 2.9.10's /leafz does not name the remote server: the hostile name here is the hub's own.
	const leaf = await startServer({name: 'leaf-plain', config: `leafnodes {\n  remotes: [ {url: "nats-leaf://127.0.0.1:${leafPort}"} ]\n}`});
	try {
		const session = TmuxSession.start(`node ${CLI} ${a.monitorUrl} ${b.monitorUrl} -d 0.5`, {width: WIDTH, height: HEIGHT});
		sessions.push(session);
		await session.waitForScreen(s => s.includes('CID'), 'the connections view');
		session.keys('5');
		const routes = await session.waitForScreen(s => (s.match(/r[12]␛\]0;rtitle␇␛\[7m�/g) ?? []).length >= 4, 'both routes, both names as text');
		assertFits(routes, WIDTH, 'routes view');
		assertNoControls(routes, 'routes view');
		assertUnder(routes, 'rtitle', 'REMOTE ', /(?<=� +)r[12]␛\]0;rtitle/, 'routes view');
		assertUnder(routes, 'rtitle', 'IP:PORT', /127\.0\.0\.1:\d+/, 'routes view');
		const once = await runCli([a.monitorUrl, b.monitorUrl, '--once', '--view', 'routes', '-d', '0.2']);
		assert.equal(once.code, 0, once.stderr);
		assertNoControls(once.stdout, '--once --view routes');
		assertUnder(once.stdout, 'rtitle', 'IP:PORT', /127\.0\.0\.1:\d+/, '--once --view routes');
		session.keys('7');
		const leafnodes = await session.waitForScreen(s => /1 leafnode connection/.test(s) && /r1␛\]0;rtitle␇␛\[7m� +\S+ +\$G +127\.0\.0\.1/.test(s), 'the leaf link under its hostile hub in the leafnodes view', 20_000);
		assertFits(leafnodes, WIDTH, 'leafnodes view');
		assertNoControls(leafnodes, 'leafnodes view');
		assertUnder(leafnodes, 'r1␛]0;rtitle', 'IP:PORT', /127\.0\.0\.1:\d+/, 'leafnodes view');
		session.keys('2');
		const servers = await session.waitForScreen(s => s.includes('r1␛]0;rtitle') && s.includes('r2␛]0;rtitle'), 'both servers in the servers view');
		assertFits(servers, WIDTH, 'servers view (cluster)');
		assertNoControls(servers, 'servers view (cluster)');
		assert.doesNotMatch(paneTitle(session), TITLES, 'no OSC reached the terminal title');
		session.keys('q');
		await session.waitForScreen(() => session.exitStatus() !== undefined, 'q quits');
		assert.equal(session.exitStatus(), 0);
	} finally {
		await Promise.all([a.stop(), b.stop(), leaf.stop()]);
	}
});

test('--once: the snapshot is plain text, aligned, nothing wider than the table', async () => {
	for (const target of [[server.monitorUrl], [`nats://127.0.0.1:${server.port}`, '--user', 'mon']]) {
		const result = await runCli([...target, '--once', '--subs', '--sort', 'cid', '-d', '0.2'], {env: {NATS_PASSWORD: 'mon-secret'}});
		assert.equal(result.code, 0, result.stderr);
		const width = Math.max(...result.stdout.split('\n').map(l => stringWidth(l)));
		assertTable(result.stdout, Math.max(width, 1), `--once ${target[0]}`);
		assert.ok(result.stdout.includes('hx0-␛]0;pwned␇'), 'the hostile name is there, as text');
	}
});

test('--json: one document, no control character raw or escaped, names bounded', async () => {
	for (const target of [[server.monitorUrl], [`nats://127.0.0.1:${server.port}`, '--user', 'mon']]) {
		const result = await runCli([...target, '--json', '--subs', '--sort', 'cid', '-d', '0.2'], {env: {NATS_PASSWORD: 'mon-secret'}});
		assert.equal(result.code, 0, result.stderr);
		assert.doesNotMatch(result.stdout, /\\u00[01][0-9a-f]|\\u007f|\\u00[89][0-9a-f]|\\u20(2[a-e]|6[6-9]|0[b-f])|\\ufeff/i, 'no escaped control character');
		assertNoControls(result.stdout.trimEnd(), `--json ${target[0]}`);
		const document = JSON.parse(result.stdout) as {server: {server_name: string}; connections: {rows: Array<{name: string; lang: string; version: string; subscriptions_list?: string[]}>}};
		assert.match(document.server.server_name, /^srv␛\[2J/);
		const rows = document.connections.rows.filter(r => MARKERS.some(m => r.name.startsWith(m)));
		assert.equal(rows.length, MARKERS.length);
		for (const row of rows) {
			for (const value of [row.name, row.lang, row.version, ...(row.subscriptions_list ?? [])]) assert.ok(value.length <= 1024, `bounded: ${value.length} chars`);
		}
		assert.ok(rows.some(r => r.name.startsWith('hx6-long') && r.name.endsWith('…')), 'a 100 KB name is cut, with an ellipsis');
	}
});

test('--delimiter: one record per line, the same number of fields in each', async () => {
	for (const delimiter of [',', '\t', ';']) {
		const result = await runCli([server.monitorUrl, '--delimiter', delimiter, '--sort', 'cid', '-d', '0.2']);
		assert.equal(result.code, 0, result.stderr);
		assertNoControls(result.stdout.replaceAll('\t', ' ').trimEnd(), `--delimiter ${JSON.stringify(delimiter)}`);
		const lines = result.stdout.trimEnd().split('\n');
		const count = (line: string): number => {
			let fields = 1;
			let quoted = false;
			for (const ch of line) {
				if (ch === '"') quoted = !quoted;
				else if (ch === delimiter && !quoted) fields++;
			}
			return fields;
		};
		const expected = count(lines[0]!);
		assert.equal(lines.length, 1 + MARKERS.length, 'one line per connection');
		for (const line of lines) assert.equal(count(line), expected, `fields in ${JSON.stringify(line.slice(0, 80))}`);
	}
});

test('error text from the endpoint: shown harmless in the TUI and in the one-shot line', async () => {
	const hostile = `boom ${HOSTILE_STRINGS.ansi} ${HOSTILE_STRINGS.bidi} ${HOSTILE_STRINGS.controls}`;
	fake.set({kind: 'status', status: 500, body: hostile});
	const once = await runCli([fake.url, '--once', '--timeout', '2']);
	const line = assertOneLineFailure(once, 'hostile 500');
	assert.match(line, /HTTP 500: boom ␛\]0;pwned␇/);
	fake.set({kind: 'body', body: `${hostile} not json`});
	const malformed = assertOneLineFailure(await runCli([fake.url, '--once', '--timeout', '2']), 'hostile malformed');
	assert.match(malformed, /not valid JSON \(starts "boom ␛\]0;pwned␇/);
	fake.set({kind: 'status', status: 503, body: JSON.stringify({status: 'unavailable', error: hostile}), contentType: 'application/json'});
	const session = TmuxSession.start(`node ${CLI} ${fake.url} -d 0.3 --timeout 2`, {width: 120, height: 24});
	sessions.push(session);
	fake.set({kind: 'status', status: 500, body: hostile});
	const screen = await session.waitForScreen(s => s.includes('HTTP 500: boom'), 'the 500 on screen');
	assertFits(screen, 120, 'hostile error on screen');
	assertNoControls(screen, 'hostile error on screen');
	assertNoStack(screen, 'hostile error on screen');
	assert.doesNotMatch(paneTitle(session), /pwned/);
	session.keys('q');
	await session.waitForScreen(() => session.exitStatus() !== undefined, 'q quits');
});
