// Fields of one chat-completions chunk (untrusted JSON): its text, tool calls and usage, and the server's own timings.

/** The token counts a chunk's `usage` reports (null: not reported or not a count). */
export type UsageInfo = {
	readonly completionTokens: number | null;
	readonly promptTokens: number | null;
	readonly reasoningTokens: number | null;
};

/** What the meter reads from one chunk of a chat-completions stream (the raw JSON object). */
export type StreamChunk = Record<string, unknown>;

/** Ollama's timing fields: kept as server timings when a chunk carries them. */
export const ollamaDurationKeys = ['total_duration', 'load_duration', 'prompt_eval_count', 'prompt_eval_duration', 'eval_count', 'eval_duration'] as const;

/** The value as a plain object, or undefined. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function asCount(value: unknown): number | null {
	return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

/** The value when it is a string, else ''. */
export function nonEmptyString(value: unknown): string {
	return typeof value === 'string' ? value : '';
}

/** The text a tool-call delta carries (function names and argument fragments). */
export function toolCallText(value: unknown): string {
	if (!Array.isArray(value)) {
		return '';
	}

	let text = '';
	for (const call of value) {
		const fn = asRecord(asRecord(call)?.['function']);
		text += nonEmptyString(fn?.['name']) + nonEmptyString(fn?.['arguments']);
	}

	return text;
}

/** The counts of a `usage` object, or undefined when there is none. */
export function readUsage(value: unknown): UsageInfo | undefined {
	const usage = asRecord(value);
	if (!usage) {
		return undefined;
	}

	const details = asRecord(usage['completion_tokens_details']);
	return {
		completionTokens: asCount(usage['completion_tokens']),
		promptTokens: asCount(usage['prompt_tokens']),
		reasoningTokens: asCount(details?.['reasoning_tokens']),
	};
}

/** The server's own decode speed (tokens/s) from its reported timings, when it reports one. */
export function serverDecodeRate(serverTimings: unknown): number | null {
	const timings = asRecord(serverTimings);
	if (!timings) {
		return null;
	}

	const llama = asRecord(timings['timings']);
	const llamaRate = asCount(llama?.['predicted_per_second']);
	if (llamaRate !== null && llamaRate > 0) {
		return llamaRate;
	}

	const groq = asRecord(timings['x_groq.usage']);
	const groqTokens = asCount(groq?.['completion_tokens']);
	const groqTime = asCount(groq?.['completion_time']);
	if (groqTokens !== null && groqTime !== null && groqTime > 0) {
		return groqTokens / groqTime;
	}

	const simulated = asCount(asRecord(timings['x_llmrace_sim'])?.['decode_tps']);
	if (simulated !== null && simulated > 0) {
		return simulated;
	}

	const evalCount = asCount(timings['eval_count']);
	const evalDuration = asCount(timings['eval_duration']);
	if (evalCount !== null && evalDuration !== null && evalDuration > 0) {
		return evalCount / (evalDuration / 1e9);
	}

	return null;
}
