// `show`, `report` and `compare` of load transcripts, end to end through the built binary.
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {parseHTML} from 'linkedom';
import {afterAll, describe, expect, it} from 'vitest';
import {readLoadTranscriptFile} from '../../source/io/load-transcript-file.js';
import {saveLoadTranscript} from '../../source/io/load-transcript-file.js';
import {runCli} from '../helpers/cli.js';
import {kneeTranscript, latency, step} from '../helpers/load-fixtures.js';

const folder = mkdtempSync(path.join(tmpdir(), 'llmrace-load-files-'));
afterAll(() => {
	rmSync(folder, {recursive: true, force: true});
});

const us = path.join(folder, 'load-us.json');
const sg = path.join(folder, 'load-sg.json');
const race = new URL('../fixtures/us-east.json', import.meta.url).pathname;
saveLoadTranscript(kneeTranscript(), us, []);
const singapore = kneeTranscript({region: 'singapore'});
writeFileSync(
	sg,
	JSON.stringify({
		...singapore,
		models: singapore.models.map(model =>
			model.id === 'knee' ? {...model, steps: model.steps.map(each => (each.rate === 2 ? step(2, {ttfaMs: latency(300, 500, 750)}) : each))} : model,
		),
	}),
);

describe('load transcripts on the command line', () => {
	it('saves and reads a load transcript back unchanged, secrets redacted', () => {
		const file = path.join(folder, 'secret.json');
		saveLoadTranscript(kneeTranscript({prompt: 'key sk-secret-123 in the prompt'}), file, ['sk-secret-123']);
		expect(readFileSync(file, 'utf8')).not.toContain('sk-secret-123');
		expect(readLoadTranscriptFile(file).models).toEqual(kneeTranscript().models);
	});

	it('show prints the plain load leaderboard when piped, sorted by --sort', async () => {
		const shown = await runCli(['show', us]);
		expect(shown.code).toBe(0);
		// The plain load table of `llmrace load` when piped: a row per model and step.
		expect(shown.stdout).toMatch(/^Model +Step/);
		expect(shown.stdout).toMatch(/Knee Model +1 +1 \/ 1\.00/);
		expect(shown.stdout).toMatch(/modelled .*not measured/);
		const byName = await runCli(['show', us, '--sort', 'name', '--bracket', 'mid']);
		expect(byName.stdout).toContain('Knee Model');
		expect(byName.stdout).not.toContain('Fast Model');
		const bad = await runCli(['show', us, '--sort', 'tps']);
		expect(bad.code).toBe(2);
		expect(bad.stderr).toBe('llmrace: invalid value for --sort: "tps"\nvalid: rate, ttfa, ttft, e2e, goodput, name\n');
		const replay = await runCli(['show', us, '--replay', '2']);
		expect(replay.code).toBe(2);
		expect(replay.stderr).toContain('--replay plays a race back');
	});

	it('report writes Markdown, CSV, JSON and HTML of a load run', async () => {
		const md = await runCli(['report', us]);
		expect(md.code).toBe(0);
		expect(md.stdout).toContain('# llmrace load report');
		expect(md.stdout).toContain('### How the run was run');
		const csv = await runCli(['report', '--format', 'csv', us, sg]);
		expect(csv.stdout.split('\r\n').filter(Boolean)).toHaveLength(1 + 18);
		const json = JSON.parse((await runCli(['report', '--format', 'json', us])).stdout) as Array<{id: string; ttfaP99Ms: number}>;
		expect(json.find(row => row.id === 'slow' && row.ttfaP99Ms === 5000)).toBeDefined();
		const html = path.join(folder, 'load.html');
		const written = await runCli(['report', us, '-o', html]);
		expect(written.stderr).toContain('wrote the HTML load report');
		const {document} = parseHTML(readFileSync(html, 'utf8'));
		expect(document.querySelectorAll('figure.chart svg')).toHaveLength(2);
	});

	it('compare of two load runs: p99 at each rate both ran, with a Diff column', async () => {
		const compared = await runCli(['compare', us, sg]);
		expect(compared.code).toBe(0);
		expect(compared.stdout).toMatch(/Knee Model +2\/s +600 +750 +\+150 ms \(\+25 %\)/);
		const json = JSON.parse((await runCli(['compare', us, sg, '--json', '--metric', 'e2e'])).stdout) as {metric: string; rows: unknown[]};
		expect(json.metric).toBe('e2e');
		expect(json.rows).toHaveLength(9);
		const three = await runCli(['compare', us, sg, us]);
		expect(three.code).toBe(2);
		expect(three.stderr).toContain('compare takes two load transcripts, not 3');
		const metric = await runCli(['compare', us, sg, '--metric', 'tps']);
		expect(metric.code).toBe(2);
		expect(metric.stderr).toContain('valid: ttfa, ttft, e2e');
	});

	it('a race and a load run together is a usage error naming both files', async () => {
		for (const command of ['report', 'compare']) {
			const mixed = await runCli([command, us, race]);
			expect(mixed.code).toBe(2);
			expect(mixed.stderr).toBe(
				`llmrace: ${command}: ${us} is a load transcript and ${race} a race transcript: ${command} races with races and load runs with load runs\n`,
			);
		}
	});

	it('a newer or broken load transcript is one line naming the file', async () => {
		const newer = path.join(folder, 'newer.json');
		writeFileSync(newer, readFileSync(us, 'utf8').replace('"llmrace/load@1"', '"llmrace/load@2"'));
		const read = await runCli(['show', newer]);
		expect(read.code).toBe(2);
		expect(read.stderr).toMatch(/^llmrace: .*newer\.json: written by a newer llmrace \(schema llmrace\/load@2\).*upgrade llmrace\n$/);
		const cut = path.join(folder, 'cut.json');
		writeFileSync(cut, readFileSync(us, 'utf8').slice(0, 500));
		const truncated = await runCli(['report', cut]);
		expect(truncated.code).toBe(2);
		expect(truncated.stderr.split('\n')).toHaveLength(2);
		expect(truncated.stderr).toContain('not valid JSON (truncated or corrupt?)');
	});

	it('--help says show, report and compare read load transcripts', async () => {
		const help = await runCli(['report', '--help']);
		expect(help.stdout).toContain('llmrace/load@1');
		expect(help.stdout).toContain('or two load runs');
	});
});
