// What a newcomer hits on the command line (issue 23): a busy port, a pipe closed early, mistyped
// commands, flags of another command, brackets, widths, units.
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import net from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {cellWidth, loadCellWidths} from '../../source/core/text/cells.js';
import {runCli} from '../helpers/cli.js';

await loadCellWidths();

const fixtures = path.join(import.meta.dirname, '../fixtures');
const fast = ['-m', 'step-3.5-flash,qwen3-8b,kimi-k2.5', '--seed', '7', '--max-tokens', '12'];

describe('sim on a port in use', () => {
	it('says so in one line and exits 1 instead of hanging', async () => {
		const busy = net.createServer();
		await new Promise<void>(resolve => {
			busy.listen(0, '127.0.0.1', resolve);
		});
		const {port} = busy.address() as net.AddressInfo;
		try {
			const result = await runCli(['sim', '--port', String(port)]);
			expect(result.code).toBe(1);
			expect(result.stderr).toBe(`llmrace: port ${port} is already in use\n`);
		} finally {
			busy.close();
		}
	}, 20_000);
});

describe('stdout closed early by its reader (| head)', () => {
	it('--json, the plain table and report: exit 0, no message, no stack trace', async () => {
		for (const args of [
			['--json', ...fast, 'Explain recursion'],
			[...fast, 'Explain recursion'],
			['report', path.join(fixtures, 'us-east.json')],
		]) {
			const result = await runCli(args, {closeStdout: true});
			expect(result.code).toBe(0);
			expect(result.stderr).not.toMatch(/EPIPE|Error|\bat /);
		}
	}, 30_000);
});

describe('mistyped commands, flags of another command, blank prompts: usage errors, never a race', () => {
	const cases: Array<[string[], string]> = [
		[['preset'], 'llmrace: unknown command "preset" (did you mean presets?)\nto race it as a prompt: llmrace -- preset\n'],
		[['reprot', 'us.json'], 'llmrace: unknown command "reprot" (did you mean report?)\nto race it as a prompt: llmrace -- reprot\n'],
		[['histroy'], 'llmrace: unknown command "histroy" (did you mean history?)\nto race it as a prompt: llmrace -- histroy\n'],
		[['compair', 'a.json', 'b.json'], 'llmrace: unknown command "compair" (did you mean compare?)\nto race it as a prompt: llmrace -- compair\n'],
		[['SHOW', 'x.json'], 'llmrace: unknown command "SHOW" (did you mean show?)\nto race it as a prompt: llmrace -- SHOW\n'],
		[['shw'], 'llmrace: unknown command "shw" (did you mean show?)\nto race it as a prompt: llmrace -- shw\n'],
		[['laod'], 'llmrace: unknown command "laod" (did you mean load?)\nto race it as a prompt: llmrace -- laod\n'],
		[['   '], 'llmrace: no prompt: the prompt given is blank\nexample: llmrace "Explain recursion in 200 words"\n'],
	];
	for (const [args, stderr] of cases) {
		it(`llmrace ${args.join(' ')}`, async () => {
			const result = await runCli([...fast, ...args]);
			expect(result).toMatchObject({code: 2, stdout: '', stderr});
		});
	}

	it('a flag of another command names the command it belongs to and what this one takes', async () => {
		const race = await runCli(['--format', 'html', 'hi']);
		expect(race.code).toBe(2);
		expect(race.stderr).toMatch(/^llmrace: --format is not a flag of the race \(it is a flag of report, history\)\nthe race takes: --preset --models .*--runs/);
		const report = await runCli(['report', path.join(fixtures, 'us-east.json'), '--runs', '5']);
		expect(report).toMatchObject({
			code: 2,
			stdout: '',
			stderr: 'llmrace: --runs is not a flag of report (it is a flag of the race)\nreport takes: --format --save\n',
		});
		const presets = await runCli(['presets', '--discover']);
		expect(presets).toMatchObject({code: 2, stdout: ''});
		expect(presets.stderr).toMatch(/^llmrace: --discover is not a flag of presets/);
	});

	it('-p demoo: did you mean demo, with the valid presets', async () => {
		const result = await runCli(['-p', 'demoo', 'x']);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/^llmrace: unknown preset "demoo" \(did you mean demo\?\)\nvalid: anthropic, deepseek, demo, /);
	});

	it('an empty --prompt-file names the file', async () => {
		const folder = mkdtempSync(path.join(tmpdir(), 'llmrace-prompt-'));
		const file = path.join(folder, 'empty.txt');
		writeFileSync(file, '\n  \n');
		const result = await runCli(['--prompt-file', file]);
		expect(result).toMatchObject({code: 2, stdout: '', stderr: `llmrace: no prompt: --prompt-file ${file} is empty\n`});
	});

	it('after --, a command name (or one like it) is the prompt; help and version are --help and --version', async () => {
		const raced = await runCli(['-m', 'qwen3-8b', '--max-tokens', '5', '--json', '--', 'preset']);
		expect(raced.code).toBe(0);
		expect((JSON.parse(raced.stdout) as {prompt: string}).prompt).toBe('preset');
		const help = await runCli(['help']);
		expect(help.code).toBe(0);
		expect(help.stdout).toContain('Usage');
		const version = await runCli(['version']);
		expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
	});
});

describe('--bracket races only that bracket', () => {
	it("sends only the bracket's models (no price, no bracket) and the table opens on it", async () => {
		const result = await runCli(['--json', '--bracket', 'ultra-budget', '--seed', '7', '--max-tokens', '5', 'x']);
		expect(result.code).toBe(0);
		const transcript = JSON.parse(result.stdout) as {models: Array<{id: string}>};
		expect(transcript.models.map(model => model.id).sort()).toEqual(['qwen3-8b', 'step-3.5-flash']);
	}, 30_000);

	it('an empty bracket is a usage error naming the brackets that have models', async () => {
		const result = await runCli(['--bracket', 'premium', '-m', 'qwen3-8b,deepseek-v4-pro', 'x']);
		expect(result).toMatchObject({
			code: 2,
			stdout: '',
			stderr: 'llmrace: no model of preset demo (of those chosen with --models) is in the bracket premium\nbrackets with models: ultra-budget, mid\n',
		});
	});
});

describe('a model stopped by Ctrl-C keeps its figures everywhere, and sorts by them', () => {
	/** us-east.json with GLM-5 (TTFT 500 ms) stopped at 130 ms TTFT, 20 tokens, 55 tok/s. */
	function stoppedTranscript(): string {
		const transcript = JSON.parse(readFileSync(path.join(fixtures, 'us-east.json'), 'utf8')) as {
			aborted: boolean;
			models: Array<{id: string; runs: Array<Record<string, unknown>>; summary: Record<string, unknown>}>;
		};
		transcript.aborted = true;
		const glm = transcript.models.find(model => model.id === 'glm-5')!;
		glm.runs = [
			{
				...glm.runs[0],
				status: 'aborted',
				error: {kind: 'aborted', status: null, message: 'stopped by the user'},
				ttftMs: 130,
				ttfaMs: 130,
				totalMs: 900,
				outputTokens: 20,
				tokenSource: 'estimate',
				tokensPerSecond: 55,
				costUSD: null,
				finishReason: null,
			},
		];
		glm.summary = {ok: 0, failed: 1, ttftMs: null, ttfaMs: null, tokensPerSecond: null, totalMs: null, outputTokens: null, costUSD: null};
		const folder = mkdtempSync(path.join(tmpdir(), 'llmrace-stopped-'));
		const file = path.join(folder, 'stopped.json');
		writeFileSync(file, JSON.stringify(transcript));
		return file;
	}

	it('the plain table (show, piped) shows them and ranks the row by them; report, CSV and JSON too', async () => {
		const file = stoppedTranscript();
		const table = await runCli(['show', file]);
		expect(table.code).toBe(0);
		const lines = table.stdout.split('\n');
		// TTFT 130 ms: second, after Step-3.5-Flash's 120 ms.
		expect(lines[2]).toMatch(/^\s*2\s+GLM-5\s.*130 ms\s+55\.0\s+—\s+~20\s.*aborted/);
		const markdown = await runCli(['report', file]);
		expect(markdown.stdout).toMatch(/\| 2 \| GLM-5 \| [^|]+ \| 130 \| 130 \| 55\.0 \| — \| ~20 \|/);
		const json = await runCli(['report', file, '--format', 'json']);
		const row = (JSON.parse(json.stdout) as Array<{id: string; ttftMs: number | null; tokensPerSecond: number | null; outputTokens: number | null}>).find(
			entry => entry.id === 'glm-5',
		);
		expect(row).toMatchObject({ttftMs: 130, tokensPerSecond: 55, outputTokens: 20});
	});
});

describe('widths and units of the plain outputs', () => {
	const us = path.join(fixtures, 'us-east.json');
	const widest = (text: string) => Math.max(...text.split('\n').map(line => cellWidth(line)));

	it('the piped table honours $COLUMNS, else 100; one unit per duration column', async () => {
		const narrow = await runCli(['show', us], {env: {COLUMNS: '80'}});
		expect(narrow.code).toBe(0);
		expect(widest(narrow.stdout)).toBeLessThanOrEqual(80);
		expect(narrow.stdout).toContain('GLM-5');
		const unset = await runCli(['show', us], {env: {COLUMNS: ''}});
		expect(widest(unset.stdout)).toBeLessThanOrEqual(100);
		const wide = await runCli(['show', us], {env: {COLUMNS: '200'}});
		expect(wide.stdout).toContain('Provider');
		// The totals run from 1.98 s to over 10 s: all in seconds, none in ms.
		const [header, ...rows] = wide.stdout.split('\n\n')[0]!.split('\n');
		const start = header!.indexOf('  Total') + 2;
		const totals = rows.slice(0, 15).map(row => row.slice(start - 2, start + 7).trim());
		expect(totals.length).toBe(15);
		for (const total of totals) {
			expect(total).toMatch(/^\d+\.\d+ s$/);
		}
	});

	it('--help (of every command) fits 80 columns; presets and compare fit $COLUMNS', async () => {
		for (const command of [[], ['show'], ['report'], ['compare'], ['presets'], ['sim']]) {
			const help = await runCli([...command, '--help']);
			expect(help.code).toBe(0);
			expect(widest(help.stdout)).toBeLessThanOrEqual(80);
		}

		const presets = await runCli(['presets'], {env: {COLUMNS: '80'}});
		expect(presets.code).toBe(0);
		expect(widest(presets.stdout)).toBeLessThanOrEqual(80);
		expect(presets.stdout).toContain('qwen3-8b');
		const compare = await runCli(['compare', us, path.join(fixtures, 'singapore.json')], {env: {COLUMNS: '80'}});
		expect(compare.code).toBe(0);
		expect(widest(compare.stdout)).toBeLessThanOrEqual(80);
		expect(compare.stdout).toContain('Kimi K2.5');
	});

	it('CSV and JSON reports carry no float noise (6 significant digits)', async () => {
		const sg = path.join(fixtures, 'singapore.json');
		for (const args of [
			['report', us, sg, '--format', 'csv'],
			['report', us, sg, '--format', 'json'],
			['compare', us, sg, '--json'],
		]) {
			const result = await runCli(args);
			expect(result.code).toBe(0);
			const digits = [...result.stdout.matchAll(/\b\d+\.\d+(?:e-?\d+)?\b/g)].map(match =>
				match[0]
					.replace(/e-?\d+$/, '')
					.replace('.', '')
					.replace(/^0+/, ''),
			);
			expect(digits.filter(figure => figure.length > 6)).toEqual([]);
		}
	});
});
