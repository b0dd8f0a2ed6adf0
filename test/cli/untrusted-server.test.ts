// Issue 15 item 3, everything but the live UI: the hostile loopback server raced with stdout a pipe
// (`llmrace … | cat`), then the saved transcript through `show` (piped), `report` in Markdown, CSV and HTML,
// `compare`, and a preset of its model ids through `presets`. No ESC, C1 introducer or BEL from data reaches
// a terminal; the Markdown tables keep their columns; the CSV parses back with formulas neutralised; the HTML
// has no script and its CSP; the transcript JSON keeps the exact text.
import {mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {parse as parseCsv} from 'csv-parse/sync';
import {parseHTML} from 'linkedom';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Transcript} from '../../source/core/types.js';
import {runCli} from '../helpers/cli.js';
import {
	answerChunks,
	hostileErrorMessage,
	hostileIds,
	hostileServedModel,
	reasoningChunks,
	startHostileServer,
	type HostileServer,
} from '../helpers/hostile-server.js';

/** What a terminal acts on: ESC, C1 controls (8-bit CSI 0x9B, OSC 0x9D…), BEL, a bare CR; and bidi overrides. */
const unsafe = /[\u0007\u001B\u0080-\u009F\u202A-\u202E\u2066-\u2069]|\r(?!\n)/;

/** A Markdown table row's column separators: the `|` not escaped by a backslash. */
const unescapedPipes = (row: string) => row.replaceAll(/\\./g, '').split('|').length - 1;

/** Each Markdown table: its consecutive lines that start with `|`. */
function markdownTables(text: string): string[][] {
	const tables: string[][] = [];
	let current: string[] = [];
	for (const line of text.split('\n')) {
		if (line.startsWith('|')) {
			current.push(line);
		} else if (current.length > 0) {
			tables.push(current);
			current = [];
		}
	}

	if (current.length > 0) {
		tables.push(current);
	}

	return tables;
}

describe('a hostile server cannot act on the reader through piped output or the files llmrace writes', () => {
	let server: HostileServer;
	let dir: string;
	let file: string;
	let piped: Awaited<ReturnType<typeof runCli>>;

	beforeAll(async () => {
		server = await startHostileServer();
		dir = mkdtempSync(path.join(tmpdir(), 'llmrace-hostile-'));
		file = path.join(dir, 'hostile.json');
		// No -p: --base-url races what the server lists (GET /v1/models). stdout and stderr are pipes.
		piped = await runCli(['--base-url', server.baseURL, '-o', file, 'hi'], {cwd: dir, env: {COLUMNS: '300'}});
	});

	afterAll(async () => {
		await server.close();
	});

	it('races every model it lists; piped, the plain table and its errors: list carry no ESC, C1 or BEL byte', () => {
		expect(piped.code).toBe(0);
		expect(piped.stdout).not.toMatch(unsafe);
		expect(piped.stdout).not.toContain('\u001B');
		expect(piped.stderr).not.toMatch(unsafe);
		const lines = piped.stdout.split('\n');
		// The table: a header and one row per model, each model on its own line.
		expect(lines[0]).toMatch(/^# +Model +Provider +TTFT/);
		const rows = lines.slice(1, 5);
		expect(rows.map(row => /^(\d) /.exec(row)?.[1])).toEqual(['1', '2', '3', '4']);
		expect(rows.filter(row => row.includes('=HYPERLINK("http://x","y")|x'))).toHaveLength(1);
		expect(rows.filter(row => row.includes('esc ]0;ID-TITLE  [2Jmodel'))).toHaveLength(1);
		// The Status column starts at the same place on every line (the inert ids are measured as they print).
		const status = lines[0]!.indexOf('Status');
		for (const row of rows) {
			expect(row.slice(status)).toMatch(/^(ok|bad_request)$/);
		}

		const errors = lines.slice(lines.indexOf('errors:') + 1).filter(Boolean);
		expect(errors).toEqual(['  broken-400: bad_request (HTTP 400): bad request ]0;ERR-TITLE  [2J [H ]52;c;ZXJy   evil']);
	});

	it('the transcript JSON keeps the exact text the server sent (JSON escapes the controls)', () => {
		const text = readFileSync(file, 'utf8');
		// `cat hostile.json` is safe too: no raw control character but the pretty-printer's newlines.
		expect(text).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/);
		const transcript = JSON.parse(text) as Transcript;
		expect(transcript.models.map(model => model.id).sort()).toEqual(Object.values(hostileIds).sort());
		const formula = transcript.models.find(model => model.id === hostileIds.formula)!;
		expect(formula.runs[0]!.text).toBe(answerChunks.join(''));
		expect(formula.runs[0]!.servedModel).toBe(hostileServedModel);
		const thinker = transcript.models.find(model => model.id === hostileIds.thinker)!;
		expect(thinker.runs[0]!.reasoningText).toBe(reasoningChunks.join(''));
		const broken = transcript.models.find(model => model.id === hostileIds.broken)!;
		expect(broken.runs[0]!.error).toMatchObject({kind: 'bad_request', status: 400, message: hostileErrorMessage});
	});

	it('--json and report --format json print no raw control character, and parse back to the exact text', async () => {
		const json = await runCli(['--base-url', server.baseURL, '--json', 'hi'], {cwd: dir});
		expect(json.code).toBe(0);
		expect(json.stdout).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/);
		const transcript = JSON.parse(json.stdout) as Transcript;
		expect(transcript.models.find(model => model.id === hostileIds.escapes)!.runs[0]!.text).toBe(answerChunks.join(''));
		const rows = await runCli(['report', '--format', 'json', file], {cwd: dir});
		expect(rows.code).toBe(0);
		expect(rows.stdout).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/);
		expect(rows.stdout).toContain(JSON.stringify(hostileIds.escapes).replace('\u202E', '\\u202e'));
	});

	it('show, piped, prints the leaderboard and errors: without an ESC, C1 or BEL byte', async () => {
		const result = await runCli(['show', file], {cwd: dir});
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('=HYPERLINK("http://x","y")|x');
		expect(result.stdout).toContain('broken-400: bad_request (HTTP 400): bad request ]0;ERR-TITLE');
		expect(result.stdout).not.toMatch(unsafe);
		expect(result.stderr).not.toMatch(unsafe);
	});

	it('report in Markdown: every table row has as many unescaped | as its header, and no control byte', async () => {
		const result = await runCli(['report', file], {cwd: dir});
		expect(result.code).toBe(0);
		expect(result.stdout).not.toMatch(unsafe);
		const tables = markdownTables(result.stdout);
		expect(tables.length).toBeGreaterThanOrEqual(3);
		for (const table of tables) {
			const columns = unescapedPipes(table[0]!);
			for (const row of table) {
				expect(unescapedPipes(row), row).toBe(columns);
			}
		}

		const ranking = tables.find(table => table[0]!.includes('TTFT'))!;
		expect(ranking.find(row => row.includes('HYPERLINK'))).toContain('| =HYPERLINK("http://x","y")\\|x |');
		const errors = tables.find(table => table[0]!.includes('last error'))!;
		expect(errors).toHaveLength(3);
		expect(errors[2]).toMatch(/^\| broken-400 \| 1 \| bad\\_request \(HTTP 400\): bad request \\\]0;ERR-TITLE/);
	});

	it("report --format csv parses back (csv-parse), every formula-leading text cell behind a '", async () => {
		const result = await runCli(['report', '--format', 'csv', file], {cwd: dir});
		expect(result.code).toBe(0);
		expect(result.stdout).not.toMatch(/[\u0007\u001B\u0080-\u009F\u202A-\u202E\u2066-\u2069]/);
		const records = parseCsv(result.stdout, {relaxColumnCount: false}) as string[][];
		const header = records[0]!;
		expect(records.length).toBeGreaterThan(4);
		const cells = records.slice(1).flat();
		// A cell a spreadsheet would read as a formula is either a number (a negative figure) or neutralised.
		for (const cell of cells) {
			if (/^[=+\-@\t\r]/.test(cell)) {
				expect(Number.isFinite(Number(cell)), `cell ${JSON.stringify(cell)}`).toBe(true);
			}
		}

		expect(cells).toContain('\'=HYPERLINK("http://x","y")|x');
		expect(cells).not.toContain('=HYPERLINK("http://x","y")|x');
		expect(header.length).toBeGreaterThan(3);
	});

	it('report --format html: no script or markup from data, the CSP meta, the answer as text', async () => {
		const out = path.join(dir, 'hostile.html');
		const result = await runCli(['report', '--format', 'html', '-o', out, file], {cwd: dir});
		expect(result.code).toBe(0);
		const text = readFileSync(out, 'utf8');
		const {document} = parseHTML(text);
		expect(document.querySelectorAll('script, img, iframe, object, embed')).toHaveLength(0);
		expect(text).not.toMatch(/<script|<img/i);
		const csp = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
		expect(csp?.getAttribute('content')).toMatch(/default-src 'none'/);
		expect(csp?.getAttribute('content')).not.toMatch(/script-src/);
		for (const element of document.querySelectorAll('*')) {
			for (const attribute of element.attributes) {
				expect(attribute.name, `${element.tagName} attribute`).not.toMatch(/^on/i);
			}
		}

		expect(text).not.toMatch(/[\u0007\u001B\u0080-\u009F\u202A-\u202E\u2066-\u2069]/);
		expect(document.body.textContent).toContain('<script>alert("answer")</script>');
		expect(document.body.textContent).toContain('=HYPERLINK("http://x","y")|x');
	});

	it('compare of the hostile race with itself: no control byte, one line per model', async () => {
		const other = path.join(dir, 'hostile-again.json');
		writeFileSync(other, readFileSync(file));
		const result = await runCli(['compare', file, other], {cwd: dir, env: {COLUMNS: '300'}});
		expect(result.code).toBe(0);
		expect(result.stdout).not.toMatch(unsafe);
		expect(result.stderr).not.toMatch(unsafe);
		const lines = result.stdout.split('\n');
		expect(lines.filter(line => line.startsWith('=HYPERLINK("http://x","y")|x '))).toHaveLength(1);
		expect(lines.filter(line => line.startsWith('esc ]0;ID-TITLE  [2Jmodel '))).toHaveLength(1);
		const json = await runCli(['compare', '--json', file, other], {cwd: dir});
		expect(json.code).toBe(0);
		expect(json.stdout).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/);
	});

	it("presets lists a preset of the server's ids (and one broken by them) without a control byte", async () => {
		const config = path.join(dir, 'config');
		const presets = path.join(config, 'llmrace', 'presets');
		mkdirSync(presets, {recursive: true});
		writeFileSync(
			path.join(presets, 'hostile.json'),
			JSON.stringify({
				description: `listed by ${server.baseURL} \u001B]0;DESC-TITLE\u0007\u001B[2J`,
				baseURL: server.baseURL,
				models: [
					{id: hostileIds.formula, provider: 'evil\u001B]52;c;cHduZWQ=\u0007', price: {outputPerM: 1}},
					{id: hostileIds.escapes, name: 'name\u009B2J\u202Eevil', price: {outputPerM: 1, source: 'src\u001B]0;SRC\u0007'}},
				],
			}),
		);
		writeFileSync(
			path.join(presets, 'broken.json'),
			JSON.stringify({
				baseURL: server.baseURL,
				apiKeyEnv: 'KEY\u001B]0;BROKEN-TITLE\u0007',
				models: [{id: hostileIds.escapes}],
			}),
		);
		const result = await runCli(['presets'], {cwd: dir, env: {XDG_CONFIG_HOME: config, COLUMNS: '300'}});
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('=HYPERLINK("http://x","y")|x');
		expect(result.stdout).toMatch(/^hostile \(yours\) {2}listed by /m);
		expect(result.stdout).toMatch(/^broken {2}\(invalid: /m);
		expect(result.stdout).not.toMatch(unsafe);
		expect(result.stderr).not.toMatch(unsafe);
	});
});
