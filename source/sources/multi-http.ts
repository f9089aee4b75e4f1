// Several monitoring URLs as one source: every request goes to all of them at once; a server
// that fails is a per-server failure, and only when none answers does the request fail.
import {HttpSource, type HttpSourceOptions} from './http.js';
import {redactUrl} from './errors.js';
import {SourceError, type Gathered, type Kind, type Reply, type ServerFailure, type Source, type SourceRequest} from './types.js';

export class MultiHttpSource implements Source {
	readonly transport = 'http' as const;
	readonly description: string;
	private readonly sources: HttpSource[];

	constructor(urls: readonly string[], options: Omit<HttpSourceOptions, 'url'>) {
		this.sources = urls.map(url => new HttpSource({...options, url}));
		this.description = urls.length === 1 ? redactUrl(urls[0]!) : `${urls.length} servers: ${urls.map(redactUrl).join(', ')}`;
	}

	async request<K extends Kind>(request: Extract<SourceRequest, {kind: K}>, signal?: AbortSignal): Promise<Gathered<K>> {
		const settled = await Promise.allSettled(this.sources.map(source => source.request(request, signal)));
		const replies: Array<Reply<K>> = [];
		const failures: ServerFailure[] = [];
		settled.forEach((result, index) => {
			const source = this.sources[index]!;
			if (result.status === 'fulfilled') {
				replies.push(...result.value.replies);
				failures.push(...result.value.failures);
			} else {
				const error = result.reason instanceof SourceError ? result.reason : new SourceError('unknown', String(result.reason));
				failures.push({address: source.description, error});
			}
		});
		if (replies.length === 0) {
			const first = failures[0]?.error ?? new SourceError('unknown', 'no server answered');
			if (failures.length <= 1) throw first;
			throw new SourceError(first.code, `none of ${failures.length} servers answered: ${first.message}`, first.hint);
		}
		return {replies, failures};
	}

	async close(): Promise<void> {
		await Promise.all(this.sources.map(source => source.close()));
	}
}
