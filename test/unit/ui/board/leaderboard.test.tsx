import {describe, expect, it} from 'vitest';
import {cellWidth} from '../../../../source/core/text/cells.js';
import type {ModelView} from '../../../../source/core/race/race.js';
import {summarizeRuns} from '../../../../source/core/transcript/build.js';
import type {AppProps} from '../../../../source/ui/board/app.js';
import {initialBoard} from '../../../../source/ui/board/state.js';
import {Leaderboard, rowStyle} from '../../../../source/ui/board/leaderboard-table.js';
import {helpLine} from '../../../../source/ui/keymap.js';
import {laneLines, panelLines, raceBody, raceFrame} from '../../../../source/ui/race/frame.js';
import {colourOf, stripAnsi} from '../../../../source/ui/theme.js';
import {demoTranscript, fakeRun, shippedPreset} from '../../../helpers/fixtures.js';
import {renderAt, tick} from '../../../helpers/ink-render.js';
import {renderApp} from '../../../helpers/render-app.js';

const rowsOf = (frame: string) => frame.split('\n').filter(line => /^[› ] +\d+ /.test(line));
const names = (frame: string) => rowsOf(frame).map(line => /^[› ] +\d+ {2}(.+?)(?: {2,}|$)/.exec(line)?.[1]?.trim());
const widest = (frame: string) => Math.max(...frame.split('\n').map(line => cellWidth(line)));

describe('Leaderboard', () => {
	const transcript = demoTranscript();
	for (const columns of [80, 120]) {
		it(`shows every model sorted by TTFT with tabs and counts at ${columns} columns`, async () => {
			const {frame} = renderAt(
				<Leaderboard models={transcript.models} state={initialBoard('ttft', null)} runs={1} columns={columns} rows={22} noColor />,
				columns,
			);
			await tick();
			expect(frame()).toContain('0:All 15');
			expect(frame()).toMatch(/1:Ultra(-budget)? 2/);
			expect(frame()).toMatch(/4:Prem(ium)? 5/);
			expect(names(frame())).toHaveLength(15);
			expect(names(frame())[0]).toBe('Step-3.5-Flash');
			expect(rowsOf(frame())[0]!.startsWith('›')).toBe(true);
			expect(widest(frame())).toBeLessThan(columns);
			if (columns === 120) {
				expect(frame()).toContain('sorted by ttft');
				expect(frame()).toMatch(/Provider/);
				expect(frame()).toMatch(/TTFA ms/);
			} else {
				expect(frame()).not.toMatch(/Provider/);
			}
		});
	}

	it('shows medians with p95 when there were several runs', async () => {
		const {frame} = renderAt(
			<Leaderboard models={demoTranscript({runs: 3}).models} state={initialBoard('ttft', null)} runs={3} columns={120} rows={22} noColor />,
			120,
		);
		await tick();
		expect(frame()).toContain('TTFT ms ·p95');
		expect(frame()).toMatch(/121 ·122/);
	});

	it('shows what a run stopped by Ctrl-C had, dimmed, with status aborted', async () => {
		const base = demoTranscript();
		const glm = base.models.find(model => model.id === 'glm-5')!;
		const stopped = {
			...fakeRun({...glm, baseURL: glm.baseURL, apiKeyEnv: null, reasoning: false, reference: {source: 'x', ttftMs: 500, tokensPerSecond: 25}} as never, 0),
			status: 'aborted' as const,
			error: {kind: 'aborted' as const, status: null, message: 'stopped by the user'},
			ttftMs: 480,
			ttfaMs: 480,
			outputTokens: 37,
			tokenSource: 'estimate' as const,
			tokensPerSecond: 24.5,
		};
		const models = base.models.map(model => (model.id === 'glm-5' ? {...model, runs: [stopped], summary: summarizeRuns([stopped], model.price)} : model));
		for (const columns of [80, 120]) {
			const {frame} = renderAt(
				<Leaderboard models={models} state={initialBoard('ttft', null)} runs={1} columns={columns} rows={22} noColor={false} />,
				columns,
			);
			await tick();
			const row = rowsOf(stripAnsi(frame())).find(line => line.includes('GLM-5'))!;
			expect(row).toMatch(/ 480 /);
			expect(row).toMatch(/ ~37 /);
			expect(row).toMatch(/ 24\.5 /);
			expect(row).toMatch(/aborted/);
		}

		// Dimmed (faint), unless selected; a failed model is red instead.
		const glmStopped = models.find(model => model.id === 'glm-5')!;
		expect(rowStyle(glmStopped, false, false)).toEqual({inverse: false, dimColor: true, color: undefined});
		expect(rowStyle(glmStopped, true, false)).toMatchObject({inverse: true, dimColor: false});
		expect(rowStyle(demoTranscript({failing: ['glm-5']}).models.find(model => model.id === 'glm-5')!, false, false)).toEqual({
			inverse: false,
			dimColor: false,
			color: 'red',
		});
	});
});

describe('App on a finished race', () => {
	const transcript = demoTranscript({failing: ['glm-5']});
	const app = (columns: number, rows = 30) => renderApp(transcript, columns, rows);

	for (const columns of [80, 120]) {
		it(`moves the selection, sorts, filters, opens an answer and goes back at ${columns} columns`, async () => {
			const {frame, press} = app(columns);
			await tick();
			expect(frame()).toContain('SIMULATED');
			expect(frame()).toContain('↑↓/jk select');
			expect(frame()).toContain('q quit');
			await press('j');
			expect(rowsOf(frame()).findIndex(line => line.startsWith('›'))).toBe(1);
			// Sort by TTFA, then by tok/s: the selection stays on Qwen3-8B, now second behind Step-3.5-Flash (80 > 70 tok/s).
			await press('s');
			expect(frame()).toContain('sorted by ttfa');
			await press('s');
			expect(names(frame()).slice(0, 3)).toEqual(['Step-3.5-Flash', 'Qwen3-8B', 'DeepSeek V4 Flash']);
			expect(rowsOf(frame()).find(line => line.startsWith('›'))).toContain('Qwen3-8B');
			await press('S');
			expect(names(frame())[0]).toBe('Qwen3.5-397B');
			// The failed model has no tok/s: last, whichever the direction.
			expect(names(frame()).at(-1)).toBe('GLM-5');
			await press('3');
			expect(names(frame()).sort()).toEqual(['DeepSeek V4 Pro', 'Doubao-Seed-Lite', 'GLM-4-32B', 'Hunyuan-Turbo']);
			// Qwen3-8B is not a mid model: the selection moved to the first visible one.
			const selectedMid = rowsOf(frame()).find(line => line.startsWith('›'));
			expect(selectedMid).toContain(names(frame())[0]);
			await press('0');
			expect(names(frame())).toHaveLength(15);
			await press('k');
			const selected = names(frame())[rowsOf(frame()).findIndex(line => line.startsWith('›'))]!;
			await press('\r');
			expect(frame()).toContain('── answer (run 1) ──');
			expect(frame()).toContain(`${selected} says: recursion`);
			expect(frame()).toContain('inter-chunk gaps: p50');
			await press('\u001B');
			expect(frame()).toContain('sorted by tps');
		});
	}

	it('shows a failed model’s error and saves with w', async () => {
		const {frame, press} = app(120);
		await tick();
		expect(rowsOf(frame()).find(line => line.includes('GLM-5'))).toContain('server');
		await press('w');
		expect(frame()).toContain('saved /somewhere/race.json');
	});

	it('scrolls a long transcript with j, G and g (the runs table scrolls with it)', async () => {
		const {frame, press} = app(40, 12);
		await tick();
		await press('\r');
		const top = frame();
		expect(top).toContain('Step-3.5-Flash');
		expect(top).toContain('┌');
		await press('j');
		expect(frame()).not.toBe(top);
		await press('G');
		expect(frame()).not.toContain('┌');
		expect(frame()).toMatch(/base\s+case\.\n\d+ lines above \(↑ PgUp g\) · end\n/);
		await press('k'.repeat(6));
		expect(frame()).toContain('── answer (run 1) ──');
		expect(frame()).toMatch(/… 6 more lines below/);
		await press('g');
		expect(frame()).toBe(top);
	});

	it('shows the per-run figures as a bordered ink-table, one row per run', async () => {
		const {frame, press} = renderApp(demoTranscript({runs: 3}), 120, 40, {runs: 3});
		await tick();
		await press('\r');
		const lines = frame().split('\n');
		const heading = lines.find(line => line.includes('│ run'))!;
		expect(heading).toMatch(/│ run +│ status +│ +TTFT │ +TTFA │ tok\/s │ server tok\/s │ +total │ tokens │ +cost │/);
		expect(lines.filter(line => /^│ [123] /.test(line))).toHaveLength(3);
		expect(lines.filter(line => line.startsWith('├'))).toHaveLength(3);
		expect(lines.find(line => /^│ 1 /.test(line))).toMatch(/│ ok +│ +120 ms │/);
	});
});

describe('help lines', () => {
	const leaderboard = (columns: number, props: Partial<AppProps> = {}) => renderApp(demoTranscript(), columns, 24, props);

	it('the leaderboard at 80 columns shows q quit, and offers r only when a race can be run again', async () => {
		const again = leaderboard(80, {onRaceAgain() {}});
		await tick();
		expect(again.frame().split('\n').at(-1)).toContain('q quit');
		const show = leaderboard(200);
		await tick();
		expect(show.frame()).not.toContain('r race again');
		const live = leaderboard(200, {onRaceAgain() {}});
		await tick();
		expect(live.frame()).toContain('r race again');
	});

	it('every screen keeps its way out at every width from 60 to 200 columns, in one line', () => {
		for (let columns = 60; columns <= 200; columns++) {
			for (const raceAgain of [true, false]) {
				const board = helpLine('leaderboard', {columns, raceAgain});
				const answer = helpLine('transcript', {columns});
				const race = helpLine('race', {columns});
				for (const line of [board, answer, race]) {
					expect(cellWidth(line), `${columns}: ${line}`).toBeLessThan(columns);
					expect(line).not.toContain('…');
				}

				expect(board, String(columns)).toContain('q quit');
				expect(answer, String(columns)).toContain('Esc/Backspace back');
				expect(answer, String(columns)).toContain('q quit');
				expect(race, String(columns)).toContain('q/Esc/Ctrl-C stop');
				if (!raceAgain) {
					expect(board).not.toContain('r race again');
				}
			}
		}
	});

	it('drops the least-used keys first: r before w, w before the brackets; s/S and ? stay from 80 columns', () => {
		const at = (columns: number) => helpLine('leaderboard', {columns, raceAgain: true});
		const widths = Array.from({length: 141}, (_, index) => 60 + index);
		const first = (text: string) => widths.find(columns => at(columns).includes(text)) ?? Number.POSITIVE_INFINITY;
		expect(first('r race again')).toBeGreaterThanOrEqual(first('w save'));
		expect(first('w save')).toBeGreaterThanOrEqual(first('bracket'));
		expect(first('bracket')).toBeGreaterThanOrEqual(first('↑↓/jk select'));
		// S (reverse) has its label wherever s has one, and `?` lists what the line drops.
		for (const columns of widths) {
			expect(at(columns).includes('s/S sort/reverse'), String(columns)).toBe(at(columns).includes('s/'));
		}

		expect(at(80)).toContain('s/S sort/reverse');
		expect(at(80)).toContain('? keys');
		expect(at(200)).toContain('r race again');
	});

	it('the Ink screens draw the fitted help line at every width from 60 to 200', async () => {
		const transcript = demoTranscript();
		for (let columns = 60; columns <= 200; columns += 7) {
			const {frame, press, unmount} = renderApp(transcript, columns, 24, {onRaceAgain() {}});
			await tick();
			expect(frame().split('\n').at(-1), String(columns)).toContain('q quit');
			expect(widest(frame()), String(columns)).toBeLessThan(columns);
			await press('\r');
			expect(frame().split('\n').at(-1), String(columns)).toContain('Esc/Backspace back · q quit');
			expect(widest(frame()), String(columns)).toBeLessThan(columns);
			unmount();
		}
	});
});

function liveModel(overrides: Partial<ModelView> = {}): ModelView {
	const spec = shippedPreset('demo').models.find(model => model.id === 'kimi-k2.5')!;
	return {
		spec,
		bracket: 'premium',
		state: 'thinking',
		runNumber: 1,
		runCount: 1,
		warmup: false,
		t0: 1000,
		endedAt: null,
		live: {ttftMs: 150, ttfaMs: null, tokens: 12, tokensEstimated: true, rollingTokensPerSecond: 19, textLength: 40},
		text: '',
		reasoningText: 'Let me think about which example is the clearest.',
		costSoFarUSD: 0.000_036,
		place: null,
		lastError: null,
		records: [],
		summary: summarizeRuns([], spec.price),
		...overrides,
	};
}

describe('race again', () => {
	it('r asks the runner for a new race, from the leaderboard only', async () => {
		let asked = 0;
		const {frame, press} = renderApp(demoTranscript(), 120, 40, {
			onRaceAgain() {
				asked++;
			},
		});
		await tick();
		await press('\r');
		expect(frame()).toContain('── answer (run 1) ──');
		await press('r');
		expect(asked).toBe(0);
		await press('\u001B');
		await press('r');
		expect(asked).toBe(1);
	});

	it('shows the message the runner passes (where the race was saved)', async () => {
		const {frame} = renderApp(demoTranscript(), 120, 40, {message: {text: 'saved /tmp/race.json', tone: 'ok'}});
		await tick();
		expect(frame()).toContain('saved /tmp/race.json');
	});
});

describe('colours', () => {
	it('NO_COLOR means no colour at all', () => {
		expect(colourOf('ok', true)).toBeUndefined();
		expect(colourOf('slow', false)).toBe('red');
	});
});

/** What a styled line shows in a terminal, and how many columns that takes. */
const shown = (line: string) => stripAnsi(line);
const columnsOf = (line: string) => cellWidth(stripAnsi(line));
const raceMeta = {prompt: 'Explain recursion in 200 words, with one example in Python', preset: 'demo', simulated: true, region: 'us-east'};

describe('live panels', () => {
	it('a thinking panel shows its frozen TTFT, the ticking thinking time and its reasoning', () => {
		const lines = panelLines(liveModel(), 1600, [5, 10, 19], 60, 8, true);
		const frame = lines.map(line => shown(line)).join('\n');
		expect(lines).toHaveLength(8);
		expect(lines.map(line => columnsOf(line))).toEqual(Array.from({length: 8}, () => 60));
		expect(frame).toContain('Kimi K2.5 · Moonshot · premium');
		expect(frame).toContain('thinking TTFT 150 ms think 450 ms');
		expect(frame).toContain('19 tok/s');
		expect(frame).toContain('~12 tok');
		expect(frame).toContain('clearest');
	});

	it('a connecting panel shows the stopwatch ticking from t0', () => {
		const frame = stripAnsi(panelLines(liveModel({state: 'connecting', live: null, reasoningText: ''}), 1420, [], 50, 7, true).join('\n'));
		expect(frame).toContain('connecting TTFT 420 ms');
		expect(frame).not.toContain('tok/s');
	});

	it('an error shows its kind and message in the panel', () => {
		const frame = panelLines(
			liveModel({state: 'error', endedAt: 2000, lastError: {kind: 'auth', status: 401, message: 'invalid key (API key from $GLOBAL_API_KEY)'}}),
			3000,
			[],
			60,
			8,
			true,
		).join('\n');
		expect(frame).toContain('auth: invalid key (API key from $GLOBAL_API_KEY)');
	});

	it('colours the TTFT by feel, and NO_COLOR leaves only bold', () => {
		const coloured = panelLines(
			liveModel({live: {ttftMs: 900, ttfaMs: 950, tokens: 3, tokensEstimated: false, rollingTokensPerSecond: 3, textLength: 9}}),
			2000,
			[],
			60,
			8,
			false,
		).join('\n');
		expect(coloured).toContain('\u001B[1;31m900 ms\u001B[0m');
		const plain = panelLines(
			liveModel({live: {ttftMs: 900, ttfaMs: 950, tokens: 3, tokensEstimated: false, rollingTokensPerSecond: 3, textLength: 9}}),
			2000,
			[],
			60,
			8,
			true,
		).join('\n');
		expect(plain).toContain('\u001B[1m900 ms\u001B[0m');
		expect(plain).not.toMatch(/\u001B\[[\d;]*3\dm/);
	});

	it('a model’s text cannot move the cursor or push past its panel (escapes, tabs, wide characters)', () => {
		const text = `plain \u001B[2J\u001B[31mred\ttab\r${'宽'.repeat(80)} 🙂🙂 end`;
		const lines = panelLines(
			liveModel({
				state: 'streaming',
				text,
				reasoningText: '',
				live: {ttftMs: 150, ttfaMs: 150, tokens: 40, tokensEstimated: true, rollingTokensPerSecond: 20, textLength: text.length},
			}),
			2000,
			[],
			40,
			10,
			true,
		);
		for (const line of lines) {
			expect(columnsOf(line)).toBe(40);
			expect(shown(line)).not.toContain('\u001B');
			expect(line).not.toMatch(/[\t\r]/);
		}
	});

	it('lanes fit 15 models in 80 columns, one line each', () => {
		const models = shippedPreset('demo').models.map((spec, index) =>
			liveModel({
				spec,
				state: 'streaming',
				live: {ttftMs: 100 + index, ttfaMs: 100 + index, tokens: index * 10, tokensEstimated: true, rollingTokensPerSecond: 50, textLength: 10},
			}),
		);
		const lines = laneLines(models, 5000, 80, true);
		expect(lines).toHaveLength(15);
		for (const line of lines) {
			expect(columnsOf(line)).toBeLessThanOrEqual(79);
		}

		expect(shown(lines[14]!)).toContain('Qwen3.5-397B');
		expect(shown(lines[14]!)).toContain('114 ms');
	});
});

describe('race screen', () => {
	const demoModels = (state: ModelView['state']) =>
		shippedPreset('demo').models.map((spec, index) =>
			liveModel({
				spec,
				state,
				t0: 1000,
				endedAt: state === 'done' ? 4000 : null,
				place: state === 'done' ? index + 1 : null,
				live:
					state === 'queued'
						? null
						: {ttftMs: 100 + index * 30, ttfaMs: 100 + index * 30, tokens: index * 10, tokensEstimated: true, rollingTokensPerSecond: 50, textLength: 10},
				text: 'Recursion is when a function calls itself until a base case stops it. '.repeat(index + 1),
			}),
		);
	const sample = (models: readonly ModelView[]) => ({
		snapshot: {version: 1, startedAt: 0, finishedAt: null, aborted: false, models},
		now: 2500,
		history: new Map<string, number[]>(),
	});

	it('says how many lanes a short terminal cannot show', () => {
		const models = shippedPreset('demo').models.map(spec => liveModel({spec, state: 'queued', live: null, t0: null}));
		const lines = raceBody(models, 0, new Map(), 60, 12, false, true);
		expect(lines).toHaveLength(12);
		expect(shown(lines.at(-1)!)).toContain('… and 4 more');
	});

	it('is never wider than the terminal less one column, nor as tall as the terminal', () => {
		for (const [columns, rows] of [
			[40, 10],
			[80, 24],
			[120, 40],
			[200, 60],
			[33, 50],
		] as const) {
			for (const lanes of [false, true]) {
				for (const state of ['queued', 'streaming', 'done'] as const) {
					const lines = raceFrame({meta: raceMeta, sample: sample(demoModels(state)), columns, rows, lanes, runs: 1, noColor: false, interactive: true});
					expect(lines.length, `${columns}×${rows}`).toBeLessThanOrEqual(rows - 1);
					for (const line of lines) {
						expect(columnsOf(line), `${columns}×${rows} ${shown(line)}`).toBeLessThanOrEqual(columns - 1);
					}
				}
			}
		}
	});

	it('shows the header, the 15 panels at 120×40 with their places, and the help line', () => {
		const lines = raceFrame({
			meta: {prompt: 'Explain recursion', preset: 'demo', simulated: true, region: null},
			sample: sample(demoModels('done')),
			columns: 120,
			rows: 40,
			lanes: false,
			runs: 1,
			noColor: true,
			interactive: true,
		});
		const frame = lines.map(line => shown(line)).join('\n');
		expect(lines[0]).toContain('SIMULATED');
		expect(shown(lines[0]!)).toContain('15/15 done · 0 live · 2.5 s');
		expect(frame).toContain('Qwen3.5-397B');
		expect(frame).toContain('15th');
		expect(frame).toContain('done TTFT 100 ms');
		expect(shown(lines.at(-1)!)).toContain('q/Esc/Ctrl-C stop the race');
	});
});
