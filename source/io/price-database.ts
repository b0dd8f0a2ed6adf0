// The bundled price database (@pydantic/genai-prices), loaded lazily: importing it costs ~100 ms, so it is
// imported only when some model needs a price from it, never on --help or --version, and always before a race.
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {checkPriceProviders, needsPriceDatabase, resolvePrices, type PriceDatabase, type PriceEntry} from '../core/presets/prices.js';
import type {Preset} from '../core/types.js';

const packageName = '@pydantic/genai-prices';

/** The installed version, from its package.json (found beside its entry point: the package exports no package.json). */
function installedVersion(): string {
	try {
		const entry = createRequire(import.meta.url).resolve(packageName);
		let dir = path.dirname(entry);
		for (let depth = 0; depth < 4; depth++) {
			const file = path.join(dir, 'package.json');
			try {
				const data = JSON.parse(readFileSync(file, 'utf8')) as {name?: unknown; version?: unknown};
				if (data.name === packageName && typeof data.version === 'string') {
					return data.version;
				}
			} catch {}

			dir = path.dirname(dir);
		}
	} catch {}

	return 'unknown version';
}

/** A per-M figure of the database: a number, or tiered prices (their base tier, which covers prompts as short as ours). */
function perM(value: unknown): number | null {
	if (typeof value === 'number' && Number.isFinite(value)) {
		return value;
	}

	if (value !== null && typeof value === 'object' && typeof (value as {base?: unknown}).base === 'number') {
		return (value as {base: number}).base;
	}

	return null;
}

let loading: Promise<PriceDatabase> | undefined;

/** Import the database once per process. */
export async function loadPriceDatabase(): Promise<PriceDatabase> {
	loading ??= (async () => {
		const genai = await import('@pydantic/genai-prices');
		const providers = (await genai.waitForUpdate()) ?? [];
		const providerIds = providers.map(provider => provider.id).sort();
		const known = new Set(providerIds);
		return {
			source: `genai-prices ${installedVersion()}`,
			providerIds,
			lookup(modelId: string, providerId: string): PriceEntry | null {
				if (!known.has(providerId)) {
					return null;
				}

				const result = genai.calcPrice({}, modelId, {providerId});
				if (!result || result.provider.id !== providerId) {
					return null;
				}

				return {inputPerM: perM(result.model_price['input_mtok']), outputPerM: perM(result.model_price['output_mtok'])};
			},
		};
	})();
	return loading;
}

/**
 * Every preset with its models' prices resolved (docs/presets.md): the database is imported only when a model
 * without a price names a `prices:` provider. An unknown `prices:` provider is a PresetError.
 */
export async function pricePresets(presets: readonly Preset[]): Promise<Preset[]> {
	if (!presets.some(preset => needsPriceDatabase(preset.models))) {
		return [...presets];
	}

	const database = await loadPriceDatabase();
	return presets.map(preset => {
		checkPriceProviders(preset, database);
		return {...preset, models: resolvePrices(preset.models, database)};
	});
}
