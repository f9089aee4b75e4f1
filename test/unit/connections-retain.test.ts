// A row maker keeps what it needs of the previous answer (its connections, for rates), never
// the previous answer itself: the rows cache of each answer would otherwise keep every earlier
// answer alive, one through the next (a leak found by the soak: +10–15 MiB a minute).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';
import {connRowMaker} from '../../source/model/connections.js';
import {makeConn, makeConnz} from '../helpers/fixtures.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

test('a row maker does not keep the previous answer alive', async () => {
	let first: ReturnType<typeof makeConnz> | undefined = makeConnz([makeConn({cid: 1})]);
	const firstRef = new WeakRef(first);
	const second = makeConnz([makeConn({cid: 1, msgs_to: 10})]);
	const maker = connRowMaker({connz: second, prev: first, resolveHost: () => undefined});
	first = undefined;
	for (let i = 0; i < 5 && firstRef.deref(); i++) {
		await new Promise(resolve => setImmediate(resolve));
		gc();
	}
	assert.equal(firstRef.deref(), undefined, 'the previous Connz was collected while its successor\'s row maker lives');
	assert.equal(maker(second.connections[0]!).conn.cid, 1);
});
