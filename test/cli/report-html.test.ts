// The HTML report (docs/report.md#the-html-report) of the fixed fixture transcripts, parsed with linkedom: four charts (three for one
// race) with every model's name, titles and axis names with units, nothing fetched, nothing from data as markup.
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {parseHTML} from 'linkedom';
import {describe, expect, it} from 'vitest';
import {labelRaces} from '../../source/core/report/report.js';
import {contentSecurityPolicy, reportHtml} from '../../source/core/report/html.js';
import {parseTranscript} from '../../source/core/transcript/read.js';
import type {Transcript} from '../../source/core/types.js';
import {runCli} from '../helpers/cli.js';
import {demoTranscript} from '../helpers/fixtures.js';
import {hostileAnswer, hostileName, hostileTranscript} from '../helpers/hostile-transcript.js';

const root = new URL('../../', import.meta.url);
const read = (name: string) => parseTranscript(readFileSync(new URL(`test/fixtures/${name}`, root), 'utf8'), name);
const us = read('us-east.json');
const sg = read('singapore.json');
const update = process.env['UPDATE_GOLDEN'] === '1';

const html = async (...transcripts: Transcript[]) => reportHtml(labelRaces(transcripts.map((transcript, index) => ({file: `race-${index}.json`, transcript}))));
const documentOf = (text: string) => parseHTML(text).document;
const texts = (element: Element) => [...element.querySelectorAll('text')].map(node => node.textContent ?? '').join('\n');

describe('the HTML report', () => {
	it("draws four SVG charts for two regions, each with its title, axis names with units and every model's name", async () => {
		const document = documentOf(await html(us, sg));
		const svgs = [...document.querySelectorAll('svg')];
		expect(svgs).toHaveLength(4);
		const [ttft, speed, race, regions] = svgs.map(svg => texts(svg));
		expect(ttft).toContain('Time to first token per model (us-east)');
		expect(ttft).toContain('time to first token (ms)');
		expect(speed).toContain('Speed against price (us-east)');
		expect(speed).toContain('price ($ per million output tokens, log scale)');
		expect(speed).toContain('decode speed (tok/s)');
		expect(race).toContain('The race: tokens received over time (us-east)');
		expect(race).toContain('time since the request was sent (s)');
		expect(race).toContain('tokens received (cumulative)');
		expect(regions).toContain('Median time to first token per race');
		expect(regions).toContain('median time to first token (ms)');
		expect(regions).toContain('us-east');
		expect(regions).toContain('singapore');
		for (const model of us.models) {
			for (const [index, chart] of [ttft, speed, race, regions].entries()) {
				expect(chart, `chart ${index + 1} names ${model.name}`).toContain(model.name);
			}
		}
	});

	it('colours the TTFT bars by feel: green below 400 ms, yellow to 800, red above', async () => {
		const svg = documentOf(await html(us)).querySelector('svg')!;
		const fills = new Set([...svg.querySelectorAll('path')].map(path => path.getAttribute('fill')));
		// Step-3.5-Flash 120 ms, MiniMax M2.5 450 ms, Qwen3.5-397B 1200 ms.
		expect(fills).toContain('#2e9d4f');
		expect(fills).toContain('#d9a400');
		expect(fills).toContain('#d23c3c');
	});

	it('draws three charts for one race and keeps everything of the Markdown report', async () => {
		const document = documentOf(await html(us));
		expect(document.querySelectorAll('svg')).toHaveLength(3);
		const headings = [...document.querySelectorAll('h1, h2, h3, h4')].map(heading => heading.textContent);
		expect(headings).toEqual(
			expect.arrayContaining([
				'llmrace report',
				'How the race was run',
				'Ranking (median, by TTFT)',
				'By price bracket',
				'ultra-budget',
				'premium',
				'Reasoning models',
			]),
		);
		const rows = [...document.querySelectorAll('table')][1]!.querySelectorAll('tbody tr');
		expect(rows).toHaveLength(15);
		expect([...rows[0]!.querySelectorAll('td')].map(cell => cell.textContent)).toEqual([
			'1',
			'Step-3.5-Flash',
			'StepFun',
			'120',
			'120',
			'80.0',
			'1983',
			'150',
			'$0.15',
			'$0.023/1k',
			'ultra-budget',
			'ok',
		]);
	});

	it('opens offline: a CSP without scripts, no script element, nothing fetched from any src or href', async () => {
		const text = await html(us, sg);
		const document = documentOf(text);
		expect(document.querySelector('meta[http-equiv="Content-Security-Policy"]')!.getAttribute('content')).toBe(contentSecurityPolicy);
		expect(contentSecurityPolicy).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
		expect(document.querySelectorAll('script, link, iframe, object, embed, img, image, use, foreignObject')).toHaveLength(0);
		for (const element of document.querySelectorAll('*')) {
			for (const attribute of element.attributes) {
				if (/^(src|href|xlink:href|srcset|action|poster)$/i.test(attribute.name)) {
					throw new Error(`${element.tagName} has ${attribute.name}="${attribute.value}"`);
				}

				expect(attribute.value, `${element.tagName} ${attribute.name}`).not.toMatch(/url\((?!#)|https?:\/\/(?!www\.w3\.org\/)/);
			}
		}

		expect(text).not.toMatch(/@import|@font-face|https?:\/\/(?!www\.w3\.org\/)/);
	});

	it('turns nothing from a hostile transcript into markup or script: every string is text', async () => {
		const text = await html(hostileTranscript(), hostileTranscript('singapore'));
		const document = documentOf(text);
		expect(document.querySelectorAll('script, img, b')).toHaveLength(0);
		expect(text).not.toMatch(/<script|<img|<b[ >]/);
		expect(text).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E]/);
		const allowed = new Set([
			'html',
			'head',
			'meta',
			'title',
			'style',
			'body',
			'main',
			'h1',
			'h2',
			'h3',
			'h4',
			'p',
			'ul',
			'li',
			'table',
			'thead',
			'tbody',
			'tr',
			'th',
			'td',
			'figure',
			'details',
			'summary',
			'pre',
			'footer',
			'svg',
			'g',
			'path',
			'rect',
			'text',
			'tspan',
			'defs',
			'clippath',
			'circle',
			'line',
			'polyline',
			'polygon',
		]);
		for (const element of document.querySelectorAll('*')) {
			expect(allowed, `element ${element.tagName}`).toContain(element.tagName.toLowerCase());
			for (const attribute of element.attributes) {
				expect(attribute.name, `${element.tagName} attribute`).not.toMatch(/^on/i);
			}
		}

		// The hostile strings are all there, as text.
		const svgs = [...document.querySelectorAll('svg')];
		expect(svgs).toHaveLength(4);
		for (const svg of svgs) {
			expect(texts(svg)).toContain(hostileName);
		}

		expect(texts(svgs[0]!)).toContain('</svg><script>alert(6)</script>');
		const answer = [...document.querySelectorAll('pre')][0]!.textContent!;
		expect(answer).toContain('<script>alert(1)</script></svg><script>alert(2)</script>');
		expect(answer).toContain(hostileAnswer.slice(0, 40));
		expect(document.querySelector('title')!.textContent).toBe('llmrace report: us-east, singapore');
		expect(document.body.textContent).toMatch(/upstream\s\| broken \| row \|/);
	});
});

describe('the HTML report of races that went wrong', () => {
	it('still draws its charts, naming the models without figures, when every run failed', async () => {
		const failed = demoTranscript({failing: us.models.map(model => model.id)});
		const document = documentOf(await html(failed));
		const svgs = [...document.querySelectorAll('svg')];
		expect(svgs).toHaveLength(3);
		expect(texts(svgs[1]!)).toContain('not drawn (no price or no completed run): Step-3.5-Flash');
		expect(texts(svgs[2]!)).toContain('no tokens received: Step-3.5-Flash');
		expect(document.body.textContent).toContain('upstream overloaded');
	});

	it('draws a race with no models at all', async () => {
		const document = documentOf(await html({...us, models: []}));
		expect(document.querySelectorAll('svg')).toHaveLength(3);
	});
});

describe('the example report', () => {
	it('examples/report.html is the report of the two fixture races, as generated now', async () => {
		// Regenerate with UPDATE_GOLDEN=1, or: llmrace report --format html test/fixtures/us-east.json test/fixtures/singapore.json -o examples/report.html
		const file = new URL('examples/report.html', root);
		const text = await reportHtml(
			labelRaces([
				{file: 'test/fixtures/us-east.json', transcript: us},
				{file: 'test/fixtures/singapore.json', transcript: sg},
			]),
		);
		if (update) {
			writeFileSync(file, text);
		}

		expect(text, 'examples/report.html is stale: regenerate it (UPDATE_GOLDEN=1)').toBe(readFileSync(file, 'utf8'));
		// The same whatever rendered before it in the process (zrender numbers its ids per instance).
		expect(
			await reportHtml(
				labelRaces([
					{file: 'a', transcript: us},
					{file: 'b', transcript: sg},
				]),
			),
		).toBe(text);
	});
});

describe('llmrace report -o', () => {
	it('writes the HTML report to the file (the format from --format or the extension), nothing on stdout', async () => {
		const folder = mkdtempSync(path.join(tmpdir(), 'llmrace-report-'));
		try {
			const fixtures = ['us-east.json', 'singapore.json'].map(name => new URL(`test/fixtures/${name}`, root).pathname);
			const out = path.join(folder, 'race.html');
			const html = await runCli(['report', '--format', 'html', ...fixtures, '-o', out]);
			expect(html.code).toBe(0);
			expect(html.stdout).toBe('');
			expect(html.stderr).toBe(`llmrace: wrote the HTML report to ${out}\n`);
			expect(readFileSync(out, 'utf8')).toBe(readFileSync(new URL('examples/report.html', root), 'utf8'));
			const csv = await runCli(['report', fixtures[0]!, '-o', path.join(folder, 'rows.csv')]);
			expect(csv.code).toBe(0);
			expect(readFileSync(path.join(folder, 'rows.csv'), 'utf8')).toMatch(/^race,region,/);
			const md = await runCli(['report', '--format', 'md', fixtures[0]!, '-o', path.join(folder, 'rows.csv')]);
			expect(readFileSync(path.join(folder, 'rows.csv'), 'utf8')).toBe(readFileSync(new URL('test/fixtures/report-us-east.md', root), 'utf8'));
			expect(md.code).toBe(0);
			const unwritable = await runCli(['report', '--format', 'html', fixtures[0]!, '-o', path.join(folder, 'missing', 'r.html')]);
			expect(unwritable.code).toBe(1);
			expect(unwritable.stderr).toBe(`llmrace: cannot save ${path.join(folder, 'missing', 'r.html')}: the folder does not exist\n`);
		} finally {
			rmSync(folder, {recursive: true, force: true});
		}
	});
});
