/** Poll a condition until it holds; never sleep blindly. */
export async function waitFor(
	condition: () => Promise<boolean> | boolean,
	options: {timeoutMs?: number; intervalMs?: number; what: string},
): Promise<void> {
	const timeoutMs = options.timeoutMs ?? 10_000;
	const intervalMs = options.intervalMs ?? 50;
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	for (;;) {
		try {
			if (await condition()) return;
		} catch (error) {
			lastError = error;
		}
		if (Date.now() > deadline) {
			const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${options.what}${cause}`);
		}
		await new Promise(resolve => setTimeout(resolve, intervalMs));
	}
}
