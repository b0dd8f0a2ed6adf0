// Text helpers for fixed-size boxes: wrap, take the tail, draw a sparkline. Pure; widths in terminal cells.
import {cellWidth, graphemes, truncate} from '../core/text/cells.js';
import type {Segment} from './theme.js';

/** Wrap text to `width` cells (hard-wrapping long words, e.g. CJK text without spaces), keeping explicit newlines. */
export function wrapLines(text: string, width: number): string[] {
	const lines: string[] = [];
	const safeWidth = Math.max(1, width);
	for (const paragraph of text.split('\n')) {
		let line = '';
		let used = 0;
		for (const word of paragraph.split(/(\s+)/)) {
			if (!word) {
				continue;
			}

			const cells = cellWidth(word);
			if (used + cells <= safeWidth) {
				line += word;
				used += cells;
				continue;
			}

			if (line.trim()) {
				lines.push(line.trimEnd());
			}

			if (/^\s+$/.test(word)) {
				line = '';
				used = 0;
				continue;
			}

			if (cells <= safeWidth) {
				line = word;
				used = cells;
				continue;
			}

			// A word longer than the line (CJK text has no spaces): cut it by graphemes, in one pass.
			line = '';
			used = 0;
			for (const grapheme of graphemes(word)) {
				if (used + grapheme.cells > safeWidth && line) {
					lines.push(line);
					line = '';
					used = 0;
				}

				line += grapheme.text;
				used += grapheme.cells;
			}
		}

		lines.push(line.trimEnd());
	}

	return lines;
}

/** The last `count` wrapped lines of `text`, so that a fixed-height box shows the newest text. */
export function tailLines(text: string, width: number, count: number): string[] {
	if (count <= 0) {
		return [];
	}

	// Only the end can show: wrap a tail, not the whole answer. A character takes at least one cell, so
	// `width × (count + 2)` characters make more than `count` lines; twice that leaves room for emoji
	// sequences (several code units in two cells) and short lines.
	const keep = width * (count + 2) * 2;
	const window = text.length > keep ? text.slice(-keep) : text;
	const lines = wrapLines(window, width);
	while (lines.length > 0 && lines.at(-1) === '' && lines.length > count) {
		lines.pop();
	}

	return lines.slice(-count);
}

const bars = '▁▂▃▄▅▆▇█';

/** A sparkline of the last `width` values, scaled to their maximum. */
export function sparkline(values: readonly number[], width: number): string {
	if (width <= 0) {
		return '';
	}

	const shown = values.slice(-width);
	const max = Math.max(0, ...shown);
	if (max === 0) {
		return shown.map(() => bars[0]).join('');
	}

	return shown.map(value => bars[Math.min(bars.length - 1, Math.round((value / max) * (bars.length - 1)))]).join('');
}

/** Keep the pieces of a line that fit `width` cells, cutting the last one that does not. */
export function fitSegments<T extends Pick<Segment, 'text'>>(segments: readonly T[], width: number): T[] {
	const kept: T[] = [];
	let used = 0;
	for (const segment of segments) {
		if (!segment.text) {
			continue;
		}

		const cells = cellWidth(segment.text);
		if (used + cells <= width) {
			kept.push(segment);
			used += cells;
			continue;
		}

		if (width - used > 0) {
			kept.push({...segment, text: truncate(segment.text, width - used)});
		}

		break;
	}

	return kept;
}
