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

/**
 * Why fetch got no answer, in a word or two: the system's code (ECONNREFUSED, ENOTFOUND, ECONNRESET…; every
 * address's when several were tried), never fetch's own "TypeError".
 */
function unreachableReason(error: unknown, timeoutMs: number): string {
	if ((error as Error).name === 'TimeoutError') {
		return `no answer within ${timeoutMs / 1000} s`;
	}

	const cause = (error as {cause?: {code?: unknown; errors?: unknown; message?: unknown}}).cause;
	const tried = Array.isArray(cause?.errors) ? (cause.errors as Array<{code?: unknown}>).map(each => each?.code) : [];
	const codes = [...new Set([cause?.code, ...tried].filter((code): code is string => typeof code === 'string' && code.length > 0))];
	if (codes.length > 0) {
		return codes.join(', ');
	}

	return typeof cause?.message === 'string' && cause.message ? cause.message : (error as Error).message;
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
		// fetch never connects to some ports (1, 6000, 6667…: the Fetch standard's "bad ports").
		if ((error as {cause?: {message?: unknown}}).cause?.message === 'bad port') {
			throw new Error(`cannot list models: ${url}: port ${new URL(url).port} is one that fetch never connects to; serve on another port`);
		}

		throw new Error(`cannot list models: ${url} is unreachable (${unreachableReason(error, timeoutMs)}); is the server running?`);
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
