import type {TokenCounter} from './meter.js';

let loaded: Promise<TokenCounter> | undefined;

/**
 * The o200k_base token counter. Loading its tables takes a few hundred ms of
 * CPU, so callers load it before the first timed request, never during a race.
 */
export async function loadTokenCounter(): Promise<TokenCounter> {
	loaded ??= import('gpt-tokenizer/encoding/o200k_base').then(module => {
		const count: TokenCounter = text => (text ? module.countTokens(text) : 0);
		// First use JIT-compiles the encoder: pay that here too.
		count('Warm up the tokenizer with a sentence or two of English text.');
		return count;
	});
	return loaded;
}
