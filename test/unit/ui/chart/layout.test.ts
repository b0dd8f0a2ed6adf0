import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import type {BracketName, ModelResult, Stat} from '../../../../source/core/types.js';
import {
	bracketMarks,
	chartLayout,
	fastestTradeOffs,
	lineText,
	paretoFront,
	type ChartAxis,
	type ChartInput,
	type ChartLayout,
} from '../../../../source/ui/chart/layout.js';
import {demoTranscript} from '../../../helpers/fixtures.js';

const demo = demoTranscript().models;

const stat = (value: number): Stat => ({mean: value, median: value, p95: value, min: value, max: value});

/** A demo model with other figures (and optionally another id, name, price, reasoning). */
function model(
	base: ModelResult,
	figures: {
		id: string;
		name?: string;
		ttftMs: number;
		ttfaMs?: number;
		tokensPerSecond: number;
		outputPerM?: number | null;
		bracket?: BracketName | null;
		reasoning?: boolean;
	},
): ModelResult {
	const outputPerM = figures.outputPerM === undefined ? base.price.outputPerM : figures.outputPerM;
	return {
		...base,
		id: figures.id,
		name: figures.name ?? figures.id,
		reasoning: figures.reasoning ?? false,
		price: {...base.price, outputPerM},
		bracket: figures.bracket === undefined ? base.bracket : figures.bracket,
		summary: {...base.summary, ttftMs: stat(figures.ttftMs), ttfaMs: stat(figures.ttfaMs ?? figures.ttftMs), tokensPerSecond: stat(figures.tokensPerSecond)},
	};
}

const base = demo[0]!;

function layoutAt(models: readonly ModelResult[], columns: number, rows: number, extra: Partial<ChartInput> = {}): ChartLayout {
	return chartLayout({models, xAxis: 'ttft', selectedId: null, width: columns - 1, height: rows - 1, noColor: true, bracketLabel: 'all models', ...extra});
}

const texts = (layout: ChartLayout) => layout.lines.map(line => lineText(line));

/** The text starting at terminal cell `cell` of a line (walking graphemes by their width). */
function fromCell(text: string, cell: number): string {
	let used = 0;
	let index = 0;
	for (const {segment} of new Intl.Segmenter().segment(text)) {
		if (used >= cell) {
			break;
		}

		used += stringWidth(segment);
		index += segment.length;
	}

	return used === cell ? text.slice(index) : '';
}

function expectFits(layout: ChartLayout, columns: number, rows: number) {
	expect(layout.lines.length).toBeLessThanOrEqual(rows - 1);
	for (const text of texts(layout)) {
		expect(stringWidth(text), text).toBeLessThanOrEqual(columns - 1);
	}
}

/** Every point's mark is drawn at its cell, and its label (when it has one) beside it. */
function expectDrawn(layout: ChartLayout) {
	const lines = texts(layout);
	for (const point of layout.points) {
		const line = lines[layout.plot.top + point.row]!;
		if (point.under === null) {
			expect(fromCell(line, layout.plot.left + point.col).startsWith(point.mark), `${point.id} mark`).toBe(true);
		} else {
			// Covered by another point's mark in the same cell, and named below the plot.
			const cover = layout.points.find(other => other.id === point.under)!;
			expect([cover.col, cover.row]).toEqual([point.col, point.row]);
			expect(layout.footnotes.some(note => note.startsWith(`${point.mark} ${point.name} (`) && note.endsWith(`tok/s, under ${cover.name})`))).toBe(true);
		}

		if (point.labelCol !== null) {
			const labelLine = lines[layout.plot.top + point.labelRow!]!;
			expect(fromCell(labelLine, layout.plot.left + point.labelCol).startsWith(point.label), `${point.id} label`).toBe(true);
			expect(Math.abs(point.labelRow! - point.row)).toBeLessThanOrEqual(point.labelKind === 'number' ? 1 : 0);
			expect(Math.abs(point.labelCol - point.col)).toBeLessThanOrEqual(stringWidth(point.label) + 1);
		}
	}
}

/** No two labels, and no label and mark, share a cell of the plot. */
function expectNoOverlap(layout: ChartLayout) {
	for (const point of layout.points) {
		if (point.labelCol === null) {
			continue;
		}

		const from = point.labelCol;
		const to = from + stringWidth(point.label) - 1;
		for (const other of layout.points) {
			if (other.row === point.labelRow) {
				expect(other.col < from || other.col > to, `${other.id}'s mark under ${point.id}'s label`).toBe(true);
			}

			if (other !== point && other.labelCol !== null && other.labelRow === point.labelRow) {
				const otherTo = other.labelCol + stringWidth(other.label) - 1;
				expect(otherTo < from || other.labelCol > to, `${other.id}'s label over ${point.id}'s`).toBe(true);
			}
		}
	}
}

describe('chartLayout with the 15 demo models', () => {
	it('fits 80×24: every model a point with its mark, label or number, axes with units', () => {
		const layout = layoutAt(demo, 80, 24, {selectedId: 'kimi-k2.5'});
		expectFits(layout, 80, 24);
		expect(layout.points.map(point => point.id).sort()).toEqual(demo.map(entry => entry.id).sort());
		expectDrawn(layout);
		expectNoOverlap(layout);
		const all = texts(layout).join('\n');
		expect(all).toContain('TTFT (ms) →');
		expect(all).toContain('tok/s ↑');
		expect(layout.x.ticks.length).toBeGreaterThanOrEqual(3);
		expect(layout.y.ticks.length).toBeGreaterThanOrEqual(3);
		// Ticks inside the range, left to right and bottom to top, their labels on the lines below and beside the plot.
		for (const [axis, ticks] of [
			['x', layout.x.ticks],
			['y', layout.y.ticks],
		] as const) {
			const range = axis === 'x' ? layout.x : layout.y;
			for (const [index, tick] of ticks.entries()) {
				expect(tick.value).toBeGreaterThanOrEqual(range.min);
				expect(tick.value).toBeLessThanOrEqual(range.max);
				if (index > 0) {
					expect(tick.value).toBeGreaterThan(ticks[index - 1]!.value);
					expect(axis === 'x' ? tick.at > ticks[index - 1]!.at : tick.at < ticks[index - 1]!.at).toBe(true);
				}
			}
		}

		const tickLine = texts(layout)[layout.plot.top + layout.plot.height + 1]!;
		expect(tickLine).toMatch(/^\s+200\s+400\s+600\s+800\s+1000\s+TTFT \(ms\) →$/);
		for (const tick of layout.y.ticks) {
			expect(texts(layout)[layout.plot.top + tick.at]).toMatch(new RegExp(`^ *${tick.label} ┤`));
		}
		for (const point of layout.points) {
			switch (point.labelKind) {
				case 'full': {
					expect(point.label.replace(/\*$/, '')).toBe(point.name);
					break;
				}

				case 'short': {
					expect(point.label).toMatch(/…\*?$/);
					const kept = point.label.replace(/…\*?$/, '');
					expect(point.name.startsWith(kept)).toBe(true);
					// Shortened, it still names one model only.
					expect(layout.points.filter(other => other.name.startsWith(kept)).map(other => other.id)).toEqual([point.id]);
					break;
				}

				default: {
					expect(layout.footnotes.some(note => note === `${point.number} ${point.name}` || note.startsWith(`${point.mark} ${point.name} (`))).toBe(true);
				}
			}
		}

		// The selected model's figures on the last line; a reasoning model is placed at its TTFA.
		expect(texts(layout).at(-1)).toMatch(/^› Kimi K2\.5 · premium \$3\.00\/M · TTFA 600 ms/);
		const kimi = layout.points.find(point => point.id === 'kimi-k2.5')!;
		expect(kimi.x).toBe(600);
		expect(kimi.selected).toBe(true);
	});

	it('places points by their figures: faster to the left, more tok/s higher', () => {
		const layout = layoutAt(demo, 80, 24);
		const byId = new Map(layout.points.map(point => [point.id, point]));
		expect(byId.get('step-3.5-flash')!.row).toBeLessThan(byId.get('qwen3.5-397b')!.row);
		expect(byId.get('step-3.5-flash')!.col).toBeLessThan(byId.get('qwen3.5-397b')!.col);
		expect(byId.get('step-3.5-flash')!.row).toBe(layout.y.ticks.find(tick => tick.value === 80)?.at ?? byId.get('step-3.5-flash')!.row);
		// 5 % padding on both sides of the figures.
		expect(layout.x.min).toBeCloseTo(120 - 0.05 * 1080, 6);
		expect(layout.x.max).toBeCloseTo(1200 + 0.05 * 1080, 6);
		expect(layout.y.min).toBeCloseTo(10 - 3.5, 6);
		expect(layout.front).toEqual(['step-3.5-flash']);
		expect(byId.get('step-3.5-flash')!.label).toBe('Step-3.5-Flash*');
	});

	it('uses the room at 200×50: a wide, tall plot with every name written out', () => {
		const layout = layoutAt(demo, 200, 50);
		expectFits(layout, 200, 50);
		expect(layout.plot.width).toBeGreaterThanOrEqual(180);
		expect(layout.plot.height).toBeGreaterThanOrEqual(40);
		expect(layout.lines.length).toBeGreaterThanOrEqual(46);
		expect(layout.points.every(point => point.labelKind === 'full')).toBe(true);
		expect(layout.footnotes).toEqual([]);
		expectDrawn(layout);
		expectNoOverlap(layout);
	});

	it('price axis: $/M output, unpriced models listed as not plotted', () => {
		const models = demo.map(entry =>
			entry.id === 'glm-5' || entry.id === 'qwen3-8b' ? {...entry, price: {inputPerM: null, outputPerM: null}, bracket: null} : entry,
		);
		const layout = layoutAt(models, 80, 24, {xAxis: 'price'});
		expectFits(layout, 80, 24);
		expect(layout.points).toHaveLength(13);
		expect(layout.notPlotted).toEqual([
			{id: 'qwen3-8b', name: 'Qwen3-8B', reason: 'no price'},
			{id: 'glm-5', name: 'GLM-5', reason: 'no price'},
		]);
		const all = texts(layout);
		expect(all.join('\n')).toContain('$/M output →');
		expect(all).toContain('not plotted: Qwen3-8B (no price), GLM-5 (no price)');
		expect(layout.x.ticks.every(tick => tick.label.startsWith('$'))).toBe(true);
		// Cheaper and faster: with Qwen3-8B gone, Step-3.5-Flash ($0.15, 80 tok/s) beats every other.
		expect(layout.front).toEqual(['step-3.5-flash']);
		expect(layout.points.find(point => point.id === 'kimi-k2.5')!.x).toBe(3);
		expectDrawn(layout);
		expectNoOverlap(layout);
	});
});

describe('chartLayout labels', () => {
	const longA = 'Aurora Ultra Long Context Preview 2026-05-20';
	const longB = 'Aurora Ultra Long Context Preview 2026-05-21';
	it('shortens or numbers two colliding long names, and lists numbered names below the plot', () => {
		const models = [
			...demo,
			model(base, {id: 'aurora-a', name: longA, ttftMs: 230, tokensPerSecond: 48}),
			model(base, {id: 'aurora-b', name: longB, ttftMs: 232, tokensPerSecond: 48.3}),
		];
		const layout = layoutAt(models, 80, 24);
		expectFits(layout, 80, 24);
		expectDrawn(layout);
		expectNoOverlap(layout);
		const pair = layout.points.filter(point => point.id.startsWith('aurora'));
		expect(pair).toHaveLength(2);
		// Both cannot be written out in full side by side; and cut short, the two names would read the same.
		expect(pair.some(point => point.labelKind !== 'full')).toBe(true);
		expect(pair.filter(point => point.labelKind === 'short')).toEqual([]);
		expect(pair.some(point => point.labelKind === 'number')).toBe(true);
		const lines = texts(layout);
		for (const point of pair) {
			if (point.labelKind === 'number') {
				expect(lines.some(line => line.includes(`${point.number} ${point.name}`))).toBe(true);
			}
		}
	});

	it('a crowd of long names gets numbers, each listed with its name', () => {
		const crowd = Array.from({length: 8}, (_, index) =>
			model(base, {
				id: `crowd-${index}`,
				name: `Very Long Crowded Model Name Number ${index}`,
				ttftMs: 300 + index * 6,
				tokensPerSecond: 40 + (index % 2) * 0.2,
			}),
		);
		const layout = layoutAt([...demo, ...crowd], 80, 24);
		expectFits(layout, 80, 24);
		expectDrawn(layout);
		expectNoOverlap(layout);
		const numbered = layout.points.filter(point => point.labelKind === 'number');
		expect(numbered.length).toBeGreaterThan(0);
		expect(numbered.map(point => point.number).sort((a, b) => a! - b!)).toEqual(numbered.map((_, index) => index + 1));
		const lines = texts(layout).join('\n');
		for (const point of numbered) {
			expect(point.label).toMatch(/^\d+\*?$/);
			expect(layout.footnotes).toContain(`${point.number} ${point.name}`);
			expect(lines).toContain(`${point.number} ${point.name}`);
		}

		// Every crowded model can be found: by its full or shortened label, by its number, or by name in the list.
		for (const point of layout.points.filter(entry => entry.id.startsWith('crowd'))) {
			const found =
				point.labelKind === 'full' ||
				point.labelKind === 'short' ||
				layout.footnotes.includes(`${point.number} ${point.name}`) ||
				layout.footnotes.some(note => note.startsWith(`${point.mark} ${point.name} (${Math.round(point.x)} ms, ${point.y.toFixed(1)} tok/s`));
			expect(found, point.id).toBe(true);
		}
	});

	it('one model: a padded range with the point inside it, its name in full', () => {
		const layout = layoutAt([demo[0]!], 80, 24, {selectedId: demo[0]!.id});
		expectFits(layout, 80, 24);
		const [point] = layout.points;
		expect(point).toBeDefined();
		expect(layout.x.min).toBeLessThan(point!.x);
		expect(layout.x.max).toBeGreaterThan(point!.x);
		expect(layout.y.min).toBeLessThan(point!.y);
		expect(layout.y.max).toBeGreaterThan(point!.y);
		expect(point!.col).toBeGreaterThan(layout.plot.width / 4);
		expect(point!.col).toBeLessThan((layout.plot.width * 3) / 4);
		expect(point!.labelKind).toBe('full');
		expect(layout.front).toEqual([demo[0]!.id]);
		expect(layout.x.ticks.length).toBeGreaterThanOrEqual(2);
		expectDrawn(layout);
	});

	it('an untrusted name cannot move the cursor or reorder the line', () => {
		const layout = layoutAt([model(base, {id: 'evil', name: 'Evil\u001B[2J\u202Emodel\nname', ttftMs: 100, tokensPerSecond: 50})], 80, 24, {
			selectedId: 'evil',
		});
		const all = texts(layout).join('\n');
		expect(all).not.toMatch(/[\u001B\u202E]/);
		expect(layout.points[0]!.name).toBe('Evil [2Jmodel name');
	});
});

describe('chartLayout with nothing to plot', () => {
	it('a terminal too small for any plot is one line saying so', () => {
		const layout = layoutAt(demo, 20, 6);
		expect(texts(layout)).toEqual(['the terminal is to…']);
		expect(layout.message).toBe('the terminal is too small for the chart');
		expect(layoutAt(demo, 1, 1).lines).toEqual([]);
	});

	it('an empty bracket is one line saying so', () => {
		const layout = layoutAt([], 80, 24, {bracketLabel: 'budget'});
		expect(texts(layout)).toEqual(['no completed run in budget']);
		expect(layout.message).toBe('no completed run in budget');
		expect(layout.points).toEqual([]);
	});

	it('a bracket whose models all failed is one line saying so', () => {
		const failed = demoTranscript({failing: ['qwen3.5-27b', 'deepseek-v4-flash']}).models.filter(entry => entry.bracket === 'budget' && entry.summary.ok === 0);
		expect(failed.length).toBeGreaterThan(0);
		const layout = layoutAt(failed, 80, 24, {bracketLabel: 'budget'});
		expect(texts(layout)).toEqual(['no completed run in budget']);
	});

	it('a failed model beside others is listed as not plotted', () => {
		const models = demoTranscript({failing: ['glm-5']}).models;
		const layout = layoutAt(models, 80, 24, {selectedId: 'glm-5'});
		expect(layout.points.map(point => point.id)).not.toContain('glm-5');
		expect(texts(layout)).toContain('not plotted: GLM-5 (no completed run)');
		expect(texts(layout).at(-1)).toMatch(/^› GLM-5 · premium \$1\.92\/M · not plotted \(no completed run\)$/);
	});
});

describe('fastest trade-offs (Pareto front)', () => {
	// x = TTFT (TTFA when reasoning), y = tok/s.
	const set = [
		model(base, {id: 'a', ttftMs: 100, tokensPerSecond: 50, outputPerM: 0.5}),
		model(base, {id: 'b', ttftMs: 200, tokensPerSecond: 80, outputPerM: 0.3}),
		model(base, {id: 'c', ttftMs: 150, tokensPerSecond: 40, outputPerM: 0.1}), // A answers sooner and streams faster
		model(base, {id: 'd', ttftMs: 300, tokensPerSecond: 80, outputPerM: 0.3}), // as fast as B, later: dominated by B
		model(base, {id: 'e', ttftMs: 100, tokensPerSecond: 50, outputPerM: 2}), // the same figures as A: both stay
		model(base, {id: 'f', ttftMs: 400, tokensPerSecond: 90, outputPerM: 1}),
		model(base, {id: 'r', ttftMs: 50, ttfaMs: 500, tokensPerSecond: 60, outputPerM: 0.2, reasoning: true}), // judged by its TTFA
		model(base, {id: 'g', ttftMs: 120, tokensPerSecond: 45, outputPerM: null, bracket: null}),
	];

	it('TTFT axis: exactly the models no other beats on both', () => {
		expect(fastestTradeOffs(set, 'ttft')).toEqual(['a', 'b', 'e', 'f']);
		expect(layoutAt(set, 80, 24).front).toEqual(['a', 'b', 'e', 'f']);
	});

	it('price axis: cheaper and faster, unpriced models left out', () => {
		// c $0.10 40; r $0.20 60; b $0.30 80 (d the same price, same speed: both); f $1 90; a $0.50 50 and e $2 50 are beaten by b.
		expect(fastestTradeOffs(set, 'price')).toEqual(['b', 'c', 'd', 'f', 'r']);
	});

	it('paretoFront on plain points', () => {
		const points = [
			{x: 1, y: 1},
			{x: 2, y: 2},
			{x: 2, y: 1},
			{x: 3, y: 3},
			{x: 0.5, y: 0.5},
		];
		expect(paretoFront(points)).toEqual([points[0], points[1], points[3], points[4]]);
	});

	it('marks the front with a * on its label and in the legend', () => {
		const layout = layoutAt(set, 100, 30);
		for (const point of layout.points) {
			expect(point.label.endsWith('*'), point.id).toBe(point.front && point.labelKind !== 'none');
		}

		expect(texts(layout)[0]).toContain('* fastest trade-off');
	});
});

describe('chartLayout widths and NO_COLOR', () => {
	const wide = [
		...demo,
		model(base, {id: 'cjk', name: '通义千问 超长模型名字 Max', ttftMs: 260, tokensPerSecond: 47}),
		model(base, {id: 'emoji', name: 'Rocket 🚀 Model 🚀🚀', ttftMs: 900, tokensPerSecond: 12}),
	];
	for (const xAxis of ['ttft', 'price'] as const satisfies readonly ChartAxis[]) {
		for (const [columns, rows] of [
			[80, 24],
			[60, 20],
			[100, 30],
			[120, 40],
			[200, 50],
			[40, 12],
			[30, 8],
		] as const) {
			it(`${xAxis} at ${columns}×${rows}: no line wider than ${columns - 1} cells, at most ${rows - 1} lines`, () => {
				const layout = layoutAt(wide, columns, rows, {xAxis, selectedId: 'cjk'});
				expectFits(layout, columns, rows);
				if (layout.message === null) {
					expectDrawn(layout);
					expectNoOverlap(layout);
				}
			});
		}
	}

	it('NO_COLOR: no colour at all, and brackets differ by shape', () => {
		const models = [...demo, model(base, {id: 'unpriced', ttftMs: 700, tokensPerSecond: 33, outputPerM: null, bracket: null})];
		const layout = layoutAt(models, 80, 24, {noColor: true});
		expect(layout.lines.flat().every(segment => segment.color === undefined)).toBe(true);
		const marks = new Map<string, Set<string>>();
		for (const point of layout.points) {
			const key = point.bracket ?? 'none';
			marks.set(key, (marks.get(key) ?? new Set()).add(point.mark));
		}

		// One shape per bracket, five different shapes.
		expect([...marks.values()].every(shapes => shapes.size === 1)).toBe(true);
		expect(new Set([...marks.values()].map(shapes => [...shapes][0])).size).toBe(5);
		expect(new Set(Object.values(bracketMarks)).size).toBe(5);
		const legend = texts(layout).join('\n');
		for (const [bracket, mark] of Object.entries(bracketMarks)) {
			expect(legend).toContain(`${mark} ${bracket === 'none' ? 'no price' : bracket}`);
		}
	});

	it('with colour: marks coloured by bracket, the selected one inverse', () => {
		const layout = layoutAt(demo, 80, 24, {noColor: false, selectedId: 'glm-5'});
		const segments = layout.lines.flat();
		const markColour = (mark: string) => segments.find(segment => segment.text === mark && !segment.inverse)?.color;
		expect(markColour('●')).toBe('green');
		expect(markColour('▲')).toBe('cyan');
		expect(markColour('■')).toBe('yellow');
		expect(markColour('◆')).toBe('red');
		const selected = segments.filter(segment => segment.inverse);
		expect(selected.map(segment => segment.text)).toEqual(expect.arrayContaining(['◆', '› GLM-5']));
		// The selected model's TTFT coloured by feel: 500 ms is yellow, 120 ms green.
		expect(layout.lines.at(-1)!.find(segment => segment.text === '500 ms')?.color).toBe('yellow');
		const fast = layoutAt(demo, 80, 24, {noColor: false, selectedId: 'step-3.5-flash'});
		expect(fast.lines.at(-1)!.find(segment => segment.text === '120 ms')?.color).toBe('green');
	});
});
