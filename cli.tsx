#!/usr/bin/env node
// Thin entry: parse flags, build the source, then either print a one-shot snapshot or run the TUI.
// First, before React and Ink load: React's production build, and the CI variables Ink reads.
import './source/perf/runtime.js';
import './source/interactive-env.js';
import {packageVersion, parseCommandLine} from './source/config/flags.js';
import {sanitizeText} from './source/model/sanitize.js';
import type {Config, NatsAuth} from './source/config/types.js';
import type {Source} from './source/sources/types.js';

// Everything else is imported when a mode needs it: --version, --help and the usage errors load
// no client, and the snapshot modes never load React or Ink (start-up is mostly module loading).
async function failureLine(error: unknown): Promise<string> {
	const {failureLine: line} = await import('./source/oneshot.js');
	return line(error);
}

async function liveSource(config: Config): Promise<Source> {
	if (config.transport === 'nats' && config.nats) {
		const {SysSource} = await import('./source/sources/sys.js');
		return new SysSource(config.nats, {timeoutMs: config.timeoutMs, serverFilter: config.serverFilter});
	}
	if (config.urls.length > 1) {
		const {MultiHttpSource} = await import('./source/sources/multi-http.js');
		return new MultiHttpSource(config.urls, {timeoutMs: config.timeoutMs, tls: config.tls});
	}
	const {HttpSource} = await import('./source/sources/http.js');
	return new HttpSource({url: config.urls[0]!, timeoutMs: config.timeoutMs, tls: config.tls});
}

/** What we log in with, so the recorder can redact it wherever it would appear. */
function secretsOf(auth: NatsAuth | undefined): string[] {
	if (auth?.kind === 'user-password') return [auth.password];
	if (auth?.kind === 'token') return [auth.token];
	if (auth?.kind === 'nkey') return [auth.seed];
	return [];
}

async function makeSource(config: Config): Promise<Source> {
	if (config.demo) return (await import('./source/replay/demo.js')).openDemo();
	if (config.replay !== undefined) return (await import('./source/sources/replay.js')).openReplay(config.replay);
	const live = await liveSource(config);
	if (!config.record) return live;
	const {recordingSource} = await import('./source/sources/record.js');
	return recordingSource(live, config.record, {natscopeVersion: packageVersion(), secrets: secretsOf(config.nats?.auth)});
}

async function runTui(config: Config, source: Source): Promise<number> {
	const [{default: React}, ink, {Root, INK_RENDER_OPTIONS}, {Poller}, {DnsCache}, {installFastFrames}, {failureLine: line}] = await Promise.all([
		import('react'),
		import('./source/ui/ink.js'),
		import('./source/root.js'),
		import('./source/poll/poller.js'),
		import('./source/poll/dns.js'),
		import('./source/perf/fast-frame.js'),
		import('./source/oneshot.js'),
	]);
	// displayWidth gets Ink's string-width as the views load (source/components/line.tsx).
	// Whole-row frames composed as strings; Ink's own way wherever that does not apply.
	// The built Ink is a bundle that exports its Output class (source/ui/ink.ts).
	await installFastFrames((ink as {InkOutput?: unknown}).InkOutput);
	const poller = new Poller(source, {intervalMs: config.intervalMs});
	const dns = new DnsCache();
	const stdout = process.stdout;
	// The alternate screen keeps the user's scrollback intact, as top and k9s do.
	stdout.write('\u001B[?1049h\u001B[H');
	let restored = false;
	const restore = (): void => {
		if (restored) return;
		restored = true;
		stdout.write('\u001B[?1049l\u001B[?25h');
	};
	process.on('exit', restore);
	// Whatever escapes everything else: leave the terminal usable and say one line, no stack.
	const fatal = (error: unknown): void => {
		restore();
		process.stderr.write(`${line(error)}\n`);
		process.exit(1);
	};
	process.on('uncaughtException', fatal);
	process.on('unhandledRejection', fatal);
	// No JSX in this file: the compiled JSX runtime import would come first and load React's
	// development build before perf/runtime picks the production one.
	const instance = ink.render(React.createElement(Root, {config, source, poller, dns}), {
		...INK_RENDER_OPTIONS,
		patchConsole: true,
	});
	await instance.waitUntilExit();
	instance.cleanup();
	await poller.stop();
	await source.close();
	restore();
	return 0;
}

async function main(): Promise<number> {
	// What ps and top show (meow used to set it, from package.json's bin name).
	process.title = 'natscope';
	const argv = process.argv.slice(2);
	if (argv[0] === 'signal' || argv[0] === 'profile') {
		const {runSubcommand} = await import('./source/actions/commands.js');
		return runSubcommand(argv[0], argv.slice(1), {stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, isTty: Boolean(process.stdin.isTTY && process.stdout.isTTY)});
	}
	const parsed = await parseCommandLine(argv, process.env);
	if (parsed.kind === 'help' || parsed.kind === 'version') {
		process.stdout.write(`${parsed.text}\n`);
		return 0;
	}
	if (parsed.kind === 'usage-error') {
		process.stderr.write(`natscope: ${parsed.message}\nRun natscope --help for usage.\n`);
		return 2;
	}
	if (parsed.kind === 'config-error') {
		process.stderr.write(`natscope: ${sanitizeText(parsed.message, 600)}\n`);
		return 2;
	}
	if (parsed.kind === 'explain') {
		process.stdout.write(parsed.text);
		return 0;
	}
	const {config} = parsed;
	let source: Source;
	try {
		source = await makeSource(config);
	} catch (error) {
		process.stderr.write(`${await failureLine(error)}\n`);
		return 1;
	}
	if (config.output) {
		// The TUI shows these on its status line; a script gets them on stderr.
		for (const warning of config.nats?.identity.warnings ?? []) process.stderr.write(`natscope: warning: ${sanitizeText(warning, 400)}\n`);
		// A damaged recording replays what came before the bad line; a script is told where.
		const replayWarning = (source as {warning?: unknown}).warning;
		if (source.transport === 'replay' && typeof replayWarning === 'string') process.stderr.write(`natscope: warning: ${sanitizeText(replayWarning, 400)}\n`);
		const {runOneShot} = await import('./source/oneshot.js');
		return runOneShot(config, source, {
			stdout: text => process.stdout.write(text),
			stderr: text => process.stderr.write(text),
			sleep: ms => new Promise(resolve => setTimeout(resolve, ms)),
			now: () => new Date(),
			width: process.stdout.isTTY ? Math.max(80, process.stdout.columns) : 400,
		});
	}
	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		process.stderr.write('natscope: the interactive view needs a terminal; use --once, --json or --delimiter for scripts.\n');
		return 2;
	}
	return runTui(config, source);
}

// Exit explicitly once output is flushed: keep-alive sockets or a pending reverse-DNS lookup
// must not keep a finished run alive.
function finish(code: number): void {
	process.stdout.write('', () => process.exit(code));
}

main().then(finish, async (error: unknown) => {
	process.stderr.write(`${await failureLine(error).catch(() => 'natscope: unexpected error')}\n`);
	finish(1);
});
