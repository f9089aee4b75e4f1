// Ink decides once, when it loads, whether it runs under CI (the is-in-ci package reads CI and
// CONTINUOUS_INTEGRATION) and then draws only the final frame, at exit. A person at a terminal is
// never CI: inside a CI job's debugging shell, or a container that exports CI=true, the TUI would
// show a blank screen. cli.tsx imports this module before anything that loads Ink.

export const CI_VARIABLES = ['CI', 'CONTINUOUS_INTEGRATION'] as const;

/** Marks the CI variables false when stdout is a terminal; returns the names it changed. */
export function clearCiForTerminal(env: NodeJS.ProcessEnv, stdoutIsTty: boolean): string[] {
	if (!stdoutIsTty) return [];
	const changed: string[] = [];
	for (const name of CI_VARIABLES) {
		if (name in env && env[name] !== 'false' && env[name] !== '0') {
			env[name] = 'false';
			changed.push(name);
		}
	}
	return changed;
}

clearCiForTerminal(process.env, process.stdout.isTTY === true);
