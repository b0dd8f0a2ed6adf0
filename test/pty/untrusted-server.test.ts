// Issue 15 item 3, end to end: a hostile loopback server (test/helpers/hostile-server.ts) raced by the real binary in a
// real pseudo-terminal, read back through @xterm/headless, at 120×40 and 80×24: the race, the leaderboard, the failed
// model's error line, every answer screen; then `show` and `show --replay 5` of a saved hostile race, `presets` and
// `compare` on a terminal, and the stderr progress lines with stdout piped. Whatever its answers, reasoning, error
// message, model ids and served model name carry, the emulator's title never changes, no OSC (52 clipboard, 0/2 title,
// 8 hyperlink), C1 introducer, BEL or bidi control leaves llmrace, and the screen's own lines (header first, table,
// help line last) stay llmrace's.
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {spawn as spawnPtyProcess} from '@lydell/node-pty';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {runCli} from '../helpers/cli.js';
import {hostileIds, startHostileServer, type HostileServer} from '../helpers/hostile-server.js';
import {spawnPty, type PtySession} from '../helpers/pty.js';

/** What the data would have done had it reached the terminal as bytes: none of these may be in what llmrace wrote. */
function expectNothingFromData(term: PtySession): void {
	const raw = term.raw();
	expect(term.titleChanges).toEqual([]);
	expect(term.bells()).toBe(0);
	// No OSC at all (llmrace writes none of its own): no title (0/2), hyperlink (8) or clipboard (52), 7-bit or 8-bit.
	expect(raw).not.toContain('\u001B]');
	expect(raw).not.toContain('\u001B]52');
	expect(raw).not.toContain('\u009D52');
	expect(raw).not.toContain('\u001B]0;');
	expect(raw).not.toContain('\u001B]2;');
	// No C1 control (8-bit CSI 0x9B, OSC 0x9D, ST 0x9C…), no BEL, no bidi override or isolate.
	expect(raw).not.toMatch(/[\u0007\u0080-\u009F\u202A-\u202E\u2066-\u2069]/);
	// The data's own clear-and-move and its line-overwriting CR never went out as such.
	expect(raw).not.toContain('\u001B[2J\u001B[H\u001B[5A');
	expect(raw).not.toContain('FAKE LINE\r');
}

const lines = (screen: string) => screen.split('\n');
/** The last line that is not blank: the help line. */
const lastLine = (screen: string) =>
	lines(screen)
		.filter(line => line.trim() !== '')
		.at(-1) ?? '';
/** Leaderboard rows: `› 1  name …` or `  1  name …`. */
const boardRows = (screen: string) => lines(screen).filter(line => /^[› ] +\d+ {2}\S/.test(line));
const selectedRow = (screen: string) => boardRows(screen).find(line => line.startsWith('›')) ?? '';
/** The leaderboard with all four rows drawn and its help line. */
const fullBoard = (screen: string) => /sorted by/.test(screen) && boardRows(screen).length === 4 && /q quit/.test(lastLine(screen));

/** The prefix each model's row shows, whatever the column width cuts off. */
const rowLabels = {
	[hostileIds.formula]: '=HYPERLINK(',
	[hostileIds.escapes]: 'esc ]0;ID-TITLE',
	[hostileIds.thinker]: 'thinker@evil',
	[hostileIds.broken]: 'broken-400',
} as const;

/** Move the selection (↑/↓) to the row showing `label`; resolves with the screen. */
async function select(term: PtySession, label: string): Promise<string> {
	const screen = await term.waitFor(fullBoard);
	const rows = boardRows(screen);
	const from = rows.findIndex(row => row.startsWith('›'));
	const to = rows.findIndex(row => row.includes(label));
	expect(to).toBeGreaterThanOrEqual(0);
	if (to !== from) {
		term.write((to > from ? '\u001B[B' : '\u001B[A').repeat(Math.abs(to - from)));
	}

	return term.waitFor(text => fullBoard(text) && selectedRow(text).includes(label));
}

/** The header first, the table's rows in place, the help line last with its way out. */
function expectBoardIntact(screen: string, cols: number): void {
	expect(lines(screen)[0]).toMatch(/^llmrace “hi” {2}127\.0\.0\.1:\d+ · (replay ×5 · )?finished/);
	expect(lines(screen)[1]).toMatch(/^ 0:All 4/);
	expect(lines(screen)[2]).toMatch(/^ {2}# {2}Model/);
	expect(boardRows(screen)).toHaveLength(4);
	for (const label of Object.values(rowLabels)) {
		expect(boardRows(screen).filter(row => row.includes(label))).toHaveLength(1);
	}

	expect(lastLine(screen)).toMatch(/^↑↓\/jk select .*q quit$/);
	expect(lines(screen).filter(line => line.includes('q quit'))).toHaveLength(1);
	for (const line of lines(screen)) {
		expect(line.length).toBeLessThanOrEqual(cols);
	}
}

describe('a hostile server cannot act on the terminal through the live UI', () => {
	let server: HostileServer;
	let dir: string;
	/** A transcript of a race against the hostile server, saved headless. */
	let saved: string;
	let pty: PtySession | undefined;

	beforeAll(async () => {
		// 30 ms between chunks: the race stays on screen for about a second, its panels full of hostile text.
		server = await startHostileServer(30);
		dir = mkdtempSync(path.join(tmpdir(), 'llmrace-hostile-pty-'));
		saved = path.join(dir, 'saved.json');
		const race = await runCli(['--base-url', server.baseURL, '-o', saved, 'hi'], {cwd: dir});
		expect(race.code).toBe(0);
	});

	afterEach(() => {
		pty?.dispose();
		pty = undefined;
	});

	afterAll(async () => {
		await server.close();
	});

	it('show and show --replay 5 of the saved hostile transcript: the replayed race, the leaderboard, the error line, an answer', async () => {
		for (const args of [
			['show', saved],
			['show', '--replay', '5', saved],
		]) {
			const term = spawnPty(args, {cols: 100, rows: 30, cwd: dir});
			pty = term;
			if (args.includes('--replay')) {
				const replaying = await term.waitFor(text => /Hello/.test(text) && /stop the race|replay/.test(lastLine(text)));
				expect(lines(replaying)[0]).toMatch(/^llmrace “hi” /);
			}

			const board = await term.waitFor(fullBoard, 30_000);
			expectBoardIntact(board, 100);
			const failed = await select(term, rowLabels[hostileIds.broken]);
			expect(failed).toContain('broken-400: bad_request (HTTP 400): bad request ]0;ERR-TITLE');
			await select(term, rowLabels[hostileIds.formula]);
			term.write('\r');
			const answer = await term.waitFor(text => /Esc\/Backspace back/.test(lastLine(text)));
			expect(answer).toContain(']0;PWNED-TITLE');
			expect(answer).toMatch(/FAKE LINE q quit/);
			term.write('\u001B');
			await term.waitFor(fullBoard);
			term.write('q');
			expect(await term.exit).toEqual({exitCode: 0, signal: undefined});
			expectNothingFromData(term);
			term.dispose();
			pty = undefined;
		}
	});

	it('presets and compare on a terminal: the hostile ids and messages show inert, nothing from data reaches it', async () => {
		const config = path.join(dir, 'config');
		mkdirSync(path.join(config, 'llmrace', 'presets'), {recursive: true});
		writeFileSync(
			path.join(config, 'llmrace', 'presets', 'hostile.json'),
			JSON.stringify({
				description: 'listed by a hostile server \u001B]0;DESC-TITLE\u0007\u001B[2J\u009D0;C1\u0007',
				baseURL: server.baseURL,
				models: [
					{id: hostileIds.formula, provider: 'evil\u001B]52;c;cHduZWQ=\u0007', price: {outputPerM: 1}},
					{id: hostileIds.escapes, price: {outputPerM: 2}},
				],
			}),
		);
		const presets = spawnPty(['presets'], {cols: 120, rows: 40, cwd: dir, env: {XDG_CONFIG_HOME: config}});
		pty = presets;
		expect((await presets.exit).exitCode).toBe(0);
		expect(presets.raw()).toContain('esc ]0;ID-TITLE  [2Jmodel');
		expect(presets.raw()).toContain('listed by a hostile server  ]0;DESC-TITLE');
		expectNothingFromData(presets);
		presets.dispose();

		const again = path.join(dir, 'saved-again.json');
		copyFileSync(saved, again);
		const compare = spawnPty(['compare', saved, again], {cols: 120, rows: 40, cwd: dir});
		pty = compare;
		expect((await compare.exit).exitCode).toBe(0);
		expect(compare.screen()).toMatch(/^esc \]0;ID-TITLE {2}\[2Jmodel {2,}\d+/m);
		expect(compare.screen()).toMatch(/^=HYPERLINK\("http:\/\/x","y"\)\|x {2,}\d+/m);
		expectNothingFromData(compare);
	});

	it('stdout a pipe, stderr the terminal (`llmrace … | cat`): the progress lines carry no ESC, C1 or BEL from data', async () => {
		const out = path.join(dir, 'stdout.txt');
		const cli = fileURLToPath(new URL('../../distribution/cli.js', import.meta.url));
		// The CLI's stdout goes to a file, its stderr stays on the pseudo-terminal (so it prints progress lines).
		const launcher = `const {spawn} = require('node:child_process'); const {openSync} = require('node:fs');
			const [cli, out, ...args] = process.argv.slice(1);
			spawn(process.execPath, [cli, ...args], {stdio: ['ignore', openSync(out, 'w'), 'inherit']}).on('exit', code => { process.exitCode = code ?? 1; });`;
		const child = spawnPtyProcess(process.execPath, ['-e', launcher, cli, out, '--base-url', server.baseURL, 'hi'], {
			cols: 100,
			rows: 30,
			cwd: dir,
			env: {...process.env, CI: 'false', NO_COLOR: '1'} as Record<string, string>,
		});
		let stderr = '';
		child.onData(data => {
			stderr += data;
		});
		const exitCode = await new Promise<number>(resolve => {
			child.onExit(({exitCode: code}) => {
				resolve(code);
			});
		});
		expect(exitCode).toBe(0);
		// One progress line per model, the failed one with its error message made inert.
		expect(stderr).toMatch(/✗ broken-400 {2}bad_request: bad request \]0;ERR-TITLE {2}\[2J \[H \]52;c;ZXJy {3}evil {2}\(\d\/4\)/);
		expect(stderr).toMatch(/✓ esc \]0;ID-TITLE {2}\[2Jmodel {2}TTFT/);
		expect(stderr).not.toMatch(/[\u0007\u001B\u0080-\u009F\u202A-\u202E\u2066-\u2069]/);
		const stdout = readFileSync(out, 'utf8');
		expect(stdout).toContain('errors:');
		expect(stdout).not.toMatch(/[\u0007\u001B\u0080-\u009F\u202A-\u202E\u2066-\u2069]/);
	});

	for (const [cols, rows] of [
		[120, 40],
		[80, 24],
	] as const) {
		it(`at ${cols}×${rows}: races it, shows the error line and every answer; the title never changes, nothing from data reaches the terminal`, async () => {
			const file = path.join(dir, `hostile-${cols}.json`);
			// Each answer waits after its first chunk until this frame was seen: on a loaded machine the frames are spaced
			// out (client-late), and the streamed text may have scrolled past `Hello` before one is drawn.
			const release = server.holdAnswers();
			const term = spawnPty(['--base-url', server.baseURL, '-o', file, 'hi'], {cols, rows, cwd: dir});
			pty = term;

			// The race frame while hostile text streams in: its header first, its help line last.
			let racing: string;
			try {
				racing = await term.waitFor(text => /Hello/.test(text) && /stop the race/.test(text));
			} finally {
				release();
			}

			expect(lines(racing)[0]).toMatch(/^llmrace “hi” {2}127\.0\.0\.1:\d+ · /);
			expect(lastLine(racing)).toMatch(/q\/Esc\/Ctrl-C stop the race/);
			expect(lines(racing).filter(line => /stop the race/.test(line))).toHaveLength(1);

			const board = await term.waitFor(fullBoard, 30_000);
			expectBoardIntact(board, cols);

			// The failed model's error line: the title sequence and the clear show as inert text on one line.
			const failed = await select(term, rowLabels[hostileIds.broken]);
			const errorLine = lines(failed).find(line => line.startsWith('broken-400: bad_request (HTTP 400)'));
			expect(errorLine).toBeDefined();
			expect(errorLine).toContain(']0;ERR-TITLE');
			expect(errorLine).toContain('[2J');
			expectBoardIntact(failed, cols);

			// Every model's answer screen (the failed one shows its error), then back with Esc.
			for (const id of Object.values(hostileIds)) {
				await select(term, rowLabels[id]);
				term.write('\r');
				const first = await term.waitFor(text => /Esc\/Backspace back/.test(lastLine(text)));
				// Every page of the answer screen (PgDn until it stops moving): at 80×24 it is taller than the terminal.
				const pages = [first];
				for (let page = 0; page < 30; page++) {
					const before = term.screen();
					term.write('\u001B[6~');
					try {
						pages.push(await term.waitFor(text => text !== before && /Esc\/Backspace back/.test(lastLine(text)), 1500));
					} catch {
						break;
					}
				}

				const answer = pages.join('\n');
				expect(lines(first)[0]).toMatch(/^llmrace “hi” {2}127\.0\.0\.1:\d+ · finished/);
				if (id === hostileIds.broken) {
					expect(answer).toContain(']0;ERR-TITLE');
				} else {
					expect(answer).toContain('── answer (run 1) ──');
					expect(answer).toContain(']0;PWNED-TITLE');
					expect(answer).toContain(']52;c;');
				}

				if (id === hostileIds.thinker) {
					// Its reasoning is shown above the answer, as inert as the answer.
					expect(answer).toMatch(/thinking {2}\]2;PWNED-TITLE2/);
				}

				for (const line of lines(answer)) {
					expect(line.length).toBeLessThanOrEqual(cols);
				}

				if (id !== hostileIds.broken) {
					// The bare CR became a space: "q quit" did not overwrite the start of the line.
					expect(answer).toMatch(/FAKE LINE q quit/);
				}

				for (const page of pages) {
					expect(lines(page)[0]).toMatch(/^llmrace “hi” {2}127\.0\.0\.1:\d+ · finished/);
					expect(lastLine(page)).toMatch(/Esc\/Backspace back.* q quit$/);
				}

				term.write('\u001B');
				await term.waitFor(fullBoard);
			}

			expectBoardIntact(term.screen(), cols);
			term.write('q');
			expect(await term.exit).toEqual({exitCode: 0, signal: undefined});
			expectNothingFromData(term);
			expect(existsSync(file)).toBe(true);
		});
	}
});
