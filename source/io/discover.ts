// `models: discover`: ask an OpenAI-compatible server which models it serves (GET /models).
// A listing that carries prices (OpenRouter's `pricing`) prices the models it lists (docs/presets.md "Prices").
import {Buffer} from 'node:buffer';
import http from 'node:http';
import https from 'node:https';
import {PresetError} from '../core/presets/presets.js';
import {listingPrice, listingSource} from '../core/presets/prices.js';
import {messageFromBody} from '../core/http/errors.js';
import {sanitizeLine} from '../core/text/sanitize.js';
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

/** A listing larger than this is refused: a server's text is untrusted, and memory is the user's. */
export const listingLimitBytes = 8 * 1024 * 1024;

type Listing = {readonly status: number; readonly text: string};

class ListingTooLarge extends Error {}

/**
 * GET the listing on a connection of its own (never one a timed run could reuse: that run's phases would
 * lose their connect), with `--insecure` honoured, at most `listingLimitBytes` read, within `timeoutMs`.
 */
async function getListing(url: string, headers: Record<string, string>, timeoutMs: number, insecure: boolean): Promise<Listing> {
	const secure = url.startsWith('https:');
	return new Promise((resolve, reject) => {
		const request = (secure ? https : http).get(
			url,
			{
				headers: {accept: 'application/json', ...headers},
				agent: false,
				timeout: timeoutMs,
				...(secure ? {rejectUnauthorized: !insecure} : {}),
			},
			response => {
				const parts: Buffer[] = [];
				let size = 0;
				response.on('data', (part: Buffer) => {
					size += part.byteLength;
					if (size > listingLimitBytes) {
						request.destroy(new ListingTooLarge(`the listing is over ${listingLimitBytes / 1024 / 1024} MiB: not read further`));
						return;
					}

					parts.push(part);
				});
				response.on('end', () => {
					resolve({status: response.statusCode ?? 0, text: Buffer.concat(parts).toString('utf8')});
				});
				response.on('error', reject);
			},
		);
		request.on('timeout', () => {
			request.destroy(Object.assign(new Error('timed out'), {code: `no answer within ${timeoutMs / 1000} s`}));
		});
		request.on('error', reject);
	});
}

/** Why a listing got no answer, in a word or two: the system's code (ECONNREFUSED, ENOTFOUND…; every address's when several were tried). */
function unreachableReason(error: unknown): string {
	const record = error as {code?: unknown; errors?: unknown; message?: unknown};
	const tried = Array.isArray(record.errors) ? (record.errors as Array<{code?: unknown} | undefined>).map(each => each?.code) : [];
	const codes = [...new Set([record.code, ...tried].filter((code): code is string => typeof code === 'string' && code.length > 0))];
	return codes.length > 0 ? codes.join(', ') : String(record.message ?? error);
}

export type DiscoverOptions = {
	readonly timeoutMs?: number | undefined;
	/** Accept a self-signed certificate (--insecure). */
	readonly insecure?: boolean | undefined;
	/** The date a listing's prices are said to be from. */
	readonly now?: Date | undefined;
};

export async function discoverModels(preset: Preset, env: NodeJS.ProcessEnv, options: DiscoverOptions = {}): Promise<ModelSpec[]> {
	const {timeoutMs = 5000, insecure = false, now = new Date()} = options;
	const baseURL = preset.baseURL;
	if (!baseURL) {
		throw new PresetError(`${preset.file}: baseURL: required with "models: discover"`);
	}

	const url = `${baseURL.replace(/\/+$/, '')}/models`;
	const apiKeyEnv = preset.apiKeyEnv;
	const key = apiKeyEnv ? env[apiKeyEnv] : undefined;
	let response: Listing;
	try {
		// The preset's headers (already expanded, with --header's) go with the listing, as with every request.
		response = await getListing(url, {...(key ? {authorization: `Bearer ${key}`} : {}), ...preset.headers}, timeoutMs, insecure);
	} catch (error) {
		if (error instanceof ListingTooLarge) {
			throw new Error(`cannot list models: GET ${url}: ${error.message}`);
		}

		throw new Error(`cannot list models: ${url} is unreachable (${unreachableReason(error)}); is the server running?`);
	}

	if (response.status < 200 || response.status >= 300) {
		// The server's own words (a JSON error's message, an HTML page's title), as a run's error keeps them.
		const said = messageFromBody(response.text);
		throw new Error(`cannot list models: GET ${url} answered HTTP ${response.status}${said ? `: ${sanitizeLine(said)}` : ''}`);
	}

	let body: {data?: unknown} | undefined;
	try {
		body = JSON.parse(response.text) as {data?: unknown};
	} catch {}

	const entries = (Array.isArray(body?.data) ? (body.data as unknown[]) : []).filter(
		(entry): entry is {id: string; pricing?: unknown} =>
			entry !== null && typeof entry === 'object' && typeof (entry as {id?: unknown}).id === 'string' && (entry as {id: string}).id.length > 0,
	);
	if (entries.length === 0) {
		throw new Error(`cannot list models: GET ${url} listed no models`);
	}

	const source = listingSource(listedBy(preset, baseURL), now);
	const seen = new Set<string>();
	return entries
		.filter(entry => !seen.has(entry.id) && seen.add(entry.id))
		.map(entry => {
			// The preset's own price comes first, then the listing's; the database later fills what is left.
			const known = preset.models.find(model => model.id === entry.id);
			const price =
				known && known.price.outputPerM !== null ? known.price : (listingPrice(entry.pricing, source) ?? {inputPerM: null, outputPerM: null, source: null});
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
