// What every action returns: a value with a user-facing message, never an exception at the UI.

export type FailureCode =
	| 'refused' // natscope will not do it (not nats-server, wrong server, no confirmation)
	| 'EPERM' // not allowed to signal the process
	| 'ESRCH' // the process is gone
	| 'unverified' // done, but the effect did not show
	| 'unsupported' // the server is too old, or the transport cannot do it
	| 'remote' // the server is on another host
	| 'nats' // a $SYS request failed
	| 'http' // a profiling-port request failed
	| 'io' // writing a file failed
	| 'cancelled'
	| 'discovery';

export type Failure = {ok: false; code: FailureCode; message: string; hint: string};

export function failure(code: FailureCode, message: string, hint = ''): Failure {
	return {ok: false, code, message, hint};
}

/** A failure as one or two lines of text. */
export function failureLines(f: {message: string; hint: string}): string[] {
	return f.hint ? [f.message, f.hint] : [f.message];
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise(resolve => {
		if (signal?.aborted) {
			resolve();
			return;
		}
		const timer = setTimeout(done, ms);
		function done(): void {
			clearTimeout(timer);
			signal?.removeEventListener('abort', done);
			resolve();
		}
		signal?.addEventListener('abort', done, {once: true});
	});
}

export function seconds(ms: number): string {
	return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
