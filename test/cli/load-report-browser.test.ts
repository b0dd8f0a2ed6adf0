// The load report's HTML in a real browser (Debian's Chromium via puppeteer-core, test/helpers/browser.ts):
// it opens offline, fetches nothing, logs no error, and paints the knee chart and latency over time.
// Skipped with one line where Chromium is missing, except under LLMRACE_REQUIRE_REAL_PARTS=1, where that fails.
import {describe, expect, it} from 'vitest';
import {blocksHtml} from '../../source/core/report/html.js';
import {labelLoads, loadReportDocument} from '../../source/core/report/load-report.js';
import {chromium, requireRealParts, visit} from '../helpers/browser.js';
import {kneeTranscript} from '../helpers/load-fixtures.js';

if (!chromium && !requireRealParts) {
	console.log('load-report-browser.test.ts: skipped: no Chromium (/usr/bin/chromium or chromium on PATH); install it with `apt-get install chromium`');
}

describe('the HTML load report in a real browser', () => {
	it.runIf(!chromium && requireRealParts)('fails where Chromium is required and missing', () => {
		expect.fail('LLMRACE_REQUIRE_REAL_PARTS=1 and no Chromium at /usr/bin/chromium or on PATH');
	});

	it.skipIf(!chromium)('opens offline with nothing fetched, no error, and both charts painted', async () => {
		const loads = labelLoads([
			{file: 'us.json', transcript: kneeTranscript()},
			{file: 'sg.json', transcript: kneeTranscript({region: 'singapore', simulated: false})},
		]);
		const result = await visit(blocksHtml(loadReportDocument(loads), 'llmrace load report', 'llmrace 0.1.0'));
		expect(result.attempted).toEqual([]);
		expect(result.errors).toEqual([]);
		expect(result.dialogs).toEqual([]);
		expect(result.blank).toBe(0);
		console.log(`painted share per chart: ${result.charts.map(chart => chart.painted.toFixed(3)).join(', ')}`);
		// Two runs: a knee chart and a latency-over-time chart each.
		expect(result.charts).toHaveLength(4);
		for (const chart of result.charts) {
			expect(chart.width).toBeGreaterThan(500);
			expect(chart.height).toBeGreaterThan(300);
			expect(chart.children).toBeGreaterThan(20);
			expect(chart.painted).toBeGreaterThan(0.02);
		}
	});
});
