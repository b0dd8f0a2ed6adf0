import type {TokenCounter} from '../../source/core/meter/meter.js';
import type {ModelSpec} from '../../source/core/types.js';
import type {StreamOptions} from '../../source/core/http/stream.js';
import {loadTokenCounter} from '../../source/core/meter/tokens.js';

export function modelAt(baseURL: string, overrides: Partial<ModelSpec> = {}): ModelSpec {
	return {
		id: 'test-model',
		name: 'Test Model',
		provider: 'Test',
		baseURL,
		apiKeyEnv: null,
		headers: {},
		price: {inputPerM: null, outputPerM: 1},
		reasoning: false,
		reference: null,
		...overrides,
	};
}

export const countTokens: TokenCounter = await loadTokenCounter();

/** A run's options against `model` as the engine tests send them (one short answer, no key, 10 s limits), with `extra` over them. */
export function streamOptions(model: ModelSpec, extra: Partial<StreamOptions> = {}): StreamOptions {
	return {
		model,
		apiKey: null,
		prompt: 'Explain recursion',
		maxTokens: 16,
		temperature: null,
		timeoutMs: 10_000,
		idleTimeoutMs: 10_000,
		index: 0,
		warmup: false,
		countTokens,
		noUsageOption: new Set(),
		...extra,
	};
}
