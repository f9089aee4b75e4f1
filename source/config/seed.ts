// An nkey seed's role and, for a user seed, its public key, without nkeys.js: that package (and
// the crypto it loads) cost every start ~20 ms of module loading, for a check that only runs when
// a seed or creds file is given. The format, as nkeys.js reads it: base32 (RFC 4648 alphabet, no
// padding) of [seed prefix | role, raw 32-byte ed25519 seed, CRC-16/XMODEM little-endian]; the
// public key is base32 of [role, ed25519 public key, CRC-16]. test/unit/seed.test.ts checks every
// answer against nkeys.js.
import {createRequire} from 'node:module';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SEED = 144; // 18 << 3: the "S" of every seed
/** Role prefix bytes nkeys accepts in a seed, and the letter each public key starts with. */
const ROLES = new Map<number, string>([
	[160, 'U'], // user
	[0, 'A'], // account
	[112, 'O'], // operator
	[104, 'N'], // server
	[16, 'C'], // cluster
	[184, 'X'], // curve (xkey)
]);
// PKCS#8 DER of an Ed25519 private key, up to its 32 seed bytes.
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

function base32Decode(text: string): Uint8Array {
	const out = new Uint8Array(Math.floor((text.length * 5) / 8));
	let bits = 0;
	let value = 0;
	let j = 0;
	for (const char of text) {
		const index = ALPHABET.indexOf(char);
		if (index === -1 || char.length !== 1) throw new Error('not base32');
		value = ((value << 5) | index) & 0xffff;
		bits += 5;
		if (bits >= 8) {
			out[j++] = (value >>> (bits - 8)) & 255;
			bits -= 8;
		}
	}
	return out.slice(0, j);
}

function base32Encode(bytes: Uint8Array): string {
	let out = '';
	let bits = 0;
	let value = 0;
	for (const byte of bytes) {
		value = ((value << 8) | byte) & 0xffff;
		bits += 8;
		while (bits >= 5) {
			out += ALPHABET[(value >>> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
	return out;
}

/** CRC-16/XMODEM (polynomial 0x1021, initial 0), as nkeys checks it. */
export function crc16(bytes: Uint8Array): number {
	let crc = 0;
	for (const byte of bytes) {
		crc ^= byte << 8;
		for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
	}
	return crc;
}

export type SeedRole = {
	/** The letter the matching public key starts with: U, A, O, N, C or X. */
	role: string;
	/** The public key, for a user seed. */
	publicKey?: string;
};

/** Decodes an nkey seed; throws (a plain Error) where nkeys.js's fromSeed(…).getPublicKey() would. */
export function readSeed(token: string): SeedRole {
	if (token.length < 4) throw new Error('too short');
	const raw = base32Decode(token);
	if (raw.length < 2) throw new Error('too short');
	const payload = raw.subarray(0, raw.length - 2);
	const checksum = raw[raw.length - 2]! | (raw[raw.length - 1]! << 8);
	if (crc16(payload) !== checksum) throw new Error('bad checksum');
	if (payload.length < 2 || (payload[0]! & 248) !== SEED) throw new Error('not a seed');
	const rolePrefix = ((payload[0]! & 7) << 5) | ((payload[1]! & 248) >> 3);
	const role = ROLES.get(rolePrefix);
	if (role === undefined) throw new Error('bad role');
	const seed = payload.subarray(2);
	if (seed.length !== 32) throw new Error('bad seed length');
	if (role !== 'U') return {role};
	// node:crypto loads only here (a builtin, so the one-file bundle has it too).
	const crypto = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
	const key = crypto.createPrivateKey({key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8'});
	const spki = crypto.createPublicKey(key).export({format: 'der', type: 'spki'});
	const body = new Uint8Array(33);
	body[0] = rolePrefix;
	body.set(spki.subarray(spki.length - 32), 1);
	const sum = crc16(body);
	return {role, publicKey: base32Encode(Uint8Array.from([...body, sum & 255, sum >> 8]))};
}
