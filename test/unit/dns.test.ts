import {test} from 'node:test';
import assert from 'node:assert/strict';
import {DnsCache} from '../../source/poll/dns.js';

test('reverse DNS answers later, from cache, bounded in concurrency, names sanitized', async () => {
	let active = 0;
	let peak = 0;
	const asked: string[] = [];
	const cache = new DnsCache(
		async ip => {
			asked.push(ip);
			active++;
			peak = Math.max(peak, active);
			await new Promise(resolve => setTimeout(resolve, 5));
			active--;
			if (ip === '10.0.0.9') throw new Error('NXDOMAIN');
			return [ip === '10.0.0.1' ? 'evil\u001b[2J.example' : `host-${ip}`];
		},
		{concurrency: 2, maxEntries: 100, ttlMs: 60_000, now: Date.now},
	);
	let changes = 0;
	cache.onChange(() => changes++);
	const ips = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.9', '10.0.0.5'];
	for (const ip of ips) assert.equal(cache.resolve(ip), undefined, 'never blocks: nothing yet');
	for (const ip of ips) cache.resolve(ip);
	await new Promise(resolve => setTimeout(resolve, 60));
	assert.equal(peak, 2, 'at most two lookups at once');
	assert.deepEqual(asked.sort(), [...ips].sort(), 'each address asked once');
	assert.equal(cache.resolve('10.0.0.1'), 'evil␛[2J.example');
	assert.equal(cache.resolve('10.0.0.2'), 'host-10.0.0.2');
	assert.equal(cache.resolve('10.0.0.9'), undefined, 'a failed lookup keeps the address');
	assert.equal(changes, 4, 'one re-render per name found');
});
