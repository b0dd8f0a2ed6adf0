// The chart's styled segments and the lines made of them: widths in cells, tones, cutting, packing.
import {cellWidth as measuredWidth, fitCells} from '../../core/text/cells.js';
import {colourOf, type Tone} from '../theme.js';
import {fitSegments} from '../text.js';
import type {ChartLine, ChartSegment} from './types.js';

// What the chart draws on every line (Latin text, box drawing, arrows, …, the bracket shapes) is one cell
// per character: measured by length; anything else (a model's name in CJK, an emoji) by string-width.
const narrowOnly = /^[\u0020-\u007E\u00A0-\u00AC\u00AE-\u02FF\u2010-\u2027\u2030-\u205E\u2190-\u21FF\u2500-\u259F\u25A0\u25B2\u25C6\u25CB\u25CF]*$/;

/** Cells of chart text (fast for what the chart itself draws). */
export function cellWidth(text: string): number {
	return narrowOnly.test(text) ? text.length : measuredWidth(text);
}

/** A mark or label placed at a cell of a line. */
export type Item = {readonly col: number; readonly cells: number; readonly segment: ChartSegment};

export function toneSegment(text: string, tone: Tone | undefined, noColor: boolean, style: {bold?: boolean; inverse?: boolean} = {}): ChartSegment {
	return {text, tone, color: tone ? colourOf(tone, noColor) : undefined, bold: style.bold ?? false, inverse: style.inverse ?? false};
}

/** Items laid out on a line of `width` cells: gaps become spaces, trailing space is dropped. */
export function lineOf(items: readonly Item[], width: number): ChartLine {
	const sorted = [...items].sort((a, b) => a.col - b.col);
	const segments: ChartSegment[] = [];
	let used = 0;
	for (const item of sorted) {
		if (item.col < used || item.col + item.cells > width) {
			continue;
		}

		if (item.col > used) {
			segments.push({text: ' '.repeat(item.col - used)});
		}

		segments.push(item.segment);
		used = item.col + item.cells;
	}

	return mergePlain(segments);
}

export function mergePlain(segments: readonly ChartSegment[]): ChartSegment[] {
	const merged: ChartSegment[] = [];
	for (const segment of segments) {
		const last = merged.at(-1);
		const plain = (entry: ChartSegment) => !entry.tone && !entry.color && !entry.bold && !entry.inverse;
		if (last && plain(last) && plain(segment)) {
			merged[merged.length - 1] = {text: last.text + segment.text};
		} else if (segment.text) {
			merged.push(segment);
		}
	}

	return merged;
}

/** Segments cut so that their cells sum to at most `width`. */
export function fitLine(segments: readonly ChartSegment[], width: number): ChartSegment[] {
	return fitSegments(segments, width);
}

/** Cells a line takes. */
export function lineWidth(line: ChartLine): number {
	return line.reduce((sum, segment) => sum + cellWidth(segment.text), 0);
}

/** A line's text without its styles (what NO_COLOR shows, less inverse and bold). */
export function lineText(line: ChartLine): string {
	return line.map(segment => segment.text).join('');
}

/** Entries packed into lines of `width` cells, two spaces apart; an entry wider than a line is cut. */
export function packLines(entries: readonly ChartSegment[], width: number): ChartSegment[][] {
	const lines: ChartSegment[][] = [];
	let current: ChartSegment[] = [];
	let used = 0;
	for (const entry of entries) {
		const fitted = cellWidth(entry.text) > width ? {...entry, text: fitCells(entry.text, width).trimEnd()} : entry;
		const cells = cellWidth(fitted.text);
		if (current.length > 0 && used + 2 + cells > width) {
			lines.push(current);
			current = [];
			used = 0;
		}

		if (current.length > 0) {
			current.push({text: '  '});
			used += 2;
		}

		current.push(fitted);
		used += cells;
	}

	if (current.length > 0) {
		lines.push(current);
	}

	return lines;
}
