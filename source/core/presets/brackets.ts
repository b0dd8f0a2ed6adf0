import type {BracketBounds, BracketName, Price} from '../types.js';

export const defaultBrackets: BracketBounds = {ultraBudget: 0.15, budget: 0.3, mid: 0.8};

/** The price bracket of an output price (USD per million tokens); boundaries are inclusive at the top. */
export function bracketOf(outputPerM: number | null, bounds: BracketBounds = defaultBrackets): BracketName | null {
	if (outputPerM === null || !Number.isFinite(outputPerM)) {
		return null;
	}

	if (outputPerM <= bounds.ultraBudget) {
		return 'ultra-budget';
	}

	if (outputPerM <= bounds.budget) {
		return 'budget';
	}

	if (outputPerM <= bounds.mid) {
		return 'mid';
	}

	return 'premium';
}

/**
 * Cost of one run: outputTokens × outputPerM / 1e6, plus promptTokens × inputPerM / 1e6
 * when both are known; null when the output price or the token count is unknown.
 */
export function costOf(price: Price, outputTokens: number | null, promptTokens: number | null): number | null {
	if (price.outputPerM === null || outputTokens === null) {
		return null;
	}

	let cost = (outputTokens * price.outputPerM) / 1e6;
	if (price.inputPerM !== null && promptTokens !== null) {
		cost += (promptTokens * price.inputPerM) / 1e6;
	}

	return cost;
}
