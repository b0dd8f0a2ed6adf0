// Opening an HTML report in a real browser: Debian's Chromium driven by puppeteer-core, every request but the
// file's own aborted and recorded, console errors, dialogs, and each chart's painted share of its area.
import {accessSync, constants, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {pathToFileURL} from 'node:url';
import puppeteer from 'puppeteer-core';
import {decodePng, paintedShare} from './png.js';

export function findChromium(): string | null {
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

export const chromium = findChromium();

/** Where a real part is required (LLMRACE_REQUIRE_REAL_PARTS=1, as under .ci/run), its absence fails instead of skipping. */
export const requireRealParts = process.env['LLMRACE_REQUIRE_REAL_PARTS'] === '1';

export type Box = {text: string; x: number; y: number; width: number; height: number; fill: string};

export type Visit = {
	attempted: string[];
	errors: string[];
	dialogs: string[];
	charts: Array<{width: number; height: number; painted: number; children: number; texts: Box[]; strokes: string[]}>;
	blank: number;
};

export async function visit(html: string): Promise<Visit> {
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
