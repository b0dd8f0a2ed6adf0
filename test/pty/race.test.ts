// Drives the real binary in a real pseudo-terminal, read back through a terminal emulator, as a person would:
// watch the panels fill, see the leaderboard, press keys, save, quit. Needs only Node and `npm ci` (no tmux).
import {mkdtempSync, readFileSync, readdirSync, writeFileSync} from 'node:fs';
import type {Server} from 'node:http';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import type {Transcript} from '../../source/core/types.js';
import {createSimServer, listen} from '../../source/sim/server.js';
import {spawnPty, type PtySession} from '../helpers/pty.js';

/** The leaderboard's model column, top to bottom. */
const boardNames = (screen: string) =>
	screen
		.split('\n')
		.map(line => /^[› ] +\d+ {2}(\S+)/.exec(line)?.[1])
		.filter(name => name !== undefined);

/** The whole leaderboard sorted by `key`: its heading, its rows and its help line (a frame can arrive in several reads). */
const leaderboard = (key: string, rows?: number) => (screen: string) =>
	screen.includes(`sorted by ${key}`) && /select .*sort/.test(screen) && (rows === undefined || boardNames(screen).length === rows);

describe('the live UI in a pseudo-terminal', () => {
	let server: Server;
	let dir: string;
	let preset: string;
	let pty: PtySession | undefined;
	const start = (args: string[], options: Parameters<typeof spawnPty>[1] = {}) => {
		pty = spawnPty(args, {cols: 120, rows: 40, cwd: dir, ...options});
		return pty;
	};

	beforeAll(async () => {
		server = createSimServer({
			seed: 4,
			models: [
				// First tokens ≥ 300 ms apart (Thinker's first reasoning token at ~600 ms), so that the order
				// holds on a loaded machine.
				{id: 'swift', ttftMs: 250, tokensPerSecond: 25, reasoning: false, outputTokens: 60},
				{id: 'steady', ttftMs: 950, tokensPerSecond: 20, reasoning: false, outputTokens: 50},
				{id: 'thinker', ttftMs: 1400, thinkingMs: 800, tokensPerSecond: 20, reasoning: true, outputTokens: 30},
				{id: 'slowpoke', ttftMs: 1500, tokensPerSecond: 15, reasoning: false, outputTokens: 40},
			],
		});
		const baseURL = await listen(server);
		dir = mkdtempSync(path.join(tmpdir(), 'llmrace-pty-'));
		preset = path.join(dir, 'loopback.yaml');
		writeFileSync(
			preset,
			[
				`baseURL: ${baseURL}`,
				'models:',
				'  - {id: swift, name: Swift, provider: Loop, price: {outputPerM: 0.1}}',
				'  - {id: steady, name: Steady, provider: Loop, price: {outputPerM: 0.5}}',
				'  - {id: thinker, name: Thinker, provider: Loop, reasoning: true, price: {outputPerM: 2}}',
				'  - {id: slowpoke, name: Slowpoke, provider: Loop, price: {outputPerM: 0.2}}',
				'',
			].join('\n'),
		);
	});

	afterEach(() => {
		pty?.dispose();
		pty = undefined;
	});

	afterAll(() => {
		server.closeAllConnections();
		server.close();
	});

	it('races, shows the leaderboard, sorts, opens an answer, saves and quits', async () => {
		const term = start(['-p', preset, 'Explain recursion in 200 words']);
		const racing = await term.waitFor(/streaming/);
		expect(racing).toContain('“Explain recursion in 200 words”');
		expect(racing).toMatch(/Swift · Loop · ultra-budget/);
		expect(racing).toMatch(/TTFT \d+ ms/);
		expect(racing).toContain('q/Esc/Ctrl-C stop the race');
		expect(racing).not.toContain('SIMULATED');
		// The frame never fills the terminal, and it is drawn on the alternate screen.
		expect(racing.trimEnd().split('\n').length).toBeLessThan(40);
		expect(term.isAlternate()).toBe(true);

		const board = await term.waitFor(leaderboard('ttft', 4));
		// Thinker's first reasoning token (~600 ms) comes before Steady's first token (~950 ms): TTFT counts reasoning.
		expect(boardNames(board)).toEqual(['Swift', 'Thinker', 'Steady', 'Slowpoke']);
		expect(board).toMatch(/TTFA ms/);
		expect(board).toContain('0:All 4');
		// The terminal is back from the alternate screen: the leaderboard stays in it after quitting.
		expect(term.isAlternate()).toBe(false);

		term.write('s');
		await term.waitFor(/sorted by ttfa/);
		term.write('s');
		await term.waitFor(/sorted by tps/);
		term.write('1');
		const filtered = await term.waitFor(text => !text.includes('Slowpoke'));
		expect(filtered).toMatch(/› +1 {2}Swift/);
		term.write('\r');
		const answer = await term.waitFor(screen => /── answer \(run 1\) ──/.test(screen) && /recursi/i.test(screen) && screen.includes('inter-chunk gaps'));
		expect(answer).toMatch(/recursi/i);
		expect(answer).toContain('inter-chunk gaps');
		term.write('\u001B');
		await term.waitFor(/sorted by tps/);
		term.write('w');
		const saved = await term.waitFor(/saved .*llmrace-\d{8}-\d{6}\.json/);
		const file = /saved (\S+)/.exec(saved)![1]!;
		expect(path.dirname(path.resolve(dir, file))).toBe(dir);
		const transcript = JSON.parse(readFileSync(path.resolve(dir, file), 'utf8')) as Transcript;
		expect(transcript.models.map(model => model.id)).toEqual(['swift', 'steady', 'thinker', 'slowpoke']);
		expect(transcript.models.every(model => model.summary.ok === 1)).toBe(true);
		term.write('q');
		expect(await term.exit).toEqual({exitCode: 0, signal: undefined});
		// Nothing a race draws retitles the terminal or rings it.
		expect(term.titleChanges).toEqual([]);
		expect(term.bells()).toBe(0);
		expect(term.cursorVisible()).toBe(true);
	});

	it('Ctrl-C stops the race, keeps what arrived, saves to --save, then quits', async () => {
		const file = path.join(dir, 'stopped.json');
		const term = start(['-p', preset, '-o', file, 'Explain recursion']);
		await term.waitFor(/Swift[^\n]*\n[^\n]*streaming/);
		term.write('\u0003');
		const board = await term.waitFor(/saved .*stopped\.json/);
		expect(board).toMatch(/sorted by ttft/);
		const transcript = JSON.parse(readFileSync(file, 'utf8')) as Transcript;
		expect(transcript.aborted).toBe(true);
		const slowpoke = transcript.models.find(model => model.id === 'slowpoke')!;
		expect(slowpoke.runs[0]?.status ?? 'not run').toMatch(/aborted|not run/);
		const swift = transcript.models.find(model => model.id === 'swift')!;
		expect(swift.runs[0]!.text.length).toBeGreaterThan(0);
		// The leaderboard takes keys (a sort key answers) before the second Ctrl-C, which then quits by the 0/1 rule.
		term.write('s');
		await term.waitFor(/sorted by ttfa/);
		term.write('\u0003');
		// Swift may have finished before the stop (exit 0) or not (every run stopped: exit 1).
		expect([0, 1]).toContain((await term.exit).exitCode);
		expect(readdirSync(dir).filter(name => name.endsWith('.tmp'))).toEqual([]);
	});

	it('with the prompt piped in and no terminal for keys, shows the leaderboard without navigation, says why, and exits', async () => {
		// With a controlling terminal the keys come from /dev/tty (test/pty/screens.test.ts); without one there are none.
		const term = start(['-p', preset, '-m', 'swift,steady'], {stdin: 'Explain recursion\n', noControllingTerminal: true});
		expect((await term.exit).exitCode).toBe(0);
		const board = term.screen();
		expect(board).toMatch(/sorted by ttft/);
		expect(board).toContain('keys are off: standard input is not a terminal');
		expect(boardNames(board)).toEqual(['Swift', 'Steady']);
	});

	it('show --replay plays a saved race back, then shows its leaderboard', async () => {
		const fixture = new URL('../fixtures/us-east.json', import.meta.url).pathname;
		const term = start(['show', fixture, '--replay', '4']);
		const playing = await term.waitFor(/streaming/);
		expect(playing).toContain('replay ×4');
		expect(playing).toMatch(/Step-3\.5-Flash/);
		expect(term.isAlternate()).toBe(true);
		const board = await term.waitFor(leaderboard('ttft', 15), 30_000);
		expect(board).toMatch(/› +1 {2}Step-3\.5-Flash/);
		term.write('q');
		expect((await term.exit).exitCode).toBe(0);
	});

	it('SIGTERM stops a live race, saves what arrived, restores the terminal and exits 143', async () => {
		const file = path.join(dir, 'terminated.json');
		const term = start(['-p', preset, '-o', file, 'Explain recursion'], {shell: true});
		await term.waitFor(text => term.isAlternate() && text.includes('streaming'));
		process.kill(await term.cliPid(), 'SIGTERM');
		await term.waitFor(/^EXIT=143$/m);
		const transcript = JSON.parse(readFileSync(file, 'utf8')) as Transcript;
		expect(transcript.aborted).toBe(true);
		// The terminal is back as it was: normal screen, cursor shown, and in cooked mode (what is typed is
		// echoed and arrives as a line, not as raw keys).
		expect(term.isAlternate()).toBe(false);
		expect(term.cursorVisible()).toBe(true);
		term.write('typed-after\r');
		await term.waitFor(/^read: typed-after$/m);
		expect(term.screen()).toMatch(/^typed-after$/m);
		expect((await term.exit).exitCode).toBe(143);
	});

	it('redraws at the new size when the terminal is resized: panels, then lanes when they no longer fit', async () => {
		const term = start(['-p', preset, 'Explain recursion']);
		const panels = await term.waitFor(/Swift · Loop · ultra-budget[\s\S]*streaming/);
		expect(panels).not.toMatch(/[█░]{10}/);
		term.resize(80, 8);
		// Eight rows cannot hold four panels: one lane per model, each with its bar, inside the new size.
		const lanes = await term.waitFor(text => ['Swift', 'Steady', 'Thinker', 'Slowpoke'].every(name => new RegExp(` ${name} +[█░]`).test(text)));
		expect(lanes).not.toContain('Swift · Loop · ultra-budget');
		expect(lanes.trimEnd().split('\n').length).toBeLessThan(8);
		term.write('q');
		await term.waitFor(/sorted by ttft/);
		term.write('q');
		expect([0, 1]).toContain((await term.exit).exitCode);
	});

	it('at 80×24, 15 models race in lanes and the leaderboard keeps its help line on screen', async () => {
		const term = start(['--max-tokens', '30', '--seed', '3', 'Explain recursion'], {cols: 80, rows: 24});
		const names = [
			'Step-3.5-Flash',
			'DeepSeek V4 Flash',
			'Hunyuan-TurboS',
			'Qwen3-8B',
			'Qwen3-32B',
			'Doubao-Seed-Lite',
			'Hunyuan-Turbo',
			'GLM-4-32B',
			'Qwen3.5-27B',
			'DeepSeek V4 Pro',
			'MiniMax M2.5',
			'GLM-5',
			'Kimi K2.5',
			'DeepSeek-R1',
			'Qwen3.5-397B',
		];
		const lanes = await term.waitFor(text => term.isAlternate() && / live /.test(text) && names.every(name => text.includes(name)));
		const laneLines = lanes.split('\n').filter(line => /[█░]{10}/.test(line));
		// One line per model, in the preset's order, each with its bar; the frame stays shorter than the terminal.
		expect(laneLines.map(line => names.find(name => line.includes(` ${name} `)))).toEqual(names);
		expect(lanes.trimEnd().split('\n').length).toBeLessThan(24);
		expect(lanes).toContain('q/Esc/Ctrl-C stop the race');
		const board = await term.waitFor(leaderboard('ttft', 15), 30_000);
		const lines = board.trimEnd().split('\n');
		expect(boardNames(board)).toHaveLength(15);
		// The help line is the last line drawn, below the 15 rows, inside the 24 rows of the screen.
		expect(lines.length).toBeLessThanOrEqual(24);
		expect(lines.at(-1)).toMatch(/select .*sort/);
		term.write('q');
		expect((await term.exit).exitCode).toBe(0);
	});
});
