// `models: discover`: ask an OpenAI-compatible server which models it serves (GET /models).
import {PresetError} from '../core/presets.js';
import type {ModelSpec, Preset} from '../core/types.js';

export async function discoverModels(preset: Preset, env: NodeJS.ProcessEnv, timeoutMs = 5000): Promise<ModelSpec[]> {
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

	const body = await response.json().catch(() => undefined) as {data?: Array<{id?: unknown}>} | undefined;
	const ids = (body?.data ?? []).map(entry => entry.id).filter((id): id is string => typeof id === 'string' && id.length > 0);
	if (ids.length === 0) {
		throw new Error(`cannot list models: GET ${url} listed no models`);
	}

	return ids.map(id => ({
		id,
		name: id,
		provider: preset.name,
		baseURL,
		apiKeyEnv: apiKeyEnv ?? null,
		headers: preset.headers,
		price: {inputPerM: null, outputPerM: null},
		reasoning: false,
		reference: null,
	}));
}
