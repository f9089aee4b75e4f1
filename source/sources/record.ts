// --record FILE: a Source that passes every request through and writes what came back (answers,
// per-server failures, whole-request errors, live events, link changes) to an NDJSON file, gzip
// when the name ends in .gz. See replay/format.ts for the lines.
//
// Writing never holds up a refresh: a line is serialized at once and queued, and the queue is
// written on the next turn of the event loop. Memory is bounded: when more than
// `maxPendingBytes` are waiting for a slow disk, new entries are dropped (counted) and a "gap"
// line says how many once the disk catches up; the UI never waits for the disk. gzip output is
// sync-flushed after every batch, so a killed natscope leaves a file that reads up to its last
// batch. A write error (disk full) stops the recording and is reported by stats(); the UI goes on.
import type {WriteStream} from 'node:fs';
import {openSync, createWriteStream} from '../node-fs.js';
import {createGzip, constants as zlibConstants, type Gzip} from 'node:zlib';
import {finished} from 'node:stream/promises';
import {sanitizeText} from '../model/sanitize.js';
import {answerLine, errorOf, RECORDING_FORMAT, RECORDING_VERSION, type HeaderLine, type RecordLine} from '../replay/format.js';
import {
	SourceError,
	type Gathered,
	type Kind,
	type LinkState,
	type Source,
	type SourceRequest,
	type SysEvent,
} from './types.js';

export type RecordOptions = {
	/** Version of the natscope that records (for the header). */
	natscopeVersion: string;
	/** Free text for the header (e.g. what a demo shows). */
	note?: string;
	/** Replaces the inner source's description in the header (it is sanitized either way). */
	description?: string;
	/**
	 * Strings that must never reach the file (the password, token or seed we log in with). The
	 * recorder never sees the config, so these are a second line of defence: wherever one would
	 * appear it is replaced by [redacted].
	 */
	secrets?: readonly string[];
	/** Bytes waiting for the disk before new entries are dropped (default 32 MiB). */
	maxPendingBytes?: number;
	now?: () => number;
};

export type RecorderStats = {
	file: string;
	/** Lines accepted (header included). */
	lines: number;
	/** Entries dropped because the disk could not keep up. */
	dropped: number;
	/** Bytes waiting to be written. */
	pendingBytes: number;
	/** Set once writing failed; nothing more is written. */
	error?: string;
};

const DEFAULT_MAX_PENDING = 32 * 1024 * 1024;

/** Credentials in URLs (scheme://user:pass@host) anywhere in a text. */
export function stripUserinfo(text: string): string {
	return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^@\s/]*@/gi, '$1');
}

function openError(file: string, error: NodeJS.ErrnoException): SourceError {
	const why =
		error.code === 'ENOENT'
			? 'no such directory'
			: error.code === 'EACCES' || error.code === 'EPERM'
				? 'permission denied'
				: error.code === 'EISDIR'
					? 'is a directory'
					: error.code === 'EROFS'
						? 'read-only file system'
						: (error.code ?? 'cannot open');
	return new SourceError('unknown', `cannot write the recording ${sanitizeText(file, 256)}: ${why}`, 'choose a writable path for --record');
}

/** Appends lines to a file through an optional gzip stream, never blocking the caller. */
export class RecordingWriter {
	private readonly out: WriteStream;
	private readonly gzip: Gzip | undefined;
	private queue: string[] = [];
	private queuedBytes = 0;
	private scheduled = false;
	private waitingForDrain = false;
	private closing: Promise<void> | undefined;
	private lines = 0;
	private dropped = 0;
	private droppedSince = 0;
	private droppedUnreported = 0;
	private error: string | undefined;
	private readonly errorWaiters = new Set<() => void>();

	/** Opens (creates or truncates, mode 0600) at once, so a bad path fails before the UI starts. */
	constructor(
		readonly file: string,
		private readonly maxPendingBytes = DEFAULT_MAX_PENDING,
		private readonly now: () => number = Date.now,
	) {
		let fd: number;
		try {
			fd = openSync(file, 'w', 0o600);
		} catch (error) {
			throw openError(file, error as NodeJS.ErrnoException);
		}
		this.out = createWriteStream('', {fd, autoClose: true});
		this.out.on('error', error => this.fail(error));
		if (file.endsWith('.gz')) {
			this.gzip = createGzip();
			this.gzip.on('error', error => this.fail(error));
			this.gzip.pipe(this.out);
		}
	}

	private get sink(): NodeJS.WritableStream & {writableLength: number} {
		return this.gzip ?? this.out;
	}

	private fail(error: Error): void {
		if (this.error) return;
		const code = (error as NodeJS.ErrnoException).code;
		this.error = code === 'ENOSPC' ? 'the disk is full' : sanitizeText(code ?? error.message, 200);
		this.queue = [];
		this.queuedBytes = 0;
		for (const wake of this.errorWaiters) wake();
	}

	/** Resolves on 'drain', or at once when writing has failed (no drain will come then). */
	private drainOrError(): Promise<void> {
		if (this.error) return Promise.resolve();
		return new Promise(resolve => {
			const done = (): void => {
				this.errorWaiters.delete(done);
				this.sink.removeListener('drain', done);
				resolve();
			};
			this.errorWaiters.add(done);
			this.sink.once('drain', done);
		});
	}

	stats(): RecorderStats {
		return {
			file: this.file,
			lines: this.lines,
			dropped: this.dropped,
			pendingBytes: this.pending(),
			...(this.error ? {error: this.error} : {}),
		};
	}

	private pending(): number {
		return this.queuedBytes + this.sink.writableLength + (this.gzip ? this.out.writableLength : 0);
	}

	/** Queue one serialized line (with its newline). Returns false when it was dropped. */
	write(text: string): boolean {
		if (this.error || this.closing) return false;
		if (this.lines > 0 && this.pending() + text.length > this.maxPendingBytes) {
			if (this.droppedUnreported === 0) this.droppedSince = this.now();
			this.dropped++;
			this.droppedUnreported++;
			return false;
		}
		if (this.droppedUnreported > 0) {
			const gap = `${JSON.stringify({t: 'gap', at: this.now(), dropped: this.droppedUnreported, since: this.droppedSince})}\n`;
			this.droppedUnreported = 0;
			this.push(gap);
		}
		this.push(text);
		return true;
	}

	private push(text: string): void {
		this.queue.push(text);
		this.queuedBytes += text.length;
		this.lines++;
		this.schedule();
	}

	private schedule(): void {
		if (this.scheduled || this.waitingForDrain) return;
		this.scheduled = true;
		setImmediate(() => this.pump());
	}

	private pump(): void {
		this.scheduled = false;
		if (this.error || this.queue.length === 0) return;
		const chunk = this.queue.join('');
		this.queue = [];
		this.queuedBytes = 0;
		const more = this.sink.write(chunk);
		// A sync flush ends every batch on a byte boundary a reader can decompress up to.
		this.gzip?.flush(zlibConstants.Z_SYNC_FLUSH);
		if (!more) {
			this.waitingForDrain = true;
			this.sink.once('drain', () => {
				this.waitingForDrain = false;
				this.schedule();
			});
		}
	}

	/** Write what is queued and close the file. */
	close(): Promise<void> {
		this.closing ??= (async () => {
			while (!this.error && (this.queue.length > 0 || this.scheduled || this.waitingForDrain)) {
				if (this.scheduled || this.queue.length > 0) this.pump();
				if (this.waitingForDrain) await this.drainOrError();
			}
			this.sink.end();
			try {
				await finished(this.out);
			} catch {
				// already reported through fail()
			}
		})();
		return this.closing;
	}
}

/** A Source that records what `inner` answers. Has the same shape and behaviour as `inner`. */
export class RecordingSource implements Source {
	readonly transport: Source['transport'];
	readonly description: string;
	readonly linkState?: () => LinkState;
	readonly onLinkState?: (listener: (state: LinkState) => void) => () => void;
	readonly subscribe?: (subjects: readonly string[], onEvent: (event: SysEvent) => void, onError?: (error: SourceError) => void) => () => void;
	private readonly writer: RecordingWriter;
	private readonly now: () => number;
	private readonly secrets: string[];
	private readonly stopLinkWatch: (() => void) | undefined;

	constructor(
		private readonly inner: Source,
		file: string,
		options: RecordOptions,
	) {
		this.transport = inner.transport;
		this.description = inner.description;
		this.now = options.now ?? Date.now;
		// JSON-escaped, as they would appear inside a line; very short strings would mangle the file.
		this.secrets = (options.secrets ?? []).filter(s => s.length >= 4).map(s => JSON.stringify(s).slice(1, -1));
		this.writer = new RecordingWriter(file, options.maxPendingBytes, this.now);
		const started = this.now();
		const header: HeaderLine = {
			t: 'header',
			format: RECORDING_FORMAT,
			version: RECORDING_VERSION,
			natscope: options.natscopeVersion,
			transport: inner.transport,
			description: sanitizeText(stripUserinfo(options.description ?? inner.description), 512),
			started,
			startedIso: new Date(started).toISOString(),
			...(options.note ? {note: sanitizeText(options.note, 512)} : {}),
		};
		this.writeLine(header);
		if (inner.linkState) this.linkState = () => inner.linkState!();
		if (inner.onLinkState) {
			this.onLinkState = listener => inner.onLinkState!(listener);
			const initial = inner.linkState?.();
			if (initial) this.writeLine({t: 'link', at: started, state: initial});
			this.stopLinkWatch = inner.onLinkState(state => this.writeLine({t: 'link', at: this.now(), state}));
		}
		if (inner.subscribe) {
			this.subscribe = (subjects, onEvent, onError) =>
				inner.subscribe!(
					subjects,
					event => {
						this.writeLine({t: 'event', at: this.now(), event});
						onEvent(event);
					},
					onError,
				);
		}
	}

	/** Lines written, dropped, waiting, and the write error if writing stopped. */
	stats(): RecorderStats {
		return this.writer.stats();
	}

	private writeLine(line: HeaderLine | RecordLine): void {
		// A user JWT can be a bearer credential: its presence is kept, its text is not.
		let text = JSON.stringify(line, (key, value: unknown) => (key === 'jwt' && typeof value === 'string' && value !== '' ? '[redacted]' : value));
		for (const secret of this.secrets) text = text.replaceAll(secret, '[redacted]');
		this.writer.write(`${text}\n`);
	}

	async request<K extends Kind>(request: Extract<SourceRequest, {kind: K}>, signal?: AbortSignal): Promise<Gathered<K>> {
		const started = this.now();
		try {
			const gathered = await this.inner.request(request, signal);
			this.writeLine(answerLine(request, gathered as Gathered, started, this.now()));
			return gathered;
		} catch (error) {
			// Cancelled by us (scroll, view change): not something the server said.
			if (error instanceof SourceError && error.code !== 'aborted') {
				this.writeLine({t: 'error', at: this.now(), rtt: this.now() - started, kind: request.kind, request, ...errorOf(error)});
			}
			throw error;
		}
	}

	async close(): Promise<void> {
		this.stopLinkWatch?.();
		try {
			await this.inner.close();
		} finally {
			await this.writer.close();
		}
	}
}

/** Wrap `inner` so that everything it answers is also written to `file`. Throws SourceError when the file cannot be created. */
export function recordingSource(inner: Source, file: string, options: RecordOptions): RecordingSource {
	return new RecordingSource(inner, file, options);
}
