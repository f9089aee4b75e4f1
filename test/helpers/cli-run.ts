// Run the built CLI (dist/cli.js) as a child process, and the checks every fault test makes on
// what it printed or drew: no stack trace, no escape character, nothing wider than the screen.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import stringWidth from 'string-width';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
export const DNS_SHIM = fileURLToPath(new URL('../faults/dns-shim.mjs', import.meta.url));

export type CliResult = {code: number; stdout: string; stderr: string; ms: number};

/** node dist/cli.js …args, no shell; `nodeArgs` go before the script (e.g. --import a shim). */
export function runCli(args: string[], options: {timeoutMs?: number; env?: Record<string, string>; nodeArgs?: string[]} = {}): Promise<CliResult> {
	const started = Date.now();
	return new Promise(resolve => {
		execFile(
			process.execPath,
			[...(options.nodeArgs ?? []), CLI, ...args],
			{timeout: options.timeoutMs ?? 20_000, maxBuffer: 64 * 1024 * 1024, env: {...process.env, NO_COLOR: '1', ...options.env}},
			(error, stdout, stderr) => {
				const code = error ? (typeof error.code === 'number' ? error.code : 99) : 0;
				resolve({code, stdout, stderr, ms: Date.now() - started});
			},
		);
	});
}

// A V8 stack frame ("    at fn (file.js:1:2)", "at node:internal/…") or an exception class name
// leaking out of a message.
const STACK = /^\s*at .*(\(.*:\d+:\d+\)|:\d+:\d+$|node:internal)|\b(TypeError|SyntaxError|ReferenceError|RangeError)\b|node:internal/m;

export function assertNoStack(text: string, what: string): void {
	assert.doesNotMatch(text, STACK, `${what}: no stack trace or exception name\n${text}`);
}

/** No escape sequence or other control character (besides newline) got through. */
export function assertNoControls(text: string, what: string): void {
	const bad = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u.exec(text);
	assert.equal(bad, null, `${what}: control character U+${bad?.[0].codePointAt(0)?.toString(16).padStart(4, '0')} at ${bad?.index}`);
}

/** Every line fits the terminal width, measured as the terminal does (string-width). */
export function assertFits(screen: string, width: number, what: string): void {
	screen.split('\n').forEach((line, index) => {
		const cells = stringWidth(line);
		assert.ok(cells <= width, `${what}: line ${index + 1} is ${cells} cells wide (> ${width}): ${JSON.stringify(line)}`);
	});
}

/**
 * A failing one-shot run: exit 1, nothing on stdout, exactly one line on stderr (after the
 * "natscope: warning: …" lines printed before the run, when `warnings` allows them).
 */
export function assertOneLineFailure(result: CliResult, what: string, options: {warnings?: boolean} = {}): string {
	assert.equal(result.code, 1, `${what}: exit 1 (stderr: ${result.stderr})`);
	assert.equal(result.stdout, '', `${what}: nothing on stdout`);
	const lines = result.stderr.split('\n').filter(l => l !== '' && !(options.warnings && l.startsWith('natscope: warning: ')));
	assert.equal(lines.length, 1, `${what}: one line on stderr, got ${JSON.stringify(result.stderr)}`);
	assertNoStack(result.stderr, what);
	assertNoControls(result.stderr, what);
	assert.match(lines[0]!, /^natscope: /, `${what}: the line says who is talking`);
	return lines[0]!;
}
