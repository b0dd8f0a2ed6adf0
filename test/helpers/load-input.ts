// A load engine's input for the engine tests (test/engine/load*.test.ts): one model on a loopback server,
// a constant schedule, no cost; each test overrides what it is about.
import {costBudget} from '../../source/core/load/budget.js';
import type {LoadEngineInput} from '../../source/core/load/engine.js';
import {parseSlo} from '../../source/core/load/slo.js';
import type {LoadSettings} from '../../source/core/load/types.js';
import {defaultBrackets} from '../../source/core/presets/brackets.js';
import {countTokens, modelAt} from './models.js';

export const settingsOf = (overrides: Partial<LoadSettings>): LoadSettings => ({
	rates: [5],
	arrivals: 'constant',
	durationMs: null,
	requests: 10,
	maxConcurrency: 256,
	slo: parseSlo('ttft.p99<=800ms'),
	sweep: false,
	seed: 1,
	uniquePrompts: true,
	maxTokens: 16,
	temperature: null,
	timeoutMs: 20_000,
	maxCostUSD: null,
	keepText: false,
	...overrides,
});

export function inputOf(baseURL: string, settings: LoadSettings, overrides: Partial<LoadEngineInput> = {}): LoadEngineInput {
	return {
		models: [modelAt(baseURL)],
		prompt: 'Explain recursion',
		settings,
		seed: 1,
		simulated: false,
		brackets: defaultBrackets,
		runToken: 'test',
		apiKeyOf: () => null,
		countTokens,
		budget: costBudget(null),
		requestCostUSD: () => 0,
		...overrides,
	};
}
