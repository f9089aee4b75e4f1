// Measurements run in child processes of their own, so neither the load clients nor another
// measurement is charged to them. A child reads its arguments as JSON from argv and answers
// with one line "BENCH {json}" on stdout.
import {spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MARK = 'BENCH ';

export function readArgs<T>(): T {
	return JSON.parse(process.argv[2] ?? '{}') as T;
}

export function emit(value: unknown): void {
	process.stdout.write(`${MARK}${JSON.stringify(value)}\n`);
}

/** The environment a child gets: Ink must draw every frame, as in a terminal. */
export function childEnv(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {...process.env, FORCE_COLOR: '1'};
	for (const name of Object.keys(env)) if (name === 'CI' || name === 'CONTINUOUS_INTEGRATION' || name.startsWith('CI_')) delete env[name];
	return env;
}

/** Run bench/measure/<script> under tsx; resolves to what it emitted, rejects with its output. */
export function runChild<T>(script: string, args: unknown, options: {nodeFlags?: string[]; timeoutMs?: number} = {}): Promise<T> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [...(options.nodeFlags ?? []), '--import', 'tsx', `bench/measure/${script}`, JSON.stringify(args)], {
			cwd: ROOT,
			env: childEnv(),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '';
		let err = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
		const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 180_000);
		child.on('close', code => {
			clearTimeout(timer);
			const line = out.split('\n').find(l => l.startsWith(MARK));
			const value = line ? (JSON.parse(line.slice(MARK.length)) as T & {error?: string}) : undefined;
			if (code === 0 && value && !value.error) resolve(value);
			else reject(new Error(`${script} failed (exit ${code}): ${value?.error ?? ''}\n${err.slice(-3000)}`));
		});
	});
}

/**
 * A module of the built CLI (dist/, which the bench builds first), typed as its source: the
 * children measure the JavaScript the CLI runs, not tsx's on-the-fly transform of the source.
 */
export function built<T>(path: string): Promise<T> {
	return import(new URL(`../../dist/${path}`, import.meta.url).href) as Promise<T>;
}
