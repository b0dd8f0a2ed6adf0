import {describe, expect, it} from 'vitest';
import {niceScale, overlaps, placeLabels, textWidthPx} from '../../../../source/core/report/label-placement.js';

describe('placeLabels', () => {
	const bounds = {x: 0, y: 0, width: 960, height: 560};
	it('puts a lone label right of its point, and crowded ones where none covers another or a point', () => {
		expect(placeLabels([{x: 100, y: 100, width: 50, height: 14}], [], bounds)).toEqual([{x: 108, y: 93, width: 50, height: 14}]);
		// Fifteen points in a tight cluster, as fifteen models ending a race at the same token count.
		const anchors = Array.from({length: 15}, (_, index) => ({x: 300 + index * 6, y: 200 + (index % 3) * 4, width: 90, height: 14}));
		const points = anchors.map(anchor => ({x: anchor.x - 2, y: anchor.y - 2, width: 4, height: 4}));
		const boxes = placeLabels(anchors, points, bounds);
		for (const [index, box] of boxes.entries()) {
			for (const other of boxes.slice(index + 1)) {
				expect(overlaps(box, other, 0)).toBe(false);
			}

			expect(points.some(point => overlaps(box, point, 0))).toBe(false);
			expect(box.x >= 0 && box.y >= 0 && box.x + box.width <= 960 && box.y + box.height <= 560).toBe(true);
		}
	});

	it('estimates text widths in px, wide characters wider', () => {
		expect(textWidthPx('GLM-5', 11)).toBeGreaterThan(30);
		expect(textWidthPx('宽宽', 11)).toBeGreaterThan(textWidthPx('ab', 11));
	});

	it('rounds axis tops up to 1, 2, 2.5 or 5 × 10^n steps', () => {
		expect(niceScale(4.7)).toEqual({step: 1, top: 5});
		expect(niceScale(162)).toEqual({step: 50, top: 200});
		expect(niceScale(86.4)).toEqual({step: 20, top: 100});
	});
});
