// Text helpers for fixed-size boxes: wrap, take the tail, draw a sparkline. Pure.

/** Wrap text to `width` columns (hard-wrapping long words), keeping explicit newlines. */
export function wrapLines(text: string, width: number): string[] {
	const lines: string[] = [];
	const safeWidth = Math.max(1, width);
	for (const paragraph of text.split('\n')) {
		let line = '';
		for (const word of paragraph.split(/(\s+)/)) {
			if (!word) {
				continue;
			}

			if (line.length + word.length <= safeWidth) {
				line += word;
				continue;
			}

			if (line.trim()) {
				lines.push(line.trimEnd());
			}

			line = /^\s+$/.test(word) ? '' : word;
			while (line.length > safeWidth) {
				lines.push(line.slice(0, safeWidth));
				line = line.slice(safeWidth);
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

	// Only the end can show: wrap a generous tail, not the whole answer.
	const window = text.length > width * count * 4 ? text.slice(-(width * count * 4)) : text;
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

export type Segment = {readonly text: string; readonly tone?: import('./theme.js').Tone | undefined; readonly bold?: boolean | undefined};

/** Keep the pieces of a line that fit `width` columns, cutting the last one that does not. */
export function fitSegments(segments: readonly Segment[], width: number): Segment[] {
	const kept: Segment[] = [];
	let used = 0;
	for (const segment of segments) {
		if (!segment.text) {
			continue;
		}

		if (used + segment.text.length <= width) {
			kept.push(segment);
			used += segment.text.length;
			continue;
		}

		if (width - used > 0) {
			kept.push({...segment, text: truncate(segment.text, width - used)});
		}

		break;
	}

	return kept;
}

/** Cut to `width` columns with an ellipsis. */
export function truncate(text: string, width: number): string {
	if (width <= 0) {
		return '';
	}

	return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}
