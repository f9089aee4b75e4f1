// readSeed (source/config/seed.ts) answers as nkeys.js does, for seeds of every role and for
// damaged ones: same role, same user public key, invalid exactly where nkeys throws.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createAccount, createCluster, createCurve, createOperator, createServer, createUser, fromSeed} from 'nkeys.js';
import {crc16, readSeed} from '../../source/config/seed.js';

const decoder = new TextDecoder();

function nkeysAnswer(token: string): {role: string; publicKey?: string} | 'invalid' {
	try {
		const publicKey = fromSeed(new TextEncoder().encode(token)).getPublicKey();
		return publicKey.startsWith('U') ? {role: 'U', publicKey} : {role: publicKey[0]!};
	} catch {
		return 'invalid';
	}
}

function ours(token: string): {role: string; publicKey?: string} | 'invalid' {
	try {
		return readSeed(token);
	} catch {
		return 'invalid';
	}
}

test('CRC-16/XMODEM of "123456789" is 0x31C3', () => {
	assert.equal(crc16(new TextEncoder().encode('123456789')), 0x31c3);
});

test('seeds of every role: the role, and for users the public key nkeys.js derives', () => {
	const makers = [createUser, createAccount, createOperator, createServer, createCluster, createCurve];
	for (let i = 0; i < 40; i++) {
		for (const make of makers) {
			const kp = make();
			const seed = decoder.decode(kp.getSeed());
			const answer = ours(seed);
			assert.deepEqual(answer, nkeysAnswer(seed), seed);
			if (make === createUser) assert.deepEqual(answer, {role: 'U', publicKey: kp.getPublicKey()});
		}
	}
});

test('damaged seeds: invalid (or not) exactly as nkeys.js says', () => {
	const seed = decoder.decode(createUser().getSeed());
	const variants = [
		'',
		'S',
		'SU',
		'SUA',
		'SUAA',
		seed.slice(0, -1),
		seed.slice(0, 20),
		`${seed}A`,
		`${seed}AA`,
		seed.toLowerCase(),
		`${seed.slice(0, 10)}1${seed.slice(11)}`,
		`${seed.slice(0, 10)}é${seed.slice(11)}`,
		` ${seed}`,
		'SUAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
		decoder.decode(createUser().getPublicKey() === '' ? new Uint8Array() : new TextEncoder().encode(createUser().getPublicKey())),
	];
	// Every one-character change of a real seed.
	for (let i = 0; i < seed.length; i++) {
		for (const c of ['A', 'Z', '2', '7']) if (seed[i] !== c) variants.push(seed.slice(0, i) + c + seed.slice(i + 1));
	}
	for (const variant of variants) assert.deepEqual(ours(variant), nkeysAnswer(variant), JSON.stringify(variant));
});
