import {describe, expect, it} from 'vitest';
import {replaySnapshot} from '../../../../source/core/race/replay.js';
import type {ChunkEntry, Transcript} from '../../../../source/core/types.js';
import {fakeRun} from '../../../helpers/fixtures.js';
import {modelAt} from '../../../helpers/models.js';
import {buildTranscript} from '../../../../source/core/transcript/build.js';

describe('replayed rolling tok/s', () => {
	it('reads a steady stream steady from its start, as the live meter does', () => {
		const spec = modelAt('http://127.0.0.1:1/v1');
		// 650 one-token chunks a second for 2 s, from 200 ms on.
		const chunks: ChunkEntry[] = Array.from({length: 1300}, (_, index) => [200 + (index * 1000) / 650, 'x']);
		const run = {...fakeRun(spec, 0), ttftMs: 200, ttfaMs: 200, totalMs: 2200, outputTokens: 1300, chunks};
		const transcript: Transcript = buildTranscript({
			toolVersion: '0.0.0',
			startedAt: new Date(0),
			finishedAt: new Date(2200),
			region: null,
			prompt: 'p',
			preset: 'test',
			simulated: false,
			settings: {runs: 1, warmup: 0, maxTokens: 2000, temperature: null, concurrency: null, timeoutMs: 10_000, seed: null},
			aborted: false,
			models: [{spec, bracket: null, runs: [run]}],
		});
		for (const sinceFirst of [100, 300, 600, 1500]) {
			const rate = replaySnapshot(transcript, 200 + sinceFirst).models[0]!.live!.rollingTokensPerSecond;
			expect(rate, `at ${sinceFirst} ms`).toBeGreaterThanOrEqual(640);
			expect(rate, `at ${sinceFirst} ms`).toBeLessThanOrEqual(660);
		}

		expect(replaySnapshot(transcript, 150).models[0]!.live!.rollingTokensPerSecond).toBe(0);
	});
});
