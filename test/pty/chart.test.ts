// The chart view of the real binary in a real 80×24 pseudo-terminal: a simulated race of the demo's 15 models,
// then `llmrace show` of a saved race; `c` draws the speed map, `p` the price axis, `Esc` the table again.
import {readFileSync} from 'node:fs';
import {afterEach, describe, expect, it} from 'vitest';
import {cellWidth} from '../../source/core/text/cells.js';
import type {Transcript} from '../../source/core/types.js';
import {spawnPty, type PtySession} from '../helpers/pty.js';

const fixture = new URL('../fixtures/us-east.json', import.meta.url).pathname;
const names = (JSON.parse(readFileSync(fixture, 'utf8')) as Transcript).models.map(model => model.name);
const lines = (screen: string) => screen.split('\n');

/** The whole chart screen: the header at the top, the axes, and its help line (a frame can arrive in several reads). */
const chartScreen = (axis: RegExp) => (screen: string) =>
	/^llmrace /.test(screen) && axis.test(screen) && screen.includes('tok/s ↑') && /c\/Esc table · q quit$/m.test(screen);

/**
 * A model is on the chart by its full name (label, or the numbered list under the plot) or a cut one
 * (`Doubao-S…`, down to the chart's shortest label: 5 cells, `Doub…`, ui/chart/labels.ts minShortCells).
 */
const named = (screen: string, name: string) =>
	screen.includes(name) || Array.from({length: name.length - 4}, (_, index) => `${name.slice(0, index + 4)}…`).some(cut => screen.includes(cut));

function expectFits(screen: string) {
	const shown = lines(screen);
	// The frame starts on the first row and its help line is on screen: it fits the 24 rows without scrolling.
	expect(shown[0]).toMatch(/^llmrace /);
	const help = shown.findIndex(line => /q quit$/.test(line));
	expect(help, screen).toBeGreaterThan(0);
	expect(help, screen).toBeLessThanOrEqual(22);
	for (const line of shown) {
		expect(cellWidth(line), line).toBeLessThanOrEqual(79);
	}
}

describe('the chart view in an 80×24 pseudo-terminal', () => {
	let pty: PtySession | undefined;

	afterEach(() => {
		pty?.dispose();
		pty = undefined;
	});

	it('after a simulated race of 15 models: c draws the speed map, p the price axis, Esc the table, q quits', async () => {
		pty = spawnPty(['--seed', '7', '--max-tokens', '40', 'Explain recursion'], {cols: 80, rows: 24});
		await pty.waitFor(text => !pty!.isAlternate() && /sorted by ttft/.test(text) && /c chart/.test(text), 60_000);
		const chosen = /^› +\d+ {2}(.+?) {2,}/m.exec(pty.screen())?.[1];
		expect(chosen).toBeDefined();
		pty.write('c');
		const chart = await pty.waitFor(chartScreen(/TTFT \(ms\) →/));
		expectFits(chart);
		expect(chart).toMatch(/● ultra-budget/);
		expect(chart).toContain('fastest trade-off');
		for (const name of names) {
			expect(named(chart, name), `${name}:\n${chart}`).toBe(true);
		}

		// The table's selection is the chart's.
		expect(chart).toMatch(new RegExp(`^› ${chosen!.replaceAll('.', '\\.')} · `, 'm'));
		pty.write('p');
		expectFits(await pty.waitFor(chartScreen(/\$\/M output →/)));
		pty.write('\u001B');
		const board = await pty.waitFor(text => /sorted by ttft/.test(text) && /c chart/.test(text));
		expect(board).toMatch(new RegExp(`^› +\\d+ {2}${chosen!.replaceAll('.', '\\.')} `, 'm'));
		pty.write('c');
		await pty.waitFor(chartScreen(/\$\/M output →/));
		pty.write('q');
		expect(await pty.exit).toEqual({exitCode: 0, signal: undefined});
	}, 90_000);

	it('under llmrace show: c on a saved race, bracket keys, a bracket filtered to its models, Esc back', async () => {
		pty = spawnPty(['show', fixture], {cols: 80, rows: 24});
		await pty.waitFor(text => /sorted by ttft/.test(text) && /c chart/.test(text));
		expect(pty.screen()).not.toContain('r race again');
		pty.write('c');
		const chart = await pty.waitFor(chartScreen(/TTFT \(ms\) →/));
		expectFits(chart);
		for (const name of names) {
			expect(named(chart, name), `${name}:\n${chart}`).toBe(true);
		}

		pty.write('4');
		const premium = await pty.waitFor(text => chartScreen(/TTFT \(ms\) →/)(text) && !text.includes('▲ budget'));
		expectFits(premium);
		expect(premium).toContain('◆ premium');
		expect(premium).not.toContain('Step-3.5-Flash');
		pty.write('\u001B');
		await pty.waitFor(/sorted by ttft/);
		pty.write('q');
		expect((await pty.exit).exitCode).toBe(0);
	}, 60_000);
});
