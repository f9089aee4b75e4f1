import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {
	checkPid,
	discoverProcess,
	discoveryPlace,
	hexToIPv4,
	hexToIPv6,
	isLocalHost,
	listeningPortsOf,
	looksLikeNatsServer,
	openLogFiles,
	parsePid,
	parseProcNetTcp,
	processInfo,
	readPidFile,
} from '../../source/actions/discover.js';
import {makeFakeProc, startedMs} from '../helpers/fake-proc.js';

const NATS = '/usr/sbin/nats-server';

test('hex addresses from /proc/net/tcp and tcp6', () => {
	assert.equal(hexToIPv4('0100007F'), '127.0.0.1');
	assert.equal(hexToIPv4('00000000'), '0.0.0.0');
	assert.equal(hexToIPv6('00000000000000000000000001000000'), '::1');
	assert.equal(hexToIPv6('00000000000000000000000000000000'), '::');
	assert.equal(hexToIPv6('0000000000000000FFFF00000100007F'), '::ffff:127.0.0.1');
	assert.equal(hexToIPv6('B80D0120000000000000000001000000'), '2001:db8::1');
});

test('parseProcNetTcp keeps listening sockets (state 0A) with port and inode', () => {
	const text = [
		'  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
		'   0: 0100007F:1092 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0 100 0 0 10 0',
		'   1: 0100007F:1092 0100007F:D1A2 01 00000000:00000000 00:00000000 00000000     0        0 5555 1 0 100 0 0 10 0',
		'   2: 00000000:201E 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 777 1 0 100 0 0 10 0',
		'garbage',
	].join('\n');
	assert.deepEqual(parseProcNetTcp(text, false), [
		{inode: 4242, address: '127.0.0.1', port: 4242, v6: false},
		{inode: 777, address: '0.0.0.0', port: 8222, v6: false},
	]);
});

test('nats-server is recognised by its exe (also after an upgrade deleted it) or comm', () => {
	assert.equal(looksLikeNatsServer('/usr/sbin/nats-server', 'nats-server'), true);
	assert.equal(looksLikeNatsServer('/opt/nats/nats-server (deleted)', ''), true);
	assert.equal(looksLikeNatsServer('', 'nats-server'), true, 'exe unreadable: comm decides');
	assert.equal(looksLikeNatsServer('/usr/bin/sleep', 'nats-server'), false, 'exe wins over a renamed comm');
	assert.equal(looksLikeNatsServer('/usr/bin/nats-server-wrapper.sh', 'sh'), false);
	assert.equal(looksLikeNatsServer('', 'sleep'), false);
});

test('local hosts: loopback, wildcards, localhost; a far address is remote', () => {
	for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '0.0.0.0', '::', 'LOCALHOST']) assert.equal(isLocalHost(host), true, host);
	for (const host of ['203.0.113.7', 'nats.example.com', '2001:db8::1']) assert.equal(isLocalHost(host), false, host);
});

test('parsePid and readPidFile', async () => {
	assert.equal(parsePid('1234'), 1234);
	assert.equal(parsePid('0'), undefined);
	assert.equal(parsePid('-5'), undefined);
	assert.equal(parsePid('12a'), undefined);
	const dir = await mkdtemp(join(tmpdir(), 'natscope-pid-'));
	try {
		await writeFile(join(dir, 'ok.pid'), '4321\n');
		await writeFile(join(dir, 'bad.pid'), 'not a pid\n');
		assert.deepEqual(await readPidFile(join(dir, 'ok.pid')), {ok: true, pid: 4321});
		const bad = await readPidFile(join(dir, 'bad.pid'));
		assert.equal(bad.ok, false);
		assert.match(!bad.ok ? bad.message : '', /does not hold a pid/);
		const missing = await readPidFile(join(dir, 'missing.pid'));
		assert.match(!missing.ok ? missing.message : '', /cannot read pid file .*missing\.pid: no such file/);
	} finally {
		await rm(dir, {recursive: true, force: true});
	}
});

test('discovery finds the one nats-server holding the monitored port', async () => {
	const proc = await makeFakeProc(
		[
			{inode: 100, port: 4222},
			{inode: 101, port: 8222},
			{inode: 200, port: 5432},
		],
		[
			{pid: 10, exe: NATS, sockets: [100, 101], startSeconds: 50},
			{pid: 20, exe: '/usr/lib/postgresql/bin/postgres', comm: 'postgres', sockets: [200]},
			{pid: 30, exe: '/usr/bin/bash', comm: 'bash'},
		],
	);
	try {
		const found = await discoverProcess({host: '127.0.0.1', ports: [8222], serverStartMs: startedMs(50.3), proc: proc.root});
		assert.equal(found.ok, true);
		if (found.ok) {
			assert.equal(found.pid, 10);
			assert.equal(found.how, 'listening on 127.0.0.1:8222');
		}
		const ports = await listeningPortsOf(10, proc.root);
		assert.deepEqual(ports.map(p => p.port).sort(), [4222, 8222]);
	} finally {
		await proc.cleanup();
	}
});

test('discovery: none, several, hidden, not nats-server, a different server, remote', async () => {
	const proc = await makeFakeProc(
		[
			{inode: 1, port: 4222},
			{inode: 2, port: 5222},
			{inode: 3, port: 6222},
			{inode: 4, port: 7222, v6: true},
			{inode: 5, port: 9222},
		],
		[
			{pid: 11, exe: NATS, sockets: [1], startSeconds: 10},
			{pid: 12, exe: NATS, sockets: [1], startSeconds: 10},
			{pid: 13, exe: '/usr/bin/docker-proxy', comm: 'docker-proxy', sockets: [2]},
			{pid: 14, exe: NATS, hidden: true},
			{pid: 15, exe: NATS, sockets: [4], startSeconds: 20},
			{pid: 16, exe: NATS, sockets: [5], startSeconds: 30},
		],
	);
	try {
		const none = await discoverProcess({host: 'localhost', ports: [1111], proc: proc.root});
		assert.equal(!none.ok && none.reason, 'none');
		assert.match(!none.ok ? none.message : '', /no process on this host listens on port 1111/);

		const several = await discoverProcess({host: '127.0.0.1', ports: [4222], proc: proc.root});
		assert.equal(!several.ok && several.reason, 'several');
		assert.match(!several.ok ? several.message : '', /several nats-server processes hold port 4222: 11, 12/);
		assert.match(!several.ok ? several.hint : '', /--pid/);

		const proxy = await discoverProcess({host: '127.0.0.1', ports: [5222], proc: proc.root});
		assert.equal(!proxy.ok && proxy.reason, 'not-nats');
		assert.match(!proxy.ok ? proxy.message : '', /pid 13 \(\/usr\/bin\/docker-proxy\), not nats-server/);

		const hidden = await discoverProcess({host: '127.0.0.1', ports: [6222], proc: proc.root});
		assert.equal(!hidden.ok && hidden.reason, 'hidden');
		assert.match(!hidden.ok ? hidden.hint : '', /server's user/);

		const v6 = await discoverProcess({host: '::1', ports: [7222], proc: proc.root});
		assert.equal(v6.ok && v6.how, 'listening on [::1]:7222');

		const other = await discoverProcess({host: '127.0.0.1', ports: [9222], serverStartMs: startedMs(3600), proc: proc.root});
		assert.equal(!other.ok && other.reason, 'mismatch', 'same port, but started an hour apart: another server');
		assert.match(!other.ok ? other.message : '', /pid 16 is a nats-server started .* but the monitored server started .*: a different server/);

		const remote = await discoverProcess({host: '203.0.113.9', ports: [4222], proc: proc.root});
		assert.equal(!remote.ok && remote.reason, 'remote');
		assert.match(!remote.ok ? remote.message : '', /signals can only be sent on the server's own host/);
		assert.match(!remote.ok ? remote.hint : '', /NATS transport.*2\.10/);
	} finally {
		await proc.cleanup();
	}
});

test('an explicit pid is checked: gone, not nats-server, a zombie', async () => {
	const proc = await makeFakeProc([], [
		{pid: 40, exe: '/usr/bin/sleep', comm: 'sleep'},
		{pid: 41, exe: NATS, state: 'Z'},
		{pid: 42, exe: NATS, startSeconds: 5},
	]);
	try {
		const gone = await checkPid(999, '--pid', {proc: proc.root});
		assert.equal(!gone.ok && gone.reason, 'gone');
		assert.match(!gone.ok ? gone.message : '', /pid 999 \(--pid\) is gone \(no such process\)/);
		const sleep = await checkPid(40, '--pid', {proc: proc.root});
		assert.equal(!sleep.ok && sleep.reason, 'not-nats');
		assert.match(!sleep.ok ? sleep.message : '', /is \/usr\/bin\/sleep, not nats-server: refusing to signal it/);
		const zombie = await checkPid(41, '--pid', {proc: proc.root});
		assert.equal(!zombie.ok && zombie.reason, 'gone');
		const ok = await discoverProcess({pid: 42, host: 'remote.example', ports: [], proc: proc.root});
		assert.equal(ok.ok && ok.pid, 42, 'an explicit pid is taken even when the address looks remote');
		const info = await processInfo(42, proc.root);
		assert.equal(info?.startedMs, startedMs(5));
	} finally {
		await proc.cleanup();
	}
});

test('pid file discovery reads the pid and checks it', async () => {
	const proc = await makeFakeProc([], [{pid: 50, exe: NATS}]);
	const dir = await mkdtemp(join(tmpdir(), 'natscope-pid-'));
	try {
		await writeFile(join(dir, 'nats.pid'), '50');
		const found = await discoverProcess({pidFile: join(dir, 'nats.pid'), host: '127.0.0.1', ports: [], proc: proc.root});
		assert.equal(found.ok && found.pid, 50);
		assert.match(found.ok ? found.how : '', /^pid file .*nats\.pid$/);
	} finally {
		await proc.cleanup();
		await rm(dir, {recursive: true, force: true});
	}
});

test('open log files: append-mode regular files other than stdio', async () => {
	const dir = await mkdtemp(join(tmpdir(), 'natscope-logs-'));
	const log = join(dir, 'server.log');
	const data = join(dir, 'blk.dat');
	await writeFile(log, 'hello\n');
	await writeFile(data, 'x');
	const proc = await makeFakeProc([], [
		{
			pid: 60,
			exe: NATS,
			files: [
				[1, log, '0102001'], // stdout, even in append mode, is not the log file
				[6, log, '02102001'],
				[7, data, '02100002'], // read-write without O_APPEND
				[8, '/dev/null', '02102001'],
			],
		},
	]);
	try {
		const logs = await openLogFiles(60, proc.root);
		assert.deepEqual(
			logs?.map(l => [l.fd, l.path, l.size]),
			[[6, log, 6]],
		);
		assert.equal(await openLogFiles(61, proc.root), undefined);
	} finally {
		await proc.cleanup();
		await rm(dir, {recursive: true, force: true});
	}
});

test('discoveryPlace: HTTP looks at the monitoring address, NATS at varz host and ports', () => {
	assert.deepEqual(discoveryPlace('http', {host: '127.0.0.1', port: 8222}, {host: '0.0.0.0', port: 4222, http_port: 8222}), {host: '127.0.0.1', ports: [8222, 4222]});
	assert.deepEqual(discoveryPlace('nats', {host: '127.0.0.1', port: 4222}, {host: '0.0.0.0', port: 4222, http_port: 8222}), {host: '127.0.0.1', ports: [4222, 8222]});
	assert.deepEqual(discoveryPlace('nats', {host: '127.0.0.1', port: 4222}, {host: '203.0.113.5', port: 4223, http_port: 0}), {host: '203.0.113.5', ports: [4223]});
});
