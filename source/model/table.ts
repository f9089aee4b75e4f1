// Columns that fit the terminal: each has a width and a priority; the lowest-priority columns
// go first when the row is too narrow, and one column may take the spare room.
import {fitToWidth} from './format.js';

export type Column<R> = {
	id: string;
	title: string;
	width: number;
	align: 'left' | 'right';
	/** Lower = kept longer on narrow terminals. */
	priority: number;
	/** Takes up to this many spare cells. */
	grow?: number;
	cell: (row: R) => string;
};

export type Table<R> = {
	columns: Array<Column<R>>;
	header: string;
	row: (r: R) => string;
};

function used<R>(columns: ReadonlyArray<Column<R>>): number {
	return columns.reduce((sum, c) => sum + c.width, 0) + Math.max(0, columns.length - 1);
}

/** Pick the columns that fit `width`, spread the spare room, mark the sort column. */
export function layoutTable<R>(all: ReadonlyArray<Column<R>>, width: number, sort?: {id: string; arrow: string}): Table<R> {
	let columns = [...all];
	while (columns.length > 1 && used(columns) > width) {
		const drop = columns.reduce((worst, c) => (c.priority > worst.priority ? c : worst));
		columns = columns.filter(c => c !== drop);
	}
	let spare = Math.max(0, width - used(columns));
	const widths = new Map<string, number>();
	for (const c of columns) {
		const extra = Math.min(spare, c.grow ?? 0);
		spare -= extra;
		widths.set(c.id, c.width + extra);
	}
	const w = (c: Column<R>) => widths.get(c.id) ?? c.width;
	const header = columns.map(c => fitToWidth(sort && c.id === sort.id ? `${c.title}${sort.arrow}` : c.title, w(c), c.align)).join(' ');
	return {
		columns,
		header,
		row: r => columns.map(c => fitToWidth(c.cell(r), w(c), c.align)).join(' '),
	};
}
