// Terminal cells: how wide text shows, and cutting or padding it to an exact width. Pure.
// Everything that pads or cuts text for a terminal (race panels, the leaderboard, the plain
// table, compare, help lines) measures in cells here, never in string length: a CJK character
// or an emoji takes two cells.
// Text outside the fast paths below is measured by string-width, whose start (a grapheme segmenter,
// ~35 ms) is kept off the race screen's first frame: it loads with `loadCellWidths()`, which every
// command awaits before it draws (the live race right after its first frame, see ui/race/screen.ts).

/**
 * Characters one column wide each, that the race screen draws in every frame (box drawing,
 * blocks, arrows, ·, …, “”, ✓, ✗, ■) beside Latin text: measured by length, not by string-width,
 * whose grapheme segmentation would cost more than building the whole frame.
 */
const narrowOnly = /^[\u0020-\u007E\u00A0-\u00AC\u00AE-\u02FF\u2010-\u2027\u2030-\u205E\u2190-\u21FF\u2500-\u259F\u25A0\u2713\u2717]*$/;
/**
 * Wide characters that are each a grapheme of their own, two cells (CJK ideographs and punctuation,
 * kana without the combining sound marks, Hangul syllables, fullwidth forms), mixed with the narrow
 * ones above: what Chinese, Japanese and Korean answers are made of. Measured per code point:
 * string-width costs tens of µs per CJK character here, which a 15-panel frame cannot pay.
 * (test/unit/ui/keymap.test.ts checks every one of these against string-width.)
 */
export const simpleWideRanges: ReadonlyArray<readonly [number, number]> = [
	[0x2E80, 0x2E99], [0x2E9B, 0x2EF3], [0x2F00, 0x2FD5], [0x2FF0, 0x2FFF], [0x3000, 0x3029], [0x3030, 0x303E],
	[0x3041, 0x3096], [0x309B, 0x30FF], [0x3105, 0x312F], [0x3131, 0x3163], [0x3165, 0x318E], [0x3190, 0x31E3],
	[0x31F0, 0x321E], [0x3220, 0x3247], [0x3250, 0x4DBF], [0x4E00, 0x9FFF], [0xA000, 0xA48C], [0xA490, 0xA4C6],
	[0xAC00, 0xD7A3], [0xF900, 0xFAFF], [0xFE30, 0xFE52], [0xFE54, 0xFE66], [0xFE68, 0xFE6B], [0xFF01, 0xFF60], [0xFFE0, 0xFFE6],
];
const narrowRanges: ReadonlyArray<readonly [number, number]> = [
	[0x20, 0x7E], [0xA0, 0xAC], [0xAE, 0x2FF], [0x2010, 0x2027], [0x2030, 0x205E], [0x2190, 0x21FF], [0x2500, 0x259F], [0x25A0, 0x25A0], [0x2713, 0x2713], [0x2717, 0x2717],
];
/** Cells of each UTF-16 code unit that is a grapheme of its own with a known width; 0: ask string-width. */
const simpleWidths = new Uint8Array(0x1_00_00);
for (const [ranges, cells] of [[narrowRanges, 1], [simpleWideRanges, 2]] as const) {
	for (const [from, to] of ranges) {
		simpleWidths.fill(cells, from, to + 1);
	}
}

/** The width of text made only of the characters above, else -1. */
function simpleWidth(text: string): number {
	let cells = 0;
	for (let index = 0; index < text.length; index++) {
		const width = simpleWidths[text.charCodeAt(index)]!;
		if (width === 0) {
			return -1;
		}

		cells += width;
	}

	return cells;
}

let stringWidth: ((text: string) => number) | undefined;
let segmenter: Intl.Segmenter | undefined;

/** Measuring text outside the fast paths before `loadCellWidths()` resolved: a bug of the caller, never a guess. */
export class CellWidthsNotLoaded extends Error {
	override name = 'CellWidthsNotLoaded';
}

/** Load string-width and the grapheme segmenter (once); after this every text can be measured. */
export async function loadCellWidths(): Promise<void> {
	if (!stringWidth) {
		const {default: measure} = await import('string-width');
		segmenter ??= new Intl.Segmenter();
		stringWidth = measure;
	}
}

function fullWidth(text: string): number {
	if (!stringWidth) {
		throw new CellWidthsNotLoaded(`cell widths measured before loadCellWidths(): ${JSON.stringify(text.slice(0, 20))}`);
	}

	return stringWidth(text);
}

/** Columns `text` takes (no escape sequences in it). */
export function cellWidth(text: string): number {
	if (narrowOnly.test(text)) {
		return text.length;
	}

	const simple = simpleWidth(text);
	return simple >= 0 ? simple : fullWidth(text);
}

/** The grapheme clusters of `text` with their widths in cells. */
export function graphemes(text: string): Array<{readonly text: string; readonly cells: number}> {
	if (simpleWidth(text) >= 0) {
		return [...text].map(char => ({text: char, cells: simpleWidths[char.charCodeAt(0)]!}));
	}

	if (!segmenter) {
		throw new CellWidthsNotLoaded(`graphemes cut before loadCellWidths(): ${JSON.stringify(text.slice(0, 20))}`);
	}

	return [...segmenter.segment(text)].map(({segment}) => ({text: segment, cells: fullWidth(segment)}));
}

/** The longest start of `text` that takes at most `width` cells, and its width. */
export function takeCells(text: string, width: number): {readonly text: string; readonly cells: number} {
	if (narrowOnly.test(text)) {
		const kept = text.slice(0, Math.max(0, width));
		return {text: kept, cells: kept.length};
	}

	let kept = '';
	let used = 0;
	for (const grapheme of graphemes(text)) {
		if (used + grapheme.cells > width) {
			break;
		}

		kept += grapheme.text;
		used += grapheme.cells;
	}

	return {text: kept, cells: used};
}

/** Cut to `width` cells with an ellipsis (no padding). */
export function truncate(text: string, width: number): string {
	if (width <= 0) {
		return '';
	}

	if (narrowOnly.test(text)) {
		return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
	}

	if (cellWidth(text) <= width) {
		return text;
	}

	return `${takeCells(text, width - 1).text}…`;
}

/** `text` padded with spaces to `width` cells, on the right (`left`) or on the left (`right`); never cut. */
export function padCells(text: string, width: number, align: 'left' | 'right' = 'left'): string {
	const spaces = ' '.repeat(Math.max(0, width - cellWidth(text)));
	return align === 'left' ? text + spaces : spaces + text;
}

/** `text` cut (with …) or padded with spaces to exactly `width` cells. */
export function fitCells(text: string, width: number, align: 'left' | 'right' = 'left'): string {
	if (width <= 0) {
		return '';
	}

	const cut = truncate(text, width);
	// A wide character cut at the edge can leave the text one cell short: pad it.
	return padCells(cut, width, align);
}
