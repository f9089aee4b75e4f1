// V8 doubles its young generation (each of the two semi-spaces) whenever many objects survive a
// scavenge, up to 16 MiB a semi-space, and never gives it back. Loading React and Ink looks like
// that to V8, so the TUI carried a 32 MiB young generation for its whole life while a refresh
// of the rows on screen allocates well under 1 MiB and keeps little: peak RSS 105 MiB at 10,000
// connections (bench e); kept at its initial 1 MiB a semi-space, 83–86 MiB. The price is more,
// smaller scavenges: about 1 ms more CPU per refresh of the rows on screen (bench b), and ~2 ms
// when 1,024 rows are fetched (bench a), which is why a large fetch lets it grow again.
//
// The growth factor is read each time V8 grows the space, so setting it at run time works
// (unlike --max-semi-space-size, fixed when the heap is set up). The TUI sizes it before React
// and Ink load and again whenever the rows fetched per refresh change. The snapshot modes leave
// V8's default: they decode 1,000 rows at once, which is faster with room to grow.
import v8 from 'node:v8';

/** Above this many connections fetched per refresh, V8 may grow the young generation. */
export const SMALL_FETCH_ROWS = 200;

/** V8's own growth factor (--semi-space-growth-factor in Node 20's V8 11.3). */
const V8_GROWTH_FACTOR = 2;

let growthStopped = false;

/**
 * Stops or restarts the young generation's growth for refreshes that fetch `rowsPerRefresh`
 * connections (undefined: the rows on screen). Returns whether growth is stopped.
 */
export function sizeYoungGeneration(rowsPerRefresh: number | undefined): boolean {
	const stop = rowsPerRefresh === undefined || rowsPerRefresh <= SMALL_FETCH_ROWS;
	if (stop !== growthStopped) {
		growthStopped = stop;
		v8.setFlagsFromString(`--semi-space-growth-factor=${stop ? 1 : V8_GROWTH_FACTOR}`);
	}
	return growthStopped;
}
