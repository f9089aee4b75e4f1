import {
	SourceError,
	type Gathered,
	type ServerFailure,
	type Source,
	type SourceRequest,
} from '../sources/types.js';
import {History} from './history.js';

/**
 * Something a view wants fetched, under a stable id ('varz', 'connz', 'detail', …). `everyMs`:
 * ask it no more often than this (the refresh interval when that is longer), for what changes
 * slowly and is not the view's own data (the header's health badge).
 */
export type Need = {id: string; request: SourceRequest; everyMs?: number};

export type NeedStatus = {
	readonly id: string;
	readonly request: SourceRequest;
	/** The last answer that had at least one reply: what the screen shows. */
	readonly current?: Gathered;
	/** The request `current` answers (the need's request may have changed since). */
	readonly currentRequest?: SourceRequest;
	/** The good answer before `current`, for rates. */
	readonly previous?: Gathered;
	/** Local time `current` arrived. */
	readonly okAt?: number;
	/** The last attempt's error; cleared by the next success. */
	readonly error?: SourceError;
	readonly errorAt?: number;
	/** Servers that failed in the last attempt although others answered. */
	readonly partialFailures: readonly ServerFailure[];
	readonly consecutiveErrors: number;
	/** Local time of the next attempt (undefined while in flight or paused). */
	readonly nextAt?: number;
	readonly inFlight: boolean;
	/** Successful completions so far (for -r N). */
	readonly completions: number;
};

export type PollerSnapshot = {
	readonly needs: ReadonlyMap<string, NeedStatus>;
	readonly paused: boolean;
	readonly intervalMs: number;
	/** Increases with every change, so consumers can skip identical frames. */
	readonly seq: number;
};

export type PollerOptions = {
	intervalMs: number;
	maxBackoffMs?: number;
	history?: History;
	now?: () => number;
};

type Entry = {
	status: NeedStatus;
	key: string;
	everyMs?: number;
	controller?: AbortController;
	generation: number;
	/** The tick that fired it, until every need of that tick has answered. */
	batch?: number;
};

// A monitor is opened when things go wrong: a server that comes back must show up within
// seconds, not half a minute later. Monitoring requests are cheap, so the ceiling is low (but
// never below the refresh interval itself).
const MAX_BACKOFF_MS = 5_000;
/** The longest a request of a tick makes the next one wait for its turn. */
const TURN_MS = 1000;

function requestKey(request: SourceRequest): string {
	return JSON.stringify(request);
}

function asSourceError(error: unknown): SourceError {
	if (error instanceof SourceError) return error;
	const message = error instanceof Error ? error.message : String(error);
	return new SourceError('unknown', message);
}

/**
 * Fetches every need now and then on the interval, outside React. Never two requests of one
 * need in flight; on failure keeps the last good answer, records the error and backs off
 * (doubling up to 5 s, or the interval when that is longer); tells subscribers only when
 * something changed.
 *
 * One refresh is one message to subscribers: the needs due together are asked together (a need
 * due within half an interval joins the tick), and their answers are told once the last of them
 * is in, or half an interval (1 s at most) after the first, whichever comes first, so that a hung
 * request never holds back the others. Each answer lands in the snapshot as it arrives (its
 * okAt is its own); only the telling waits. Every React update draws a frame, and the header's
 * /varz and /healthz and the view's /connz arriving one by one drew three.
 */
export class Poller {
	readonly history: History;
	private readonly entries = new Map<string, Entry>();
	private readonly listeners = new Set<() => void>();
	private readonly now: () => number;
	private readonly maxBackoffMs: number;
	private intervalMs: number;
	private paused = false;
	private running = false;
	private timer: NodeJS.Timeout | undefined;
	private holdTimer: NodeJS.Timeout | undefined;
	private batches = 0;
	private seq = 0;
	private snapshot: PollerSnapshot;

	constructor(
		private readonly source: Source,
		options: PollerOptions,
	) {
		this.intervalMs = options.intervalMs;
		this.maxBackoffMs = options.maxBackoffMs ?? MAX_BACKOFF_MS;
		this.history = options.history ?? new History();
		this.now = options.now ?? Date.now;
		this.snapshot = this.makeSnapshot();
	}

	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	getSnapshot = (): PollerSnapshot => this.snapshot;

	/** Replace what is fetched. New or changed needs are fetched at once; dropped ones stop. */
	setNeeds(needs: readonly Need[]): void {
		const wanted = new Set(needs.map(n => n.id));
		let changed = false;
		for (const [id, entry] of this.entries) {
			if (!wanted.has(id)) {
				entry.controller?.abort();
				this.entries.delete(id);
				changed = true;
			}
		}
		for (const need of needs) {
			const key = requestKey(need.request);
			const entry = this.entries.get(need.id);
			if (entry && entry.key === key) {
				if (entry.everyMs !== need.everyMs) {
					// Wanted more often now (its own view opened): ask at once rather than wait out the old gap.
					const sooner = (need.everyMs ?? 0) < (entry.everyMs ?? 0);
					entry.everyMs = need.everyMs;
					if (sooner && !entry.status.inFlight && entry.status.consecutiveErrors === 0) this.askNow(entry);
					changed = true;
				}
				continue;
			}
			changed = true;
			if (entry) {
				// The question changed (scroll, sort, filter): drop the answer in flight and ask anew,
				// but keep showing the last answer until the new one arrives.
				entry.controller?.abort();
				entry.controller = undefined;
				entry.generation++;
				entry.batch = undefined;
				entry.key = key;
				entry.everyMs = need.everyMs;
				entry.status = {...entry.status, request: need.request, inFlight: false, nextAt: this.now()};
			} else {
				this.entries.set(need.id, {
					key,
					everyMs: need.everyMs,
					generation: 0,
					status: {
						id: need.id,
						request: need.request,
						partialFailures: [],
						consecutiveErrors: 0,
						inFlight: false,
						completions: 0,
						nextAt: this.now(),
					},
				});
			}
		}
		if (changed) this.changed();
	}

	start(): void {
		if (this.running) return;
		this.running = true;
		this.schedule();
	}

	async stop(): Promise<void> {
		this.running = false;
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
		if (this.holdTimer) clearTimeout(this.holdTimer);
		this.holdTimer = undefined;
		for (const entry of this.entries.values()) entry.controller?.abort();
	}

	setPaused(paused: boolean): void {
		if (this.paused === paused) return;
		this.paused = paused;
		if (!paused) {
			for (const entry of this.entries.values()) {
				if (!entry.status.inFlight) this.askNow(entry);
			}
		}
		this.changed();
	}

	setIntervalMs(ms: number): void {
		if (ms === this.intervalMs) return;
		this.intervalMs = ms;
		for (const entry of this.entries.values()) {
			if (!entry.status.inFlight && entry.status.consecutiveErrors === 0) {
				entry.status = {...entry.status, nextAt: this.now() + this.gapMs(entry)};
			}
		}
		this.changed();
	}

	/** Fetch every need now (also retries a failing source without waiting for backoff). */
	refreshNow(): void {
		for (const entry of this.entries.values()) {
			if (!entry.status.inFlight) this.askNow(entry);
		}
		this.changed();
	}

	/** Due now, and out of the tick it was asked in (the end of that tick must not push it back). */
	private askNow(entry: Entry): void {
		entry.batch = undefined;
		entry.status = {...entry.status, nextAt: this.now()};
	}

	/**
	 * A new snapshot; subscribers are told unless `tell` is false (a change nothing on screen
	 * shows: a healthy need going in flight). Telling also tells whatever was held back.
	 */
	private changed(tell = true): void {
		this.seq++;
		this.snapshot = this.makeSnapshot();
		if (tell) {
			if (this.holdTimer) clearTimeout(this.holdTimer);
			this.holdTimer = undefined;
			for (const listener of this.listeners) listener();
		}
		this.schedule();
	}

	/** An answer is in but others of its tick are not: tell when they are, or after the hold. */
	private hold(): void {
		this.changed(false);
		if (this.holdTimer) return;
		this.holdTimer = setTimeout(() => {
			this.holdTimer = undefined;
			this.changed();
		}, holdMs(this.intervalMs));
		this.holdTimer.unref?.();
	}

	/** Time from one good answer of a need to its next question. */
	private gapMs(entry: Entry): number {
		return Math.max(this.intervalMs, entry.everyMs ?? 0);
	}

	private makeSnapshot(): PollerSnapshot {
		const needs = new Map<string, NeedStatus>();
		for (const [id, entry] of this.entries) needs.set(id, entry.status);
		return {needs, paused: this.paused, intervalMs: this.intervalMs, seq: this.seq};
	}

	private schedule(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
		if (!this.running || this.paused) return;
		let earliest = Number.POSITIVE_INFINITY;
		for (const entry of this.entries.values()) {
			const next = entry.status.nextAt;
			if (!entry.status.inFlight && next !== undefined && next < earliest) earliest = next;
		}
		if (earliest === Number.POSITIVE_INFINITY) return;
		const delay = Math.max(0, earliest - this.now());
		this.timer = setTimeout(() => this.fireDue(), delay);
		this.timer.unref?.();
	}

	private fireDue(): void {
		this.timer = undefined;
		if (!this.running || this.paused) return;
		const now = this.now();
		const due = dueTogether(
			[...this.entries.values()].map(e => e.status),
			now,
			this.intervalMs,
		);
		if (due.size === 0) return this.schedule();
		const batch = ++this.batches;
		// Going in flight shows only where a need is failing ("retrying now").
		let shown = false;
		const tick: Array<{entry: Entry; generation: number}> = [];
		for (const entry of this.entries.values()) {
			if (!due.has(entry.status.id)) continue;
			if (entry.status.error) shown = true;
			entry.batch = batch;
			entry.status = {...entry.status, inFlight: true, nextAt: undefined};
			tick.push({entry, generation: entry.generation});
		}
		// A question just asked (a key changed the sort, the page …) goes first: its answer is what
		// the screen waits for, and the tick's others must not delay it.
		tick.sort((x, y) => Number(isNewQuestion(y.entry.status)) - Number(isNewQuestion(x.entry.status)));
		this.fireInTurn(tick, 0);
		this.changed(shown);
	}

	/**
	 * The requests of one tick one after another: the next goes out when the one before has
	 * answered, or 1 s after it went out, so a slow or hung request holds the others back no
	 * longer than that. Fired all at once, three heavy answers (a server
	 * sending 50 MB, say) shared the path and each took three times as long, past the timeout.
	 */
	private fireInTurn(tick: ReadonlyArray<{entry: Entry; generation: number}>, index: number): void {
		const item = tick[index];
		if (!item) return;
		const {entry, generation} = item;
		// Dropped, asked anew, stopped or paused while waiting its turn: not asked in this tick.
		if (this.entries.get(entry.status.id) !== entry || entry.generation !== generation || !this.running || this.paused) {
			if (this.entries.get(entry.status.id) === entry && entry.generation === generation && entry.status.inFlight && !entry.controller) {
				entry.batch = undefined;
				entry.status = {...entry.status, inFlight: false, nextAt: this.now()};
				this.changed(false);
			}
			this.fireInTurn(tick, index + 1);
			return;
		}
		let next = false;
		const goOn = (): void => {
			if (next) return;
			next = true;
			clearTimeout(timer);
			this.fireInTurn(tick, index + 1);
		};
		const timer = setTimeout(goOn, TURN_MS);
		timer.unref?.();
		this.fire(entry).then(goOn, goOn);
	}

	private fire(entry: Entry): Promise<unknown> {
		const controller = new AbortController();
		const generation = entry.generation;
		const id = entry.status.id;
		entry.controller = controller;
		entry.status = {...entry.status, inFlight: true, nextAt: undefined};
		let answer: Promise<Gathered>;
		try {
			answer = this.source.request(entry.status.request as never, controller.signal) as Promise<Gathered>;
		} catch (error) {
			answer = Promise.reject(error);
		}
		return answer.then(
			gathered => this.complete(id, generation, gathered, undefined),
			(error: unknown) => this.complete(id, generation, undefined, asSourceError(error)),
		);
	}

	private complete(id: string, generation: number, gathered: Gathered | undefined, error: SourceError | undefined): void {
		const entry = this.entries.get(id);
		if (!entry || entry.generation !== generation) return; // dropped or superseded meanwhile
		entry.controller = undefined;
		const now = this.now();
		const status = entry.status;
		if (gathered && gathered.replies.length > 0) {
			for (const reply of gathered.replies) this.history.push(reply);
			entry.status = {
				...status,
				previous: status.current,
				current: gathered,
				currentRequest: status.request,
				okAt: now,
				error: undefined,
				errorAt: undefined,
				partialFailures: gathered.failures,
				consecutiveErrors: 0,
				inFlight: false,
				completions: status.completions + 1,
				nextAt: now + this.gapMs(entry),
			};
		} else {
			const failure =
				error ?? gathered?.failures[0]?.error ?? new SourceError('unknown', 'no server answered');
			const consecutiveErrors = status.consecutiveErrors + 1;
			const backoff = Math.min(Math.max(this.maxBackoffMs, this.intervalMs), this.intervalMs * 2 ** consecutiveErrors);
			entry.status = {
				...status,
				error: failure,
				errorAt: now,
				partialFailures: gathered?.failures ?? [],
				consecutiveErrors,
				inFlight: false,
				nextAt: now + backoff,
			};
		}
		const batch = entry.batch;
		if (batch !== undefined) {
			const members = [...this.entries.values()].filter(e => e.batch === batch);
			if (members.some(e => e.status.inFlight)) return this.hold();
			// The tick is over: its healthy needs are asked again together, an interval from now.
			for (const member of members) {
				member.batch = undefined;
				const next = member.status.nextAt;
				if (member.status.consecutiveErrors === 0 && next !== undefined) member.status = {...member.status, nextAt: Math.max(next, now + this.intervalMs)};
			}
		}
		this.changed();
	}
}

/** Asked anew: no answer yet, or the answer on hand is to another question. */
function isNewQuestion(status: NeedStatus): boolean {
	return !status.current || status.currentRequest !== status.request;
}

/** How long answers of one tick wait for the rest of it before they are told. */
export function holdMs(intervalMs: number): number {
	return Math.min(1000, intervalMs / 2);
}

/**
 * The needs to ask now: those due, and, when any is, the healthy ones due within half an
 * interval, so that needs that drifted apart (one answered later, a new one asked at once) are
 * asked in one tick again. A failing need keeps its backoff.
 */
export function dueTogether(statuses: readonly NeedStatus[], now: number, intervalMs: number): Set<string> {
	const due = new Set<string>();
	for (const s of statuses) if (!s.inFlight && s.nextAt !== undefined && s.nextAt <= now) due.add(s.id);
	if (due.size === 0) return due;
	for (const s of statuses) {
		if (!s.inFlight && s.nextAt !== undefined && s.consecutiveErrors === 0 && s.nextAt <= now + intervalMs / 2) due.add(s.id);
	}
	return due;
}
