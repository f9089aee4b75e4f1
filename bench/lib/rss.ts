// Peak resident memory of a program running in a real terminal: tmux (on a private socket) at a
// fixed size, the program's own pid from the pane, VmHWM from /proc when the time is up.
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {childEnv} from './child.js';

export type RssSample = {peakMiB: number; endMiB: number; screen: string};

function statusKiB(pid: number, field: 'VmHWM' | 'VmRSS'): number {
	const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	if (!match) throw new Error(`no ${field} for pid ${pid}`);
	return Number(match[1]);
}

const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

let calls = 0;

export async function peakRss(command: string[], options: {seconds: number; copies: number; width: number; height: number; expect?: RegExp}): Promise<RssSample[]> {
	// A socket of its own per call: a tmux server just told to exit may still hold the last one.
	const socket = `natscope-bench-${process.pid}-${++calls}`;
	const env = {...childEnv(), TERM: 'xterm-256color'};
	const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], {encoding: 'utf8', env});
	const sessions = Array.from({length: options.copies}, (_, i) => `rss-${i + 1}`);
	try {
		for (const session of sessions) {
			tmux('new-session', '-d', '-s', session, '-x', String(options.width), '-y', String(options.height), `exec ${command.map(quote).join(' ')}`);
		}
		const pids = sessions.map(session => Number(tmux('display-message', '-p', '-t', session, '#{pane_pid}').trim()));
		await new Promise(resolve => setTimeout(resolve, options.seconds * 1000));
		return sessions.map((session, i) => {
			const pid = pids[i]!;
			const screen = tmux('capture-pane', '-p', '-t', session);
			if (options.expect && !options.expect.test(screen)) throw new Error(`the program in tmux did not draw what was expected:\n${screen}`);
			return {peakMiB: statusKiB(pid, 'VmHWM') / 1024, endMiB: statusKiB(pid, 'VmRSS') / 1024, screen};
		});
	} finally {
		try {
			tmux('kill-server');
		} catch {
			// already gone
		}
	}
}
