// Planning a simulated response: which tokens, and when. Pure, deterministic for a seed.
import {encode, decode} from 'gpt-tokenizer/encoding/o200k_base';
import type {SimFault} from './faults.js';
import {createRandom, hashString} from '../core/stats/random.js';
import {allSentences, answerSentences, reasoningSentences} from './text.js';

export type SimModel = {
	readonly id: string;
	/** Time to the first visible token (for reasoning models, the first answer token). */
	readonly ttftMs: number;
	readonly tokensPerSecond: number;
	readonly reasoning: boolean;
	/**
	 * Reasoning models: how long they think before the first answer token. It does not depend on
	 * where the race runs from, so a region's shorter TTFT moves the first reasoning token too
	 * (default: three quarters of ttftMs).
	 */
	readonly thinkingMs?: number | undefined;
	/** Tokens of the answer before max_tokens (default about 150). */
	readonly outputTokens?: number | undefined;
	readonly fault?: SimFault | undefined;
	/** The stated, illustrative load behaviour (sim/load.ts); none: every request served at once. */
	readonly load?: {readonly sequences: number} | undefined;
};

export type Token = {readonly text: string; readonly reasoning: boolean; readonly at: number};

export type Plan = {readonly tokens: Token[]; readonly finishReason: 'stop' | 'length'};

// Each sentence is tokenized once (as the first sentence, and after a space), never per request.
const tokenCache = new Map<string, string[]>();
function tokensOf(text: string): string[] {
	let tokens = tokenCache.get(text);
	if (!tokens) {
		tokens = encode(text).map(token => decode([token]));
		tokenCache.set(text, tokens);
	}

	return tokens;
}

function tokenizeSentences(sentences: readonly string[]): string[] {
	return sentences.flatMap((sentence, index) => tokensOf(index === 0 ? sentence : ` ${sentence}`));
}

/** Tokenize every sentence the simulator can say, so no request pays for it. */
export function warmTokenCache(): void {
	for (const sentence of allSentences) {
		tokensOf(sentence);
		tokensOf(` ${sentence}`);
	}
}

/** The plan of one simulated response: which tokens, and when (ms after the request arrived). */
export function planResponse(model: SimModel, prompt: string, maxTokens: number, seed: number, requestNumber: number, jitter: number): Plan {
	const random = createRandom(hashString(`${seed}:${model.id}:${requestNumber}`));
	const spread = () => 1 + jitter * (random() * 2 - 1);
	const ttfa = model.ttftMs * spread();
	const interval = 1000 / (model.tokensPerSecond * spread());
	const wanted = Math.max(1, Math.round((model.outputTokens ?? 150) * spread()));
	const tokens: Token[] = [];
	if (model.reasoning) {
		// Thinking streams at the decode rate until the first answer token.
		const thinking = (model.thinkingMs ?? model.ttftMs * 0.75) * (ttfa / model.ttftMs);
		const start = Math.max(20, ttfa - thinking);
		const count = Math.max(1, Math.floor((ttfa - start) / interval));
		const thoughts = tokenizeSentences(reasoningSentences(random, count * 6)).slice(0, count);
		for (const [index, text] of thoughts.entries()) {
			tokens.push({text, reasoning: true, at: start + index * interval});
		}
	}

	const answer = tokenizeSentences(answerSentences(prompt, random, wanted * 6)).slice(0, wanted);
	for (const [index, text] of answer.entries()) {
		tokens.push({text, reasoning: false, at: ttfa + index * interval});
	}

	const finishReason = tokens.length > maxTokens ? 'length' : 'stop';
	return {tokens: tokens.slice(0, maxTokens), finishReason};
}
