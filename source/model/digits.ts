// Thousands separators without Intl: the first toLocaleString of a process initialises ICU's
// number formatting (~7–30 ms), a visible share of a one-shot's wall time, for a comma.

/** `n` as en-US writes it ("12,345"); exactly n.toLocaleString('en-US') for every number. */
export function groupDigits(n: number): string {
	if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
	const digits = String(Math.abs(n));
	let out = '';
	for (let end = digits.length; end > 0; end -= 3) out = (end > 3 ? ',' : '') + digits.slice(Math.max(0, end - 3), end) + out;
	return n < 0 || Object.is(n, -0) ? `-${out}` : out;
}
