// `?` on the load screens: the list names exactly the keys each screen handles (no more, no fewer), fits
// 80×24, opens over the view and any key closes it (the live view in ui/load/frame.ts, the rest in Ink).
import {describe, expect, it} from 'vitest';
import {cellWidth} from '../../../../source/core/text/cells.js';
import {keyGuideLines} from '../../../../source/ui/key-guide.js';
import {helpLine, keyToAction, type LoadScreen} from '../../../../source/ui/keymap.js';
import {LoadBoard} from '../../../../source/ui/load/board.js';
import {loadFrame} from '../../../../source/ui/load/frame.js';
import {stripAnsi} from '../../../../source/ui/theme.js';
import {renderAt} from '../../../helpers/ink-render.js';
import {kneeTranscript, liveModel, liveSnapshot, defaultSettings} from '../../../helpers/load-fixtures.js';

/** Every key a screen could handle, with how the guide writes it. */
const keys: ReadonlyArray<readonly [name: string, shown: RegExp]> = [
	['up', /↑/],
	['down', /↓/],
	['k', / k /],
	['j', / j(?: |$)/],
	['left', /←/],
	['right', /→/],
	['tab', /Tab/],
	['shift-tab', /Tab/],
	['return', /Enter/],
	['escape', /Esc/],
	['backspace', /Backspace/],
	['delete', /Backspace/],
	['page-up', /PgUp/],
	['page-down', /PgDn/],
	[' ', /Space/],
	['home', /Home/],
	['end', /End/],
	['g', /(?:^| )g /],
	['G', / G /],
	['ctrl-c', /Ctrl-C/],
	...[...'qsScwrvp[]?'].map((key): readonly [string, RegExp] => [key, new RegExp(`(?:^|  )${key.replace(/[[\]?]/, '\\$&')}(?: |$)`)]),
	...[...'01234'].map((digit): readonly [string, RegExp] => [digit, /0-4|0\b|1 2 3 4/]),
];

const screens: readonly LoadScreen[] = ['load', 'load-board', 'load-steps', 'knee'];

/** The key column of the guide: the keys themselves, without what they do. */
function keyColumn(screen: LoadScreen): string[] {
	return keyGuideLines(screen, 200)
		.slice(2)
		.map(line => line.trim().split(/ {3,}/)[0]!);
}

describe('? on the load screens', () => {
	for (const screen of screens) {
		it(`${screen}: lists every key it handles and none it does not; ? is on the help line`, () => {
			const column = keyColumn(screen);
			for (const [name, shown] of keys) {
				const handled = keyToAction(screen, name).type !== 'none';
				const listed = column.some(entry => shown.test(entry));
				if (handled) {
					expect(listed, `${screen}: ${name} is handled but not listed in ${JSON.stringify(column)}`).toBe(true);
				} else if (!['shift-tab', 'delete'].includes(name)) {
					// Keys shown together with another (shift-Tab with Tab, Delete with Backspace) are checked by their partner.
					expect(listed, `${screen}: ${name} is listed but not handled`).toBe(false);
				}
			}

			expect(keyToAction(screen, '?')).toEqual({type: 'help'});
			expect(helpLine(screen, {columns: 80})).toContain('? keys');
			for (const line of keyGuideLines(screen, 79)) {
				expect(cellWidth(line)).toBeLessThan(80);
			}
		});
	}

	it('the live view: the list over the lanes at 80×24, the header and the client’s health still above it', () => {
		const snapshot = liveSnapshot([liveModel('alpha'), liveModel('beta')]);
		const meta = {prompt: 'Explain recursion', preset: 'demo', region: null, simulated: true, settings: defaultSettings, maxFps: 10, savePath: null};
		const frame = loadFrame({meta, snapshot, columns: 80, rows: 24, noColor: true, interactive: true, keyGuide: true}).map(line => stripAnsi(line));
		expect(frame.length).toBeLessThan(24);
		expect(frame[0]).toMatch(/^llmrace /);
		expect(frame[1]).toMatch(/client: /);
		expect(frame[2]).toBe('Keys of the load screen');
		expect(frame.join('\n')).toMatch(/q {2}Esc {2}Ctrl-C +stop the run, keeping what arrived/);
		expect(frame.join('\n')).not.toContain('alpha');
		expect(frame.at(-1)).toContain('? keys');
		const lanes = loadFrame({meta, snapshot, columns: 80, rows: 24, noColor: true, interactive: true});
		expect(lanes.join('\n')).toContain('alpha');
	});

	it('the load leaderboard, the steps and the knee chart: ? opens the list at 80×24, any key closes it', async () => {
		const transcript = kneeTranscript();
		const meta = {prompt: transcript.prompt, preset: transcript.preset, region: transcript.region, simulated: true};
		const board = renderAt(<LoadBoard meta={meta} transcript={transcript} sort="ttfa" noColor interactive size={{columns: 80, rows: 24}} />, 80);
		await board.ready();
		for (const [open, title] of [
			['', 'Keys of the load leaderboard screen'],
			['\r', 'Keys of the steps screen'],
			['c', 'Keys of the knee chart screen'],
		] as const) {
			if (open) {
				await board.press(open);
			}

			await board.press('?');
			const guide = board.frame();
			expect(guide).toContain(title);
			expect(guide).toContain('any key: back');
			expect(guide.split('\n').length).toBeLessThan(24);
			expect(Math.max(...guide.split('\n').map(line => cellWidth(line)))).toBeLessThan(80);
			// Any key closes it and does nothing else: j neither selects nor scrolls here.
			await board.press('j');
			expect(board.frame()).not.toContain(title);
			if (open) {
				await board.press('\u001B');
			}

			expect(board.frame()).toMatch(/› +1 {2}Fast Model/);
		}

		board.unmount();
	});
});
