// The live load view's frame: a pure function of a hand-built LoadSnapshot and the terminal's size.
import {describe, expect, it} from 'vitest';
import type {LoadMeta} from '../../../../source/core/load/types.js';
import {cellWidth} from '../../../../source/core/text/cells.js';
import {keyToAction} from '../../../../source/ui/keymap.js';
import {parseKeys} from '../../../../source/ui/keys.js';
import {laneFields, loadFrame, loadStatus, mostTimeLeftMs, shortMs, timeLeft} from '../../../../source/ui/load/frame.js';
import {stripAnsi} from '../../../../source/ui/theme.js';
import {defaultSettings, liveModel, liveSnapshot} from '../../../helpers/load-fixtures.js';

const meta: LoadMeta = {
	prompt: 'Explain recursion in 200 words',
	preset: 'demo',
	region: null,
	simulated: true,
	settings: {...defaultSettings, sweep: true},
	maxFps: 10,
	savePath: null,
};

const fifteen = Array.from({length: 15}, (_, index) =>
	liveModel(`model-${index + 1}`, {name: index === 3 ? '模型名称很长的模型' : `Model number ${index + 1}`, sloPass: index % 3 !== 0}),
);

function frame(columns: number, rows: number, snapshot = liveSnapshot(fifteen), extra: Partial<Parameters<typeof loadFrame>[0]> = {}) {
	const lines = loadFrame({meta, snapshot, columns, rows, noColor: false, interactive: true, ...extra});
	return {lines, text: lines.map(line => stripAnsi(line))};
}

describe('live load view frame', () => {
	it('fits 80×24 with 15 models: one lane each, every line under 80 cells, under 24 lines', () => {
		const {text} = frame(80, 24);
		expect(text.length).toBeLessThanOrEqual(23);
		for (const line of text) {
			expect(cellWidth(line)).toBeLessThanOrEqual(79);
		}

		expect(text[0]).toContain('SIMULATED');
		expect(text[1]).toMatch(/modelled, not measured/);
		expect(text[1]).toMatch(/0\.6 · 1\.4 ms/);
		expect(text[1]).toMatch(/0\.4 ms/);
		for (let index = 1; index <= 15; index++) {
			expect(text.some(line => line.includes(index === 4 ? '模型' : `Model number ${index}`))).toBe(true);
		}

		const lane = text.find(line => line.includes('Model number 2'))!;
		expect(lane).toContain('2/s');
		expect(lane).toContain('24/1');
		expect(lane).toContain('230/810');
		expect(lane).toContain('pass');
		expect(text.find(line => line.includes('Model number 1 '))).toContain('FAIL');
		expect(text.at(-1)).toContain('q/Esc/Ctrl-C stop the run');
	});

	it('shows every field, a wide sparkline and the legend at 200×50', () => {
		const {text} = frame(200, 50);
		expect(text.length).toBeLessThanOrEqual(49);
		for (const line of text) {
			expect(cellWidth(line)).toBeLessThanOrEqual(199);
		}

		const titles = text[2]!;
		for (const title of ['step', 'rate', 'time', 'fly', 'queue', 'ok/fail', 'TTFT50/99', 'e2e 50/99', 'p99 TTFT per s', 'SLO']) {
			expect(titles).toContain(title);
		}

		const lane = text.find(line => line.includes('Model number 2'))!;
		expect(lane).toContain('2/8');
		expect(lane).toContain('12s/30s');
		expect(lane).toContain('1.2s/3.4s');
		// The sparkline: p99 TTFT per second, scaled to its maximum (810 → the full block).
		expect(lane).toMatch(/[▁▂▃▄▅▆▇]+█/);
		expect(text.some(line => line.includes('queue-inclusive'))).toBe(true);
	});

	it('drops the least useful fields first at 80 columns, keeps rate, TTFT and SLO', () => {
		const narrow = laneFields(79).fields.map(field => field.key);
		const wide = laneFields(199).fields.map(field => field.key);
		expect(wide).toEqual(['step', 'rate', 'time', 'fly', 'queued', 'done', 'ttft', 'e2e', 'slo']);
		expect(narrow).toContain('rate');
		expect(narrow).toContain('ttft');
		expect(narrow).toContain('slo');
		expect(narrow).not.toContain('queued');
		expect(laneFields(199).spark).toBeGreaterThan(laneFields(79).spark);
	});

	it('says "… and N more" when the models do not fit the rows', () => {
		const {text} = frame(80, 12);
		expect(text.length).toBeLessThanOrEqual(11);
		expect(text.some(line => /… and \d+ more/.test(line))).toBe(true);
	});

	it('shows a sweep as step k of at most 8 and the time left at most', () => {
		const models = [liveModel('a', {step: 2, elapsedMs: 10_000}), liveModel('b', {step: 3, elapsedMs: 25_000})];
		// a: 6 more steps of 30 s and 20 s of this one; b: 5 more and 5 s.
		expect(mostTimeLeftMs(models)).toBe(200_000);
		const status = loadStatus(meta, liveSnapshot(models), false);
		expect(status).toContain('steps 2–3 of ≤8');
		expect(status).toContain('≤ 3m20s left');
		expect(loadStatus(meta, liveSnapshot([liveModel('a', {step: 4})]), false)).toContain('step 4 of ≤8');
		expect(loadStatus(meta, liveSnapshot(models), true)).toContain('stopping');
		expect(loadStatus(meta, liveSnapshot(models, {finished: true}), false)).toContain('finished');
	});

	it('shows a stopped model’s reason in place of its sparkline, and a client over 5 ms in warning colour', () => {
		const snapshot = liveSnapshot([liveModel('a', {state: 'stopped', stopped: 'saturated'})], {client: {threadDelayP99Ms: [7.5], sendLagP99Ms: 6}});
		const {lines, text} = frame(120, 30, snapshot);
		expect(text.find(line => line.includes(' a '))).toContain('stopped: saturated');
		expect(lines[1]).toContain('\u001B[33m');
	});

	it('formats latencies in at most four cells', () => {
		expect(shortMs(230.4)).toBe('230');
		expect(shortMs(1234)).toBe('1.2s');
		expect(shortMs(12_345)).toBe('12s');
		expect(shortMs(null)).toBe('—');
		expect(timeLeft(65_000)).toBe('1m05s');
	});

	it('maps q, Esc and Ctrl-C to stop, nothing else', () => {
		const actions = (data: string) =>
			parseKeys(data)
				.map(key => keyToAction('load', key).type)
				.filter(type => type !== 'none');
		expect(actions('q')).toEqual(['stop']);
		expect(actions('\u001B')).toEqual(['stop']);
		expect(actions('\u0003')).toEqual(['stop']);
		expect(actions('vjk\u001B[A')).toEqual([]);
	});
});
