import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import type {Comparison} from '../../source/core/report/report.js';
import {runCli} from '../helpers/cli.js';

const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;

describe('show, report and compare', () => {
	it('report prints the Markdown of a saved race', async () => {
		const result = await runCli(['report', fixture('us-east.json')]);
		expect(result.code).toBe(0);
		expect(result.stdout).toBe(readFileSync(fixture('report-us-east.md'), 'utf8'));
	});

	it('report --format csv and json', async () => {
		const csv = await runCli(['report', '--format', 'csv', fixture('us-east.json'), fixture('singapore.json')]);
		expect(csv.stdout.trim().split('\n')).toHaveLength(31);
		const json = await runCli(['report', '--format', 'json', fixture('singapore.json')]);
		expect((JSON.parse(json.stdout) as Array<{region: string}>)[0]!.region).toBe('singapore');
		const bad = await runCli(['report', '--format', 'pdf', fixture('us-east.json')]);
		expect(bad.code).toBe(2);
		expect(bad.stderr).toBe('llmrace: invalid value for --format: "pdf"\nvalid: md, csv, json, html\n');
	});

	it('compare prints a table and --json the same data', async () => {
		const table = await runCli(['compare', fixture('us-east.json'), fixture('singapore.json')]);
		expect(table.code).toBe(0);
		expect(table.stdout).toMatch(/Kimi K2\.5 +150 +30 +−120 \(−80 %\)/);
		const json = await runCli(['compare', '--json', '--metric', 'ttfa', fixture('us-east.json'), fixture('singapore.json')]);
		const comparison = JSON.parse(json.stdout) as Comparison;
		expect(comparison.metric).toBe('ttfa');
		expect(comparison.rows.find(row => row.id === 'kimi-k2.5')!.diffs[0]!.diff).toBe(-120);
		expect((await runCli(['compare', fixture('us-east.json')])).code).toBe(2);
		const metric = await runCli(['compare', '--metric', 'speed', fixture('us-east.json'), fixture('singapore.json')]);
		expect(metric.stderr).toBe('llmrace: invalid value for --metric: "speed"\nvalid: ttft, ttfa, tps, total, cost\n');
	});

	it('show without a terminal prints the leaderboard', async () => {
		const result = await runCli(['show', fixture('us-east.json'), '--bracket', 'budget']);
		expect(result.code).toBe(0);
		const names = result.stdout
			.trim()
			.split('\n')
			.slice(1)
			.map(line => /^\s*\d+\s+(.+?)\s{2}/.exec(line)?.[1]);
		expect(names).toEqual(['DeepSeek V4 Flash', 'Hunyuan-TurboS', 'Qwen3-32B', 'Qwen3.5-27B']);
	});

	it('rejects missing, truncated and foreign files with one line naming the file (exit 2)', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'llmrace-bad-'));
		const truncated = path.join(dir, 'truncated.json');
		writeFileSync(truncated, readFileSync(fixture('us-east.json'), 'utf8').slice(0, 300));
		const foreign = path.join(dir, 'package.json');
		writeFileSync(foreign, '{"name": "x"}');
		const cases: Array<[string[], string]> = [
			[['show', path.join(dir, 'nope.json')], `llmrace: ${path.join(dir, 'nope.json')}: no such file\n`],
			[['report', truncated], `llmrace: ${truncated}: not valid JSON (truncated or corrupt?)`],
			[['compare', fixture('us-east.json'), foreign], `llmrace: ${foreign}: not an llmrace transcript (no "schema": "llmrace/transcript@1")\n`],
		];
		for (const [args, message] of cases) {
			const result = await runCli(args);
			expect(result.code).toBe(2);
			expect(result.stderr.startsWith(message)).toBe(true);
			expect(result.stderr.trim().split('\n')).toHaveLength(1);
		}
	});

	it('two simulated races from two regions reproduce the published region table', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'llmrace-regions-'));
		// Medians of 3 runs: a loaded test machine adds tens of ms of noise to single runs.
		const models = ['-m', 'deepseek-v4-flash,qwen3-32b,glm-5,kimi-k2.5', '--max-tokens', '4', '--runs', '3', '--seed', '21'];
		const us = await runCli([...models, '--region', 'us-east', '-o', path.join(dir, 'us.json'), 'Explain recursion in 200 words']);
		const sg = await runCli([...models, '--region', 'singapore', '-o', path.join(dir, 'sg.json'), 'Explain recursion in 200 words']);
		expect([us.code, sg.code]).toEqual([0, 0]);
		const result = await runCli(['compare', '--json', path.join(dir, 'us.json'), path.join(dir, 'sg.json')]);
		const comparison = JSON.parse(result.stdout) as Comparison;
		const published: Record<string, number> = {'deepseek-v4-flash': -30, 'qwen3-32b': -40, 'glm-5': -80, 'kimi-k2.5': -120};
		expect(comparison.rows.map(row => row.id).sort()).toEqual(Object.keys(published).sort());
		const diff = (id: string) => comparison.rows.find(row => row.id === id)!.diffs[0]!.diff!;
		for (const id of Object.keys(published)) {
			// Same seed, same draws: the difference is the published one scaled by the ±10 % jitter, plus the noise of a
			// loaded machine (tens of ms on a median of 3). Generous bounds: at most 50 ms above the published
			// difference, and a gain of at most twice the published one plus 100 ms.
			expect(diff(id)).toBeLessThan(published[id]! + 50);
			expect(diff(id)).toBeGreaterThan(2 * published[id]! - 100);
		}

		// The published table's shape, as orderings: Singapore is faster for GLM-5 and Kimi K2.5, and the models
		// developed in Asia gain more than DeepSeek (served evenly): −120 and −80 against −30, −120 against −40.
		expect(diff('kimi-k2.5')).toBeLessThan(0);
		expect(diff('glm-5')).toBeLessThan(0);
		expect(diff('kimi-k2.5')).toBeLessThan(diff('deepseek-v4-flash'));
		expect(diff('glm-5')).toBeLessThan(diff('deepseek-v4-flash'));
		expect(diff('kimi-k2.5')).toBeLessThan(diff('qwen3-32b'));
	});
});
