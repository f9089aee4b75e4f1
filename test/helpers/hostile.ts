// Hostile input for tests: strings built to break a terminal (escape sequences, C0/C1 controls,
// bidi overrides, zero-width and combining characters, wide characters, 100 KB), raw bytes that
// are not UTF-8, and a client that sends them to a real nats-server byte for byte (CONNECT
// name/lang/version, SUB subjects), answering the server's PINGs so that it stays connected.
import net from 'node:net';
import stringWidth from 'string-width';
import {waitFor} from './wait.js';

/** Each a separate attack; tests prefix them with a marker ("hx3-") to find their rows. */
export const HOSTILE_STRINGS = {
	ansi: '\u001b]0;pwned\u0007\u001b[2J\u001b[H\u001b[31mred\u001b[0m',
	controls: 'c0\u0000\u0001\u0008\t\r\n\u007f c1\u0085\u009b31m\u009d0;x\u009c',
	bidi: '\u202eevil\u202c\u2066iso\u2069\u200f\u061c',
	zeroWidth: 'zw\u200b\u200c\u200d\ufeff\u2060\u00adname',
	wide: '界界界🙂wide',
	combining: 'Z\u0334\u0321\u0347a\u0338l\u0337g\u0336o\u0301\u0301\u0301\u0301',
	long: `long${'L'.repeat(100 * 1024)}`,
	// What a delimited or quoted output must escape.
	delimiters: 'd,e;l\t"q"\'s\\',
} as const;

/** Bytes that are not UTF-8 (a lone continuation byte, a truncated sequence, 0xFF). */
export const INVALID_UTF8 = Buffer.from([0x69, 0x6e, 0x76, 0xff, 0xfe, 0xc3, 0x28, 0x80, 0xe2, 0x82]);

export type HostileClient = {socket: net.Socket; close(): void};

/**
 * Connect to 127.0.0.1:port and send CONNECT with these raw bytes as the JSON string values of
 * name, lang and version (so invalid UTF-8 reaches the server as is), then SUB each subject.
 */
export async function hostileClient(
	port: number,
	options: {name: Buffer | string; lang?: Buffer | string; version?: Buffer | string; subjects?: Array<Buffer | string>; user?: string; pass?: string},
): Promise<HostileClient> {
	const socket = net.connect({host: '127.0.0.1', port});
	let received = '';
	let failed: string | undefined;
	socket.on('error', error => {
		failed = error.message;
	});
	socket.on('data', (chunk: Buffer) => {
		received += chunk.toString('latin1');
		// Keep the connection alive: the server pings idle clients.
		while (received.includes('PING\r\n')) {
			received = received.replace('PING\r\n', '');
			socket.write('PONG\r\n');
		}
		const error = /-ERR [^\r]*/.exec(received);
		if (error) failed = error[0];
	});
	await waitFor(() => failed !== undefined || received.includes('INFO {'), {timeoutMs: 5000, what: 'INFO from the server'});
	const jsonString = (value: Buffer | string): Buffer =>
		Buffer.isBuffer(value) ? Buffer.concat([Buffer.from('"'), value, Buffer.from('"')]) : Buffer.from(JSON.stringify(value));
	const fields: Buffer[] = [Buffer.from('{"verbose":false,"pedantic":false,"protocol":1')];
	if (options.user) fields.push(Buffer.from(`,"user":${JSON.stringify(options.user)},"pass":${JSON.stringify(options.pass ?? '')}`));
	fields.push(Buffer.from(',"name":'), jsonString(options.name));
	fields.push(Buffer.from(',"lang":'), jsonString(options.lang ?? 'raw'));
	fields.push(Buffer.from(',"version":'), jsonString(options.version ?? '0'));
	fields.push(Buffer.from('}'));
	const lines: Buffer[] = [Buffer.from('CONNECT '), ...fields, Buffer.from('\r\n')];
	(options.subjects ?? []).forEach((subject, index) => lines.push(Buffer.from('SUB '), Buffer.from(subject), Buffer.from(` ${index + 1}\r\n`)));
	lines.push(Buffer.from('PING\r\n'));
	received = '';
	socket.write(Buffer.concat(lines));
	await waitFor(() => failed !== undefined || received.includes('PONG'), {timeoutMs: 5000, what: 'PONG after CONNECT'});
	if (failed !== undefined) {
		socket.destroy();
		throw new Error(`hostile client: ${failed}`);
	}
	return {socket, close: () => socket.destroy()};
}

const graphemes = new Intl.Segmenter(undefined, {granularity: 'grapheme'});

/** The display column (0-based, in terminal cells) where `needle` starts in `line`, or -1. */
export function displayColumn(line: string, needle: string | RegExp): number {
	const index = typeof needle === 'string' ? line.indexOf(needle) : line.search(needle);
	return index < 0 ? -1 : stringWidth(line.slice(0, index));
}

/** `line` cut into cells by display columns [starts[i], starts[i+1]). */
export function cellsAt(line: string, starts: number[]): string[] {
	const cells = starts.map(() => '');
	let column = 0;
	for (const {segment} of graphemes.segment(line)) {
		let index = -1;
		for (let i = 0; i < starts.length; i++) if (column >= starts[i]!) index = i;
		if (index >= 0) cells[index] += segment;
		column += stringWidth(segment);
	}
	return cells;
}
