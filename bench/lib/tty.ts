// A terminal for the real Ink app without a terminal: a stdout of fixed size that counts what is
// written, and a stdin that accepts raw mode and never types.
import {EventEmitter} from 'node:events';

export class FakeStdout extends EventEmitter {
	readonly isTTY = true;
	bytes = 0;
	writes = 0;
	last = '';

	constructor(
		readonly columns: number,
		readonly rows: number,
		private readonly keep = false,
	) {
		super();
	}

	write = (chunk: string | Uint8Array, encoding?: unknown, callback?: unknown): boolean => {
		this.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
		this.writes++;
		if (this.keep && typeof chunk === 'string' && chunk.length > 64) this.last = chunk;
		const done = typeof encoding === 'function' ? encoding : callback;
		if (typeof done === 'function') (done as () => void)();
		return true;
	};

	// Ink asks for these on some paths.
	getColorDepth(): number {
		return 8;
	}

	hasColors(): boolean {
		return true;
	}
}

export class FakeStdin extends EventEmitter {
	readonly isTTY = true;
	setEncoding(): void {}
	setRawMode(): void {}
	resume(): void {}
	pause(): void {}
	ref(): void {}
	unref(): void {}
	read(): null {
		return null;
	}
}
