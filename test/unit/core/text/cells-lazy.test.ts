// core/text/cells.ts before and after string-width has loaded: the fast paths need nothing, anything else
// waits for loadCellWidths() and is never guessed. (Every other test file runs with it loaded.)
import {describe, expect, it, vi} from 'vitest';

describe('cell widths before string-width has loaded', () => {
	it('measures Latin, box drawing and CJK at once; refuses an emoji until loadCellWidths()', async () => {
		vi.resetModules();
		const cells = await import('../../../../source/core/text/cells.js');
		expect(cells.cellWidth('Explain recursion — “quoted” ✓ │')).toBe(32);
		expect(cells.cellWidth('解释递归')).toBe(8);
		expect(cells.fitCells('日本語のテキスト', 9)).toBe('日本語の…');
		expect(cells.fitCells('日本語のテキスト', 10)).toBe('日本語の… ');
		expect(() => cells.cellWidth('👍🏽')).toThrow(cells.CellWidthsNotLoaded);
		expect(() => cells.truncate('e\u0301clair 👍🏽 recursion', 5)).toThrow(cells.CellWidthsNotLoaded);
		await cells.loadCellWidths();
		expect(cells.cellWidth('👍🏽')).toBe(2);
		expect(cells.cellWidth('🧑🏽‍💻')).toBe(2);
		expect(cells.truncate('e\u0301clair 👍🏽 recursion', 5)).toBe('e\u0301cla…');
	});
});
