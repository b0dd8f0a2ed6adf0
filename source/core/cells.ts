// Terminal cells: how wide text shows, and cutting or padding it to an exact width. Pure.
// Everything that pads or cuts text for a terminal (race panels, the leaderboard, the plain
// table, compare, help lines) measures in cells here, never in string length: a CJK character
// or an emoji takes two cells.
import stringWidth from 'string-width';

/**
 * Characters one column wide each, that the race screen draws in every frame (box drawing,
 * blocks, arrows, ·, …, “”, ✓, ✗, ■) beside Latin text: measured by length, not by string-width,
 * whose grapheme segmentation would cost more than building the whole frame.
 */
const narrowOnly = /^[\u0020-\u007E\u00A0-\u00AC\u00AE-\u02FF\u2010-\u2027\u2030-\u205E\u2190-\u21FF\u2500-\u259F\u25A0\u2713\u2717]*$/;
const segmenter = new Intl.Segmenter();

/** Columns `text` takes (no escape sequences in it). */
export function cellWidth(text: string): number {
	return narrowOnly.test(text) ? text.length : stringWidth(text);
}

/** The grapheme clusters of `text` with their widths in cells. */
export function graphemes(text: string): Array<{readonly text: string; readonly cells: number}> {
	if (narrowOnly.test(text)) {
		return [...text].map(char => ({text: char, cells: 1}));
	}

	return [...segmenter.segment(text)].map(({segment}) => ({text: segment, cells: stringWidth(segment)}));
}

/** The longest start of `text` that takes at most `width` cells, and its width. */
export function takeCells(text: string, width: number): {readonly text: string; readonly cells: number} {
	if (narrowOnly.test(text)) {
		const kept = text.slice(0, Math.max(0, width));
		return {text: kept, cells: kept.length};
	}

	let kept = '';
	let used = 0;
	for (const {segment} of segmenter.segment(text)) {
		const cells = stringWidth(segment);
		if (used + cells > width) {
			break;
		}

		kept += segment;
		used += cells;
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

	if (stringWidth(text) <= width) {
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
