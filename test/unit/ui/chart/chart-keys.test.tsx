// The chart view wired into the leaderboard: `c` opens it, `p` switches its x axis, `c`/`Esc` go back,
// the selection and the bracket carry across, and the whole screen fits the terminal.
import {describe, expect, it} from 'vitest';
import {cellWidth} from '../../../../source/core/text/cells.js';
import type {Transcript} from '../../../../source/core/types.js';
import {initialBoard, visibleModels} from '../../../../source/ui/board/state.js';
import {chartLayout} from '../../../../source/ui/chart/layout.js';
import {demoTranscript} from '../../../helpers/fixtures.js';
import {tick} from '../../../helpers/ink-render.js';
import {renderApp} from '../../../helpers/render-app.js';

const down = '\u001B[B';
const esc = '\u001B';

/** The name on the leaderboard row marked `›`. */
const selectedRow = (frame: string) => /^› +\d+ {2}(.+?)(?: {2,}|$)/m.exec(frame)?.[1]?.trim();
/** The name on the chart's selected-model line (`› Name · …`). */
const selectedInChart = (frame: string) => /^› (.+?) · /m.exec(frame)?.[1];
const lines = (frame: string) => frame.split('\n');

describe('the chart view in the App', () => {
	const transcript = demoTranscript();
	const {models} = transcript;

	for (const [columns, rows] of [
		[80, 24],
		[120, 40],
		[200, 50],
	] as const) {
		it(`c shows every model of the bracket on the plot, p switches to price, Esc returns with the same selection (${columns}×${rows})`, async () => {
			const {frame, press, unmount} = renderApp(transcript, columns, rows);
			await tick();
			await press('jj');
			const chosen = selectedRow(frame());
			expect(chosen).toBeDefined();
			await press('c');
			const chart = frame();
			expect(chart).toContain('tok/s ↑');
			expect(chart).toContain('TTFT (ms) →');
			expect(selectedInChart(chart)).toBe(chosen);
			// Every model appears by its label on the plot or by its number/figures listed under it.
			// The same layout the view drew (the chart gets rows − 4 lines: header, tabs and help line around it).
			const selectedId = models.find(model => model.name === chosen)!.id;
			const layout = chartLayout({
				models: visibleModels(models, initialBoard('ttft', null)),
				xAxis: 'ttft',
				selectedId,
				width: columns - 1,
				height: rows - 4,
				noColor: true,
			});
			expect(layout.points).toHaveLength(models.length);
			for (const point of layout.points) {
				const shown = point.label ? point.label : layout.footnotes.find(note => note.includes(point.name))!;
				expect(shown, `${point.name} (${point.labelKind})`).toBeTruthy();
				expect(chart, `${point.name} (${point.labelKind})`).toContain(shown.replace(/…$/, ''));
			}

			expect(lines(chart).length).toBeLessThanOrEqual(rows - 1);
			for (const line of lines(chart)) {
				expect(cellWidth(line), line).toBeLessThanOrEqual(columns - 1);
			}

			expect(lines(chart).at(-1)).toMatch(/p x axis · c\/Esc table · q quit$/);
			await press('p');
			expect(frame()).toContain('$/M output →');
			expect(frame()).not.toContain('TTFT (ms) →');
			expect(lines(frame()).length).toBeLessThanOrEqual(rows - 1);
			await press(esc);
			expect(frame()).toContain('sorted by ttft');
			expect(selectedRow(frame())).toBe(chosen);
			// The axis is remembered: `c` again opens on price.
			await press('c');
			expect(frame()).toContain('$/M output →');
			await press('c');
			expect(frame()).toContain('sorted by ttft');
			unmount();
		});
	}

	it('the y axis has at least two ticks, 79 cells wide and 12 to 23 lines tall (a step of 50 left one for 6–90 tok/s)', () => {
		for (const xAxis of ['ttft', 'price'] as const) {
			for (const height of [12, 16, 20, 23]) {
				const layout = chartLayout({models, xAxis, selectedId: models[0]!.id, width: 79, height, noColor: true});
				expect(layout.y.ticks.length, `${xAxis} ${height}`).toBeGreaterThanOrEqual(2);
				expect(new Set(layout.y.ticks.map(tick => tick.at)).size).toBe(layout.y.ticks.length);
			}
		}
	});

	it("↑/↓ and j/k move the selection in the chart in the table's order", async () => {
		const {frame, press, unmount} = renderApp(transcript, 120, 40);
		await tick();
		const order = visibleModels(models, initialBoard('ttft', null)).map(model => model.name);
		await press('c');
		expect(selectedInChart(frame())).toBe(order[0]);
		await press(down);
		expect(selectedInChart(frame())).toBe(order[1]);
		await press('j');
		expect(selectedInChart(frame())).toBe(order[2]);
		await press('k');
		expect(selectedInChart(frame())).toBe(order[1]);
		await press('\u001B[A');
		expect(selectedInChart(frame())).toBe(order[0]);
		await press(esc);
		expect(selectedRow(frame())).toBe(order[0]);
		unmount();
	});

	it('bracket keys filter the chart: 1–4, Tab and arrows; a bracket without models says so in one line', async () => {
		const {frame, press, unmount} = renderApp(transcript, 120, 40);
		await tick();
		await press('c');
		await press('1');
		const ultra = visibleModels(models, {...initialBoard('ttft', 'ultra-budget')});
		expect(ultra.length).toBeGreaterThan(0);
		expect(selectedInChart(frame())).toBe(ultra[0]!.name);
		for (const model of models.filter(model => model.bracket !== 'ultra-budget')) {
			expect(frame()).not.toContain(model.name);
		}

		await press('\t');
		const budget = visibleModels(models, initialBoard('ttft', 'budget'));
		expect(selectedInChart(frame())).toBe(budget[0]!.name);
		await press('\u001B[D');
		expect(selectedInChart(frame())).toBe(ultra[0]!.name);
		await press('0');
		expect(frame()).toContain('● ultra-budget');
		expect(frame()).toContain('◆ premium');
		await press(esc);
		expect(frame()).toContain('sorted by ttft');
		unmount();
	});

	it('a bracket with no completed run shows one line, not an empty plot', async () => {
		const mid = demoTranscript()
			.models.filter(model => model.bracket === 'mid')
			.map(model => model.id);
		expect(mid.length).toBeGreaterThan(0);
		const failed = demoTranscript({failing: mid});
		expect(failed.models.filter(model => model.bracket === 'mid').every(model => model.summary.ok === 0)).toBe(true);
		const {frame, press, unmount} = renderApp(failed, 80, 24);
		await tick();
		await press('c3');
		expect(frame()).toContain('no completed run in mid');
		expect(frame()).not.toContain('tok/s ↑');
		expect(lines(frame()).at(-1)).toContain('q quit');
		// The keys still work from there.
		await press('0');
		expect(frame()).toContain('tok/s ↑');
		unmount();
	});

	it('q quits from the chart view', async () => {
		const {press, frame, stdin, unmount} = renderApp(transcript, 80, 24);
		await tick();
		await press('c');
		expect(frame()).toContain('tok/s ↑');
		expect(stdin.listenerCount('readable')).toBeGreaterThan(0);
		await press('q');
		await tick();
		// The app exited: Ink no longer reads the keyboard.
		expect(stdin.listenerCount('readable')).toBe(0);
		unmount();
	});

	it('never taller than rows − 1 nor wider than columns − 1, from 60×16 to 200×60', async () => {
		for (const [columns, rows] of [
			[60, 16],
			[80, 24],
			[100, 20],
			[140, 35],
			[200, 60],
		] as const) {
			const {frame, press, unmount} = renderApp(transcript, columns, rows);
			await tick();
			for (const keys of ['c', 'p']) {
				await press(keys);
				const shown = lines(frame());
				expect(shown.length, `${columns}×${rows} ${keys}`).toBeLessThanOrEqual(rows - 1);
				for (const line of shown) {
					expect(cellWidth(line), `${columns}×${rows}: ${line}`).toBeLessThanOrEqual(columns - 1);
				}

				expect(shown.at(-1), `${columns}×${rows}`).toContain('q quit');
			}

			unmount();
		}
	});
});

describe('untrusted model names in the chart view (docs/untrusted-text.md)', () => {
	const hostile = '\u001B]0;PWNED-TITLE\u0007 \u001B[2J\u001B[H \u001B]52;c;cHduZWQ=\u0007 \u202Eevil\u202C bell\u0007 \u009B2J';
	const base = demoTranscript();
	const transcript: Transcript = {
		...base,
		models: base.models.map((model, index) => (index < 3 ? {...model, name: `${hostile} ${index}`} : model)),
	};

	for (const [columns, rows] of [
		[80, 24],
		[200, 50],
	] as const) {
		it(`labels, the list under the plot, the front and the selected line are inert (${columns}×${rows})`, async () => {
			const {frame, press, unmount} = renderApp(transcript, columns, rows);
			await tick();
			for (const keys of ['c', 'p', 'j']) {
				await press(keys);
				// Our own colours are SGR sequences: without them nothing a terminal acts on may be left.
				const text = frame().replaceAll(/\u001B\[[\d;]*m/g, '');
				expect(text).not.toMatch(/[\u001B\u009B\u009D\u0007\r]/);
				expect(text).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
				expect(text).toContain(']0;PWNED-TITLE');
				expect(lines(frame()).length).toBeLessThanOrEqual(rows - 1);
				for (const line of lines(text)) {
					expect(cellWidth(line), line).toBeLessThanOrEqual(columns - 1);
				}
			}

			unmount();
		});
	}
});

describe('the chart view under llmrace show (no r)', () => {
	it('offers c chart on the leaderboard and opens the chart', async () => {
		const transcript = demoTranscript();
		const {frame, press, unmount} = renderApp(transcript, 80, 24);
		await tick();
		expect(lines(frame()).at(-1)).toContain('c chart');
		expect(frame()).not.toContain('r race again');
		await press('c');
		expect(frame()).toContain('tok/s ↑');
		unmount();
	});
});
