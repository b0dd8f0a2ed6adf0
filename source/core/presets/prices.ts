// Where a model's price comes from (docs/presets.md "Prices"): the preset, the provider's own listing, or the price database. Pure.
import {PresetError} from './presets.js';
import type {ModelSpec, Preset, Price} from '../types.js';

/** Per-million-token prices a database knows for one model. */
export type PriceEntry = {
	readonly inputPerM: number | null;
	readonly outputPerM: number | null;
};

/** The bundled price database, as the core sees it (loaded by io/price-database.ts). */
export type PriceDatabase = {
	/** Its name and version, the `source` of every price it gives: "genai-prices 0.1.8". */
	readonly source: string;
	/** Every provider id it knows, sorted. */
	readonly providerIds: readonly string[];
	/** The price of `modelId` under `providerId`, or null when the database does not know the model there. */
	readonly lookup: (modelId: string, providerId: string) => PriceEntry | null;
};

/** Prices are decimal figures: undo the float noise of a per-token → per-M conversion (0.15000000000000002). */
function tidy(value: number): number {
	return Number(value.toPrecision(10));
}

/**
 * A price from an OpenAI-compatible `GET /models` entry that carries OpenRouter's `pricing`
 * (USD per token, as strings: `{prompt: "0.00000015", completion: "0.0000006"}`), per M; null without a usable one.
 * Negative figures (OpenRouter's "-1" for routers whose price varies) are no price.
 */
export function listingPrice(pricing: unknown, source: string): Price | null {
	if (pricing === null || typeof pricing !== 'object') {
		return null;
	}

	const perM = (value: unknown): number | null => {
		const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : typeof value === 'number' ? value : Number.NaN;
		return Number.isFinite(number) && number >= 0 ? tidy(number * 1e6) : null;
	};

	const {prompt, completion} = pricing as {prompt?: unknown; completion?: unknown};
	const outputPerM = perM(completion);
	if (outputPerM === null) {
		return null;
	}

	return {inputPerM: perM(prompt), outputPerM, source};
}

/** The source text of a listing fetched on `date`: "openrouter /models 2026-12-01". */
export function listingSource(listedBy: string, date: Date): string {
	return `${listedBy} /models ${date.toISOString().slice(0, 10)}`;
}

/** Whether pricing `models` needs the database at all (some model has no price and names a provider). */
export function needsPriceDatabase(models: readonly ModelSpec[]): boolean {
	return models.some(model => model.price.outputPerM === null && Boolean(model.priceProvider));
}

/**
 * Throw a PresetError (exit 2) when the preset names a `prices:` provider the database does not know:
 * the file, the field, and the valid ids.
 */
export function checkPriceProviders(preset: Preset, database: PriceDatabase): void {
	const known = new Set(database.providerIds);
	const fail = (field: string, value: string): never => {
		throw new PresetError(`${preset.file}: ${field}: unknown provider "${value}" in ${database.source}\nvalid: ${database.providerIds.join(', ')}`);
	};

	const top = preset.priceProvider ?? null;
	if (top !== null && !known.has(top)) {
		fail('prices', top);
	}

	for (const [index, model] of preset.models.entries()) {
		const own = model.priceProvider ?? null;
		if (own !== null && own !== top && !known.has(own)) {
			fail(`models[${index}].prices`, own);
		}
	}
}

/**
 * Each model's price by the first that has one: its own (the preset's, or the listing's when it was discovered),
 * then the database under its `prices:` provider; else no price. Never invents one.
 */
export function resolvePrices(models: readonly ModelSpec[], database: PriceDatabase | null): ModelSpec[] {
	return models.map(model => {
		if (model.price.outputPerM !== null || !model.priceProvider || !database) {
			return model;
		}

		const entry = database.lookup(model.id, model.priceProvider);
		if (!entry || entry.outputPerM === null) {
			return model;
		}

		return {...model, price: {inputPerM: entry.inputPerM, outputPerM: entry.outputPerM, source: database.source}};
	});
}

/** Why a model has no price, for `llmrace presets`: "no price (genai-prices 0.1.8 does not know it under openai)". */
export function unpricedReason(model: ModelSpec, database: PriceDatabase | null): string {
	if (!model.priceProvider) {
		return 'no price (none in the preset, no `prices:` provider named)';
	}

	if (!database) {
		return `no price (the price database was not loaded)`;
	}

	return `no price (${database.source} does not know "${model.id}" under ${model.priceProvider})`;
}

/**
 * One line saying where the prices of a race come from, most first:
 * "prices: 2 from the preset, 13 from genai-prices 0.1.8"; "prices: none" without any.
 * A preset's own source text counts as "from the preset".
 */
export function summarizePriceSources(models: ReadonlyArray<{readonly price: Price}>): string {
	const counts = new Map<string, number>();
	let unpriced = 0;
	for (const {price} of models) {
		if (price.outputPerM === null) {
			unpriced++;
			continue;
		}

		const label = sourceLabel(price.source);
		counts.set(label, (counts.get(label) ?? 0) + 1);
	}

	const parts = [...counts].sort((a, b) => b[1] - a[1]).map(([label, count]) => `${count} from ${label}`);
	if (unpriced > 0) {
		parts.push(`${unpriced} without a price`);
	}

	return `prices: ${parts.length > 0 ? parts.join(', ') : 'none'}`;
}

/** How a source reads after "from": the database and listings by name; a preset's own text (or none, in older transcripts) as "the preset". */
function sourceLabel(source: string | null | undefined): string {
	if (!source) {
		return 'an unknown source';
	}

	if (source.startsWith('genai-prices ') || / \/models \d{4}-\d{2}-\d{2}$/.test(source)) {
		return source;
	}

	return 'the preset';
}
