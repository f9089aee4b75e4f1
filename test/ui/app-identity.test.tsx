// The status line's login text for password and token logins: who, never the secret.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {identityText} from '../../source/app.js';
import type {Config, NatsAuth} from '../../source/config/types.js';

const base: Config = {transport: 'nats', urls: [], tls: {insecure: false}, intervalMs: 1000, timeoutMs: 5000, sort: 'cid', reverse: false, state: 'open', rawNumbers: false, lookup: false, showSubs: false, demo: false};

function over(auth: NatsAuth): Config {
	return {...base, nats: {servers: ['nats://127.0.0.1:4222'], auth, tls: {insecure: false, first: false}, identity: {warnings: []}}};
}

test('a user/password login shows the user name, a token login says token; neither shows the secret', () => {
	const password = identityText(over({kind: 'user-password', user: 'sys', password: 's3cret-pw'}));
	assert.equal(password, 'user sys');
	const token = identityText(over({kind: 'token', token: 's3cret-token'}));
	assert.equal(token, 'token');
	assert.equal(identityText(over({kind: 'none'})), '');
});

test('a hostile user name is shown as pictures, not obeyed', () => {
	const text = identityText(over({kind: 'user-password', user: 'ops\u001b[2J', password: 'x'}));
	assert.doesNotMatch(text, /\u001b/);
	assert.match(text, /^user ops/);
});
