// Decision-grade figures on the terminal (issue 13): ≈ photo finishes, ! flags, the waterfall, the client's
// error bars, the served model, and a live stall.
import {describe, expect, it} from 'vitest';
import {cellWidth} from '../../../../source/core/text/cells.js';
import {plainTable} from '../../../../source/core/report/plain-table.js';
import type {ModelView} from '../../../../source/core/race/race.js';
import {summarizeRuns} from '../../../../source/core/transcript/build.js';
import type {ModelResult, ModelSpec, RunFlag, RunRecord} from '../../../../source/core/types.js';
import {initialBoard} from '../../../../source/ui/board/state.js';
import {leaderboardColumns} from '../../../../source/ui/board/columns.js';
import {Leaderboard, legendLine} from '../../../../source/ui/board/leaderboard-table.js';
import {TranscriptView} from '../../../../source/ui/board/answer-view.js';
import {laneLines, panelLines} from '../../../../source/ui/race/frame.js';
import {stripAnsi} from '../../../../source/ui/theme.js';
import {measurementLine, runTable, spanCells, transcriptContent, waterfallLines, waterfallMarks} from '../../../../source/ui/board/answer-lines.js';
import {fakeRun, shippedPreset} from '../../../helpers/fixtures.js';
import {renderAt, tick} from '../../../helpers/ink-render.js';

const spec = (id: string): ModelSpec => ({
	id,
	name: id.toUpperCase(),
	provider: 'Prov',
	baseURL: 'http://127.0.0.1:9/v1',
	apiKeyEnv: null,
	headers: {},
	price: {inputPerM: null, outputPerM: 0.25},
	reasoning: false,
	reference: {ttftMs: 100, tokensPerSecond: 50},
});

/** A model whose completed timed runs have these TTFTs (and tok/s), each run built by `fakeRun` with overrides. */
function model(id: string, ttftMs: readonly number[], overrides: (index: number) => Partial<RunRecord> = () => ({}), tps?: readonly number[]): ModelResult {
	const modelSpec = spec(id);
	const runs = ttftMs.map((ttft, index) =>
		fakeRun(modelSpec, index, {ttftMs: ttft, ttfaMs: ttft, totalMs: ttft + 2000, tokensPerSecond: tps?.[index] ?? 50, ...overrides(index)}),
	);
	return {
		id,
		name: modelSpec.name,
		provider: modelSpec.provider,
		baseURL: modelSpec.baseURL,
		price: modelSpec.price,
		bracket: 'budget',
		reasoning: false,
		runs,
		summary: summarizeRuns(runs, modelSpec.price),
	};
}

/** The plain table's rows as records keyed by column title (columns are at least two spaces apart). */
function plainRows(text: string): Array<Record<string, string>> {
	const lines = text.split('\n');
	const header = lines[0]!;
	const titles = header.trim().split(/ {2,}/);
	const body = lines.slice(1, lines.indexOf('', 1) === -1 ? undefined : lines.indexOf('', 1)).filter(line => /^ *≈?\d+ {2}/.test(line));
	return body.map(line =>
		Object.fromEntries(
			line
				.trim()
				.split(/ {2,}/)
				.map((cell, index) => [titles[index]!, cell]),
		),
	);
}

// Five runs each: the interval of the median is [min, max] (level 0.9375).
const five = () => [
	model('a', [118, 120, 121, 123, 125]), // [118, 125]
	model('b', [124, 128, 130, 131, 140]), // [124, 140]: overlaps a
	model('c', [141, 150, 152, 155, 160]), // [141, 160]: clear of b
	model('d', [160, 161, 163, 170, 171]), // [160, 171]: shares 160 with c
	model('e', [300, 310, 320, 330, 340]), // clear
];

describe('≈ photo finish in the plain table', () => {
	it('marks exactly the neighbours whose intervals overlap, with one line saying what it means', () => {
		const table = plainTable(five(), {sort: 'ttft', bracket: null, runs: 5});
		expect(plainRows(table).map(row => row['#'])).toEqual(['1', '≈2', '3', '≈4', '5']);
		const notes = table.split('\n').filter(line => line.startsWith('≈ '));
		expect(notes).toEqual(['≈ ties with the row above: at 5 runs the data cannot separate them']);
	});

	it('no ≈ and no line when no intervals overlap', () => {
		const apart = [model('a', [100, 101, 102]), model('b', [200, 201, 202]), model('c', [300, 301, 302])];
		const table = plainTable(apart, {sort: 'ttft', bracket: null, runs: 3});
		expect(plainRows(table).map(row => row['#'])).toEqual(['1', '2', '3']);
		expect(table).not.toContain('≈');
	});

	it('uses the interval of the sort metric (tok/s, TTFA), reversed order too', () => {
		const models = [model('a', [100, 101, 102], () => ({}), [90, 95, 99]), model('b', [200, 201, 202], () => ({}), [80, 92, 94])];
		expect(plainRows(plainTable(models, {sort: 'ttft', bracket: null, runs: 3})).map(row => row['#'])).toEqual(['1', '2']);
		expect(plainRows(plainTable(models, {sort: 'tps', bracket: null, runs: 3})).map(row => row['#'])).toEqual(['1', '≈2']);
		expect(
			plainRows(plainTable([model('a', [100, 110, 120]), model('b', [115, 130, 140])], {sort: 'ttfa', bracket: null, runs: 3})).map(row => row['#']),
		).toEqual(['1', '≈2']);
		expect(plainRows(plainTable(five(), {sort: 'ttft', reverse: true, bracket: null, runs: 5})).map(row => row['#'])).toEqual(['1', '2', '≈3', '4', '≈5']);
		expect(plainTable(five(), {sort: 'price', bracket: null, runs: 5})).not.toContain('≈');
	});

	it('never with 1 run; says once that 1 run cannot separate close models', () => {
		const close = [model('a', [120]), model('b', [125]), model('c', [400])];
		const table = plainTable(close, {sort: 'ttft', bracket: null, runs: 1});
		expect(table).not.toContain('≈');
		expect(table.split('\n').filter(line => line.includes('cannot be separated'))).toEqual([
			'1 run per model: close models cannot be separated (try --runs 10)',
		]);
		// Not when no two neighbours are within 10 %.
		expect(plainTable([model('a', [120]), model('b', [140])], {sort: 'ttft', bracket: null, runs: 1})).not.toContain('cannot be separated');
	});
});

describe('≈ photo finish in the leaderboard', () => {
	const rowOf = (frame: string, name: string) => frame.split('\n').find(line => line.includes(`  ${name}  `)) ?? '';

	it('beside the place of overlapping neighbours, with the line under the table', async () => {
		const {frame, unmount} = renderAt(<Leaderboard models={five()} state={initialBoard('ttft', null)} runs={5} columns={120} rows={20} noColor />, 120);
		await tick();
		expect(rowOf(frame(), 'A')).toMatch(/^› +1 {2}A/);
		expect(rowOf(frame(), 'B')).toMatch(/^ +≈2 {2}B/);
		expect(rowOf(frame(), 'C')).toMatch(/^ +3 {2}C/);
		expect(rowOf(frame(), 'D')).toMatch(/^ +≈4 {2}D/);
		expect(frame()).toContain('≈ ties with the row above: at 5 runs the data cannot separate them');
		unmount();
	});

	it('the line fits 80 columns with both marks, and takes a row from the table, not from the screen', async () => {
		const models = [...five().slice(0, 4), model('f', [330, 331, 332, 333, 334], () => ({flags: ['stalled']}))];
		const {frame, unmount} = renderAt(<Leaderboard models={models} state={initialBoard('ttft', null)} runs={5} columns={80} rows={8} noColor />, 80);
		await tick();
		const lines = frame().split('\n');
		// Tabs, titles, 3 of the 5 rows, how many more there are (5 rows without the two lines), the line: as tall as without it.
		expect(lines).toHaveLength(7);
		expect(lines.filter(line => /^[› ] +≈?\d+ {2}/.test(line))).toHaveLength(3);
		expect(lines.at(-2)).toBe('… 2 more below (↑↓ select)');
		expect(lines.at(-1)).toBe('≈ too close to call at 5 runs · ! doubtful figure: Enter says why');
		expect(Math.max(...lines.map(line => cellWidth(line)))).toBeLessThan(80);
		unmount();
		expect(legendLine(true, true, 5, 59)).toBe('≈ too close to call (5 runs) · ! doubtful: Enter says why');
		expect(legendLine(true, false, 5, 119)).toBe('≈ ties with the row above: at 5 runs the data cannot separate them');
		expect(legendLine(false, false, 5, 119)).toBeNull();
	});

	it('follows the sort key: none by price, none with 1 run', async () => {
		const byPrice = renderAt(<Leaderboard models={five()} state={initialBoard('price', null)} runs={5} columns={120} rows={20} noColor />, 120);
		await tick();
		expect(byPrice.frame()).not.toContain('≈');
		byPrice.unmount();
		const one = renderAt(
			<Leaderboard models={[model('a', [120]), model('b', [121])]} state={initialBoard('ttft', null)} runs={1} columns={120} rows={20} noColor />,
			120,
		);
		await tick();
		expect(one.frame()).not.toContain('≈');
		one.unmount();
	});
});

/** Which of a row's figures carry a `!`, in the plain table and in the leaderboard's cells. */
function marked(flags: readonly RunFlag[]): {plain: string[]; board: string[]} {
	const flaggedModel = model('f', [100], () => ({flags}));
	const plain = plainRows(plainTable([flaggedModel], {sort: 'ttft', bracket: null, runs: 1}))[0]!;
	const columns = leaderboardColumns([flaggedModel], 1);
	const board = columns.filter(column => column.cell(flaggedModel, 1).endsWith('!')).map(column => column.key);
	return {
		plain: Object.entries(plain)
			.filter(([, cell]) => cell.endsWith('!'))
			.map(([title]) => title),
		board,
	};
}

describe('! beside the figure a flag makes doubtful', () => {
	it('buffered → TTFT and tok/s; stalled → tok/s and total; usage-mismatch → tokens and tok/s; truncated → tokens and total', () => {
		expect(marked([])).toEqual({plain: [], board: []});
		expect(marked(['buffered'])).toEqual({plain: ['TTFT', 'tok/s'], board: ['ttft', 'tps']});
		expect(marked(['stalled'])).toEqual({plain: ['tok/s', 'Total'], board: ['tps', 'total']});
		expect(marked(['usage-mismatch'])).toEqual({plain: ['tok/s', 'Tokens'], board: ['tps', 'tokens']});
		expect(marked(['truncated'])).toEqual({plain: ['Total', 'Tokens'], board: ['total', 'tokens']});
	});

	it('counts completed timed runs only: a flagged warm-up or failed run marks nothing', () => {
		const warm = model('w', [100, 101], index => (index === 0 ? {warmup: true, flags: ['buffered']} : {}));
		const failed = model('x', [100, 101], index =>
			index === 1 ? {status: 'error', error: {kind: 'server', status: 500, message: 'boom'}, flags: ['stalled']} : {},
		);
		const table = plainTable([warm, failed], {sort: 'ttft', bracket: null, runs: 2});
		expect(table).not.toMatch(/\d!/);
		expect(table).not.toContain('notes:');
	});

	it('the plain table lists notes: model, flag, runs, meaning', () => {
		const some = model('s', [100, 101, 102, 103, 104], index => (index === 3 ? {flags: ['stalled']} : {}));
		const every = model('b', [200, 201, 202, 203, 204], () => ({flags: ['buffered', 'usage-mismatch']}));
		const lines = plainTable([some, every], {sort: 'ttft', bracket: null, runs: 5}).split('\n');
		const notes = lines.slice(lines.findIndex(line => line.startsWith('notes:')) + 1).filter(Boolean);
		expect(notes).toHaveLength(3);
		expect(notes[0]).toMatch(/^ {2}S: stalled in 1 of 5 runs \(run 4\): the stream paused mid-answer/);
		expect(notes[1]).toMatch(/^ {2}B: buffered in 5 of 5 runs: .*proxy.*TTFT and tok\/s describe that buffer, not the model\.$/);
		expect(notes[2]).toMatch(/^ {2}B: usage-mismatch in 5 of 5 runs: .*more than 50 %/);
	});

	it('the leaderboard says what ! means in the line under the table', async () => {
		const {frame, unmount} = renderAt(
			<Leaderboard
				models={[model('a', [100], () => ({flags: ['buffered']})), model('b', [300])]}
				state={initialBoard('ttft', null)}
				runs={1}
				columns={120}
				rows={20}
				noColor
			/>,
			120,
		);
		await tick();
		expect(frame()).toMatch(/ 100! /);
		expect(frame()).toContain('! a flag makes the figure doubtful: Enter names it');
		unmount();
	});
});

const phases = (overrides: Partial<NonNullable<RunRecord['phases']>> = {}): NonNullable<RunRecord['phases']> => ({
	dnsMs: null,
	connectMs: 100,
	tlsMs: null,
	sentMs: 100,
	headersMs: 300,
	reused: false,
	...overrides,
});

describe('waterfall in the answer screen', () => {
	// connect 100 · wait 200 · first token 100 · decode 600: 10 %, 20 %, 10 %, 60 % of the bar.
	const runs = [
		fakeRun(spec('w'), 0, {ttftMs: 400, totalMs: 1000, phases: phases()}),
		fakeRun(spec('w'), 1, {ttftMs: 400, totalMs: 1000, phases: phases({connectMs: null, sentMs: 0, headersMs: 200, reused: true})}),
		fakeRun(spec('w'), 2, {phases: null}),
	];

	for (const columns of [60, 80, 120]) {
		it(`one line per run that fits ${columns} columns, to scale`, () => {
			const all = waterfallLines(runs, columns - 1);
			for (const line of all) {
				expect(cellWidth(line.text), line.text).toBeLessThanOrEqual(columns - 1);
			}

			// The legend (dim, wrapped when narrow), then one line per run.
			expect(
				all
					.filter(line => line.tone === 'dim')
					.map(line => line.text)
					.join(' '),
			).toBe('where the time went, to scale: ▓ connect · █ wait · ░ first token · ━ decode');
			const lines = all.filter(line => line.tone !== 'dim').map(line => line.text);
			expect(lines).toHaveLength(3);
			const bar = (line: string) => [...line].filter(character => Object.values(waterfallMarks).includes(character as never));
			const fresh = bar(lines[0]!);
			const count = (mark: string) => fresh.filter(character => character === mark).length;
			expect(fresh.length).toBeGreaterThanOrEqual(12);
			expect(Math.abs(count(waterfallMarks.connect) - 0.1 * fresh.length)).toBeLessThanOrEqual(1);
			expect(Math.abs(count(waterfallMarks.wait) - 0.2 * fresh.length)).toBeLessThanOrEqual(1);
			expect(Math.abs(count(waterfallMarks.firstToken) - 0.1 * fresh.length)).toBeLessThanOrEqual(1);
			expect(Math.abs(count(waterfallMarks.decode) - 0.6 * fresh.length)).toBeLessThanOrEqual(1);
			// The marks in order: connect, wait, first token, decode.
			expect(fresh.join('')).toMatch(/^▓+█+░+━+$/);
			expect(lines[0]).toMatch(/^run 1 {2}▓/);
			// A reused connection has no connect span and says so; a run without phases shows "—".
			expect(lines[1]).toContain('reused connection');
			expect(bar(lines[1]!)).not.toContain(waterfallMarks.connect);
			expect(bar(lines[1]!).length).toBe(fresh.length);
			expect(lines[2]).toBe('run 3  —');
		});
	}

	it('names the spans with their ms where there is room, numbers in the legend order where not', () => {
		const runLine = (width: number) => waterfallLines(runs, width).find(line => line.text.startsWith('run 1'))!.text;
		expect(runLine(119)).toMatch(/ {2}connect 100 ms · wait 200 ms · first token 100 ms · decode 600 ms$/);
		expect(runLine(59)).toMatch(/ {2}100 · 200 · 100 · 600 ms$/);
	});

	it('splits the bar by largest remainders, every span that took time visible', () => {
		expect(spanCells([100, 200, 100, 600], 10)).toEqual([1, 2, 1, 6]);
		expect(spanCells([1, 0, 1, 998], 20)).toEqual([1, 0, 1, 18]);
		expect(spanCells([0, 0, 0, 0], 20)).toEqual([0, 0, 0, 0]);
		expect(spanCells([100, 200, 100, 600], 7).reduce((sum, cells) => sum + cells, 0)).toBe(7);
	});
});

describe("the answer screen: flags, served model, the client's error bars", () => {
	const measurement = {eventLoopDelayMs: {p50: 0.42, p99: 2.13, max: 5.3}, clock: 'performance.now' as const};
	const flagged = (): ModelResult => {
		const base = model('g', [100, 110], index => ({
			flags: index === 1 ? ['buffered', 'stalled'] : [],
			servedModel: index === 0 ? 'g' : 'g-2026-05-01\u001B[31m',
		}));
		return base;
	};

	it("names each run's flags in a flags column, and what each means", () => {
		const table = runTable(flagged(), 119);
		expect(table.columns.map(column => column.key)).toContain('flags');
		expect(table.rows.map(row => row.flags)).toEqual(['', 'buffered, stalled']);
		const after = transcriptContent(flagged(), 119).after.map(line => line.text);
		expect(after.some(line => line.startsWith('! buffered (run 2): '))).toBe(true);
		expect(after.some(line => line.startsWith('! stalled (run 2): the stream paused mid-answer'))).toBe(true);
		// No flags, no column.
		expect(runTable(model('h', [100]), 119).columns.map(column => column.key)).not.toContain('flags');
	});

	it('says what the server served, sanitised, when it differs from the id asked for', () => {
		const before = transcriptContent(flagged(), 119).before.map(line => line.text);
		expect(before).toContain('served as g-2026-05-01 [31m (run 2)');
		expect(before.join('\n')).not.toContain('\u001B');
		const same = transcriptContent(
			model('h', [100], () => ({servedModel: 'h'})),
			119,
		).before.map(line => line.text);
		expect(same.join('\n')).not.toContain('served as');
		const all = transcriptContent(
			model('k', [100, 101], () => ({servedModel: 'k-latest'})),
			119,
		).before.map(line => line.text);
		expect(all).toContain('served as k-latest');
	});

	it('shows the race\'s event-loop delay in the footer, "—" when the transcript has none', async () => {
		expect(measurementLine(measurement, 119)).toBe('client event-loop delay p50 0.4 · p99 2.1 · max 5.3 ms: every stamp may be late by this much');
		expect(measurementLine(measurement, 59)).toBe('client event-loop delay p50 0.4 · p99 2.1 · max 5.3 ms');
		expect(measurementLine(undefined, 59)).toBe('client event-loop delay —');
		for (const columns of [60, 80, 120]) {
			const {frame, unmount} = renderAt(<TranscriptView model={flagged()} scroll={0} columns={columns} rows={30} noColor measurement={measurement} />, columns);
			await tick();
			const lines = frame().split('\n');
			expect(lines).toHaveLength(30);
			expect(lines.at(-1)).toMatch(/^client event-loop delay p50 0\.4 · p99 2\.1 · max 5\.3 ms/);
			expect(frame()).toContain('where the time went');
			expect(frame()).toContain('served as');
			expect(Math.max(...lines.map(line => cellWidth(line))), String(columns)).toBeLessThan(columns);
			unmount();
		}

		const old = renderAt(<TranscriptView model={model('h', [100], () => ({phases: null}))} scroll={0} columns={80} rows={20} noColor />, 80);
		await tick();
		expect(old.frame().split('\n').at(-1)).toBe('client event-loop delay —');
		expect(old.frame()).toContain('run 1  —');
		old.unmount();
	});
});

function liveModel(overrides: Partial<ModelView> = {}): ModelView {
	const modelSpec = shippedPreset('demo').models.find(entry => entry.id === 'qwen3-8b')!;
	return {
		spec: modelSpec,
		bracket: 'budget',
		state: 'streaming',
		runNumber: 1,
		runCount: 1,
		warmup: false,
		t0: 1000,
		endedAt: null,
		live: {ttftMs: 150, ttfaMs: 150, tokens: 40, tokensEstimated: true, rollingTokensPerSecond: 30, textLength: 200, stalledMs: 1400},
		text: 'Recursion is a function calling itself.',
		reasoningText: '',
		costSoFarUSD: null,
		place: null,
		lastError: null,
		records: [],
		summary: summarizeRuns([], modelSpec.price),
		...overrides,
	};
}

describe('a live stall', () => {
	it('the panel\'s state line says "stalled 1.4 s" in the warn tone while it lasts', () => {
		const lines = panelLines(liveModel(), 3000, [], 50, 8, true).map(line => stripAnsi(line));
		expect(lines[2]).toMatch(/│ stalled 1\.4 s TTFT 150 ms/);
		const coloured = panelLines(liveModel(), 3000, [], 50, 8, false)[2]!;
		expect(coloured).toContain('\u001B[33mstalled 1.4 s');
		const withRuns = stripAnsi(panelLines(liveModel({runCount: 3, runNumber: 2}), 3000, [], 50, 8, true)[2]!);
		expect(withRuns).toContain('stalled 1.4 s · run 2/3');
		// Not once the stream moves again, nor after the run ended.
		expect(stripAnsi(panelLines(liveModel({live: {...liveModel().live!, stalledMs: null}}), 3000, [], 50, 8, true)[2]!)).toMatch(/│ streaming /);
		expect(stripAnsi(panelLines(liveModel({endedAt: 2000, state: 'done'}), 3000, [], 50, 8, true)[2]!)).not.toContain('stalled');
	});

	it('a lane says it too, in the same width as its tok/s', () => {
		for (const columns of [80, 120]) {
			const [stalled, moving] = laneLines(
				[liveModel({live: {...liveModel().live!, stalledMs: 12_345}}), liveModel({live: {...liveModel().live!, stalledMs: null}})],
				3000,
				columns,
				true,
			);
			expect(stalled).toContain('stalled 12 s');
			expect(moving).toContain('30 tok/s');
			expect(cellWidth(stalled!)).toBe(cellWidth(moving!));
			expect(cellWidth(stalled!)).toBeLessThan(columns);
		}
	});
});
