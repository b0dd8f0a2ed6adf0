// Terminal cells: how wide text shows, and cutting it to an exact width. Pure.
// The race screen is drawn without Ink, so nothing else stops a wide character from
// pushing a line past its panel, or a control character in a model's answer from
// moving the cursor: every piece of model text goes through `cleanText` and `fitCells`.
import stringWidth from 'string-width';
import {truncate} from './text.js';

/**
 * Characters one column wide each, that the race screen draws in every frame (box drawing,
 * blocks, arrows, ·, …, “”, ✓, ✗, ■) beside Latin text: measured by length, not by string-width,
 * whose grapheme segmentation would cost more than building the whole frame.
 */
const narrowOnly = /^[\u0020-\u007E\u00A0-\u00AC\u00AE-\u02FF\u2010-\u2027\u2030-\u205E\u2190-\u21FF\u2500-\u259F\u25A0\u2713\u2717]*$/;
// eslint-disable-next-line no-control-regex
const controls = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/g;
const segmenter = new Intl.Segmenter();

/** Text a model sent, safe to print: control characters (escape sequences, tabs, carriage returns) become spaces; newlines stay. */
export function cleanText(text: string): string {
	return text.replaceAll(controls, ' ');
}

/** Columns `text` takes (no escape sequences in it). */
export function cellWidth(text: string): number {
	return narrowOnly.test(text) ? text.length : stringWidth(text);
}

/** `text` cut (with …) or padded with spaces to exactly `width` columns. */
export function fitCells(text: string, width: number): string {
	if (width <= 0) {
		return '';
	}

	if (narrowOnly.test(text)) {
		return truncate(text, width).padEnd(width);
	}

	const total = stringWidth(text);
	if (total <= width) {
		return text + ' '.repeat(width - total);
	}

	let kept = '';
	let used = 0;
	for (const {segment} of segmenter.segment(text)) {
		const cells = stringWidth(segment);
		if (used + cells > width - 1) {
			break;
		}

		kept += segment;
		used += cells;
	}

	return `${kept}…${' '.repeat(width - 1 - used)}`;
}
