// The load leaderboard, a model's steps and the knee chart (Ink), at 80 and 120 columns, driven by keys.
import {describe, expect, it} from 'vitest';
import {cellWidth} from '../../../../source/core/text/cells.js';
import {LoadBoard} from '../../../../source/ui/load/board.js';
import {loadBoardReducer, initialLoadBoard, visibleLoadModels} from '../../../../source/ui/load/board-state.js';
import {kneeLines} from '../../../../source/ui/load/knee.js';
import {helpLine} from '../../../../source/ui/keymap.js';
import {kneeTranscript} from '../../../helpers/load-fixtures.js';
import {renderAt} from '../../../helpers/ink-render.js';

const transcript = kneeTranscript();
const meta = {prompt: transcript.prompt, preset: transcript.preset, region: transcript.region, simulated: true};
const rowNames = (frame: string) =>
	frame
		.split('\n')
		.filter(line => /^[› ] +\d+ {2}/.test(line))
		.map(line => /^[› ] +\d+ {2}(\S+ \S+)/.exec(line)?.[1]);
const widest = (frame: string) => Math.max(...frame.split('\n').map(line => cellWidth(line)));

describe('load leaderboard', () => {
	for (const columns of [80, 120]) {
		it(`ranks by p99 TTFA at the highest common rate, fits ${columns} columns, and sorts on s/S`, async () => {
			const board = renderAt(<LoadBoard meta={meta} transcript={transcript} sort="ttfa" noColor interactive size={{columns, rows: 24}} />, columns);
			await board.ready();
			expect(rowNames(board.frame())).toEqual(['Fast Model', 'Knee Model', 'Slow Model']);
			expect(board.frame()).toContain('simulated: modelled, not measured · p99 queue-inclusive at 4/s');
			expect(board.frame()).toContain('2400 ms');
			expect(board.frame().split('\n').length).toBeLessThan(24);
			expect(widest(board.frame())).toBeLessThan(columns);
			expect(board.frame()).toContain('q quit');
			// S reverses; the selection (the first row, Fast) follows its model to the bottom.
			await board.press('S');
			expect(rowNames(board.frame())).toEqual(['Slow Model', 'Knee Model', 'Fast Model']);
			expect(board.frame()).toMatch(/› +3 {2}Fast Model/);
			// s: ttfa → ttft (the same order here), then e2e, goodput, name, rate.
			await board.press('s');
			expect(board.frame()).toContain('sorted by ttft');
			board.unmount();
		});
	}

	it('sorts by the highest rate meeting the SLO after a sweep, "none" last', async () => {
		const swept = kneeTranscript({settings: {...transcript.settings, sweep: true}});
		const board = renderAt(<LoadBoard meta={meta} transcript={swept} sort="rate" noColor interactive size={{columns: 120, rows: 24}} />, 120);
		await board.ready();
		expect(rowNames(board.frame())).toEqual(['Fast Model', 'Knee Model', 'Slow Model']);
		expect(board.frame()).toMatch(/Knee Model .* 2\/s/);
		expect(board.frame()).toMatch(/Slow Model .* none/);
		board.unmount();
	});

	it('filters by bracket on 0–4 and keeps the selection on its model', async () => {
		const board = renderAt(<LoadBoard meta={meta} transcript={transcript} sort="ttfa" noColor interactive size={{columns: 120, rows: 24}} />, 120);
		await board.ready();
		await board.press('3');
		expect(rowNames(board.frame())).toEqual(['Knee Model']);
		await board.press('0');
		expect(rowNames(board.frame())).toEqual(['Fast Model', 'Knee Model', 'Slow Model']);
		expect(board.frame()).toMatch(/› +2 {2}Knee Model/);
		board.unmount();
	});

	for (const columns of [80, 120]) {
		it(`Enter opens a model's steps at ${columns} columns: a table per step; Esc goes back`, async () => {
			const board = renderAt(<LoadBoard meta={meta} transcript={transcript} sort="ttfa" noColor interactive size={{columns, rows: 40}} />, columns);
			await board.press('j');
			await board.press('\r');
			const frame = board.frame();
			expect(frame).toContain('Knee Model');
			expect(frame).toContain('highest rate meeting the SLO: 2/s');
			expect(frame).toMatch(/Step 1: 1\/s offered, 1\/s achieved/);
			expect(frame).toMatch(/Step 3: 4\/s offered/);
			expect(frame).toMatch(/SLO pass\s+50 % \(missed\)/);
			// Step 3's TTFA row: p50 1200, p90 1920, p99 2400.
			expect(frame).toMatch(/TTFA +1200 +1920 +2400/);
			expect(frame).toMatch(/queue +0\.0/);
			expect(widest(frame)).toBeLessThan(columns);
			expect(frame.split('\n').length).toBeLessThan(40);
			await board.press('\u001B');
			expect(rowNames(board.frame())).toHaveLength(3);
			board.unmount();
		});

		it(`c draws the knee chart at ${columns} columns: every model's marks, the SLO line, the legend; c goes back`, async () => {
			const board = renderAt(<LoadBoard meta={meta} transcript={transcript} sort="ttfa" noColor interactive size={{columns, rows: 24}} />, columns);
			await board.press('c');
			const frame = board.frame();
			expect(frame).toMatch(/p99 TTFA \(ms(, queue-inclusive)?\) against offered rate/);
			expect(frame).toContain('modelled, not measured');
			expect(frame).toMatch(/─{10,}/);
			for (const mark of ['1 Fast Model', '2 Knee Model', '3 Slow Model']) {
				expect(frame).toContain(mark);
			}

			expect(frame).toContain('offered rate');
			expect(frame.split('\n').length).toBeLessThan(24);
			expect(widest(frame)).toBeLessThan(columns);
			expect(frame).toContain('c/Esc table');
			await board.press('c');
			expect(rowNames(board.frame())).toHaveLength(3);
			board.unmount();
		});
	}

	it('w saves through the callback and shows the path, or the reason it failed', async () => {
		const saved: string[] = [];
		let fail = false;
		const save = async (shown: typeof transcript) => {
			if (fail) {
				throw new Error('cannot save /nope/x.json: the folder does not exist');
			}

			saved.push(shown.id);
			return '/tmp/llmrace-load-20260520-100000.json';
		};

		const board = renderAt(<LoadBoard meta={meta} transcript={transcript} sort="ttfa" save={save} noColor interactive size={{columns: 120, rows: 24}} />, 120);
		await board.press('w');
		await board.press('');
		expect(board.frame()).toContain('saved /tmp/llmrace-load-20260520-100000.json');
		expect(saved).toEqual([transcript.id]);
		fail = true;
		await board.press('w');
		await board.press('');
		expect(board.frame()).toContain('the folder does not exist');
		board.unmount();
	});
});

describe('knee chart lines', () => {
	it('puts a higher latency on a higher row and a higher rate further right; marks points past 4× the bound ▲', () => {
		const lines = kneeLines({transcript, models: transcript.models, selectedId: null, width: 79, height: 20, noColor: true}).map(line =>
			line.map(segment => segment.text).join(''),
		);
		const rowOf = (mark: string, nth = 0) =>
			lines.findIndex(
				(line, index) =>
					index > 0 &&
					line
						.slice(8)
						.split('')
						.filter(char => char === mark).length > nth,
			);
		// Slow Model's 5000 ms at 4/s is past 4 × 800: drawn as ▲ on the top row.
		expect(lines[1]).toContain('▲');
		// Fast Model's three points sit below the SLO line, Slow Model's first above it.
		const slo = lines.findIndex(line => /─{10,}/.test(line) && !line.includes('└'));
		expect(rowOf('1')).toBeGreaterThan(slo);
		expect(rowOf('3')).toBeLessThan(slo);
		for (const line of lines) {
			expect(cellWidth(line)).toBeLessThanOrEqual(79);
		}
	});

	it('the help lines drop the least-used keys first and keep the way out', () => {
		expect(helpLine('load-board', {columns: 40})).toContain('q quit');
		expect(helpLine('load-board', {columns: 200})).toContain('Enter steps');
		expect(helpLine('knee', {columns: 30})).toContain('c/Esc table');
		expect(helpLine('load', {columns: 80})).toContain('q/Esc/Ctrl-C stop the run');
	});

	it('the reducer keeps the selection on its model across sorts and brackets', () => {
		let state = initialLoadBoard('ttfa');
		state = loadBoardReducer(state, {type: 'move', by: 2}, transcript, 10);
		expect(state.selectedId).toBe('slow');
		state = loadBoardReducer(state, {type: 'next-sort'}, transcript, 10);
		expect(state.sort).toBe('ttft');
		expect(state.selectedId).toBe('slow');
		state = loadBoardReducer(state, {type: 'bracket', bracket: 'mid'}, transcript, 10);
		expect(visibleLoadModels(transcript, state).map(model => model.id)).toEqual(['knee']);
		expect(state.selectedId).toBe('knee');
	});
});
