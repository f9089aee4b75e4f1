// In-memory stdin/stdout/stderr for runSubcommand: what it wrote, and a stdin to answer prompts.
import {PassThrough} from 'node:stream';
import type {CommandIo} from '../../source/actions/commands.js';

export type CapturedIo = CommandIo & {out(): string; err(): string; answer(line: string): void};

export function captureIo(options: {isTty?: boolean} = {}): CapturedIo {
	const stdout = new PassThrough();
	const stderr = new PassThrough();
	const stdin = new PassThrough();
	let out = '';
	let err = '';
	stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
	stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
	return {
		stdout,
		stderr,
		stdin,
		isTty: options.isTty ?? false,
		out: () => out,
		err: () => err,
		answer: line => {
			stdin.write(`${line}\n`);
		},
	};
}
