import type {Kind, Reply} from '../sources/types.js';

/** A fixed-size ring: keeps the last `capacity` items, oldest first when read. */
export class Ring<T> {
	private readonly items: T[] = [];
	private start = 0;

	constructor(readonly capacity: number) {}

	push(item: T): void {
		if (this.items.length < this.capacity) {
			this.items.push(item);
			return;
		}
		this.items[this.start] = item;
		this.start = (this.start + 1) % this.capacity;
	}

	toArray(): T[] {
		return [...this.items.slice(this.start), ...this.items.slice(0, this.start)];
	}

	last(): T | undefined {
		if (this.items.length === 0) return undefined;
		return this.items[(this.start + this.items.length - 1) % this.items.length];
	}

	get size(): number {
		return this.items.length;
	}
}

/**
 * The last N replies of each kind from each server. Bounded in both directions: per
 * ring by capacity, and in rings by dropping servers not heard from for a while.
 */
export class History {
	private readonly rings = new Map<string, {ring: Ring<Reply>; seenAt: number}>();

	constructor(
		readonly capacity = 120,
		private readonly forgetAfterMs = 10 * 60_000,
		/** Only these kinds are kept: a /connz answer can hold thousands of rows. */
		private readonly kinds: ReadonlySet<Kind> = new Set<Kind>(['varz']),
	) {}

	push(reply: Reply): void {
		if (!this.kinds.has(reply.kind)) return;
		const key = `${reply.kind}\u0000${reply.server.id}`;
		let entry = this.rings.get(key);
		if (!entry) {
			entry = {ring: new Ring<Reply>(this.capacity), seenAt: reply.receivedAt};
			this.rings.set(key, entry);
		}
		entry.ring.push(reply);
		entry.seenAt = reply.receivedAt;
		this.forget(reply.receivedAt);
	}

	get<K extends Kind>(kind: K, serverId: string): Array<Reply<K>> {
		const entry = this.rings.get(`${kind}\u0000${serverId}`);
		return entry ? (entry.ring.toArray() as Array<Reply<K>>) : [];
	}

	/** Server ids with replies of this kind, in first-seen order. */
	servers(kind: Kind): string[] {
		const prefix = `${kind}\u0000`;
		const ids: string[] = [];
		for (const key of this.rings.keys()) if (key.startsWith(prefix)) ids.push(key.slice(prefix.length));
		return ids;
	}

	private forget(now: number): void {
		for (const [key, entry] of this.rings) {
			if (now - entry.seenAt > this.forgetAfterMs) this.rings.delete(key);
		}
	}
}
