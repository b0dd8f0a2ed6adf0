// What a newcomer meets on the screens, in a real pseudo-terminal: the wait before the first request,
// a resize of the leaderboard, `v` and `?` on a small terminal, the sort column at 80 columns, and keys
// read from the terminal itself when the prompt is piped in.
import {afterEach, describe, expect, it} from 'vitest';
import {spawnPty, type PtySession} from '../helpers/pty.js';

let pty: PtySession | undefined;
const start = (args: string[], options: Parameters<typeof spawnPty>[1] = {}) => {
	pty = spawnPty(args, options);
	return pty;
};

afterEach(() => {
	pty?.dispose();
	pty = undefined;
});

const three = ['-m', 'qwen3-8b,glm-5,kimi-k2.5', '--max-tokens', '6', '--seed', '4'];
const leaderboardShown = (text: string) => /sorted by \w+/.test(text) && /q quit/.test(text) && /finished|stopped/.test(text);

describe('the screens in a pseudo-terminal', () => {
	it('says the engine is warming up until the first request is sent, then counts models', async () => {
		const term = start([...three, 'Explain recursion'], {cols: 120, rows: 40});
		const first = await term.waitFor(/warming up: no request sent yet/);
		expect(first).toMatch(/queued/);
		const racing = await term.waitFor(/\d\/3 done · \d live/);
		expect(racing).not.toContain('warming up');
		await term.waitFor(leaderboardShown, 45_000);
		term.write('q');
		expect((await term.exit).exitCode).toBe(0);
	});

	it('a resize from 200 to 80 columns redraws the leaderboard once: one header, no stray lines', async () => {
		const term = start([...three, 'Explain recursion'], {cols: 200, rows: 50});
		const wide = await term.waitFor(text => leaderboardShown(text) && text.includes('Provider'), 45_000);
		expect(wide.match(/^llmrace “/gm)).toHaveLength(1);
		term.resize(80, 24);
		const narrow = await term.waitFor(text => leaderboardShown(text) && !text.includes('Provider'));
		// Give a second, stale frame the time to show up if it were going to.
		await new Promise(resolve => {
			setTimeout(resolve, 500);
		});
		const screen = term.screen();
		expect(screen).toBe(narrow);
		expect(screen.match(/^llmrace “/gm)).toHaveLength(1);
		expect(screen.match(/sorted by/g)).toHaveLength(1);
		expect(screen.match(/q quit/g)).toHaveLength(1);
		// Nothing but the leaderboard: header, tabs, titles, three rows, the (empty) message line, the help line;
		// and, when a figure is flagged, the line saying what "!" means. On a fully loaded machine the simulator's
		// runs can be flagged (client-late): that ninth line is the board's, not a stray one.
		const lines = screen.trim().split('\n');
		const legend = lines.filter(line => /^! a flag makes the figure doubtful/.test(line));
		expect(legend.length, screen).toBe(/\d!/.test(screen) ? 1 : 0);
		expect(lines, screen).toHaveLength(8 + legend.length);
		expect(term.wrappedRows()).toEqual([]);
		term.write('q');
		expect((await term.exit).exitCode).toBe(0);
	});

	it('at 80×24 with 15 models: v says why panels cannot show, ? lists the keys; the board keeps its sort column', async () => {
		const term = start(['--max-tokens', '400', '--seed', '3', 'Explain recursion'], {cols: 80, rows: 24});
		await term.waitFor(text => / live /.test(text) && /Qwen3\.5-397B/.test(text));
		term.write('v');
		const note = await term.waitFor(/v: 15 panels do not fit 80×24, so lanes stay/);
		expect(note.trimEnd().split('\n').length).toBeLessThan(24);
		term.write('?');
		const guide = await term.waitFor(screen => /Keys of the race screen/.test(screen) && /q {2}Esc {2}Ctrl-C +stop the race/.test(screen));
		expect(guide).toMatch(/v +panels ↔ lanes/);
		expect(guide).toMatch(/q {2}Esc {2}Ctrl-C +stop the race/);
		term.write('x');
		await term.waitFor(text => !text.includes('Keys of the race screen') && /Qwen3\.5-397B/.test(text));
		term.write('q');
		const board = await term.waitFor(leaderboardShown, 30_000);
		expect(board.split('\n').findLast(line => line.trim() !== '')).toContain('s/S sort/reverse');
		expect(board).toContain('? keys');
		term.write('sss');
		const byTotal = await term.waitFor(screen => /sorted by total/.test(screen) && /^ +# +Model .*Total ms/m.test(screen));
		expect(byTotal).toMatch(/^ +# +Model .*Total ms/m);
		term.write('ss');
		const byCost = await term.waitFor(screen => /sorted by cost/.test(screen) && /^ +# +Model .*Run cost/m.test(screen));
		expect(byCost).toMatch(/^ +# +Model .*Run cost/m);
		term.write('S');
		await term.waitFor(/sorted by cost ↓/);
		term.write('q');
		expect([0, 1]).toContain((await term.exit).exitCode);
	});

	it('with the prompt piped in, reads the keys from the terminal (/dev/tty): sort, answer, quit', async () => {
		const term = start(three, {cols: 120, rows: 40, stdin: 'Explain recursion\n'});
		const board = await term.waitFor(leaderboardShown, 45_000);
		expect(board).not.toContain('keys are off');
		expect(board).toContain('“Explain recursion”');
		term.write('s');
		await term.waitFor(/sorted by ttfa/);
		term.write('\r');
		await term.waitFor(/── answer \(run 1\) ──/);
		term.write('q');
		expect((await term.exit).exitCode).toBe(0);
	});

	it('with the prompt piped in and no terminal to read keys from, shows the leaderboard once, says why, and exits', async () => {
		const term = start(three, {cols: 120, rows: 40, stdin: 'Explain recursion\n', noControllingTerminal: true});
		expect((await term.exit).exitCode).toBe(0);
		const board = term.screen();
		expect(board).toMatch(/sorted by ttft/);
		expect(board).toContain('keys are off: standard input is not a terminal');
	});
});
