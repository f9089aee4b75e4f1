// Two kinds of bad input, both exit 2: a usage error (flags that make no sense; the message
// points at --help) and a configuration error (a context, creds, seed or TLS file that is
// missing or wrong; one line naming the file and what is wrong, never its contents).
export class UsageError extends Error {
	override name = 'UsageError';
}

export class ConfigError extends Error {
	override name = 'ConfigError';
}

/** Why a file could not be read, in words (never the path's contents). */
export function unreadable(error: unknown): string {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	if (code === 'ENOENT') return 'no such file';
	if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
	if (code === 'EISDIR') return 'it is a directory';
	if (code === 'ENOTDIR') return 'a part of the path is not a directory';
	return code ? `cannot be read (${code})` : 'cannot be read';
}
