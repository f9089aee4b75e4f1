// --replay FILE / --demo: a Source that answers from a recording, through the same poller and
// views as a live source. The replay clock runs in recording time (real time × speed, pausable,
// steppable); a request is answered with the latest recorded answer to that question at the
// clock, or one derived from a fuller answer (replay/derive.ts). A request whose answer would be
// the one it got last time waits until the clock reaches a newer one, so pausing freezes the
// screen and a faster speed skips samples, and rates always come from two different samples.
import {readFile} from 'node:fs/promises';
import {sanitizeText} from '../model/sanitize.js';
import {
	clockEnded,
	clockTime,
	fasterSpeed,
	initialClock,
	realDelayUntil,
	replayStatus,
	seekTo,
	slowerSpeed,
	stepTarget,
	withPaused,
	withSpeed,
	type ClockState,
} from '../replay/controller.js';
import {canDerive, deriveConnz} from '../replay/derive.js';
import {
	parseRecording,
	RecordingError,
	requestKey,
	toGathered,
	type AnswerLine,
	type ErrorLine,
	type EventLine,
	type HeaderLine,
	type LinkLine,
	type ParsedRecording,
} from '../replay/format.js';
import {subjectsIntersect} from '../model/subject.js';
import {
	SourceError,
	type Connz,
	type ConnzQuery,
	type Gathered,
	type Kind,
	type LinkState,
	type Source,
	type SourceRequest,
	type SysEvent,
} from './types.js';

export type ReplayOptions = {
	/** Start again at the end (the demo). */
	loop?: boolean;
	speed?: number;
	/**
	 * Begin (and loop back to) where every recorded question has had its first answer, at most
	 * WARMUP_CAP_MS in: the demo's views were opened one after another while recording, and a
	 * demo should show all of them populated from its first second.
	 */
	skipWarmup?: boolean;
	/** Start paused (tests). */
	paused?: boolean;
	now?: () => number;
};

type Answerable = AnswerLine | ErrorLine;

type Waiter = {
	request: SourceRequest;
	key: string;
	resolve: (gathered: Gathered) => void;
	reject: (error: SourceError) => void;
	signal?: AbortSignal;
	onAbort?: () => void;
};

type Watch = {subjects: readonly string[]; onEvent: (event: SysEvent) => void};

export class ReplaySource implements Source {
	readonly transport = 'replay' as const;
	/** The recorded source's description, so the header reads as it did. */
	readonly description: string;
	readonly header: HeaderLine;
	/** The first bad line of the file, when there was one (what came before it replays). */
	readonly warning: string | undefined;
	/** The same, short enough for the status line ("line 7: cut off"). */
	private readonly shortWarning: string | undefined;
	readonly linkState?: () => LinkState;
	readonly onLinkState?: (listener: (state: LinkState) => void) => () => void;
	private readonly now: () => number;
	private readonly answers: Answerable[];
	private readonly timeline: Array<EventLine | LinkLine>;
	private readonly kinds = new Set<Kind>();
	/** varz answer times: where refresh rounds begin (steps go round by round). */
	private readonly ticks: number[];
	private readonly candidates = new Map<string, number[]>();
	/** Per question, the answer served last (index into `answers`). */
	private readonly served = new Map<string, number>();
	private readonly waiters = new Set<Waiter>();
	private readonly watches = new Set<Watch>();
	private readonly linkListeners = new Set<(state: LinkState) => void>();
	private readonly changeListeners = new Set<() => void>();
	private state: ClockState;
	/** Recording time up to which timeline items were delivered. */
	private delivered: number;
	private link: LinkState | undefined;
	private timer: NodeJS.Timeout | undefined;
	private closed = false;

	constructor(recording: ParsedRecording, options: ReplayOptions = {}) {
		this.now = options.now ?? Date.now;
		this.header = recording.header;
		this.description = recording.header.description;
		this.warning = recording.problem?.message;
		this.shortWarning = this.warning?.split(/ \(|;/)[0];
		const byTime = <T extends {at: number}>(items: T[]): T[] => items.map((item, i) => ({item, i})).sort((a, b) => a.item.at - b.item.at || a.i - b.i).map(x => x.item);
		this.answers = byTime(recording.lines.filter((l): l is Answerable => l.t === 'answer' || l.t === 'error'));
		this.timeline = byTime(recording.lines.filter((l): l is EventLine | LinkLine => l.t === 'event' || l.t === 'link'));
		for (const answer of this.answers) this.kinds.add(answer.kind);
		const varz = this.answers.filter(a => a.t === 'answer' && a.kind === 'varz');
		this.ticks = (varz.length > 0 ? varz : this.answers).map(a => a.at);
		const times = recording.lines.map(l => l.at);
		const earliest = times.reduce((min, t) => Math.min(min, t), Number.POSITIVE_INFINITY);
		const latest = times.reduce((max, t) => Math.max(max, t), Number.NEGATIVE_INFINITY);
		const started = recording.header.started > 0 ? recording.header.started : earliest;
		let first = Number.isFinite(Math.min(started, earliest)) ? Math.min(started, earliest) : 0;
		const end = Number.isFinite(latest) ? latest : first;
		if (options.skipWarmup) first = Math.min(warmedUp(this.answers, first), end);
		this.state = initialClock(first, end, this.now(), {loop: options.loop, speed: options.speed});
		if (options.paused) this.state = withPaused(this.state, true, this.now());
		this.delivered = first - 1;
		if (this.timeline.some(item => item.t === 'link')) {
			this.link = this.linkAt(first);
			this.linkState = () => this.link ?? 'connected';
			this.onLinkState = listener => {
				this.linkListeners.add(listener);
				return () => {
					this.linkListeners.delete(listener);
				};
			};
		}
		this.schedule();
	}

	// --- controls ------------------------------------------------------------------------

	/** The recording's own time now (local epoch ms of the recorder). */
	clock(): number {
		return clockTime(this.state, this.now());
	}

	/** Current speed; with a factor, set it (clamped to 0.25…64). */
	speed(factor?: number): number {
		if (factor !== undefined) this.control(withSpeed(this.state, factor, this.now()));
		return this.state.speed;
	}

	faster(): number {
		return this.speed(fasterSpeed(this.state.speed));
	}

	slower(): number {
		return this.speed(slowerSpeed(this.state.speed));
	}

	paused(): boolean {
		return this.state.paused;
	}

	pause(): void {
		this.control(withPaused(this.state, true, this.now()));
	}

	resume(): void {
		// At the end of a recording that does not loop, resuming starts it over.
		const state = clockEnded(this.state, this.now()) ? seekTo(this.state, this.state.start, this.now()) : this.state;
		this.control(withPaused(state, false, this.now()));
	}

	togglePause(): void {
		if (this.state.paused || clockEnded(this.state, this.now())) this.resume();
		else this.pause();
	}

	/** Show the next (+1) or previous (-1) refresh round, and stay paused there. */
	step(direction: 1 | -1): void {
		const paused = withPaused(this.state, true, this.now());
		const target = stepTarget(this.ticks, clockTime(paused, this.now()), direction, paused.end);
		this.control(seekTo(paused, target, this.now()));
	}

	/** Jump to a recording time (clamped to the recording). */
	seek(time: number): void {
		this.control(seekTo(this.state, time, this.now()));
	}

	/**
	 * "replay ▶ ×2 · 2026-11-22 22:21:14 UTC · 0:45 / 5:00" for the status line, and where the file
	 * was bad when it was ("· ⚠ line 7: cut off"), so a damaged recording says so on screen.
	 */
	status(): string {
		const status = replayStatus(this.state, this.now());
		return this.shortWarning ? `${status} · ⚠ ${this.shortWarning}` : status;
	}

	/** First and last recording time. */
	span(): {start: number; end: number} {
		return {start: this.state.start, end: this.state.end};
	}

	/** Called after every change of speed, pause or position (not as time passes). */
	onChange(listener: () => void): () => void {
		this.changeListeners.add(listener);
		return () => {
			this.changeListeners.delete(listener);
		};
	}

	private control(next: ClockState): void {
		const before = clockTime(this.state, this.now());
		this.state = next;
		const after = clockTime(this.state, this.now());
		// Going back: events already shown are not shown again; they come again once passed anew.
		if (after < before) this.delivered = after;
		this.tick();
		for (const listener of this.changeListeners) listener();
	}

	// --- answering -------------------------------------------------------------------------

	/** Indices of recorded answers that answer `request`, by time. */
	private candidatesFor(request: SourceRequest, key: string): number[] {
		let list = this.candidates.get(key);
		if (list) return list;
		list = [];
		for (let i = 0; i < this.answers.length; i++) {
			const answer = this.answers[i]!;
			if (answer.kind !== request.kind) continue;
			if (requestKey(answer.request) === key) list.push(i);
			else if (answer.t === 'answer' && answer.replies.length > 0 && canDerive(answer.request, request, answer.replies.map(r => r.data))) list.push(i);
		}
		this.candidates.set(key, list);
		return list;
	}

	/** Position in `list` of the answer at recording time `time` (the first one before it starts). */
	private positionAt(list: readonly number[], time: number): number {
		let low = 0;
		let high = list.length - 1;
		let found = 0;
		while (low <= high) {
			const mid = (low + high) >> 1;
			if (this.answers[list[mid]!]!.at <= time) {
				found = mid;
				low = mid + 1;
			} else high = mid - 1;
		}
		return found;
	}

	private missing(request: SourceRequest): SourceError {
		if (!this.kinds.has(request.kind)) {
			return new SourceError(
				'unknown',
				`the recording holds no ${request.kind} answers`,
				`it was made by natscope ${this.header.natscope} without this view open; a replay shows what was recorded`,
			);
		}
		return new SourceError('unknown', `the recording has no answer to this ${request.kind} question (${describe(request)})`, 'a replay shows what was recorded: use the views, sort and filters used while recording');
	}

	request<K extends Kind>(request: Extract<SourceRequest, {kind: K}>, signal?: AbortSignal): Promise<Gathered<K>> {
		if (this.closed) return Promise.reject(new SourceError('aborted', 'the replay is closed'));
		if (signal?.aborted) return Promise.reject(new SourceError('aborted', 'request cancelled'));
		const key = requestKey(request);
		if (this.candidatesFor(request, key).length === 0) return Promise.reject(this.missing(request));
		return new Promise<Gathered<K>>((resolve, reject) => {
			const waiter: Waiter = {request, key, resolve: resolve as (g: Gathered) => void, reject, signal};
			if (signal) {
				waiter.onAbort = () => {
					this.waiters.delete(waiter);
					reject(new SourceError('aborted', 'request cancelled'));
				};
				signal.addEventListener('abort', waiter.onAbort, {once: true});
			}
			if (!this.answer(waiter)) {
				this.waiters.add(waiter);
				this.schedule();
			}
		});
	}

	/** Answer the waiter if the clock shows something it has not had yet. */
	private answer(waiter: Waiter): boolean {
		const list = this.candidatesFor(waiter.request, waiter.key);
		let position = this.positionAt(list, this.clock());
		const last = this.served.get(waiter.key);
		const lastPosition = last === undefined ? undefined : list.indexOf(last);
		if (lastPosition === position) return false;
		// Stepping back: give the sample before first, so the next answer has rates again.
		if (lastPosition !== undefined && position < lastPosition && position > 0) position--;
		const index = list[position]!;
		this.served.set(waiter.key, index);
		if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
		const recorded = this.answers[index]!;
		if (recorded.t === 'error') {
			waiter.reject(new SourceError(recorded.code, recorded.message, recorded.hint));
			return true;
		}
		const gathered = toGathered(recorded, this.now());
		if (waiter.key !== requestKey(recorded.request) && waiter.request.kind === 'connz') {
			const asked = waiter.request.query;
			const from = (recorded.request as {query: ConnzQuery}).query;
			gathered.replies = gathered.replies.map(reply => ({...reply, data: deriveConnz(from, asked, reply.data as Connz)}));
		}
		waiter.resolve(gathered);
		return true;
	}

	/** Next recording time at which the waiter's answer changes (undefined: never). */
	private nextChange(waiter: Waiter): number | undefined {
		const list = this.candidatesFor(waiter.request, waiter.key);
		const position = this.positionAt(list, this.clock());
		const next = list[position + 1];
		if (next !== undefined) return this.answers[next]!.at;
		return this.state.loop && position > 0 ? this.state.start : undefined;
	}

	// --- events and link state ----------------------------------------------------------

	private linkAt(time: number): LinkState | undefined {
		let state: LinkState | undefined;
		for (const item of this.timeline) {
			if (item.at > time) break;
			if (item.t === 'link') state = item.state;
		}
		return state;
	}

	subscribe(subjects: readonly string[], onEvent: (event: SysEvent) => void, _onError?: (error: SourceError) => void): () => void {
		const watch: Watch = {subjects, onEvent};
		this.watches.add(watch);
		return () => {
			this.watches.delete(watch);
		};
	}

	private deliver(time: number): void {
		if (time < this.delivered) this.delivered = time - 1; // looped round
		for (const item of this.timeline) {
			if (item.at <= this.delivered) continue;
			if (item.at > time) break;
			if (item.t === 'event') {
				for (const watch of this.watches) {
					if (watch.subjects.some(s => subjectsIntersect(s, item.event.subject))) watch.onEvent({...item.event, receivedAt: this.now()});
				}
			}
		}
		this.delivered = time;
		const link = this.linkAt(time);
		if (link && link !== this.link) {
			this.link = link;
			for (const listener of this.linkListeners) listener(link);
		}
	}

	private nextTimeline(): number | undefined {
		const next = this.timeline.find(item => item.at > this.delivered);
		if (next) return next.at;
		return this.state.loop && this.timeline.length > 0 ? this.state.start : undefined;
	}

	// --- the one timer ------------------------------------------------------------------------

	private tick(): void {
		if (this.closed) return;
		this.deliver(this.clock());
		for (const waiter of [...this.waiters]) {
			if (this.answer(waiter)) this.waiters.delete(waiter);
		}
		this.schedule();
	}

	private schedule(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
		if (this.closed) return;
		const times = [...[...this.waiters].map(w => this.nextChange(w)), this.nextTimeline()].filter((t): t is number => t !== undefined);
		let delay: number | undefined;
		for (const time of times) {
			const wait = realDelayUntil(this.state, time, this.now());
			if (wait !== undefined && (delay === undefined || wait < delay)) delay = wait;
		}
		if (delay === undefined) return;
		// Not unref'd: a request waiting on the replay clock is work in progress (--once waits for it).
		this.timer = setTimeout(() => this.tick(), Math.max(1, delay));
	}

	async close(): Promise<void> {
		this.closed = true;
		if (this.timer) clearTimeout(this.timer);
		for (const waiter of this.waiters) waiter.reject(new SourceError('aborted', 'the replay is closed'));
		this.waiters.clear();
	}
}

const WARMUP_CAP_MS = 15_000;

/** The time by which every question in the recording has had a full first answer. */
function warmedUp(answers: readonly Answerable[], first: number): number {
	const firstAnswer = new Map<string, number>();
	for (const answer of answers) {
		const key = requestKey(answer.request);
		if (answer.t === 'answer' && !firstAnswer.has(key)) firstAnswer.set(key, answer.at);
	}
	const warm = Math.max(first, ...firstAnswer.values());
	return Math.min(warm, first + WARMUP_CAP_MS);
}

function describe(request: SourceRequest): string {
	const query = 'query' in request && request.query ? request.query : {};
	const parts = Object.entries(query)
		.filter(([, v]) => v !== undefined && v !== false && v !== '')
		.map(([k, v]) => (v === true ? k : `${k} ${String(v)}`));
	return parts.length > 0 ? sanitizeText(parts.join(', '), 200) : 'no options';
}

/** A recording from bytes (a file's content); `name` is for messages. */
export function replayFromBytes(bytes: Buffer, name: string, options: ReplayOptions = {}): ReplaySource {
	let parsed: ParsedRecording;
	try {
		parsed = parseRecording(bytes);
	} catch (error) {
		if (error instanceof RecordingError) throw new SourceError('malformed', `${sanitizeText(name, 256)}: ${error.message}`, 'give a file written by natscope --record');
		throw error;
	}
	return new ReplaySource(parsed, options);
}

/** Read a recording file (plain or gzip NDJSON). Throws SourceError with a clear message. */
export async function openReplay(file: string, options: ReplayOptions = {}): Promise<ReplaySource> {
	let bytes: Buffer;
	try {
		bytes = await readFile(file);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (code ?? 'unreadable');
		throw new SourceError('unknown', `cannot read the recording ${sanitizeText(file, 256)}: ${why}`, 'give the file written by natscope --record');
	}
	return replayFromBytes(bytes, file, options);
}
