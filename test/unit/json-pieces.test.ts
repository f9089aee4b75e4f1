// Large pretty-printed bodies parsed in pieces must give exactly what JSON.parse gives, and
// anything that is not that shape must be left to a whole-body parse (undefined).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {parseInPieces} from '../../source/sources/json-pieces.js';

/** A /connz-shaped object with `count` connections; names chosen to sit on piece boundaries. */
function connz(count: number, name: (i: number) => string): Record<string, unknown> {
	return {
		server_id: 'NTEST',
		now: '2026-12-05T14:00:00.123456789Z',
		num_connections: count,
		total: count,
		offset: 0,
		limit: count,
		connections: Array.from({length: count}, (_, i) => ({
			cid: i + 1,
			kind: 'Client',
			ip: '127.0.0.1',
			pending_bytes: i * 7,
			name: name(i),
			subscriptions_list: i % 5 === 0 ? ['a.b', 'c.>'] : [],
			subscriptions_list_detail: i % 7 === 0 ? [{subject: 'x', sid: '1', msgs: 1}] : [],
			tags: [],
		})),
	};
}

/** As nats-server writes it: two spaces a level (Go's MarshalIndent and JSON.stringify agree). */
const pretty = (value: unknown): Buffer => Buffer.from(JSON.stringify(value, null, 2));

test('a large /connz-shaped body parses in pieces to exactly what JSON.parse gives', () => {
	const tricky = (i: number): string =>
		[`plain-${i}`, 'é'.repeat(i % 300), '\n    },\n    {', '"quoted" \\ back', '🚀 clé ü', '\u2028\u0000', ''.padEnd(i % 97, 'x')][i % 7]!;
	for (const count of [600, 1_000, 3_000]) {
		const body = pretty(connz(count, tricky));
		assert.ok(body.length > 128 * 1024, `${count} connections make a large body`);
		const pieces = parseInPieces(body, 'connections');
		assert.notEqual(pieces, undefined, 'the pieces path was taken');
		assert.deepEqual(pieces, JSON.parse(body.toString('utf8')));
	}
});

test('one element larger than a piece, and the last element alone in its piece', () => {
	const huge = connz(400, i => (i === 200 ? 'y'.repeat(300_000) : `n${i}`));
	const body = pretty(huge);
	assert.deepEqual(parseInPieces(body, 'connections'), huge);
	// Sizes around the piece boundary: every cut lands somewhere else.
	for (let count = 130; count < 160; count += 3) {
		const value = connz(count, i => `c${i}`.padEnd(900, '.'));
		assert.deepEqual(parseInPieces(pretty(value), 'connections'), value);
	}
});

test('other shapes are left whole: compact, small, another key, the array not last, empty array', () => {
	const value = connz(1_000, i => `n${i}`);
	assert.equal(parseInPieces(Buffer.from(JSON.stringify(value)), 'connections'), undefined, 'compact');
	assert.equal(parseInPieces(pretty(value), 'streams'), undefined, 'another key');
	assert.equal(parseInPieces(pretty(connz(3, i => `n${i}`)), 'connections'), undefined, 'small');
	assert.equal(parseInPieces(pretty({...value, zz_after: [{a: 1}], last: 'x'}), 'connections'), undefined, 'members after the array');
	assert.equal(parseInPieces(pretty({...value, connections: [], padding: 'p'.repeat(200_000)}), 'connections'), undefined, 'an empty array');
});

test('a damaged large body is never half-parsed: left to the whole-body parse, which fails', () => {
	const body = pretty(connz(1_000, i => `n${i}`));
	// A stray character right after a raw newline is always between tokens: in the envelope, in
	// a middle piece, in the last one.
	for (const near of [5, Math.floor(body.length / 2), body.length - 40]) {
		const at = body.indexOf('\n', near) + 1;
		const damaged = Buffer.concat([body.subarray(0, at), Buffer.from('x'), body.subarray(at)]);
		assert.throws(() => JSON.parse(damaged.toString()), SyntaxError);
		assert.equal(parseInPieces(damaged, 'connections'), undefined, `damaged at ${at}`);
	}
	assert.equal(parseInPieces(body.subarray(0, body.length - 200), 'connections'), undefined, 'truncated');
});
