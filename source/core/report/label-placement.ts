// Where the charts' model labels go so that none covers another (README, "The HTML report"): a greedy placement
// in pixels, beside each label's point first, then further up and down (a leader line joins a label
// moved off its point). Pure: the charts know their axes, so they know where each point is drawn.

export type Rect = {readonly x: number; readonly y: number; readonly width: number; readonly height: number};

export type Anchor = {
	/** The point the label names, in px. */
	readonly x: number;
	readonly y: number;
	/** The label's size, in px (an estimate: see `textWidthPx`). */
	readonly width: number;
	readonly height: number;
};

/**
 * A label's width in px at `fontPx`: characters at 0.62 em on average (sans-serif, mixed case), wide
 * (CJK) characters at 1 em, and a margin for fonts wider than that (the browser's `system-ui` may be).
 */
export function textWidthPx(text: string, fontPx: number): number {
	let ems = 0;
	for (const char of text) {
		const code = char.codePointAt(0)!;
		ems += code >= 0x11_00 ? 1 : /[A-Z0-9]/.test(char) ? 0.68 : 0.56;
	}

	return Math.ceil(ems * fontPx * 1.12) + 4;
}

export function overlaps(a: Rect, b: Rect, gap = 1): boolean {
	return a.x < b.x + b.width + gap && b.x < a.x + a.width + gap && a.y < b.y + b.height + gap && b.y < a.y + a.height + gap;
}

function inside(rect: Rect, bounds: Rect): boolean {
	return rect.x >= bounds.x && rect.y >= bounds.y && rect.x + rect.width <= bounds.x + bounds.width && rect.y + rect.height <= bounds.y + bounds.height;
}

/** Candidate boxes for a label, nearest first: right of the point, left, above, below, then right and left further up and down. */
function candidates(anchor: Anchor, gapPx: number, steps: number): Rect[] {
	const {x, y, width, height} = anchor;
	const right = x + gapPx;
	const left = x - gapPx - width;
	const middle = y - height / 2;
	const boxes: Rect[] = [
		{x: right, y: middle, width, height},
		{x: left, y: middle, width, height},
		{x: x - width / 2, y: y - gapPx - height, width, height},
		{x: x - width / 2, y: y + gapPx, width, height},
	];
	for (let step = 1; step <= steps; step++) {
		for (const sign of [-1, 1]) {
			const shifted = middle + sign * step * (height + 2);
			boxes.push({x: right, y: shifted, width, height}, {x: left, y: shifted, width, height});
		}
	}

	return boxes;
}

/**
 * A box for each anchor's label, in the anchors' order: the nearest candidate that covers no other
 * label, no point (`obstacles`) and stays in `bounds`; when every candidate collides, the one that
 * covers the least other labels.
 */
export function placeLabels(anchors: readonly Anchor[], obstacles: readonly Rect[], bounds: Rect, gapPx = 8, steps = 24): Rect[] {
	const placed: Rect[] = [];
	for (const anchor of anchors) {
		const options = candidates(anchor, gapPx, steps).filter(box => inside(box, bounds));
		const free = options.find(box => !placed.some(other => overlaps(box, other)) && !obstacles.some(point => overlaps(box, point, 0)));
		const fallback = () =>
			[...options].sort((a, b) => placed.filter(other => overlaps(a, other)).length - placed.filter(other => overlaps(b, other)).length)[0] ?? {
				x: anchor.x + gapPx,
				y: anchor.y - anchor.height / 2,
				width: anchor.width,
				height: anchor.height,
			};
		placed.push(free ?? fallback());
	}

	return placed;
}

/** Ticks for an axis from 0: a round step (1, 2 or 5 × 10^n) and the top it reaches, at least `max`. */
export function niceScale(max: number, ticks = 5): {step: number; top: number} {
	const raw = Math.max(max, 1e-9) / ticks;
	const magnitude = 10 ** Math.floor(Math.log10(raw));
	const step = [1, 2, 2.5, 5, 10].map(factor => factor * magnitude).find(candidate => candidate >= raw)!;
	return {step, top: Math.ceil(max / step - 1e-9) * step};
}
