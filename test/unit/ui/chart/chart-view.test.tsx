import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {stripAnsi} from '../../../../source/ui/theme.js';
import {demoTranscript} from '../../../helpers/fixtures.js';

// Ink colours only when chalk thinks the terminal can: force it for this file's imports, then put the environment back.
const savedForceColor = process.env.FORCE_COLOR;
process.env.FORCE_COLOR = '1';
const {render} = await import('ink-testing-library');
const {ChartView} = await import('../../../../source/ui/chart/chart-view.js');
// ink-testing-library's terminal is always 100 columns: the wide case renders through a wider fake one.
const {renderAt} = await import('../../../helpers/ink-render.js');
if (savedForceColor === undefined) {
	delete process.env.FORCE_COLOR;
} else {
	process.env.FORCE_COLOR = savedForceColor;
}

const {models} = demoTranscript({runs: 3});
const colourCodes = /\u001B\[(?:3[0-7]|9[0-7])m/;

function frameLines(frame: string): string[] {
	return stripAnsi(frame).split('\n');
}

describe('ChartView', () => {
	it("draws the whole view in 80×24 with NO_COLOR: shapes, labels, axes, the selected model's figures", () => {
		const {lastFrame} = render(<ChartView models={models} xAxis="ttft" selectedId="glm-5" columns={80} rows={24} noColor bracketLabel="all models" />);
		const frame = lastFrame()!;
		const lines = frameLines(frame);
		expect(lines.length).toBeLessThanOrEqual(23);
		for (const line of lines) {
			expect(stringWidth(line), line).toBeLessThanOrEqual(79);
		}

		const text = lines.join('\n');
		expect(text).toContain('tok/s ↑');
		expect(text).toContain('TTFT (ms) →');
		expect(text).toContain('● Step-3.5-Flash*');
		for (const legend of ['● ultra-budget', '▲ budget', '■ mid', '◆ premium', '* fastest trade-off']) {
			expect(text).toContain(legend);
		}

		expect(lines.at(-1)).toBe('› GLM-5 · premium $1.92/M · TTFT 501 ms · 25.0 tok/s · median of 3');
		expect(frame).not.toMatch(colourCodes);
		// Without colour the selection still shows: inverse video.
		expect(frame).toContain('\u001B[7m');
	});

	it('with colour: points coloured by bracket', () => {
		const {lastFrame} = render(<ChartView models={models} xAxis="ttft" selectedId="glm-5" columns={80} rows={24} noColor={false} bracketLabel="all models" />);
		const frame = lastFrame()!;
		expect(frame).toMatch(/\u001B\[32m[^\u001B]*●/);
		expect(frame).toMatch(/\u001B\[36m[^\u001B]*▲/);
		expect(frame).toMatch(/\u001B\[33m[^\u001B]*■/);
		expect(frame).toMatch(/\u001B\[31m[^\u001B]*◆/);
	});

	it('the price axis: $/M output', () => {
		const {lastFrame} = render(<ChartView models={models} xAxis="price" selectedId={null} columns={80} rows={24} noColor bracketLabel="all models" />);
		const text = stripAnsi(lastFrame()!);
		expect(text).toContain('$/M output →');
		expect(text).toMatch(/\$0\.50/);
		expect(text).toContain('fastest trade-offs (cheaper and faster): Step-3.5-Flash, Qwen3-8B');
	});

	it('uses 200×50: every name in full, no line too wide', () => {
		const {lastFrame, unmount} = renderAt(
			<ChartView models={models} xAxis="ttft" selectedId={null} columns={200} rows={50} noColor bracketLabel="all models" />,
			200,
		);
		unmount();
		const lines = frameLines(lastFrame()!);
		expect(lines.length).toBeGreaterThan(40);
		expect(lines.length).toBeLessThanOrEqual(49);
		for (const line of lines) {
			expect(stringWidth(line)).toBeLessThanOrEqual(199);
		}

		for (const model of models) {
			expect(lines.join('\n')).toContain(model.name);
		}
	});

	it('a bracket with no completed run is one line', () => {
		const failed = demoTranscript({failing: ['qwen3-8b', 'step-3.5-flash']}).models.filter(model => model.bracket === 'ultra-budget');
		const {lastFrame} = render(<ChartView models={failed} xAxis="ttft" selectedId={null} columns={80} rows={24} noColor bracketLabel="ultra-budget" />);
		expect(stripAnsi(lastFrame()!)).toBe('no completed run in ultra-budget');
	});

	it('follows the selection when it changes', () => {
		const {lastFrame, rerender} = render(
			<ChartView models={models} xAxis="ttft" selectedId="glm-5" columns={80} rows={24} noColor bracketLabel="all models" />,
		);
		expect(frameLines(lastFrame()!).at(-1)).toMatch(/^› GLM-5 /);
		rerender(<ChartView models={models} xAxis="ttft" selectedId="deepseek-r1" columns={80} rows={24} noColor bracketLabel="all models" />);
		expect(frameLines(lastFrame()!).at(-1)).toMatch(/^› DeepSeek-R1 · premium \$2\.50\/M · TTFA 801 ms \(TTFT 200 ms\) · 15\.0 tok\/s/);
	});
});
