// The race screen drawn without Ink: its keys, its line-diff writer, its cell widths, and the
// screen itself on fake terminals (the tmux test drives it on a real one).
import {EventEmitter} from 'node:events';
import {describe, expect, it} from 'vitest';
import {replayRace} from '../../../../source/core/race/replay.js';
import {cellWidth, fitCells} from '../../../../source/core/text/cells.js';
import {sanitizeBlock} from '../../../../source/core/text/sanitize.js';
import {createFrameWriter, enterScreen, leaveScreen} from '../../../../source/ui/race/frame-writer.js';
import {keyToAction} from '../../../../source/ui/keymap.js';
import {parseKeys} from '../../../../source/ui/keys.js';
import {clipStyled, paint, stripAnsi} from '../../../../source/ui/theme.js';
import {showRace} from '../../../../source/ui/race/screen.js';
import {demoTranscript} from '../../../helpers/fixtures.js';
import {until} from '../../../helpers/until.js';

const raceKeys = (data: string) =>
	parseKeys(data)
		.map(key => keyToAction('race', key))
		.filter(action => action.type !== 'none');

describe('race screen keys', () => {
	it('reads q, Ctrl-C, a lone Escape and v; skips arrows and other keys', () => {
		expect(raceKeys('q')).toEqual([{type: 'stop'}]);
		expect(raceKeys('\u0003')).toEqual([{type: 'stop'}]);
		expect(raceKeys('\u001B')).toEqual([{type: 'stop'}]);
		expect(raceKeys('v')).toEqual([{type: 'toggle-view'}]);
		expect(raceKeys('\u001B[A\u001B[Bx')).toEqual([]);
		expect(raceKeys('vv\u0003')).toEqual([{type: 'toggle-view'}, {type: 'toggle-view'}, {type: 'stop'}]);
	});
});

describe('frame writer', () => {
	it('paints the whole screen first, then only the lines that changed, and blanks lines no longer drawn', () => {
		const writes: string[] = [];
		const writer = createFrameWriter(data => writes.push(data));
		expect(writer.draw(['header', 'one', 'two'])).toBe(true);
		expect(writes[0]).toContain('\u001B[2J');
		expect(writes[0]).toContain('\u001B[1;1Hheader');
		expect(writes[0]).toContain('\u001B[3;1Htwo');
		expect(writer.draw(['header', 'one', 'two'])).toBe(false);
		expect(writes).toHaveLength(1);
		writer.draw(['header', 'ONE']);
		expect(writes[1]).toContain('\u001B[2;1HONE\u001B[K');
		expect(writes[1]).toContain('\u001B[3;1H\u001B[K');
		expect(writes[1]).not.toContain('header');
		writer.invalidate();
		writer.draw(['header', 'ONE']);
		expect(writes[2]).toContain('\u001B[2J');
		expect(writes[2]).toContain('header');
		// Each frame is one write, inside a synchronized update.
		for (const write of writes) {
			expect(write.startsWith('\u001B[?2026h')).toBe(true);
			expect(write.endsWith('\u001B[?2026l')).toBe(true);
		}
	});
});

describe('cells', () => {
	it('measures wide characters as two columns and cuts or pads to an exact width', () => {
		expect(cellWidth('abc')).toBe(3);
		expect(cellWidth('╭─╮ · … ✓')).toBe(9);
		expect(cellWidth('宽宽')).toBe(4);
		expect(fitCells('hello', 8)).toBe('hello   ');
		expect(fitCells('hello world', 8)).toBe('hello w…');
		expect(cellWidth(fitCells('宽宽宽宽宽', 7))).toBe(7);
		expect(fitCells('宽宽宽宽宽', 7)).toBe('宽宽宽…');
		expect(fitCells('宽宽宽宽宽', 8)).toBe('宽宽宽… ');
	});

	it('turns control characters of a model’s text into spaces, keeping newlines', () => {
		expect(sanitizeBlock('a\u001B[2Jb\tc\rd\ne\u0007')).toBe('a [2Jb c d\ne ');
	});

	it('clips a styled line to a width, keeping its escapes and resetting after the cut', () => {
		const line = `${paint('abc', {tone: 'ok'}, false)}def`;
		expect(stripAnsi(clipStyled(line, 4, cellWidth))).toBe('abcd');
		expect(clipStyled(line, 4, cellWidth).endsWith('\u001B[0m')).toBe(true);
		expect(clipStyled(line, 10, cellWidth)).toBe(line);
	});
});

class FakeTerminal extends EventEmitter {
	readonly isTTY = true;
	writableNeedDrain = false;
	columns = 100;
	rows = 30;
	written = '';
	raw = false;
	private queued: string | null = null;
	write = (data: string) => {
		this.written += data;
		return true;
	};

	setRawMode = (raw: boolean) => {
		this.raw = raw;
		return this;
	};

	setEncoding = () => this;
	ref = () => this;
	unref = () => this;
	read = () => {
		const data = this.queued;
		this.queued = null;
		return data;
	};

	type(keys: string) {
		this.queued = keys;
		this.emit('readable');
	}
}

describe('showRace', () => {
	const meta = {prompt: 'Explain recursion', preset: 'demo', simulated: true, region: null};

	it('draws on the alternate screen until the race ends, then gives the terminal back', async () => {
		const terminal = new FakeTerminal();
		const stdin = new FakeTerminal();
		const transcript = demoTranscript();
		const shown = await showRace({
			race: replayRace(transcript, 50),
			meta,
			runs: 1,
			maxFps: 30,
			noColor: true,
			interactive: true,
			lanes: false,
			stdin: stdin as never,
			stdout: terminal as never,
		});
		expect(shown.quit).toBe(false);
		expect(shown.transcript.models).toHaveLength(15);
		expect(terminal.written.startsWith(enterScreen)).toBe(true);
		expect(terminal.written.endsWith(leaveScreen)).toBe(true);
		expect(stripAnsi(terminal.written)).toContain('15/15 done');
		expect(stdin.raw).toBe(false);
		expect(stdin.listenerCount('readable')).toBe(0);
		expect(terminal.listenerCount('resize')).toBe(0);
	});

	it('q stops the race, v switches to lanes, a resize repaints', async () => {
		const terminal = new FakeTerminal();
		terminal.columns = 200;
		terminal.rows = 60;
		const stdin = new FakeTerminal();
		const replay = replayRace(demoTranscript(), 1);
		let aborts = 0;
		const race = {
			...replay,
			abort() {
				aborts++;
				replay.abort();
			},
		};
		const screen = showRace({
			race,
			meta,
			runs: 1,
			maxFps: 30,
			noColor: true,
			interactive: true,
			lanes: false,
			stdin: stdin as never,
			stdout: terminal as never,
		});
		await until(() => terminal.written.includes('╭'));
		expect(stdin.raw).toBe(true);
		stdin.type('v');
		await until(() => terminal.written.includes('░'));
		const before = terminal.written.length;
		terminal.columns = 60;
		terminal.emit('resize');
		await until(() => terminal.written.slice(before).includes('\u001B[2J'));
		stdin.type('q');
		const shown = await screen;
		expect(aborts).toBe(1);
		expect(shown.lanes).toBe(true);
		expect(shown.quit).toBe(false);
		expect(stdin.raw).toBe(false);
		expect(terminal.written.endsWith(leaveScreen)).toBe(true);
	});

	it('a second Ctrl-C while the race is stopping quits without the leaderboard', async () => {
		const terminal = new FakeTerminal();
		const stdin = new FakeTerminal();
		const replay = replayRace(demoTranscript(), 1);
		let finish: () => void = () => {};
		const stopped = new Promise<void>(resolve => {
			finish = resolve;
		});
		let aborts = 0;
		// A race that takes its time to stop (open sockets closing).
		const race = {
			...replay,
			done: stopped.then(async () => replay.done),
			abort() {
				aborts++;
				if (aborts === 2) {
					replay.abort();
					finish();
				}
			},
		};
		const screen = showRace({
			race,
			meta,
			runs: 1,
			maxFps: 30,
			noColor: true,
			interactive: true,
			lanes: false,
			stdin: stdin as never,
			stdout: terminal as never,
		});
		await until(() => terminal.written.length > enterScreen.length);
		stdin.type('\u0003');
		stdin.type('\u0003');
		const shown = await screen;
		expect(aborts).toBe(2);
		expect(shown.quit).toBe(true);
		expect(terminal.written.endsWith(leaveScreen)).toBe(true);
	});

	it('skips frames while the terminal has not taken the last ones', async () => {
		const terminal = new FakeTerminal();
		const stdin = new FakeTerminal();
		terminal.writableNeedDrain = true;
		const race = replayRace(demoTranscript(), 1);
		const screen = showRace({
			race,
			meta,
			runs: 1,
			maxFps: 30,
			noColor: true,
			interactive: true,
			lanes: false,
			stdin: stdin as never,
			stdout: terminal as never,
		});
		await new Promise(resolve => {
			setTimeout(resolve, 200);
		});
		expect(terminal.written).toBe(enterScreen);
		terminal.writableNeedDrain = false;
		await until(() => terminal.written.length > enterScreen.length);
		stdin.type('q');
		await screen;
		expect(stripAnsi(terminal.written)).toContain('Explain recursion');
	});
});
