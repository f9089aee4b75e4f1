// A monitoring URL is parsed without the configuration modules of NATS targets, contexts, help
// and --explain-config; parseCommandLine loads them when a command line needs them. This file
// must not load them up front: each test file runs in its own process.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {ConfigModulesNotLoaded, parseCli, parseCommandLine} from '../../source/config/flags.js';

test('a monitoring URL needs no configuration modules; NATS, help and --explain-config load them on demand', async () => {
	const http = parseCli(['http://127.0.0.1:8222', '--once', '--sort', 'pending'], {});
	if (http.kind !== 'run') assert.fail(JSON.stringify(http));
	assert.equal(http.config.transport, 'http');
	assert.deepEqual(http.config.urls, ['http://127.0.0.1:8222']);
	assert.equal(parseCli(['-s', '127.0.0.1', '-m', '8222'], {}).kind, 'run', 'nats-top style host and port');
	assert.equal(parseCli(['--version'], {}).kind, 'version');
	assert.equal(parseCli(['http://h:8222', '--sort', 'bogus'], {}).kind, 'usage-error', 'bad values are still told');

	const natsArgv = ['nats://h:4222', '--user', 'u', '--password', 'p'];
	assert.throws(() => parseCli(natsArgv, {}), ConfigModulesNotLoaded);
	assert.throws(() => parseCli(['--help'], {}), ConfigModulesNotLoaded);
	assert.throws(() => parseCli(['http://h:8222', '--explain-config'], {}), ConfigModulesNotLoaded);
	assert.throws(() => parseCli([], {}), ConfigModulesNotLoaded, 'no address: a context may decide the transport');

	const nats = await parseCommandLine(natsArgv, {});
	if (nats.kind !== 'run') assert.fail(JSON.stringify(nats));
	assert.equal(nats.config.transport, 'nats');
	assert.deepEqual(nats.config.nats?.auth, {kind: 'user-password', user: 'u', password: 'p'});
	assert.deepEqual(parseCli(natsArgv, {}), nats, 'loaded once, for good');
	assert.equal(parseCli(['--help'], {}).kind, 'help');
	assert.equal(parseCli(['http://h:8222', '--explain-config'], {}).kind, 'explain');
});
