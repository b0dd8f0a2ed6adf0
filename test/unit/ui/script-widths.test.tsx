// Text of every script measured in terminal cells: Chinese, Japanese and emoji answers and model
// names, on the race screen (panels, lanes), the leaderboard, the answer screen and the plain table.
import {describe, expect, it} from 'vitest';
import {cellWidth, takeCells} from '../../../source/core/text/cells.js';
import {plainTable} from '../../../source/core/report/plain-table.js';
import type {ModelView} from '../../../source/core/race/race.js';
import {summarizeRuns} from '../../../source/core/transcript/build.js';
import type {Transcript} from '../../../source/core/types.js';
import {App} from '../../../source/ui/board/app.js';
import {layoutPanels} from '../../../source/ui/race/layout.js';
import {bodyRows, panelLines, raceFrame} from '../../../source/ui/race/frame.js';
import {stripAnsi} from '../../../source/ui/theme.js';
import {demoTranscript, shippedPreset} from '../../helpers/fixtures.js';
import {renderAt} from '../../helpers/ink-render.js';

const answers = [
	'递归是一个函数调用它自己，直到遇到基本情况为止。例如，计算阶乘：n! = n × (n-1)!，当 n 为 0 时返回 1。',
	'再帰とは、関数が自分自身を呼び出すことです。基本ケースに達するまで続きます。例：階乗の計算。',
	'Recursion 🙂🔁 is a function 🧠 calling itself 🔂 until a base case 🛑 stops it. 👍🏽 Done ✅.',
];
const names = ['通义千问 Qwen3-Max', 'キミ K2.5 思考', '🚀 Rocket-7B 🌟'];

/** The demo transcript with CJK and emoji names and answers. */
function scriptsTranscript(): Transcript {
	const base = demoTranscript();
	return {
		...base,
		prompt: '用两百字解释递归，并给出一个 Python 例子 🐍',
		models: base.models.map((model, index) => ({
			...model,
			name: names[index % names.length]!,
			provider: index % 2 === 0 ? '阿里巴巴' : 'ムーンショット',
			runs: model.runs.map(run => ({...run, text: answers[index % answers.length]!.repeat(3)})),
		})),
	};
}

function liveModels(): ModelView[] {
	return shippedPreset('demo').models.map((spec, index) => ({
		spec: {...spec, name: names[index % names.length]!, provider: '阿里巴巴'},
		bracket: 'premium',
		state: 'streaming',
		runNumber: 1,
		runCount: 1,
		warmup: false,
		t0: 1000,
		endedAt: null,
		live: {ttftMs: 150 + index, ttfaMs: 150 + index, tokens: 40 + index, tokensEstimated: true, rollingTokensPerSecond: 30 + index, textLength: 200},
		text: answers[index % answers.length]!.repeat(4),
		reasoningText: '',
		costSoFarUSD: 0.000_12,
		place: null,
		lastError: null,
		records: [],
		summary: summarizeRuns([], spec.price),
	}));
}

const history = (models: readonly ModelView[]) => new Map(models.map(model => [model.spec.id, [5, 10, 20, 30, 25, 30, 35, 30, 28, 31, 30, 29]]));

describe('the race screen in every script', () => {
	for (const [columns, rows] of [
		[80, 24],
		[80, 60],
		[120, 40],
		[200, 60],
	] as const) {
		it(`no line wider than ${columns} columns, every panel line filled to its width (${rows} rows)`, () => {
			const models = liveModels();
			const lines = raceFrame({
				meta: {prompt: '用两百字解释递归 🐍', preset: 'demo', simulated: true, region: null},
				sample: {snapshot: {version: 1, startedAt: 0, finishedAt: null, aborted: false, models}, now: 2500, history: history(models)},
				columns,
				rows,
				lanes: false,
				runs: 1,
				noColor: true,
				interactive: true,
			});
			expect(lines.length).toBeLessThan(rows);
			for (const line of lines) {
				expect(cellWidth(stripAnsi(line)), stripAnsi(line)).toBeLessThan(columns);
			}

			const layout = layoutPanels(columns - 1, bodyRows(rows), models.length);
			if (layout.mode === 'panels') {
				// Every body line is panels side by side (the last row may hold fewer), each exactly panelWidth cells.
				for (const line of lines.slice(1, -1)) {
					expect(cellWidth(stripAnsi(line)) % layout.panelWidth).toBe(0);
				}
			}
		});
	}

	it('a panel of CJK text fills each line to its width in cells, and shows the answer', () => {
		const [model] = liveModels();
		for (const width of [34, 39, 60]) {
			const lines = panelLines(model!, 2500, [], width, 10, true).map(line => stripAnsi(line));
			expect(lines.map(line => cellWidth(line))).toEqual(Array.from({length: 10}, () => width));
			const text = lines
				.slice(4, -1)
				.map(line => line.slice(2, -2).trimEnd())
				.join('');
			// The tail of the answer: its characters, not half of each line lost.
			expect(text.length).toBeGreaterThan(4 * ((width - 4) / 2) - 4);
			expect(text).toMatch(/[\u4E00-\u9FFF]/);
		}
	});

	it('shows the sparkline in the 3- and 5-column layouts of 120 and 200 columns', () => {
		for (const [columns, rows] of [
			[120, 40],
			[200, 60],
		] as const) {
			const models = liveModels();
			const layout = layoutPanels(columns - 1, bodyRows(rows), models.length);
			expect(layout).toMatchObject({mode: 'panels', columns: columns === 120 ? 3 : 5});
			const lines = raceFrame({
				meta: {prompt: 'x', preset: 'demo', simulated: true, region: null},
				sample: {snapshot: {version: 1, startedAt: 0, finishedAt: null, aborted: false, models}, now: 2500, history: history(models)},
				columns,
				rows,
				lanes: false,
				runs: 1,
				noColor: true,
				interactive: true,
			});
			const sparkLines = lines.filter(line => /[▁▂▃▄▅▆▇█]{6,}/.test(line));
			expect(sparkLines.length, `${columns}×${rows}`).toBeGreaterThan(0);
		}
	});
});

describe('the Ink screens and the plain table in every script', () => {
	for (const columns of [80, 120]) {
		it(`the leaderboard and the answer screen at ${columns} columns: no line too wide, columns aligned`, async () => {
			const transcript = scriptsTranscript();
			const instance = renderAt(
				<App
					meta={{prompt: transcript.prompt, preset: 'demo', simulated: true, region: null}}
					transcript={transcript}
					save={() => ({ok: true, message: ''})}
					sort="ttft"
					bracket={null}
					runs={1}
					noColor
					interactive
					size={{columns, rows: 24}}
				/>,
				columns,
			);
			await instance.ready();
			const board = instance.lastFrame()!;
			for (const line of board.split('\n')) {
				expect(cellWidth(line), line).toBeLessThan(columns);
			}

			// Columns aligned: the TTFT figure ends in the same cell on every row, whatever the name's script.
			const rows = board.split('\n').filter(line => /^[› ] +\d+ /.test(line));
			expect(rows.length).toBeGreaterThan(10);
			const header = board.split('\n').find(line => line.includes('TTFT ms'))!;
			const ttftEnd = cellWidth(header.slice(0, header.indexOf('TTFT ms') + 'TTFT ms'.length));
			for (const row of rows) {
				// Right-aligned under its title: the figure's last digit is in the title's last cell.
				const upTo = takeCells(row, ttftEnd).text;
				expect(upTo, row).toMatch(/\d$/);
				expect(row.slice(upTo.length), row).toMatch(/^ /);
			}
			await instance.press('\r');
			const answer = instance.lastFrame()!;
			expect(answer).toMatch(/[\u4E00-\u9FFF]/);
			for (const line of answer.split('\n')) {
				expect(cellWidth(line), line).toBeLessThan(columns);
			}

			// The answer is wrapped to the width, not cut: its lines are nearly full.
			const text = answer.split('\n').filter(line => /[\u4E00-\u9FFF]/.test(line) && !line.includes('·'));
			expect(text.length).toBeGreaterThan(1);
			expect(cellWidth(text[0]!)).toBeGreaterThanOrEqual((columns - 1) / 2);
			// A Japanese answer (no spaces to break at) fills its lines to the width, one or two cells short at most.
			const kana = () =>
				instance
					.lastFrame()!
					.split('\n')
					.filter(line => /[\u3040-\u30FF]/.test(line) && !line.includes('·'));
			for (let tries = 0; tries < 3 && kana().length === 0; tries++) {
				for (const key of ['\u001B', 'j', '\r']) {
					await instance.press(key);
				}
			}

			const japanese = kana();
			expect(japanese.length).toBeGreaterThan(1);
			expect(cellWidth(japanese[0]!)).toBeGreaterThanOrEqual(columns - 3);
			expect(cellWidth(japanese[0]!)).toBeLessThan(columns);
			instance.unmount();
		});
	}

	it('the plain table lines its columns up in cells', () => {
		const {models} = scriptsTranscript();
		const lines = plainTable(models, {sort: 'ttft', bracket: null, runs: 1}).trimEnd().split('\n');
		// The header and one row per model (notes under the table are not columns).
		const statusAt = lines.slice(1, 1 + models.length).map(line => cellWidth(line.slice(0, line.lastIndexOf('ok'))));
		expect(new Set(statusAt).size).toBe(1);
		expect(cellWidth(lines[0]!.slice(0, lines[0]!.indexOf('Status')))).toBe(statusAt[0]);
	});
});
