// Why a run failed, in one line naming the host: statuses, network errors, broken streams.
import {APIConnectionError, APIConnectionTimeoutError, APIError} from './sdk.js';
import {SseLimitError} from './sse.js';
import type {ModelSpec, RunError, RunStatus} from '../types.js';

/** Why our own side stopped a run (the user, or one of its limits). */
export type StopReason = {readonly kind: 'aborted'} | {readonly kind: 'timeout'; readonly message: string};

export function hostOf(baseURL: string): string {
	try {
		return new URL(baseURL).host;
	} catch {
		return baseURL;
	}
}

export function oneLine(text: string, max = 300): string {
	const flat = text.replaceAll(/\s+/g, ' ').trim();
	return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The server's own message from an error body: JSON `error.message`, `message`, `detail`, else the text. */
export function messageFromBody(body: string): string {
	try {
		const json = JSON.parse(body) as unknown;
		if (json && typeof json === 'object') {
			const record = json as Record<string, unknown>;
			const error = record['error'];
			if (typeof error === 'string') {
				return oneLine(error);
			}

			if (error && typeof error === 'object') {
				const message = (error as Record<string, unknown>)['message'];
				if (typeof message === 'string') {
					return oneLine(message);
				}
			}

			for (const key of ['message', 'detail']) {
				if (typeof record[key] === 'string') {
					return oneLine(record[key]);
				}
			}
		}
	} catch {}

	return htmlTitle(body) ?? oneLine(body);
}

/**
 * An HTML error page (a proxy's `502 Bad Gateway`) said as its title, or its first heading:
 * `502 Bad Gateway (an HTML page)`; null when the body is not HTML.
 */
export function htmlTitle(body: string): string | null {
	if (!/^\s*<(!doctype\s+html|html|head|body|title|h1)\b/i.test(body)) {
		return null;
	}

	const heading = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(body)?.[1] ?? /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(body)?.[1] ?? '';
	const text = oneLine(
		heading
			.replaceAll(/<[^>]*>/g, ' ')
			.replaceAll(/&(amp|lt|gt|quot|#39);/g, (_match, name: string) => ({amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'"})[name] ?? ''),
		120,
	);
	return text ? `${text} (an HTML page)` : 'an HTML page';
}

function retryAfterSeconds(headers: Headers | undefined): number | undefined {
	const value = headers?.get('retry-after');
	if (!value) {
		return undefined;
	}

	const secondsValue = Number(value);
	if (Number.isFinite(secondsValue)) {
		return secondsValue;
	}

	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, Math.round((date - Date.now()) / 1000));
}

function kindOfStatus(status: number): RunError['kind'] {
	if (status === 401 || status === 403) {
		return 'auth';
	}

	if (status === 404) {
		return 'not_found';
	}

	if (status === 429) {
		return 'rate_limit';
	}

	if (status === 408) {
		return 'timeout';
	}

	return status >= 500 ? 'server' : 'bad_request';
}

const networkCodes: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection reset',
	ENOTFOUND: 'host not found (DNS)',
	EAI_AGAIN: 'DNS lookup failed',
	ETIMEDOUT: 'connection timed out',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	EPIPE: 'connection closed',
	UND_ERR_SOCKET: 'connection closed by the server',
	UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
};

function causeChain(error: unknown): Array<{code?: string; message?: string}> {
	const chain: Array<{code?: string; message?: string}> = [];
	let current: unknown = error;
	for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
		const record = current as {code?: unknown; message?: unknown; cause?: unknown};
		chain.push({
			code: typeof record.code === 'string' ? record.code : undefined,
			message: typeof record.message === 'string' ? record.message : undefined,
		});
		current = record.cause;
	}

	return chain;
}

/** A network failure (refused, reset, DNS, TLS) described in one line, naming the host. */
function networkError(error: unknown, host: string, midStream: boolean): RunError {
	const chain = causeChain(error);
	const known = chain.find(link => link.code && (networkCodes[link.code] || /CERT|SSL|TLS/.test(link.code)));
	let what: string;
	if (known?.code && networkCodes[known.code]) {
		what = `${networkCodes[known.code]} (${known.code})`;
	} else if (known?.code) {
		what = `TLS failure: ${known.message ?? known.code} (${known.code})`;
	} else {
		const deepest = chain.at(-1)?.message ?? 'connection failed';
		what = deepest === 'terminated' ? 'connection closed by the server' : deepest;
	}

	return {
		kind: 'network',
		status: null,
		message: `${what}${midStream ? ' mid-stream' : ''} — ${host}`,
	};
}

export function isStreamOptionsRejection(status: number | undefined, body: string): boolean {
	return (status === 400 || status === 422) && /stream_options|include_usage/i.test(body);
}

export function classifyFailure(
	caught: unknown,
	stop: StopReason | undefined,
	context: {host: string; model: ModelSpec; hasKey: boolean; errorBody: string | undefined; midStream: boolean},
): {status: RunStatus; error: RunError} {
	if (stop?.kind === 'aborted') {
		return {status: 'aborted', error: {kind: 'aborted', status: null, message: 'stopped by the user'}};
	}

	if (stop?.kind === 'timeout') {
		return {status: 'timeout', error: {kind: 'timeout', status: null, message: stop.message}};
	}

	if (caught instanceof APIConnectionTimeoutError) {
		return {status: 'timeout', error: {kind: 'timeout', status: null, message: `no response headers from ${context.host} within the timeout`}};
	}

	if (caught instanceof APIConnectionError) {
		return {status: 'error', error: networkError(caught, context.host, false)};
	}

	if (caught instanceof APIError) {
		if (caught.status === undefined) {
			// An error event inside a stream that had started well.
			const message = caught.error && typeof caught.error === 'object' ? messageFromBody(JSON.stringify({error: caught.error})) : oneLine(caught.message);
			return {status: 'error', error: {kind: 'server', status: null, message: `error event in the stream: ${message}`}};
		}

		const kind = kindOfStatus(caught.status);
		const location = caught.status >= 300 && caught.status < 400 ? caught.headers?.get('location') : undefined;
		if (location) {
			// Not followed: a hidden second request would sit inside the TTFT. The base URL is what is wrong.
			return {
				status: 'error',
				error: {
					kind,
					status: caught.status,
					message: `HTTP ${caught.status}: ${context.host} redirects to ${oneLine(location, 200)} (set the preset's baseURL to where it points)`,
				},
			};
		}

		let message = context.errorBody === undefined ? oneLine(caught.message.replace(/^\d{3}\s*/, '')) : messageFromBody(context.errorBody);
		if (!message) {
			message = `HTTP ${caught.status}`;
		}

		if (kind === 'auth') {
			const variable = context.model.apiKeyEnv;
			message += variable
				? context.hasKey
					? ` (API key from $${variable})`
					: ` (no API key: set $${variable})`
				: ' (this model has no apiKeyEnv in its preset)';
		}

		if (kind === 'not_found') {
			message += ` (model "${context.model.id}" at ${context.host})`;
		}

		const wait = kind === 'rate_limit' ? retryAfterSeconds(caught.headers) : undefined;
		if (wait !== undefined) {
			message += ` (server asks to retry after ${wait} s)`;
		}

		return {
			status: kind === 'timeout' ? 'timeout' : 'error',
			error: {kind, status: caught.status, message, ...(wait === undefined ? {} : {retryAfterSeconds: wait})},
		};
	}

	if (caught instanceof SseLimitError) {
		return {status: 'error', error: {kind: 'protocol', status: null, message: caught.message}};
	}

	if (caught instanceof SyntaxError) {
		return {status: 'error', error: {kind: 'protocol', status: null, message: `malformed JSON in the stream: ${oneLine(caught.message, 160)}`}};
	}

	const chain = causeChain(caught);
	if (chain.some(link => link.code && (networkCodes[link.code] || /CERT|SSL|TLS/.test(link.code))) || chain.some(link => link.message === 'terminated')) {
		return {status: 'error', error: networkError(caught, context.host, context.midStream)};
	}

	const message = caught instanceof Error ? caught.message : String(caught);
	return {status: 'error', error: {kind: 'protocol', status: null, message: oneLine(message)}};
}
