// `models: discover`: ask an OpenAI-compatible server which models it serves (GET /models).
// A listing that carries prices (OpenRouter's `pricing`) prices the models it lists (SPEC §3 "Prices").
import {PresetError} from '../core/presets.js';
import {listingPrice, listingSource} from '../core/prices.js';
import type {ModelSpec, Preset} from '../core/types.js';

/** Who listed the models, for the price's source: "openrouter" for openrouter.ai, else the preset's name. */
function listedBy(preset: Preset, baseURL: string): string {
	try {
		const host = new URL(baseURL).hostname;
		if (host === 'openrouter.ai' || host.endsWith('.openrouter.ai')) {
			return 'openrouter';
		}
	} catch {}

	return preset.name;
}

export async function discoverModels(preset: Preset, env: NodeJS.ProcessEnv, timeoutMs = 5000, now: Date = new Date()): Promise<ModelSpec[]> {
	const baseURL = preset.baseURL;
	if (!baseURL) {
		throw new PresetError(`${preset.file}: baseURL: required with "models: discover"`);
	}

	const url = `${baseURL.replace(/\/+$/, '')}/models`;
	const apiKeyEnv = preset.apiKeyEnv;
	const key = apiKeyEnv ? env[apiKeyEnv] : undefined;
	let response: Response;
	try {
		response = await fetch(url, {headers: key ? {authorization: `Bearer ${key}`} : {}, signal: AbortSignal.timeout(timeoutMs)});
	} catch (error) {
		const cause = (error as {cause?: {code?: string}}).cause?.code ?? (error as Error).name;
		throw new Error(`cannot list models: ${url} is unreachable (${cause}); is the server running?`);
	}

	if (!response.ok) {
		throw new Error(`cannot list models: GET ${url} answered HTTP ${response.status}`);
	}

	const body = await response.json().catch(() => undefined) as {data?: unknown} | undefined;
	const entries = (Array.isArray(body?.data) ? body.data as unknown[] : [])
		.filter((entry): entry is {id: string; pricing?: unknown} => entry !== null && typeof entry === 'object'
			&& typeof (entry as {id?: unknown}).id === 'string' && (entry as {id: string}).id.length > 0);
	if (entries.length === 0) {
		throw new Error(`cannot list models: GET ${url} listed no models`);
	}

	const source = listingSource(listedBy(preset, baseURL), now);
	const seen = new Set<string>();
	return entries.filter(entry => !seen.has(entry.id) && seen.add(entry.id)).map(entry => {
		// The preset's own price comes first, then the listing's; the database later fills what is left.
		const known = preset.models.find(model => model.id === entry.id);
		const price = known && known.price.outputPerM !== null
			? known.price
			: (listingPrice(entry.pricing, source) ?? {inputPerM: null, outputPerM: null, source: null});
		return {
			id: entry.id,
			name: entry.id,
			provider: preset.name,
			baseURL,
			apiKeyEnv: apiKeyEnv ?? null,
			headers: preset.headers,
			price,
			priceProvider: known?.priceProvider ?? preset.priceProvider ?? null,
			reasoning: false,
			reference: null,
		};
	});
}
