// One-line charts for the overview: ▁ is zero, █ the largest value shown.
const BARS = '▁▂▃▄▅▆▇█';

/**
 * Exactly `width` cells: the last `width` values scaled to their maximum, left-padded with
 * blanks when there are fewer. undefined (no rate for that moment) is a blank; any value above
 * zero gets at least the second bar, so a trickle never looks like silence.
 */
export function sparkline(values: ReadonlyArray<number | undefined>, width: number): string {
	if (width <= 0) return '';
	const shown = values.slice(-width);
	const max = shown.reduce<number>((m, v) => (v !== undefined && Number.isFinite(v) && v > m ? v : m), 0);
	const cells = shown.map(v => {
		if (v === undefined || !Number.isFinite(v)) return ' ';
		if (max <= 0 || v <= 0) return BARS[0]!;
		return BARS[Math.min(BARS.length - 1, Math.max(1, Math.round((v / max) * (BARS.length - 1))))]!;
	});
	return ' '.repeat(width - cells.length) + cells.join('');
}
