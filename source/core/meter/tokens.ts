import type {TokenCounter} from './meter.js';

let loaded: Promise<TokenCounter> | undefined;

/**
 * The o200k_base token counter. Loading its tables takes a few hundred ms of
 * CPU, so callers load it before the first timed request, never during a race.
 */
export async function loadTokenCounter(): Promise<TokenCounter> {
	loaded ??= import('gpt-tokenizer/encoding/o200k_base').then(module => {
		const count = memoizeShort(slicedLong(text => (text ? module.countTokens(text) : 0)));
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

/** Texts longer than this are counted in slices. */
const longestSlice = 1024;

/**
 * Count a long text in slices of at most `longestSlice` characters, each cut just before a space
 * that follows a non-space. BPE's cost grows with the square of one piece's length: a server that
 * streams 32k letters without a space cost 1.3 s of the engine thread in one count (8k: 0.19 s),
 * and it may send far more. Such a cut keeps ordinary text's count: o200k_base's pre-tokenizer
 * starts a piece at that space anyway (a piece may end in newlines, never in a space that is
 * followed by more text). Only a run of over 1024 characters with no such space is cut inside a
 * piece, where an estimate is all anyone can want.
 */
export function slicedLong(count: TokenCounter): TokenCounter {
	return text => {
		if (text.length <= longestSlice) {
			return count(text);
		}

		let total = 0;
		let start = 0;
		while (start < text.length) {
			let end = Math.min(text.length, start + longestSlice);
			if (end < text.length) {
				const cut = lastWordStart(text, start + 1, end);
				if (cut > start) {
					end = cut;
				}
			}

			total += count(text.slice(start, end));
			start = end;
		}

		return total;
	};
}

/** The last index in [from, to) of a space after a character that is not whitespace, or -1. */
function lastWordStart(text: string, from: number, to: number): number {
	for (let index = to - 1; index >= from; index--) {
		if (text.charCodeAt(index) === 32 && !/\s/.test(text[index - 1]!)) {
			return index;
		}
	}

	return -1;
}
