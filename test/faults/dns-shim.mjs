// Loaded with `node --import` into the CLI under test: names ending in ".fault.test" resolve to
// 127.0.0.1 while the file named by NATSCOPE_FAULT_DNS says "up", and fail like a missing DNS
// record (ENOTFOUND) otherwise. The sandbox has no resolver a test could break and mend.
import dns from 'node:dns';
import {readFileSync} from 'node:fs';

const control = process.env.NATSCOPE_FAULT_DNS ?? '';
const original = dns.lookup;

function up() {
	try {
		return readFileSync(control, 'utf8').trim() === 'up';
	} catch {
		return false;
	}
}

dns.lookup = function lookup(hostname, options, callback) {
	if (typeof options === 'function') {
		callback = options;
		options = {};
	}
	if (typeof hostname !== 'string' || !hostname.endsWith('.fault.test')) return original.call(this, hostname, options, callback);
	if (!up()) {
		const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {code: 'ENOTFOUND', errno: -3008, syscall: 'getaddrinfo', hostname});
		process.nextTick(callback, error);
		return {};
	}
	const all = typeof options === 'object' && options !== null && options.all;
	if (all) process.nextTick(callback, null, [{address: '127.0.0.1', family: 4}]);
	else process.nextTick(callback, null, '127.0.0.1', 4);
	return {};
};
