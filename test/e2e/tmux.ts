// Drive the built CLI in a real terminal (tmux): type keys, read the screen.
import {execFileSync} from 'node:child_process';
import {waitFor} from '../helpers/wait.js';

export class TmuxSession {
	private constructor(readonly name: string) {}

	static start(command: string, size = {width: 100, height: 30}): TmuxSession {
		const name = `natscope-e2e-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
		execFileSync('tmux', ['new-session', '-d', '-s', name, '-x', String(size.width), '-y', String(size.height), command], {
			env: {...process.env, TERM: 'xterm-256color'},
		});
		execFileSync('tmux', ['set-option', '-t', name, 'remain-on-exit', 'on']);
		return new TmuxSession(name);
	}

	screen(): string {
		return execFileSync('tmux', ['capture-pane', '-p', '-t', this.name], {encoding: 'utf8'});
	}

	keys(...keys: string[]): void {
		execFileSync('tmux', ['send-keys', '-t', this.name, ...keys]);
	}

	/** Literal text, not key names. */
	type(text: string): void {
		execFileSync('tmux', ['send-keys', '-t', this.name, '-l', text]);
	}

	exited(): {dead: boolean; status: string} {
		const out = execFileSync('tmux', ['display-message', '-p', '-t', this.name, '#{pane_dead} #{pane_dead_status}'], {encoding: 'utf8'}).trim();
		const [dead, status] = out.split(' ');
		return {dead: dead === '1', status: status ?? ''};
	}

	async waitForScreen(test: (screen: string) => boolean, what: string, timeoutMs = 15_000): Promise<string> {
		let last = '';
		try {
			await waitFor(
				() => {
					last = this.screen();
					return test(last);
				},
				{timeoutMs, intervalMs: 100, what},
			);
		} catch (error) {
			throw new Error(`${(error as Error).message}\n--- screen ---\n${last}`);
		}
		return last;
	}

	kill(): void {
		try {
			execFileSync('tmux', ['kill-session', '-t', this.name], {stdio: 'ignore'});
		} catch {
			// already gone
		}
	}
}
