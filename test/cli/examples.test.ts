// The examples must keep working: their llmrace commands are run here against the simulator.
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {parse} from 'yaml';
import {runCli} from '../helpers/cli.js';

/** The words of a command line (double quotes only, as the examples use). */
function words(command: string): string[] {
	return [...command.matchAll(/"([^"]*)"|(\S+)/g)].map(match => match[1] ?? match[2]!);
}

/** Turn an example's llmrace command into one against the simulator, quick and local. */
function againstSimulator(args: string[], dir: string, region: string): string[] {
	return args
		.map(arg => arg.replaceAll('${{ matrix.region }}', region).replaceAll('"$REGION"', region).replaceAll('$REGION', region))
		.map(arg => (arg === 'global-api' ? 'demo' : arg))
		.map(arg => (arg.endsWith('.json') && !arg.startsWith('-') ? path.join(dir, path.basename(arg.replace(/-\$\(date[^)]*\)/, ''))) : arg))
		.concat(['-m', 'deepseek-v4-flash,glm-5', '--max-tokens', '6', '--seed', '3']);
}

describe('examples', () => {
	it('the GitHub Actions workflow races each region, then compares and reports', async () => {
		const workflow = parse(readFileSync(new URL('../../examples/github-actions-regions.yml', import.meta.url), 'utf8')) as {
			jobs: {race: {strategy: {matrix: {region: string[]}}; steps: Array<{run?: string}>}; compare: {needs: string; steps: Array<{run?: string}>}};
		};
		const {regions, raceCommand, compareCommand, reportCommand} = {
			regions: workflow.jobs.race.strategy.matrix.region,
			raceCommand: workflow.jobs.race.steps.find(step => step.run?.includes('llmrace --preset'))!.run!,
			compareCommand: workflow.jobs.compare.steps.find(step => step.run?.includes('llmrace compare'))!.run!,
			reportCommand: workflow.jobs.compare.steps.find(step => step.run?.includes('llmrace report'))!.run!,
		};
		expect(regions).toEqual(['us-east', 'singapore']);
		expect(workflow.jobs.compare.needs).toBe('race');
		const dir = mkdtempSync(path.join(tmpdir(), 'llmrace-example-'));
		for (const region of regions) {
			const args = words(raceCommand.split('>')[0]!.replaceAll('${{ matrix.region }}', region)).slice(2);
			const result = await runCli(againstSimulator(args, dir, region));
			expect(result.code).toBe(0);
		}

		const files = regions.map(region => path.join(dir, `race-${region}.json`));
		const compare = await runCli(['compare', ...files]);
		expect(compare.code).toBe(0);
		expect(compare.stdout).toMatch(/GLM-5 +\d+ +\d+ +−\d+/);
		expect(words(compareCommand.split('|')[0]!).slice(2, 3)).toEqual(['compare']);
		expect(words(reportCommand.split('>')[0]!).slice(2, 3)).toEqual(['report']);
		const report = await runCli(['report', ...files]);
		expect(report.stdout).toContain('## By region (median TTFT)');
	});

	it('the Kubernetes CronJob’s command races headless to its volume', async () => {
		const cronJob = parse(readFileSync(new URL('../../examples/kubernetes-cronjob.yaml', import.meta.url), 'utf8')) as {
			kind: string;
			spec: {jobTemplate: {spec: {template: {spec: {containers: Array<{args: string[]; env: Array<{name: string; value?: string}>}>}}}}};
		};
		expect(cronJob.kind).toBe('CronJob');
		const [container] = cronJob.spec.jobTemplate.spec.template.spec.containers;
		const region = container!.env.find(variable => variable.name === 'REGION')!.value!;
		const dir = mkdtempSync(path.join(tmpdir(), 'llmrace-cron-'));
		const args = words(container!.args[0]!.split('>')[0]!).slice(2);
		const result = await runCli(againstSimulator(args, dir, region));
		expect(result.code).toBe(0);
		expect(readFileSync(path.join(dir, `race-${region}.json`), 'utf8')).toContain('"region": "singapore"');
	});
});
