// How NATS client errors read on screen; here the lost link of a user whose JWT ran out.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {natsSourceError} from '../../source/sources/nats-errors.js';

const disconnect = Object.assign(new Error('disconnected'), {code: 'DISCONNECT'});
const base = {url: 'nats://127.0.0.1:4222', authKind: 'creds' as const};

test('a lost link after the user JWT expired names the expiry, not a restart', () => {
	const error = natsSourceError(disconnect, {...base, jwtExpiresAt: Date.UTC(2026, 0, 2, 3, 4, 5)});
	assert.equal(error.code, 'auth');
	assert.equal(error.message, 'the user JWT has expired (at 2026-01-02T03:04:05Z); 127.0.0.1:4222 closed the connection');
	assert.match(error.hint ?? '', /fresh creds file/);
});

test('a lost link with a JWT still valid, or none, is a lost link', () => {
	for (const jwtExpiresAt of [Date.now() + 3_600_000, undefined]) {
		const error = natsSourceError(disconnect, {...base, jwtExpiresAt});
		assert.equal(error.code, 'reset');
		assert.equal(error.message, '127.0.0.1:4222 closed the connection');
	}
});
