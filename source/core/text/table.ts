// The one table formatter: the leaderboard, the plain table, `compare`, `presets` and the Markdown report draw with it.
// Pure; every width in terminal cells (core/text/cells.ts); every cell sanitised (core/text/sanitize.ts).
//
// Plain text (a pipe, a log):
//   const lines = formatTable(columns, rows);                 // every column, full width
//   const lines = formatTable(columns, rows, {maxWidth: 79}); // drops low-priority columns to fit
// Styled rows (the Ink leaderboard):
//   const fitted = fitTable(columns, rows, {maxWidth: columns - 3});
//   <Text bold>{tableHeader(fitted)}</Text>, then <Text inverse={…}>{tableRow(fitted, row)}</Text> per row
import {cellWidth, fitCells} from './cells.js';
import {markdownCell} from './escape.js';
import {sanitizeLine} from './sanitize.js';

/**
 * A column of a text table.
 *
 * - `priority`: when the table is wider than it may be, the column with the lowest priority goes
 *   first; a column with `priority >= keepPriority` is never dropped.
 * - `shrink`: when the kept columns are still too wide, this column (e.g. a model name) is cut with
 *   `…`, down to `shrink` cells at the least. At most one column should shrink.
 */
export type TableColumn = {
	readonly key: string;
	readonly title: string;
	readonly align: 'left' | 'right';
	readonly priority: number;
	readonly shrink?: number | undefined;
};

/** A column kept by `fitTable`, with the index of its cells in a row and its width in cells. */
export type FittedColumn<C extends TableColumn = TableColumn> = {
	readonly column: C;
	readonly index: number;
	readonly width: number;
};

/** Columns with this priority or more are never dropped. */
export const keepPriority = 10;

export type TableOptions = {
	/** Most cells a line may take (a terminal's width less its margin); none: every column, full width. */
	readonly maxWidth?: number | undefined;
	/** Spaces between columns. */
	readonly gap?: number | undefined;
};

/**
 * Which columns fit `maxWidth` and how wide each is, measured in terminal cells (a CJK character
 * or an emoji is two). Widths are the widest of the title and the cells; columns are dropped
 * lowest priority first, then the `shrink` column is cut. Cells are server text in places:
 * pass them through `tableRow`/`formatTable`, which sanitise them (docs/untrusted-text.md).
 */
export function fitTable<C extends TableColumn>(
	columns: readonly C[],
	rows: ReadonlyArray<readonly string[]>,
	options: TableOptions = {},
): Array<FittedColumn<C>> {
	const gap = options.gap ?? 2;
	const maxWidth = options.maxWidth ?? Number.POSITIVE_INFINITY;
	const kept = columns.map((column, index) => ({
		column,
		index,
		width: Math.max(cellWidth(column.title), ...rows.map(row => cellWidth(sanitizeLine(row[index] ?? '')))),
	}));
	const total = () => kept.reduce((sum, entry) => sum + entry.width, 0) + gap * Math.max(0, kept.length - 1);
	while (total() > maxWidth) {
		const lowest = kept.reduce<(typeof kept)[number] | undefined>(
			(low, entry) => (entry.column.priority < keepPriority && (!low || entry.column.priority < low.column.priority) ? entry : low),
			undefined,
		);
		if (!lowest) {
			break;
		}

		kept.splice(kept.indexOf(lowest), 1);
	}

	const overflow = total() - maxWidth;
	if (overflow > 0) {
		const shrinking = kept.find(entry => entry.column.shrink !== undefined);
		if (shrinking) {
			shrinking.width = Math.max(shrinking.column.shrink!, shrinking.width - overflow);
		}
	}

	return kept;
}

/** One line of the table: each kept cell sanitised, cut or padded to its column's width in cells, aligned; no trailing spaces. */
export function tableRow(fitted: readonly FittedColumn[], cells: readonly string[], gap = 2): string {
	return fitted
		.map(entry => fitCells(sanitizeLine(cells[entry.index] ?? ''), entry.width, entry.column.align))
		.join(' '.repeat(gap))
		.trimEnd();
}

/** The title line of the table. */
export function tableHeader(fitted: readonly FittedColumn[], gap = 2): string {
	return tableRow(
		fitted,
		fitted.reduce<string[]>((titles, entry) => {
			titles[entry.index] = entry.column.title;
			return titles;
		}, []),
		gap,
	);
}

/** A whole plain table (no colour): the title line, then one line per row. Style rows yourself with `fitTable` + `tableRow`. */
export function formatTable(columns: readonly TableColumn[], rows: ReadonlyArray<readonly string[]>, options: TableOptions = {}): string[] {
	const gap = options.gap ?? 2;
	const fitted = fitTable(columns, rows, options);
	return [tableHeader(fitted, gap), ...rows.map(row => tableRow(fitted, row, gap))];
}

/**
 * The same columns as a Markdown table (GitHub-flavoured): no widths to fit, a reader's viewer lays it out;
 * `align` becomes `---`/`---:`, and every cell is escaped (`markdownCell`): no text can add a column or markup.
 */
export function markdownTable(columns: readonly TableColumn[], rows: ReadonlyArray<readonly string[]>): string {
	const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
	return [
		line(columns.map(column => markdownCell(column.title))),
		line(columns.map(column => (column.align === 'right' ? '---:' : '---'))),
		...rows.map(row => line(columns.map((_, index) => markdownCell(row[index] ?? '')))),
	].join('\n');
}
