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
	[0x2e80, 0x2e99],
	[0x2e9b, 0x2ef3],
	[0x2f00, 0x2fd5],
	[0x2ff0, 0x2fff],
	[0x3000, 0x3029],
	[0x3030, 0x303e],
	[0x3041, 0x3096],
	[0x309b, 0x30ff],
	[0x3105, 0x312f],
	[0x3131, 0x3163],
	[0x3165, 0x318e],
	[0x3190, 0x31e3],
	[0x31f0, 0x321e],
	[0x3220, 0x3247],
	[0x3250, 0x4dbf],
	[0x4e00, 0x9fff],
	[0xa000, 0xa48c],
	[0xa490, 0xa4c6],
	[0xac00, 0xd7a3],
	[0xf900, 0xfaff],
	[0xfe30, 0xfe52],
	[0xfe54, 0xfe66],
	[0xfe68, 0xfe6b],
	[0xff01, 0xff60],
	[0xffe0, 0xffe6],
];
const narrowRanges: ReadonlyArray<readonly [number, number]> = [
	[0x20, 0x7e],
	[0xa0, 0xac],
	[0xae, 0x2ff],
	[0x2010, 0x2027],
	[0x2030, 0x205e],
	[0x2190, 0x21ff],
	[0x2500, 0x259f],
	[0x25a0, 0x25a0],
	[0x2713, 0x2713],
	[0x2717, 0x2717],
];
/** Cells of each UTF-16 code unit that is a grapheme of its own with a known width; 0: ask string-width. */
const simpleWidths = new Uint8Array(0x1_00_00);
for (const [ranges, cells] of [
	[narrowRanges, 1],
	[simpleWideRanges, 2],
] as const) {
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

/**
 * `text` wrapped at spaces into lines of at most `width` cells (a word longer than a line is cut
 * with …), the lines after the first starting with `indent`: notes under a table, a description.
 */
export function wrapCells(text: string, width: number, indent = ''): string[] {
	if (cellWidth(text) <= width) {
		return [text];
	}

	const lines: string[] = [];
	const leading = /^\s*/.exec(text)![0];
	let line = '';
	for (const word of text.split(/\s+/).filter(Boolean)) {
		const prefix = lines.length === 0 ? leading : indent;
		const candidate = line ? `${line} ${word}` : `${prefix}${word}`;
		if (line && cellWidth(candidate) > width) {
			lines.push(line);
			line = truncate(`${indent}${word}`, width);
		} else {
			line = truncate(candidate, width);
		}
	}

	if (line) {
		lines.push(line);
	}

	return lines;
}
