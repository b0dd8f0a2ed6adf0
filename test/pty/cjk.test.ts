// Issue 11 "Done when": a CJK race at 80×24 draws clean. Models with Chinese and Japanese names and providers stream
// Chinese, Japanese and emoji answers from a loopback server; the real binary races them in a real pseudo-terminal at
// 80×24 (lanes) and 120×40 (panels), read back through an emulator that measures characters as string-width does
// (emoji two cells, as modern terminals draw them). No row is ever a continuation of the one above (nothing wider
// than the terminal), the leaderboard's columns start at the same cell on every row, and `q quit` is on screen.
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import stringWidth from 'string-width';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {spawnPty, type PtySession} from '../helpers/pty.js';
import {chunk, sleep, startServer, streamEvents, type TestServer} from '../helpers/server.js';

type CjkModel = {readonly id: string; readonly name: string; readonly provider: string; readonly outputPerM: number; readonly answer: string};

const zh = '递归是一种函数直接或间接调用自身的方法。🚀 每一次调用都把问题缩小，直到遇到基本情况为止。✅ ';
const ja = '再帰とは、関数が自分自身を呼び出すことです。😀 問題を小さく分けて、最後に結果をまとめます。⚡ ';
const models: readonly CjkModel[] = [
	{id: 'qwen-max', name: '通义千问旗舰版超长上下文', provider: '阿里云百炼', outputPerM: 0.05, answer: zh},
	{id: 'deepseek', name: '深度求索对话模型', provider: '深度求索', outputPerM: 0.2, answer: zh},
	{id: 'kimi', name: 'Kimi 月之暗面', provider: '月之暗面', outputPerM: 0.5, answer: `${zh}${ja}`},
	{id: 'glm', name: '智谱清言 GLM', provider: '智谱华章', outputPerM: 1.2, answer: zh},
	{id: 'ernie', name: '文心一言', provider: '百度智能云', outputPerM: 2.5, answer: zh},
	{id: 'llm-jp', name: '日本語大規模言語モデル', provider: '国立情報学研究所', outputPerM: 0.3, answer: ja},
	{id: 'rinna', name: 'りんな 😀 チャット', provider: 'りんな株式会社', outputPerM: 0.8, answer: ja},
	{id: 'sarashina', name: 'サラシナ', provider: 'ソフトバンク', outputPerM: 4, answer: `${ja}${zh}`},
];

/** Each grapheme of `line` in the cells it covers ('' for the second cell of a wide one), as the terminal lays it out. */
function cellsOf(line: string): string[] {
	const cells: string[] = [];
	for (const {segment} of new Intl.Segmenter().segment(line)) {
		const width = stringWidth(segment);
		if (width === 0) {
			continue;
		}

		cells.push(segment, ...Array.from({length: width - 1}, () => ''));
	}

	return cells;
}

const blank = (cell: string | undefined) => cell === undefined || cell === ' ';
const lines = (screen: string) => screen.split('\n');
const lastLine = (screen: string) =>
	lines(screen)
		.filter(line => line.trim() !== '')
		.at(-1) ?? '';
const boardRows = (screen: string) => lines(screen).filter(line => /^[› ] +\d+ {2}\S/.test(line));
const fullBoard = (screen: string) => /sorted by/.test(screen) && boardRows(screen).length === models.length && /q quit/.test(lastLine(screen));

/** Every heading of the table's header starts (left-aligned) or ends (right-aligned) at the same cell on every row. */
function expectColumnsAligned(screen: string): void {
	const header = lines(screen).find(line => /^ {2}# {2}Model/.test(line))!;
	expect(header).toBeDefined();
	const rows = boardRows(screen).map(row => cellsOf(row));
	const headings = [...header.matchAll(/\S+(?: \S+)*/g)].map(match => ({text: match[0], start: match.index, end: match.index + match[0].length}));
	expect(headings.map(heading => heading.text)).toEqual(expect.arrayContaining(['Model', 'TTFT ms', 'tok/s', 'Status']));
	for (const {text, start, end} of headings) {
		const left = rows.every(cells => !blank(cells[start]) && blank(cells[start - 1]));
		const right = rows.every(cells => !blank(cells[end - 1]) && blank(cells[end]));
		expect(left || right, `column "${text}" (cells ${start}–${end}) on:\n${boardRows(screen).join('\n')}`).toBe(true);
	}
}

/** Nothing wider than the terminal: the emulator wrapped no row onto the next, and no line measures more than `cols`. */
function expectNoWrap(term: PtySession, cols: number): void {
	const screen = term.screen();
	expect(term.wrappedRows(), screen).toEqual([]);
	for (const line of lines(screen)) {
		expect(stringWidth(line), line).toBeLessThanOrEqual(cols);
	}
}

describe('a CJK race draws clean', () => {
	let server: TestServer;
	let dir: string;
	let preset: string;
	let pty: PtySession | undefined;

	beforeAll(async () => {
		server = await startServer(async (request, response) => {
			const model = models.find(candidate => candidate.id === request.body['model'])!;
			const index = models.indexOf(model);
			// A few characters per chunk; first tokens 150 ms apart so the race is on screen for about two seconds.
			const pieces = [...new Intl.Segmenter().segment(model.answer)].map(part => part.segment);
			const events = [chunk({role: 'assistant', content: ''})];
			for (let at = 0; at < pieces.length; at += 3) {
				events.push(chunk({content: pieces.slice(at, at + 3).join('')}));
			}

			events.push(chunk({}, 'stop'));
			await sleep(index * 150);
			await streamEvents(response, events, 25, 50);
		});
		dir = mkdtempSync(path.join(tmpdir(), 'llmrace-cjk-'));
		preset = path.join(dir, 'cjk.yaml');
		writeFileSync(
			preset,
			[
				`baseURL: ${server.baseURL}`,
				'models:',
				...models.map(model => `  - {id: ${model.id}, name: "${model.name}", provider: "${model.provider}", price: {outputPerM: ${model.outputPerM}}}`),
				'',
			].join('\n'),
		);
	});

	afterEach(() => {
		pty?.dispose();
		pty = undefined;
	});

	afterAll(async () => {
		await server.close();
	});

	for (const [cols, rows, mode] of [
		[80, 24, 'lanes'],
		[120, 40, 'panels'],
	] as const) {
		it(`at ${cols}×${rows} (${mode}): no row wraps while racing, on the leaderboard or an answer; columns aligned; q quit shown`, async () => {
			const term = spawnPty(['-p', preset, '解释递归 🚀'], {cols, rows, cwd: dir, wideEmoji: true});
			pty = term;

			// Sample the race frame while the answers stream in: every sample fits.
			await term.waitFor(text => /递归|再帰/.test(text) && /stop the race/.test(text));
			let samples = 0;
			while (/stop the race/.test(lastLine(term.screen())) && samples < 40) {
				const screen = term.screen();
				expectNoWrap(term, cols);
				expect(lines(screen)[0]).toMatch(/^llmrace “解释递归 🚀”/);
				expect(screen.includes('╭')).toBe(mode === 'panels');
				samples++;
				await sleep(100);
			}

			expect(samples).toBeGreaterThan(2);

			const board = await term.waitFor(fullBoard, 30_000);
			expectNoWrap(term, cols);
			expect(lastLine(board)).toMatch(/q quit$/);
			expectColumnsAligned(board);
			for (const model of models) {
				const prefix = [...model.name].slice(0, 3).join('');
				expect(
					boardRows(board).filter(row => row.includes(prefix)),
					model.name,
				).toHaveLength(1);
			}

			// Another order, the same alignment.
			term.write('s');
			const sorted = await term.waitFor(text => fullBoard(text) && /sorted by ttfa/.test(text));
			expectColumnsAligned(sorted);
			expectNoWrap(term, cols);

			// The answer screen of a model with a CJK name and an answer mixing CJK and emoji.
			term.write('\r');
			const answer = await term.waitFor(text => /── answer \(run 1\) ──/.test(text) && /q quit/.test(lastLine(text)));
			expect(answer).toMatch(/递归|再帰/);
			expectNoWrap(term, cols);
			term.write('\u001B');
			await term.waitFor(fullBoard);
			term.write('q');
			expect(await term.exit).toEqual({exitCode: 0, signal: undefined});
		});
	}
});
