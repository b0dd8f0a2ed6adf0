import {renderAt} from '../helpers/render.js';
import {describe, expect, it} from 'vitest';
import type {ModelView} from '../../source/core/race.js';
import {summarizeRuns} from '../../source/core/transcript.js';
import {App, type AppProps} from '../../source/ui/app.js';
import type {Transcript} from '../../source/core/types.js';
import {initialBoard} from '../../source/ui/board.js';
import {Leaderboard} from '../../source/ui/components/leaderboard.js';
import {laneLines, panelLines, raceBody, raceFrame} from '../../source/ui/race-frame.js';
import {cellWidth} from '../../source/ui/cells.js';
import {stripAnsi} from '../../source/ui/paint.js';
import {helpLine} from '../../source/ui/keymap.js';
import {loadPreset} from '../../source/io/presets.js';
import {colourOf} from '../../source/ui/theme.js';
import {demoTranscript} from '../helpers/fixtures.js';

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) {
			throw new Error('condition never became true');
		}

		await new Promise(resolve => {
			setTimeout(resolve, 20);
		});
	}
}

const tick = async () => until(() => true);

const rowsOf = (frame: string) => frame.split('\n').filter(line => /^[› ] +\d+ /.test(line));
const names = (frame: string) => rowsOf(frame).map(line => /^[› ] +\d+ {2}(.+?)(?: {2,}|$)/.exec(line)?.[1]?.trim());

describe('Leaderboard', () => {
	const transcript = demoTranscript();
	for (const columns of [80, 120]) {
		it(`shows every model sorted by TTFT with tabs and counts at ${columns} columns`, () => {
			const {lastFrame} = renderAt(<Leaderboard models={transcript.models} state={initialBoard('ttft', null)} runs={1} columns={columns} rows={22} noColor/>, columns);
			const frame = lastFrame()!;
			expect(frame).toContain('0:All 15');
			expect(frame).toContain('1:Ultra-budget 2');
			expect(frame).toContain('4:Premium 5');
			expect(frame).toContain('sorted by ttft');
			expect(names(frame)).toHaveLength(15);
			expect(names(frame)[0]).toBe('Step-3.5-Flash');
			expect(rowsOf(frame)[0]!.startsWith('›')).toBe(true);
			for (const line of frame.split('\n')) {
				expect(line.length).toBeLessThanOrEqual(columns);
			}

			if (columns === 120) {
				expect(frame).toMatch(/Provider/);
				expect(frame).toMatch(/TTFA ms/);
			} else {
				expect(frame).not.toMatch(/Provider/);
			}
		});
	}

	it('shows medians with p95 when there were several runs', () => {
		const {lastFrame} = renderAt(<Leaderboard models={demoTranscript({runs: 3}).models} state={initialBoard('ttft', null)} runs={3} columns={120} rows={22} noColor/>, 120);
		expect(lastFrame()).toContain('TTFT ms ·p95');
		expect(lastFrame()).toMatch(/121 ·122/);
	});
});

/** The App at a given size, on a finished race unless `props` says otherwise. */
function renderApp(transcript: Transcript, columns: number, rows: number, props: Partial<AppProps> = {}) {
	return renderAt(
		<App
			meta={{prompt: transcript.prompt, preset: 'demo', simulated: true, region: 'us-east'}}
			transcript={transcript}
			save={() => ({ok: true, message: 'saved /somewhere/race.json'})}
			sort="ttft"
			bracket={null}
			runs={1}
			noColor
			interactive
			size={{columns, rows}}
			{...props}
		/>,
		columns,
	);
}

describe('App on a finished race', () => {
	const transcript = demoTranscript({failing: ['glm-5']});
	const app = (columns: number, rows = 30) => renderApp(transcript, columns, rows);

	for (const columns of [80, 120]) {
		it(`moves the selection, sorts, filters, opens an answer and goes back at ${columns} columns`, async () => {
			const {lastFrame, press} = app(columns);
			await tick();
			expect(lastFrame()).toContain('SIMULATED');
			expect(lastFrame()).toContain('↑↓/jk select');
			await press('j');
			expect(rowsOf(lastFrame()!).findIndex(line => line.startsWith('›'))).toBe(1);
			// Sort by TTFA, then by tok/s: the selection stays on Qwen3-8B, now second behind Step-3.5-Flash (80 > 70 tok/s).
			await press('s');
			expect(lastFrame()).toContain('sorted by ttfa');
			await press('s');
			expect(lastFrame()).toContain('sorted by tps');
			expect(names(lastFrame()!).slice(0, 3)).toEqual(['Step-3.5-Flash', 'Qwen3-8B', 'DeepSeek V4 Flash']);
			expect(rowsOf(lastFrame()!).find(line => line.startsWith('›'))).toContain('Qwen3-8B');
			await press('S');
			expect(names(lastFrame()!)[0]).toBe('Qwen3.5-397B');
			// The failed model has no tok/s: last, whichever the direction.
			expect(names(lastFrame()!).at(-1)).toBe('GLM-5');
			await press('3');
			expect(names(lastFrame()!).sort()).toEqual(['DeepSeek V4 Pro', 'Doubao-Seed-Lite', 'GLM-4-32B', 'Hunyuan-Turbo']);
			// Qwen3-8B is not a mid model: the selection moved to the first visible one.
			const selectedMid = rowsOf(lastFrame()!).find(line => line.startsWith('›'));
			expect(selectedMid).toContain(names(lastFrame()!)[0]);
			await press('0');
			expect(names(lastFrame()!)).toHaveLength(15);
			await press('k');
			const selected = names(lastFrame()!)[rowsOf(lastFrame()!).findIndex(line => line.startsWith('›'))]!;
			await press('\r');
			expect(lastFrame()).toContain('── answer (run 1) ──');
			expect(lastFrame()).toContain(`${selected} says: recursion`);
			expect(lastFrame()).toContain('inter-chunk gaps: p50');
			await press('\u001B');
			expect(lastFrame()).toContain('sorted by tps');
		});
	}

	it('shows a failed model’s error and saves with w', async () => {
		const {lastFrame, press} = app(120);
		await tick();
		expect(rowsOf(lastFrame()!).find(line => line.includes('GLM-5'))).toContain('server');
		await press('w');
		expect(lastFrame()).toContain('saved /somewhere/race.json');
	});

	it('scrolls a long transcript with j, G and g', async () => {
		const {lastFrame, press} = app(40, 12);
		await tick();
		await press('\r');
		const top = lastFrame()!;
		expect(top).toContain('Step-3.5-Flash');
		await press('j');
		expect(lastFrame()).not.toBe(top);
		await press('G');
		expect(lastFrame()).toContain('── answer (run 1) ──');
		expect(lastFrame()).toMatch(/base\s+case\.\n/);
		await press('g');
		expect(lastFrame()).toBe(top);
	});
});

function liveModel(overrides: Partial<ModelView> = {}): ModelView {
	const spec = loadPreset('demo').models.find(model => model.id === 'kimi-k2.5')!;
	return {
		spec, bracket: 'premium', state: 'thinking', runNumber: 1, runCount: 1, warmup: false, t0: 1000, endedAt: null,
		live: {ttftMs: 150, ttfaMs: null, tokens: 12, tokensEstimated: true, rollingTokensPerSecond: 19, textLength: 40},
		text: '', reasoningText: 'Let me think about which example is the clearest.', costSoFarUSD: 0.000_036, place: null, lastError: null,
		records: [], summary: summarizeRuns([], spec.price),
		...overrides,
	};
}

describe('race again', () => {
	it('r asks the runner for a new race, from the leaderboard only', async () => {
		let asked = 0;
		const {lastFrame, press, stdin} = renderApp(demoTranscript(), 120, 40, {
			onRaceAgain() {
				asked++;
			},
		});
		await tick();
		await press('\r');
		expect(lastFrame()).toContain('── answer (run 1) ──');
		// No new frame comes of it: type, then give the handler a turn.
		stdin.write('r');
		await tick();
		expect(asked).toBe(0);
		await press('\u001B');
		await press('r');
		expect(asked).toBe(1);
	});

	it('shows the message the runner passes (where the race was saved)', async () => {
		const {lastFrame} = renderApp(demoTranscript(), 120, 40, {message: {text: 'saved /tmp/race.json', tone: 'ok'}});
		await tick();
		expect(lastFrame()).toContain('saved /tmp/race.json');
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
		const frame = panelLines(liveModel({state: 'error', endedAt: 2000, lastError: {kind: 'auth', status: 401, message: 'invalid key (API key from $GLOBAL_API_KEY)'}}), 3000, [], 60, 8, true).join('\n');
		expect(frame).toContain('auth: invalid key (API key from $GLOBAL_API_KEY)');
	});

	it('colours the TTFT by feel, and NO_COLOR leaves only bold', () => {
		const coloured = panelLines(liveModel({live: {ttftMs: 900, ttfaMs: 950, tokens: 3, tokensEstimated: false, rollingTokensPerSecond: 3, textLength: 9}}), 2000, [], 60, 8, false).join('\n');
		expect(coloured).toContain('\u001B[1;31m900 ms\u001B[0m');
		const plain = panelLines(liveModel({live: {ttftMs: 900, ttfaMs: 950, tokens: 3, tokensEstimated: false, rollingTokensPerSecond: 3, textLength: 9}}), 2000, [], 60, 8, true).join('\n');
		expect(plain).toContain('\u001B[1m900 ms\u001B[0m');
		expect(plain).not.toMatch(/\u001B\[[\d;]*3\dm/);
	});

	it('a model’s text cannot move the cursor or push past its panel (escapes, tabs, wide characters)', () => {
		const text = `plain \u001B[2J\u001B[31mred\ttab\r${'宽'.repeat(80)} 🙂🙂 end`;
		const lines = panelLines(liveModel({state: 'streaming', text, reasoningText: '', live: {ttftMs: 150, ttfaMs: 150, tokens: 40, tokensEstimated: true, rollingTokensPerSecond: 20, textLength: text.length}}), 2000, [], 40, 10, true);
		for (const line of lines) {
			expect(columnsOf(line)).toBe(40);
			expect(shown(line)).not.toContain('\u001B');
			expect(line).not.toMatch(/[\t\r]/);
		}
	});

	it('lanes fit 15 models in 80 columns, one line each', () => {
		const models = loadPreset('demo').models.map((spec, index) => liveModel({spec, state: 'streaming', live: {ttftMs: 100 + index, ttfaMs: 100 + index, tokens: index * 10, tokensEstimated: true, rollingTokensPerSecond: 50, textLength: 10}}));
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
	const demoModels = (state: ModelView['state']) => loadPreset('demo').models.map((spec, index) => liveModel({
		spec, state, t0: 1000, endedAt: state === 'done' ? 4000 : null, place: state === 'done' ? index + 1 : null,
		live: state === 'queued' ? null : {ttftMs: 100 + index * 30, ttfaMs: 100 + index * 30, tokens: index * 10, tokensEstimated: true, rollingTokensPerSecond: 50, textLength: 10},
		text: 'Recursion is when a function calls itself until a base case stops it. '.repeat(index + 1),
	}));
	const sample = (models: readonly ModelView[]) => ({snapshot: {version: 1, startedAt: 0, finishedAt: null, aborted: false, models}, now: 2500, history: new Map<string, number[]>()});

	it('says how many lanes a short terminal cannot show', () => {
		const models = loadPreset('demo').models.map(spec => liveModel({spec, state: 'queued', live: null, t0: null}));
		const lines = raceBody(models, 0, new Map(), 60, 12, false, true);
		expect(lines).toHaveLength(12);
		expect(shown(lines.at(-1)!)).toContain('… and 4 more');
	});

	it('is never wider than the terminal less one column, nor as tall as the terminal', () => {
		for (const [columns, rows] of [[40, 10], [80, 24], [120, 40], [200, 60], [33, 50]] as const) {
			for (const lanes of [false, true]) {
				for (const state of ['queued', 'streaming', 'done'] as const) {
					const lines = raceFrame({meta: {prompt: 'Explain recursion in 200 words, with one example in Python', preset: 'demo', simulated: true, region: 'us-east'}, sample: sample(demoModels(state)), columns, rows, lanes, runs: 1, noColor: false, help: helpLine('race')});
					expect(lines.length, `${columns}×${rows}`).toBeLessThanOrEqual(rows - 1);
					for (const line of lines) {
						expect(columnsOf(line), `${columns}×${rows} ${shown(line)}`).toBeLessThanOrEqual(columns - 1);
					}
				}
			}
		}
	});

	it('shows the header, the 15 panels at 120×40 with their places, and the help line', () => {
		const lines = raceFrame({meta: {prompt: 'Explain recursion', preset: 'demo', simulated: true, region: null}, sample: sample(demoModels('done')), columns: 120, rows: 40, lanes: false, runs: 1, noColor: true, help: helpLine('race')});
		const frame = lines.map(line => shown(line)).join('\n');
		expect(lines[0]).toContain('SIMULATED');
		expect(shown(lines[0]!)).toContain('15/15 done · 0 live · 2.5 s');
		expect(frame).toContain('Qwen3.5-397B');
		expect(frame).toContain('15th');
		expect(frame).toContain('done TTFT 100 ms');
		expect(shown(lines.at(-1)!)).toContain('q/Esc/Ctrl-C stop the race');
	});
});
