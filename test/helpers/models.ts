import type {TokenCounter} from '../../source/core/meter/meter.js';
import type {ModelSpec} from '../../source/core/types.js';
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
