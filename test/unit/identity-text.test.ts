import {test} from 'node:test';
import assert from 'node:assert/strict';
import {identityText} from '../../source/app.js';
import type {Config} from '../../source/config/types.js';

const base: Config = {transport: 'nats', urls: [], tls: {insecure: false}, intervalMs: 1000, timeoutMs: 5000, sort: 'cid', reverse: false, state: 'open', rawNumbers: false, lookup: false, showSubs: false};

test('identity on the status line: short keys, account, expiry or the first warning; never a secret', () => {
	const nats = (identity: NonNullable<Config['nats']>['identity']): Config => ({
		...base,
		nats: {servers: ['nats://127.0.0.1:4222'], auth: {kind: 'user-password', user: 'sys', password: 's3cret'}, tls: {insecure: false, first: false}, identity},
	});
	assert.equal(identityText(base), '');
	const text = identityText(nats({userPublicKey: 'UABCDEFGHIJKLMNOPQRSTUVWXYZ234567', account: 'SYS', jwtExpiresAt: Date.UTC(2027, 0, 2), warnings: []}));
	assert.equal(text, 'user UABCDE…4567 · account SYS · jwt until 2027-01-02');
	assert.equal(identityText(nats({account: 'SYS', warnings: ['user JWT expires in 3 days (2026-11-25)']})), 'account SYS · ⚠ user JWT expires in 3 days (2026-11-25)');
	assert.doesNotMatch(identityText(nats({warnings: []})), /s3cret/);
});
