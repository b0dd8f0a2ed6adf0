// The HTML report in a real browser: headless Chromium (Debian's package) driven by puppeteer-core opens
// the file with every other request aborted (and none attempted), logs no error, opens no dialog, and
// paints each chart. Skipped, with one line saying why, where no Chromium is installed.
import {accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {pathToFileURL} from 'node:url';
import puppeteer from 'puppeteer-core';
import {describe, expect, it} from 'vitest';
import {labelRaces} from '../../source/core/report/report.js';
import {reportHtml} from '../../source/core/report/html.js';
import {parseTranscript} from '../../source/core/transcript/read.js';
import {hostileTranscript} from '../helpers/hostile-transcript.js';
import {decodePng, paintedShare} from '../helpers/png.js';

function findChromium(): string | null {
	const candidates = [
		'/usr/bin/chromium',
		...(process.env['PATH'] ?? '')
			.split(path.delimiter)
			.filter(Boolean)
			.flatMap(folder => ['chromium', 'chromium-browser'].map(name => path.join(folder, name))),
	];
	for (const candidate of candidates) {
		try {
			accessSync(candidate, constants.X_OK);
			return candidate;
		} catch {}
	}

	return null;
}

const chromium = findChromium();
// Under .ci/run (LLMRACE_REQUIRE_REAL_PARTS=1) a missing Chromium fails the run instead of skipping.
const requireRealParts = process.env['LLMRACE_REQUIRE_REAL_PARTS'] === '1';
if (!chromium && !requireRealParts) {
	console.log('report-browser.test.ts: skipped: no Chromium (/usr/bin/chromium or chromium on PATH); install it with `apt-get install chromium`');
}

const root = new URL('../../', import.meta.url);
const read = (name: string) => parseTranscript(readFileSync(new URL(`test/fixtures/${name}`, root), 'utf8'), name);

type Box = {text: string; x: number; y: number; width: number; height: number; fill: string};

type Visit = {
	attempted: string[];
	errors: string[];
	dialogs: string[];
	charts: Array<{width: number; height: number; painted: number; children: number; texts: Box[]; strokes: string[]}>;
	blank: number;
};

async function visit(html: string): Promise<Visit> {
	const folder = mkdtempSync(path.join(tmpdir(), 'llmrace-browser-'));
	const file = path.join(folder, 'report.html');
	writeFileSync(file, html);
	const url = pathToFileURL(file).href;
	const browser = await puppeteer.launch({
		executablePath: chromium!,
		headless: true,
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			`--user-data-dir=${path.join(folder, 'profile')}`,
		],
	});
	try {
		const page = await browser.newPage();
		await page.setViewport({width: 1100, height: 900, deviceScaleFactor: 1});
		const result: Visit = {attempted: [], errors: [], dialogs: [], charts: [], blank: 1};
		await page.setRequestInterception(true);
		page.on('request', request => {
			if (request.url() === url) {
				void request.continue();
			} else {
				result.attempted.push(request.url());
				void request.abort();
			}
		});
		page.on('console', message => {
			if (message.type() === 'error' || message.type() === 'warn') {
				result.errors.push(message.text());
			}
		});
		page.on('pageerror', error => {
			result.errors.push(String(error));
		});
		page.on('dialog', dialog => {
			result.dialogs.push(dialog.message());
			void dialog.dismiss();
		});
		await page.goto(url, {waitUntil: 'load'});
		for (const svg of await page.$$('svg')) {
			const box = (await svg.boundingBox())!;
			const children = await svg.evaluate(
				element =>
					[...element.querySelectorAll('path, text')].filter(child => {
						const rect = (child as SVGGraphicsElement).getBBox();
						return rect.width > 0 || rect.height > 0;
					}).length,
			);
			// Every text as the browser lays it out (its box on the page), and the stroke colour of every line drawn 1.5 px wide.
			const texts = await svg.evaluate(element =>
				[...element.querySelectorAll('text')].map(text => {
					const rect = text.getBoundingClientRect();
					return {text: text.textContent ?? '', x: rect.x, y: rect.y, width: rect.width, height: rect.height, fill: text.getAttribute('fill') ?? ''};
				}),
			);
			const strokes = await svg.evaluate(element =>
				[...element.querySelectorAll('path')].filter(path => path.getAttribute('stroke-width') === '1.5').map(path => path.getAttribute('stroke') ?? ''),
			);
			const png = await page.screenshot({clip: {x: box.x, y: box.y, width: box.width, height: box.height}, captureBeyondViewport: true});
			result.charts.push({width: box.width, height: box.height, painted: paintedShare(decodePng(png)), children, texts, strokes});
		}

		// A blank: the empty margin left of the text, for comparison.
		const blank = await page.screenshot({clip: {x: 0, y: 0, width: 40, height: 200}});
		result.blank = paintedShare(decodePng(blank));
		return result;
	} finally {
		await browser.close();
		rmSync(folder, {recursive: true, force: true});
	}
}

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
