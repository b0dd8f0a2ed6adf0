import {bracketNames, type BracketBounds, type BracketName, type Price} from '../types.js';

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

/**
 * The models a `--bracket` race sends: only that bracket's (a model with no price has no bracket
 * and is not raced), so filtering to the cheap bracket never pays for the premium one. Also which
 * brackets have models, in bracket order, for the error when this one has none.
 */
export function modelsInBracket<T extends {readonly price: Price}>(
	models: readonly T[],
	bracket: BracketName,
	bounds: BracketBounds = defaultBrackets,
): {readonly models: readonly T[]; readonly withModels: readonly BracketName[]} {
	const brackets = models.map(model => bracketOf(model.price.outputPerM, bounds));
	return {
		models: models.filter((_, index) => brackets[index] === bracket),
		withModels: bracketNames.filter(name => brackets.includes(name)),
	};
}
