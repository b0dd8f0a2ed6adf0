import {renderAt} from '../helpers/render.js';
import {describe, expect, it} from 'vitest';
import type {ModelView} from '../../source/core/race.js';
import {summarizeRuns} from '../../source/core/transcript.js';
import {App, type AppProps} from '../../source/ui/app.js';
import type {Transcript} from '../../source/core/types.js';
import {initialBoard} from '../../source/ui/board.js';
import {Leaderboard} from '../../source/ui/components/leaderboard.js';
import {LanesView} from '../../source/ui/components/lanes-view.js';
import {ModelPanel} from '../../source/ui/components/model-panel.js';
import {loadPreset} from '../../source/io/presets.js';
import {replayRace} from '../../source/core/replay.js';
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
			initialTranscript={transcript}
			save={() => ({ok: true, message: 'saved /somewhere/race.json'})}
			autoSave={false}
			sort="ttft"
			bracket={null}
			runs={1}
			maxFps={15}
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
			// Sort by tok/s: the selection stays on Qwen3-8B, now second behind Step-3.5-Flash (80 > 70 tok/s).
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
	it('r starts a new race from the leaderboard, and its leaderboard follows', async () => {
		const transcript = demoTranscript();
		let starts = 0;
		const {lastFrame, press} = renderApp(transcript, 120, 40, {
			initialTranscript: undefined,
			start() {
				starts++;
				// A replay at high speed stands in for a race: the App cannot tell the difference.
				return replayRace(transcript, 400);
			},
		});
		await until(() => lastFrame().includes('sorted by ttft'));
		expect(starts).toBe(1);
		await press('r');
		expect(starts).toBe(2);
		expect(lastFrame()).toContain('q/Esc/Ctrl-C stop the race');
		await until(() => lastFrame().includes('sorted by ttft'));
		expect(names(lastFrame())).toHaveLength(15);
	});
});

describe('colours', () => {
	it('NO_COLOR means no colour at all', () => {
		expect(colourOf('ok', true)).toBeUndefined();
		expect(colourOf('slow', false)).toBe('red');
	});
});

describe('live panels', () => {
	it('a thinking panel shows its frozen TTFT, the ticking thinking time and its reasoning', () => {
		const {lastFrame} = renderAt(<ModelPanel model={liveModel()} now={1600} history={[5, 10, 19]} width={60} height={8} noColor/>, 80);
		const frame = lastFrame()!;
		expect(frame).toContain('Kimi K2.5 · Moonshot · premium');
		expect(frame).toContain('thinking TTFT 150 ms think 450 ms');
		expect(frame).toContain('19 tok/s');
		expect(frame).toContain('~12 tok');
		expect(frame).toContain('clearest');
	});

	it('a connecting panel shows the stopwatch ticking from t0', () => {
		const {lastFrame} = renderAt(<ModelPanel model={liveModel({state: 'connecting', live: null, reasoningText: ''})} now={1420} history={[]} width={50} height={7} noColor/>, 80);
		expect(lastFrame()).toContain('connecting TTFT 420 ms');
		expect(lastFrame()).not.toContain('tok/s');
	});

	it('an error shows its kind and message in the panel', () => {
		const {lastFrame} = renderAt(<ModelPanel model={liveModel({state: 'error', endedAt: 2000, lastError: {kind: 'auth', status: 401, message: 'invalid key (API key from $GLOBAL_API_KEY)'}})} now={3000} history={[]} width={60} height={8} noColor/>, 80);
		expect(lastFrame()).toContain('auth: invalid key (API key from $GLOBAL_API_KEY)');
	});

	it('lanes fit 15 models in 80 columns, one line each', () => {
		const models = loadPreset('demo').models.map((spec, index) => liveModel({spec, state: 'streaming', live: {ttftMs: 100 + index, ttfaMs: 100 + index, tokens: index * 10, tokensEstimated: true, rollingTokensPerSecond: 50, textLength: 10}}));
		const {lastFrame} = renderAt(<LanesView models={models} now={5000} columns={80} noColor/>, 80);
		const lines = lastFrame()!.split('\n');
		expect(lines).toHaveLength(15);
		for (const line of lines) {
			expect(line.length).toBeLessThanOrEqual(80);
		}

		expect(lines[14]).toContain('Qwen3.5-397B');
		expect(lines[14]).toContain('114 ms');
	});
});

describe('race view', () => {
	it('says how many lanes a short terminal cannot show', async () => {
		const {RaceView} = await import('../../source/ui/components/race-view.js');
		const models = loadPreset('demo').models.map(spec => liveModel({spec, state: 'queued', live: null, t0: null}));
		const {lastFrame} = renderAt(<RaceView models={models} now={0} history={new Map()} columns={60} rows={12} lanes={false} noColor/>, 60);
		const lines = lastFrame().split('\n');
		expect(lines).toHaveLength(12);
		expect(lines.at(-1)).toContain('… and 4 more');
	});
});
