// The Headers and Response our fetch hands the SDK, without undici. Node 20's global Headers,
// Response and Request are undici's, loaded the first time any of them is touched: ~26 ms of a fresh
// thread's CPU (a ~1 MB module), measured on this project's 2-core machine, and a stamping thread
// touched them before its first request (docs/stamping-threads.md, start-up). The SDK needs
// little of them: headers to build and read, a status, and an error body to read as text.
import {Buffer} from 'node:buffer';
import type {Readable} from 'node:stream';
import type {ResponseBody} from './http1.js';

type HeaderRows = Iterable<readonly [string, string]> | Iterable<readonly string[]>;

const token = /^[!#$%&'*+\-.^_`|~\dA-Za-z]+$/;
// A value fetch refuses: NUL, CR or LF anywhere.
const badValue = /[\0\r\n]/;
// Leading and trailing HTTP whitespace (tab, LF, CR, space), which fetch strips from a value.
const outerWhitespace = /^[\t\n\r ]+|[\t\n\r ]+$/g;

function headerName(name: string): string {
	const text = String(name);
	if (!token.test(text)) {
		throw new TypeError(`invalid header name ${JSON.stringify(text)}`);
	}

	return text.toLowerCase();
}

function headerValue(name: string, value: string): string {
	const text = String(value).replace(outerWhitespace, '');
	if (badValue.test(text)) {
		throw new TypeError(`invalid value for header ${name}`);
	}

	return text;
}

/**
 * Headers as fetch keeps them: names lower-cased, checked as HTTP tokens, values trimmed and checked,
 * repeated values joined with ", " (set-cookie kept apart), iterated in name order.
 */
export class FetchHeaders implements Headers {
	readonly #values = new Map<string, string[]>();

	constructor(init?: HeadersInit | null) {
		if (init === undefined || init === null) {
			return;
		}

		if (typeof (init as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function') {
			for (const row of init as HeaderRows) {
				if (row.length !== 2) {
					throw new TypeError('a header row must be a name and a value');
				}

				this.append(row[0]!, row[1]!);
			}

			return;
		}

		for (const [name, value] of Object.entries(init as Record<string, string>)) {
			this.append(name, value);
		}
	}

	append(name: string, value: string): void {
		const key = headerName(name);
		const text = headerValue(key, value);
		const values = this.#values.get(key);
		if (values) {
			values.push(text);
		} else {
			this.#values.set(key, [text]);
		}
	}

	set(name: string, value: string): void {
		const key = headerName(name);
		this.#values.set(key, [headerValue(key, value)]);
	}

	delete(name: string): void {
		this.#values.delete(headerName(name));
	}

	get(name: string): string | null {
		return this.#values.get(headerName(name))?.join(', ') ?? null;
	}

	has(name: string): boolean {
		return this.#values.has(headerName(name));
	}

	getSetCookie(): string[] {
		return [...(this.#values.get('set-cookie') ?? [])];
	}

	forEach(callback: (value: string, key: string, parent: Headers) => void, thisArgument?: unknown): void {
		for (const [name, value] of this) {
			callback.call(thisArgument, value, name, this);
		}
	}

	*entries(): IterableIterator<[string, string]> {
		for (const name of [...this.#values.keys()].sort()) {
			const values = this.#values.get(name)!;
			if (name === 'set-cookie') {
				for (const value of values) {
					yield [name, value];
				}
			} else {
				yield [name, values.join(', ')];
			}
		}
	}

	*keys(): IterableIterator<string> {
		for (const [name] of this.entries()) {
			yield name;
		}
	}

	*values(): IterableIterator<string> {
		for (const [, value] of this.entries()) {
			yield value;
		}
	}

	[Symbol.iterator](): IterableIterator<[string, string]> {
		return this.entries();
	}
}

/** A response's body as it arrives: straight from the connection (http1.ts), or a Node stream that decompresses it. */
export type BodyStream = ResponseBody | Readable;

/** How a response's body is held: read directly once (`claimRawBody`), or read whole, bounded, once. */
export type BodySource = {
	readonly message: BodyStream;
	claimed: 'raw' | 'read' | null;
	/** The bounded bytes, once something asked for them (every clone shares them). */
	bytes?: Promise<Buffer>;
};

/** At most `limit` bytes of `body`, then the stream is destroyed (the connection closes). */
function readBounded(body: BodyStream, limit: number): Promise<Buffer> {
	return new Promise<Buffer>((resolve, reject) => {
		const pieces: Buffer[] = [];
		let kept = 0;
		let settled = false;
		const finish = () => {
			if (!settled) {
				settled = true;
				resolve(Buffer.concat(pieces, kept));
			}
		};

		body.on('data', (chunk: Buffer) => {
			if (settled) {
				return;
			}

			const piece = chunk.byteLength > limit - kept ? chunk.subarray(0, limit - kept) : chunk;
			pieces.push(piece);
			kept += piece.byteLength;
			if (kept >= limit) {
				finish();
				body.destroy();
			}
		});
		body.on('end', finish);
		body.on('error', error => {
			if (!settled) {
				settled = true;
				reject(error);
			}
		});
		body.on('close', finish);
	});
}

export type FetchResponseInit = {
	readonly status: number;
	readonly statusText: string;
	readonly headers: FetchHeaders;
	readonly url: string;
	/** Where the body is, for reading it directly (`claimRaw`); null for a response without one. */
	readonly body: BodySource | null;
	/** Whether `text()` and the rest read it; false for one only read directly (a successful event stream). */
	readonly readable: boolean;
	/** The most of the body `text()` and the rest read; the connection is closed there. */
	readonly limitBytes: number;
};

/**
 * A response as fetch gives one, for the SDK: status, headers and a body read as text, JSON or a
 * web stream, at most `limitBytes` of it. Unlike fetch's, the body may be read more than once (every
 * read and every clone share one reading), so reading the error body here does not take it from the SDK.
 */
export class FetchResponse implements Response {
	readonly status: number;
	readonly statusText: string;
	readonly headers: FetchHeaders;
	readonly url: string;
	readonly ok: boolean;
	readonly redirected = false;
	readonly type = 'basic' as const;
	readonly #init: FetchResponseInit;
	#body: ReadableStream<Uint8Array<ArrayBuffer>> | undefined;

	constructor(init: FetchResponseInit) {
		this.#init = init;
		this.status = init.status;
		this.statusText = init.statusText;
		this.headers = init.headers;
		this.url = init.url;
		this.ok = init.status >= 200 && init.status <= 299;
	}

	get bodyUsed(): boolean {
		return this.#init.body?.claimed === 'raw';
	}

	/** The body as a web stream (made when asked for: most responses are never read this way). */
	get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
		if (!this.#init.body || !this.#init.readable) {
			return null;
		}

		this.#body ??= new ReadableStream<Uint8Array<ArrayBuffer>>(
			{
				pull: async controller => {
					const bytes = await this.#bytes();
					if (bytes.byteLength > 0) {
						controller.enqueue(new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength));
					}

					controller.close();
				},
				cancel: () => {
					this.#init.body?.message.destroy();
				},
			},
			{highWaterMark: 0},
		);
		return this.#body;
	}

	async #bytes(): Promise<Buffer> {
		const source = this.#init.body;
		if (!source || !this.#init.readable) {
			return Buffer.alloc(0);
		}

		if (source.claimed === 'raw') {
			throw new TypeError('the body is being read directly');
		}

		source.claimed = 'read';
		source.bytes ??= readBounded(source.message, this.#init.limitBytes);
		return source.bytes;
	}

	async text(): Promise<string> {
		return new TextDecoder().decode(await this.#bytes());
	}

	async json(): Promise<unknown> {
		return JSON.parse(await this.text()) as unknown;
	}

	async arrayBuffer(): Promise<ArrayBuffer> {
		const bytes = await this.#bytes();
		return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
	}

	async bytes(): Promise<Uint8Array<ArrayBuffer>> {
		return new Uint8Array(await this.arrayBuffer());
	}

	async blob(): Promise<Blob> {
		return new Blob([await this.arrayBuffer()], {type: this.headers.get('content-type') ?? ''});
	}

	async formData(): Promise<FormData> {
		throw new TypeError('this fetch does not read form data');
	}

	clone(): FetchResponse {
		return new FetchResponse(this.#init);
	}

	/** The stream under the body, once, for reading it directly; null once anything else read it. */
	claimRaw(): BodyStream | null {
		const source = this.#init.body;
		if (!source || source.claimed !== null) {
			return null;
		}

		source.claimed = 'raw';
		return source.message;
	}
}
