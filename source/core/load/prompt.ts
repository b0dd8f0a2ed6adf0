// Unique prompts (docs/load.md "Unique prompts"): a short unique first line, so no provider's prompt
// cache serves a repeated prefix. Default in load; `--unique-prompts` in races.

/** The prompt of one request: with `unique`, `[request <tag>]` on a line of its own before the prompt. */
export function requestPrompt(prompt: string, unique: boolean, tag: string): string {
	return unique ? `[request ${tag}]\n${prompt}` : prompt;
}

/** A short random token that makes the tags of one run unlike those of any other. */
export function runToken(): string {
	return globalThis.crypto.randomUUID().slice(0, 8);
}
