// The keys a newcomer looks for: `?` lists every key of the screen, `[`/`]` pick the run the answer
// screen shows, clipped tables and answers say how much is hidden, and the sort column never drops out.
import {describe, expect, it} from 'vitest';
import {cellWidth} from '../../../../source/core/text/cells.js';
import {sortKeys} from '../../../../source/core/stats/ranking.js';
import {Leaderboard} from '../../../../source/ui/board/leaderboard-table.js';
import {initialBoard} from '../../../../source/ui/board/state.js';
import {keyGuideLines} from '../../../../source/ui/key-guide.js';
import {demoTranscript} from '../../../helpers/fixtures.js';
import {renderAt, tick} from '../../../helpers/ink-render.js';
import {renderApp} from '../../../helpers/render-app.js';

const widest = (frame: string) => Math.max(...frame.split('\n').map(line => cellWidth(line)));

describe('? lists every key of the screen', () => {
	it('on the leaderboard, the chart and the answer screen, then any key goes back (80×24)', async () => {
		const {frame, press} = renderApp(demoTranscript(), 80, 24, {onRaceAgain() {}});
		await tick();
		expect(frame().split('\n').at(-1)).toContain('? keys');
		await press('?');
		const board = frame();
		expect(board).toContain('Keys of the leaderboard screen');
		// Every key, the ones the 80-column help line drops too.
		for (const key of ['S ', 'reverse the sort', 'w ', 'save the transcript', 'r ', 'race again', 'Tab', '1 2 3 4', 'c ', 'Enter']) {
			expect(board, key).toContain(key);
		}

		expect(widest(board)).toBeLessThan(80);
		expect(board.split('\n').length).toBeLessThan(24);
		await press('x');
		expect(frame()).toContain('sorted by ttft');
		await press('c');
		await press('?');
		expect(frame()).toContain('Keys of the chart screen');
		expect(frame()).toMatch(/p +x axis/);
		await press('j');
		expect(frame()).not.toContain('Keys of the chart screen');
		await press('\u001B');
		await press('\r');
		await press('?');
		expect(frame()).toContain('Keys of the answer screen');
		expect(frame()).toMatch(/\[ \] +the run before \/ after/);
		await press('?');
		expect(frame()).toContain('── answer (run 1) ──');
	});

	it('under show (no race again), the list has no r', () => {
		expect(keyGuideLines('leaderboard', 120, {raceAgain: false}).join('\n')).not.toMatch(/^ {2}r /m);
		expect(keyGuideLines('leaderboard', 120).join('\n')).toMatch(/^ {2}r +race again/m);
		expect(keyGuideLines('race', 120).join('\n')).toMatch(/v +panels ↔ lanes/);
	});
});

describe('the message line', () => {
	it('w says where it saved, also when the board opened with a message (as after a stopped race)', async () => {
		const {frame, press} = renderApp(demoTranscript(), 120, 40, {message: {text: 'race stopped: the figures cover what arrived', tone: 'warn'}});
		await tick();
		expect(frame()).toContain('race stopped');
		await press('w');
		expect(frame()).toContain('saved /somewhere/race.json');
		expect(frame()).not.toContain('race stopped');
	});
});

describe('[ and ] pick the run the answer screen shows', () => {
	it('starts at the last run, steps back and forth, stops at the ends, and says so in the help line', async () => {
		const {frame, press} = renderApp(demoTranscript({runs: 3}), 120, 40, {runs: 3});
		await tick();
		await press('\r');
		expect(frame()).toContain('── answer (run 3 of 3: [ ] another run) ──');
		expect(frame().split('\n').at(-1)).toContain('[ ] run');
		await press('[');
		expect(frame()).toContain('── answer (run 2 of 3');
		await press('[[[');
		expect(frame()).toContain('── answer (run 1 of 3');
		await press(']');
		expect(frame()).toContain('── answer (run 2 of 3');
		// Back to the table and in again: the last run first.
		await press('\u001B');
		await press('\r');
		expect(frame()).toContain('── answer (run 3 of 3');
	});

	it('one run: no [ ] in the help line', async () => {
		const {frame, press} = renderApp(demoTranscript(), 120, 40);
		await tick();
		await press('\r');
		expect(frame().split('\n').at(-1)).not.toContain('[ ] run');
	});
});

describe('clipped screens say how much is hidden', () => {
	it('the leaderboard: "… N more below", then "N above" as the selection goes down (80×16)', async () => {
		const {frame, press} = renderApp(demoTranscript(), 80, 16);
		await tick();
		const rows = frame()
			.split('\n')
			.filter(line => /^[› ] +\d+ {2}/.test(line));
		const hidden = 15 - rows.length;
		expect(hidden).toBeGreaterThan(0);
		expect(frame()).toContain(`… ${hidden} more below (↑↓ select)`);
		expect(frame().split('\n').length).toBeLessThan(16);
		await press('j'.repeat(14));
		expect(frame()).toMatch(new RegExp(`^${hidden} above \\(↑↓ select\\)$`, 'm'));
	});

	it('the answer screen: "… N more lines below" at the top, "N lines above · end" at the end (80×14)', async () => {
		const {frame, press} = renderApp(demoTranscript(), 80, 14);
		await tick();
		await press('\r');
		expect(frame()).toMatch(/… \d+ more lines below \(↓ PgDn G\)/);
		await press('G');
		expect(frame()).toMatch(/\d+ lines above \(↑ PgUp g\) · end/);
		expect(frame().split('\n').length).toBeLessThan(14);
	});
});

describe('the sort column stays on screen', () => {
	it('the reversed order says so beside the tabs at 80 columns with 15 models', async () => {
		const {frame, unmount} = renderAt(
			<Leaderboard models={demoTranscript().models} state={{...initialBoard('cost', null), reverse: true}} runs={1} columns={80} rows={22} noColor />,
			80,
		);
		await tick();
		expect(frame()).toContain('sorted by cost ↓');
		expect(widest(frame())).toBeLessThan(80);
		unmount();
	});

	for (const columns of [60, 80]) {
		it(`every sort key's column is shown at ${columns} columns`, async () => {
			const titles: Record<string, RegExp> = {
				ttft: /TTFT ms/,
				ttfa: /TTFA ms/,
				tps: /tok\/s/,
				// One unit per column: seconds once any total reaches 10 s (this fixture has such a run).
				total: /Total m?s/,
				price: /\$\/M out/,
				cost: /Run cost/,
				name: /Model/,
			};
			for (const sort of sortKeys) {
				const {frame, unmount} = renderAt(
					<Leaderboard models={demoTranscript().models} state={initialBoard(sort, null)} runs={1} columns={columns} rows={22} noColor />,
					columns,
				);
				await tick();
				expect(frame(), sort).toMatch(titles[sort]!);
				// And, from 80 columns, the order in words.
				expect(frame().includes(`sorted by ${sort}`) || columns < 80, sort).toBe(true);
				expect(widest(frame()), sort).toBeLessThan(columns);
				unmount();
			}
		});
	}
});
