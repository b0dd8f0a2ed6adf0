// The cost guard's estimate (docs/load.md "Cost guard"): what a load run could send, before it sends anything.
import type {ModelSpec} from '../types.js';
import {arrivalSchedule} from './arrivals.js';
import {sweepMaxSteps} from './sweep.js';
import type {LoadSettings} from './types.js';

/** Tokens a chat request adds around the prompt (role markers), counted into the estimate. */
export const chatOverheadTokens = 8;

/** One request's cost at most: prompt tokens × input price + --max-tokens × output price; null when the price is unknown. */
export function requestCostUSD(model: Pick<ModelSpec, 'price'>, promptTokens: number, maxTokens: number): number | null {
	const {inputPerM, outputPerM} = model.price;
	if (outputPerM === null) {
		return null;
	}

	return (promptTokens * (inputPerM ?? 0) + maxTokens * outputPerM) / 1e6;
}

/**
 * The most requests one model can be sent: every step's arrivals (the schedule is seeded, so this is
 * exact); with --sweep, the 8 steps of a sweep that never fails (each rate the double of the last),
 * the most its steps could send.
 */
export function mostArrivals(settings: LoadSettings, seed: number): number {
	const rates = settings.sweep ? Array.from({length: sweepMaxSteps}, (_, step) => settings.rates[0]! * 2 ** step) : settings.rates;
	let total = 0;
	for (const rate of rates) {
		total += arrivalSchedule({rate, arrivals: settings.arrivals, seed, durationMs: settings.durationMs, requests: settings.requests}).offsetsMs.length;
	}

	return total;
}

export type CostEstimate = {
	/** Requests per model at most, and in all. */
	readonly requestsPerModel: number;
	readonly requests: number;
	/** The estimate over the models with a price. */
	readonly costUSD: number;
	/** Models whose price is unknown: their cost is not in `costUSD`. */
	readonly unpriced: readonly string[];
};

export function estimateLoadCost(
	models: ReadonlyArray<Pick<ModelSpec, 'name' | 'price'>>,
	settings: LoadSettings,
	seed: number,
	promptTokens: number,
): CostEstimate {
	const requestsPerModel = mostArrivals(settings, seed);
	let costUSD = 0;
	const unpriced: string[] = [];
	for (const model of models) {
		const each = requestCostUSD(model, promptTokens, settings.maxTokens);
		if (each === null) {
			unpriced.push(model.name);
		} else {
			costUSD += each * requestsPerModel;
		}
	}

	return {requestsPerModel, requests: requestsPerModel * models.length, costUSD, unpriced};
}
