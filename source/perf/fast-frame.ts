// Ink composes every frame cell by cell: each character of each line becomes an object in a
// width × height grid, then every row is turned back into a string. At 200x50 that is 10,000
// objects and about 20 ms of CPU per frame on a 2-core machine, several times the budget of a
// whole refresh. natscope's screens are rows of exact-width lines, each written once at column
// 0; for such a frame the composed output is the lines themselves. composeRows builds that in
// one pass and gives up (undefined) on anything else: a write at another column, two writes on
// one row, a clip, a line wider than the frame. The caller then composes it Ink's way.
import {displayWidth} from '../model/format.js';

export type Transformer = (line: string, index: number) => string;

export type OutputOperation =
	| {type: 'write'; x: number; y: number; text: string; transformers: Transformer[]}
	| {type: 'clip'; clip: unknown}
	| {type: 'unclip'};

// SGR sequences (colours, bold, inverse …): the only escapes Ink's own styling writes.
const SGR = /\u001B\[[0-9;]*m/g;
const ESCAPE = /[\u001B\u009B]/;

/** Cells a styled line takes; undefined when it holds an escape other than SGR. */
export function styledWidth(line: string): number | undefined {
	const plain = line.includes('\u001B') ? line.replace(SGR, '') : line;
	if (ESCAPE.test(plain)) return undefined;
	return displayWidth(plain);
}

/** The frame as Ink would print it, or undefined when it is not a stack of whole-row lines. */
/** Rows Ink gives a frame of this computed height. */
function rowCount(height: number): number {
	return Math.max(0, Math.ceil(height));
}

export function composeRows(width: number, height: number, operations: readonly OutputOperation[]): string | undefined {
	const count = rowCount(height);
	const rows: Array<string | undefined> = new Array(count);
	for (const operation of operations) {
		if (operation.type !== 'write') return undefined;
		if (operation.x !== 0 || !Number.isInteger(operation.y)) return undefined;
		const lines = operation.text.split('\n');
		for (let index = 0; index < lines.length; index++) {
			const y = operation.y + index;
			if (y < 0 || y >= count) continue; // Ink drops rows outside the frame too
			if (rows[y] !== undefined) return undefined;
			let line = lines[index]!;
			for (const transform of operation.transformers) line = transform(line, index);
			const cells = styledWidth(line);
			if (cells === undefined || cells > width) return undefined;
			rows[y] = line;
		}
	}
	let frame = '';
	for (let y = 0; y < count; y++) {
		if (y > 0) frame += '\n';
		const row = rows[y];
		if (row !== undefined) frame += row.trimEnd();
	}
	return frame;
}

type InkOutput = {
	width: number;
	height: number;
	operations: OutputOperation[];
	write(x: number, y: number, text: string, options: {transformers: Transformer[]}): void;
	get(): {output: string; height: number};
};
type InkOutputClass = {new (options: {width: number; height: number}): InkOutput; prototype: InkOutput};

let installed: Promise<boolean> | undefined;

/**
 * Ink's Output class: `bundled`, the one the built app's Ink bundle exports (scripts/vendor-ink.ts;
 * the caller has that module), or else the ink package's, reached by its file next to Ink's entry
 * (the package does not export it).
 */
export async function inkOutputClass(bundled?: unknown): Promise<InkOutputClass | undefined> {
	try {
		const Output = (bundled as InkOutputClass | undefined) ?? ((await import(new URL('./output.js', import.meta.resolve('ink')).href)) as {default?: InkOutputClass}).default;
		if (typeof Output !== 'function' || typeof Output.prototype.get !== 'function' || typeof Output.prototype.write !== 'function') return undefined;
		return Output;
	} catch {
		return undefined;
	}
}

/**
 * Compose Ink frames with composeRows wherever it applies (Ink's own way otherwise). Checks
 * first that this Ink's Output still has the shape composeRows reads, and leaves Ink alone if
 * not. Resolves to whether the fast path is in place. Call before the first render.
 */
export function installFastFrames(bundledOutput?: unknown): Promise<boolean> {
	installed ??= (async () => {
		const Output = await inkOutputClass(bundledOutput);
		if (!Output) return false;
		const original = Output.prototype.get;
		const probe = new Output({width: 6, height: 3});
		probe.write(0, 0, 'ab  \ncd', {transformers: [line => `\u001B[36m${line}\u001B[39m`]});
		if (!Array.isArray(probe.operations) || composeRows(probe.width, probe.height, probe.operations) !== original.call(probe).output) return false;
		Output.prototype.get = function get(this: InkOutput) {
			const output = composeRows(this.width, this.height, this.operations);
			return output === undefined ? original.call(this) : {output, height: rowCount(this.height)};
		};
		return true;
	})();
	return installed;
}
