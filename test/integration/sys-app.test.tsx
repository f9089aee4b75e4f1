// The app over the system account of a real 3-node cluster (config mode): the same views as
// over HTTP, cluster-wide — the views do not know the transport.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import {render} from 'ink-testing-library';
import {App} from '../../source/app.js';
import {SysSource} from '../../source/sources/sys.js';
import {Poller} from '../../source/poll/poller.js';
import type {Config, NatsTarget} from '../../source/config/types.js';
import {stopAll, type NatsServer} from '../helpers/server.js';
import {configModeAccounts, startConfiguredCluster} from '../helpers/accounts.js';
import {openClients} from '../helpers/load.js';
import {waitFor} from '../helpers/wait.js';

let nodes: NatsServer[];
let accounts: ReturnType<typeof configModeAccounts>;
const cleanups: Array<() => Promise<void> | void> = [];

before(async () => {
	accounts = configModeAccounts();
	nodes = await startConfiguredCluster(3, accounts.configText, 'sysapp');
	for (const [i, node] of nodes.entries()) {
		const clients = await openClients(node.natsUrl, 5, {namePrefix: `app${i + 1}`, user: accounts.users.app.user, pass: accounts.users.app.password});
		cleanups.push(() => clients.close());
	}
});

after(async () => {
	for (const cleanup of cleanups.reverse()) await cleanup();
	await stopAll();
});

test('over $SYS: header sums the cluster, connections carry SERVER, servers view lists all three', async () => {
	const target: NatsTarget = {
		servers: [nodes[0]!.natsUrl],
		auth: {kind: 'user-password', user: accounts.users.sys.user, password: accounts.users.sys.password},
		tls: {insecure: false, first: false},
		identity: {account: 'SYS', warnings: []},
	};
	const config: Config = {transport: 'nats', urls: [], nats: target, tls: {insecure: false}, intervalMs: 300, timeoutMs: 2000, sort: 'cid', reverse: false, state: 'open', rawNumbers: true, lookup: false, showSubs: false};
	const source = new SysSource(target, {timeoutMs: 2000});
	const poller = new Poller(source, {intervalMs: 300});
	const app = render(<App config={config} source={source} poller={poller} width={120} height={30} />);
	cleanups.push(async () => {
		app.unmount();
		await poller.stop();
		await source.close();
	});
	const frame = () => app.lastFrame() ?? '';
	const shows = async (test: (s: string) => boolean, what: string) => {
		try {
			await waitFor(() => test(frame()), {timeoutMs: 10_000, intervalMs: 25, what});
		} catch (error) {
			throw new Error(`${(error as Error).message}\n--- screen ---\n${frame()}`);
		}
		return frame();
	};
	let screen = await shows(s => s.includes('3 servers') && /showing 1–\d+ of 1[5-9]/.test(s), 'cluster header and connections');
	assert.match(screen, /SERVER/);
	for (const i of [1, 2, 3]) assert.match(screen, new RegExp(`app${i}-\\d`), `clients of server ${i} listed`);
	assert.match(screen, /account SYS/, 'who we are');
	assert.doesNotMatch(screen, new RegExp(accounts.users.sys.password), 'the password is nowhere on screen');
	app.stdin.write('2');
	screen = await shows(s => nodes.every(n => s.includes(n.name)) && s.includes('ROUTES'), 'servers view');
	assert.doesNotMatch(screen, /≠|\/2/, 'no version or route mismatch in a healthy cluster');
});
