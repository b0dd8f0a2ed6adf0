// The words of the comparison and the report follow their figures (issue 23, item 9).
import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {compareRaces, comparisonNotes, labelRaces} from '../../../../source/core/stats/compare.js';
import {reportMarkdown} from '../../../../source/core/report/report.js';
import type {Transcript} from '../../../../source/core/types.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../../fixtures/${name}.json`, import.meta.url), 'utf8')) as Transcript;

/** Every run's phases changed by `change` (headers and connect moved). */
function withPhases(transcript: Transcript, change: (phases: NonNullable<Transcript['models'][number]['runs'][number]['phases']>) => object): Transcript {
	return {
		...transcript,
		models: transcript.models.map(model => ({
			...model,
			runs: model.runs.map(run => (run.phases ? {...run, phases: {...run.phases, ...change(run.phases)}} : run)),
		})),
	};
}

const notes = (a: Transcript, b: Transcript) =>
	comparisonNotes(
		compareRaces(
			labelRaces([
				{file: 'us.json', transcript: a},
				{file: 'sg.json', transcript: b},
			]),
			'ttft',
		),
	).join('\n');

describe('where the differences land, from the figures', () => {
	it('headers early, the regional difference after them: first token, not wait', () => {
		const early = (transcript: Transcript) => withPhases(transcript, () => ({sentMs: 3, headersMs: 5}));
		const text = notes(early(fixture('us-east')), early(fixture('singapore')));
		expect(text).toMatch(/differences land most in first token \(up to 120 ms\); network up to 0 ms, wait up to 0 ms/);
		expect(text).not.toContain('by construction');
	});

	it('a network part that is not 0 is said as it is', () => {
		const text = notes(
			fixture('us-east'),
			withPhases(fixture('singapore'), phases => ({connectMs: (phases.connectMs ?? 0) + 23})),
		);
		expect(text).toMatch(/network up to 23 ms/);
		expect(text).not.toContain('0 by construction');
	});

	it('the report names the phase in which the models differ most', () => {
		const early = withPhases(fixture('us-east'), () => ({sentMs: 3, headersMs: 5}));
		expect(reportMarkdown(labelRaces([{file: 'us.json', transcript: early}]))).toMatch(/differ most in first token/);
		expect(reportMarkdown(labelRaces([{file: 'us.json', transcript: fixture('us-east')}]))).toMatch(/differ most in wait/);
		expect(reportMarkdown(labelRaces([{file: 'us.json', transcript: early}]))).not.toMatch(/land in wait/);
	});
});

describe('headers answered late (a gateway that holds them until the first event)', () => {
	it('is said for the models whose first token came with the headers, and only for them', () => {
		const transcript = fixture('us-east');
		const held = {
			...transcript,
			models: transcript.models.map((model, index) =>
				index === 0
					? {...model, runs: model.runs.map(run => (run.phases && run.ttftMs !== null ? {...run, phases: {...run.phases, headersMs: run.ttftMs - 0.5}} : run))}
					: {...model, runs: model.runs.map(run => (run.phases ? {...run, phases: {...run.phases, headersMs: 5}} : run))},
			),
		};
		const markdown = reportMarkdown(labelRaces([{file: 'gw.json', transcript: held}]));
		expect(markdown).toContain(`${transcript.models[0]!.name}: the response headers came with the first token`);
		expect(markdown).not.toContain(`${transcript.models[1]!.name}: the response headers came`);
		const early = reportMarkdown(labelRaces([{file: 'gw.json', transcript: withPhases(transcript, () => ({headersMs: 5}))}]));
		expect(early).not.toContain('came with the first token');
	});
});
