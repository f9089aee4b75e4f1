// Drive the built CLI in a real terminal (tmux): type keys, read the screen.
import {execFileSync} from 'node:child_process';
import {waitFor} from '../helpers/wait.js';

export class TmuxSession {
	private constructor(readonly name: string) {}

	/** Runs `command`; when it ends the pane says "natscope exited with N" and stays open. */
	static start(command: string, size = {width: 100, height: 30}): TmuxSession {
		const name = `natscope-e2e-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
		const wrapped = `${command}; echo "natscope exited with $?"; sleep 60`;
		// CI=true as on a CI runner (-e reaches the pane even when a tmux server already runs): Ink must
		// still draw every frame in a real terminal.
		execFileSync('tmux', ['new-session', '-d', '-e', 'CI=true', '-s', name, '-x', String(size.width), '-y', String(size.height), wrapped], {
			env: {...process.env, TERM: 'xterm-256color'},
		});
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

	/** The exit status once the program has ended, read from the screen. */
	exitStatus(): number | undefined {
		const match = /natscope exited with (\d+)/.exec(this.screen());
		return match ? Number(match[1]) : undefined;
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
