// Reverse DNS of client addresses, in the background: a frame asks, gets what is cached (or
// nothing yet), and is told to re-render when an answer lands. Lookups are bounded in number
// and in concurrency so a list of 10,000 clients cannot flood the resolver.
import {promises as dns} from 'node:dns';
import {sanitizeText} from '../model/sanitize.js';

export type ReverseLookup = (ip: string) => Promise<string[]>;

/** getnameinfo, like the system's own tools: honours /etc/hosts as well as PTR records. */
async function systemReverse(ip: string): Promise<string[]> {
	const {hostname} = await dns.lookupService(ip, 0);
	return hostname && hostname !== ip ? [hostname] : [];
}

type Entry = {name?: string; at: number; pending: boolean};

export class DnsCache {
	private readonly entries = new Map<string, Entry>();
	private readonly queue: string[] = [];
	private active = 0;
	private readonly listeners = new Set<() => void>();

	constructor(
		private readonly lookup: ReverseLookup = systemReverse,
		// getnameinfo runs on libuv's small thread pool: keep two lookups at most in flight.
		private readonly options = {concurrency: 2, maxEntries: 10_000, ttlMs: 10 * 60_000, now: Date.now},
	) {}

	onChange(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** The cached name, if any; asks for it in the background otherwise. */
	resolve = (ip: string): string | undefined => {
		const entry = this.entries.get(ip);
		const now = this.options.now();
		if (entry && (entry.pending || now - entry.at < this.options.ttlMs)) return entry.name;
		if (this.entries.size >= this.options.maxEntries && !entry) return undefined;
		this.entries.set(ip, {name: entry?.name, at: now, pending: true});
		this.queue.push(ip);
		this.pump();
		return entry?.name;
	};

	private pump(): void {
		while (this.active < this.options.concurrency && this.queue.length > 0) {
			const ip = this.queue.shift()!;
			this.active++;
			this.lookup(ip)
				.then(
					names => names[0],
					() => undefined,
				)
				.then(name => {
					this.active--;
					const clean = name ? sanitizeText(name, 253) : undefined;
					this.entries.set(ip, {name: clean, at: this.options.now(), pending: false});
					if (clean) for (const listener of this.listeners) listener();
					this.pump();
				});
		}
	}
}
