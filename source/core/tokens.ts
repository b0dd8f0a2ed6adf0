import type {TokenCounter} from './meter.js';

let loaded: Promise<TokenCounter> | undefined;

/**
 * The o200k_base token counter. Loading its tables takes a few hundred ms of
 * CPU, so callers load it before the first timed request, never during a race.
 */
export async function loadTokenCounter(): Promise<TokenCounter> {
	loaded ??= import('gpt-tokenizer/encoding/o200k_base').then(module => {
		const count = memoizeShort(text => (text ? module.countTokens(text) : 0));
		// First use JIT-compiles the encoder: pay that here too.
		count('Warm up the tokenizer with a sentence or two of English text.');
		return count;
	});
	return loaded;
}

/** Pieces at most this long are remembered: a streamed chunk is usually one token, and the same ones come back. */
const shortText = 24;
const remembered = 50_000;

/**
 * Count short texts once each. Live token counts tokenize every chunk as it is shown; the same
 * few thousand word pieces make up most of them, so the tokenizer runs for new pieces only.
 * Exact: a text has one count. The memory is bounded (forgotten at once when full).
 */
export function memoizeShort(count: TokenCounter): TokenCounter {
	const known = new Map<string, number>();
	return text => {
		if (text.length > shortText) {
			return count(text);
		}

		let tokens = known.get(text);
		if (tokens === undefined) {
			if (known.size >= remembered) {
				known.clear();
			}

			tokens = count(text);
			known.set(text, tokens);
		}

		return tokens;
	};
}
