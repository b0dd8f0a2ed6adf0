// The HTML report in a real browser: headless Chromium (Debian's package) driven by puppeteer-core opens
// the file with every other request aborted (and none attempted), logs no error, opens no dialog, and
// paints each chart. Skipped, with one line saying why, where no Chromium is installed.
import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {labelRaces} from '../../source/core/report/report.js';
import {reportHtml} from '../../source/core/report/html.js';
import {parseTranscript} from '../../source/core/transcript/read.js';
import {hostileTranscript} from '../helpers/hostile-transcript.js';
import {type Box, chromium, requireRealParts, visit} from '../helpers/browser.js';

if (!chromium && !requireRealParts) {
	console.log('report-browser.test.ts: skipped: no Chromium (/usr/bin/chromium or chromium on PATH); install it with `apt-get install chromium`');
}

const root = new URL('../../', import.meta.url);
const read = (name: string) => parseTranscript(readFileSync(new URL(`test/fixtures/${name}`, root), 'utf8'), name);

describe('the HTML report in a real browser', () => {
	it.runIf(!chromium && requireRealParts)('finds Chromium, which LLMRACE_REQUIRE_REAL_PARTS=1 requires', () => {
		expect.fail('LLMRACE_REQUIRE_REAL_PARTS=1 but no Chromium (/usr/bin/chromium or chromium on PATH): install it with `apt-get install chromium`');
	});

	it.skipIf(!chromium)('opens offline with nothing fetched, no error, no dialog, and four painted charts', async () => {
		const result = await visit(
			await reportHtml(
				labelRaces([
					{file: 'us.json', transcript: read('us-east.json')},
					{file: 'sg.json', transcript: read('singapore.json')},
				]),
			),
		);
		expect(result.attempted).toEqual([]);
		expect(result.errors).toEqual([]);
		expect(result.dialogs).toEqual([]);
		expect(result.blank).toBe(0);
		console.log(`painted share per chart: ${result.charts.map(chart => chart.painted.toFixed(3)).join(', ')}; blank ${result.blank}`);
		expect(result.charts).toHaveLength(4);
		for (const chart of result.charts) {
			expect(chart.width).toBeGreaterThan(500);
			expect(chart.height).toBeGreaterThan(300);
			expect(chart.children).toBeGreaterThan(30);
			// Bars, points, lines and labels: a few percent of the area at least, far from blank.
			expect(chart.painted).toBeGreaterThan(0.02);
		}
	});

	it.skipIf(!chromium)('names every model in the speed and race charts with labels that cover no other, and gives each line its colour', async () => {
		const us = read('us-east.json');
		const result = await visit(await reportHtml(labelRaces([{file: 'us.json', transcript: us}])));
		const names = us.models.map(model => model.name);
		const [, speed, race] = result.charts;
		const apart = (a: Box, b: Box) => a.x + a.width <= b.x + 0.5 || b.x + b.width <= a.x + 0.5 || a.y + a.height <= b.y + 0.5 || b.y + b.height <= a.y + 0.5;
		for (const [chart, what] of [
			[speed!, 'speed against price'],
			[race!, 'the race'],
		] as const) {
			// The labels on the plot: the texts that are model names, less the legend's (below the plot in the race chart).
			const legendTop = Math.max(...chart.texts.filter(text => text.text === names[0]).map(text => text.y));
			const labels = chart.texts.filter(text => names.includes(text.text) && (what !== 'the race' || text.y < legendTop));
			expect(labels.map(label => label.text).sort(), what).toEqual([...names].sort());
			for (const [index, a] of labels.entries()) {
				for (const b of labels.slice(index + 1)) {
					expect(apart(a, b), `${what}: "${a.text}" covers "${b.text}"`).toBe(true);
				}
			}
		}

		// The race: 15 lines in 15 colours, each label written in its line's colour.
		const lineColours = new Set(race!.strokes);
		expect(lineColours.size).toBe(names.length);
		const raceLabels = race!.texts.filter(text => names.includes(text.text)).slice(0, names.length);
		expect(new Set(raceLabels.map(label => label.fill)).size).toBe(names.length);
		for (const label of raceLabels) {
			expect(lineColours.has(label.fill), label.text).toBe(true);
		}
	});

	it.skipIf(!chromium)('runs nothing from a hostile transcript: no dialog, no script, no request', async () => {
		const result = await visit(
			await reportHtml(
				labelRaces([
					{file: 'a.json', transcript: hostileTranscript()},
					{file: 'b.json', transcript: hostileTranscript('singapore')},
				]),
			),
		);
		expect(result.dialogs).toEqual([]);
		expect(result.attempted).toEqual([]);
		expect(result.errors).toEqual([]);
		expect(result.charts).toHaveLength(4);
	});

	it.skipIf(!chromium)('would see a fetch, a script and a dialog: the checks above can fail', async () => {
		const report = await reportHtml(labelRaces([{file: 'us.json', transcript: read('us-east.json')}]));
		// Under the report's CSP an injected script is refused (an error on the console)...
		const withScript = await visit(report.replace('</main>', '<script>alert(1)</script></main>'));
		expect(withScript.errors.join('\n')).toMatch(/Content Security Policy/);
		expect(withScript.dialogs).toEqual([]);
		// ...and without it the harness sees the request and the dialog.
		const open = await visit(
			report
				.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '')
				.replace('</main>', '<img src="http://127.0.0.1:9/x.png"><script>alert(1)</script></main>'),
		);
		expect(open.attempted).toEqual(['http://127.0.0.1:9/x.png']);
		expect(open.dialogs).toEqual(['1']);
	});
});
