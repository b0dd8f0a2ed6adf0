// The Headers and Response our fetch hands the SDK (core/http/fetch-response.ts): the headers behave as
// fetch's own (undici's, run side by side here), the body reads once, bounded, for every reader.
import {PassThrough} from 'node:stream';
import {describe, expect, it} from 'vitest';
import {FetchHeaders, FetchResponse, type BodySource} from '../../../../source/core/http/fetch-response.js';

type Step = readonly ['append' | 'set', string, string] | readonly ['delete', string];

/** Apply the same steps to ours and to fetch's Headers; each throws, or neither does. */
function both(init: HeadersInit | undefined, steps: readonly Step[]): {ours: FetchHeaders; theirs: Headers} {
	const ours = new FetchHeaders(init);
	const theirs = new Headers(init);
	for (const step of steps) {
		const run = (headers: Headers) => () => {
			if (step[0] === 'delete') {
				headers.delete(step[1]);
			} else {
				headers[step[0]](step[1], step[2]);
			}
		};

		let failed = false;
		try {
			run(theirs)();
		} catch {
			failed = true;
		}

		if (failed) {
			expect(run(ours), JSON.stringify(step)).toThrow(TypeError);
		} else {
			run(ours)();
		}
	}

	return {ours, theirs};
}

function sameAs(ours: FetchHeaders, theirs: Headers, names: readonly string[]): void {
	expect([...ours]).toEqual([...theirs]);
	expect([...ours.keys()]).toEqual([...theirs.keys()]);
	expect([...ours.values()]).toEqual([...theirs.values()]);
	expect(ours.getSetCookie()).toEqual(theirs.getSetCookie());
	for (const name of names) {
		expect(ours.get(name), name).toBe(theirs.get(name));
		expect(ours.has(name), name).toBe(theirs.has(name));
	}

	const seen: string[] = [];
	ours.forEach((value, name, parent) => {
		expect(parent).toBe(ours);
		seen.push(`${name}=${value}`);
	});
	expect(seen).toEqual([...theirs].map(([name, value]) => `${name}=${value}`));
}

describe('FetchHeaders, beside fetch’s own Headers', () => {
	it('takes a record, rows or another Headers, lower-cases names, joins repeats, sorts, keeps set-cookie apart', () => {
		const record = {'Content-Type': 'application/json', 'X-Stainless-Lang': 'js', Authorization: 'Bearer k'};
		const rows: Array<[string, string]> = [
			['Set-Cookie', 'a=1'],
			['x-b', '1'],
			['X-B', '2'],
			['set-cookie', 'b=2'],
			['accept', 'text/event-stream'],
		];
		const names = ['content-type', 'CONTENT-TYPE', 'x-b', 'set-cookie', 'accept', 'missing', 'authorization'];
		for (const init of [record, rows, new Headers(rows), new FetchHeaders(rows), undefined]) {
			const {ours, theirs} = both(init as HeadersInit, []);
			sameAs(ours, theirs, names);
		}
	});

	it('appends, sets and deletes as fetch does, trims values, and refuses what fetch refuses', () => {
		const steps: Step[] = [
			['append', 'X-Retry', '1'],
			['append', 'x-retry', ' 2\t'],
			['set', 'Accept', 'application/json'],
			['append', 'accept', 'text/plain'],
			['delete', 'X-RETRY'],
			['append', 'x-stainless-timeout', '600'],
			['append', 'x-trim', ' \t v w \n'],
			['set', 'Set-Cookie', 'a=1'],
			['append', 'set-cookie', 'b=2'],
			['append', 'bad name', 'v'],
			['append', 'x-newline', 'a\r\nb'],
			['set', 'x-nul', 'a\u0000b'],
			['append', '', 'v'],
			['append', 'x-empty', ''],
			['delete', 'bad name'],
		];
		const {ours, theirs} = both(undefined, steps);
		sameAs(ours, theirs, ['x-retry', 'x-trim', 'accept', 'x-stainless-timeout', 'set-cookie', 'x-empty', 'x-newline']);
	});

	it('refuses a row that is not a name and a value', () => {
		expect(() => new FetchHeaders([['a']] as unknown as HeadersInit)).toThrow(TypeError);
		expect(() => new Headers([['a']] as unknown as HeadersInit)).toThrow(TypeError);
	});
});

function responseOver(source: PassThrough, readable = true, limitBytes = 16): {response: FetchResponse; body: BodySource} {
	const body: BodySource = {message: source, claimed: null};
	const response = new FetchResponse({
		status: 500,
		statusText: 'Internal Server Error',
		headers: new FetchHeaders({'content-type': 'application/json'}),
		url: 'http://127.0.0.1:1/v1/chat/completions',
		body,
		readable,
		limitBytes,
	});
	return {response, body};
}

describe('FetchResponse', () => {
	it('says its status, reads its body once for every reader and clone, and never past its limit', async () => {
		const source = new PassThrough();
		const {response} = responseOver(source, true, 16);
		expect(response.ok).toBe(false);
		expect(response.status).toBe(500);
		expect(response.statusText).toBe('Internal Server Error');
		expect(response.url).toBe('http://127.0.0.1:1/v1/chat/completions');
		expect(response.headers.get('Content-Type')).toBe('application/json');
		const clone = response.clone();
		const reads = Promise.all([clone.text(), response.text(), response.arrayBuffer()]);
		source.write('{"error":');
		source.write('{"message":"über full"}}');
		const [text, again, buffer] = await reads;
		// 16 bytes: the reading stops there, the stream is destroyed.
		expect(text).toBe('{"error":{"messa');
		expect(again).toBe(text);
		expect(Buffer.from(buffer).toString()).toBe(text);
		expect(source.destroyed).toBe(true);
		expect(response.claimRaw()).toBeNull();
	});

	it('gives its body as a web stream, and as JSON', async () => {
		const source = new PassThrough();
		const {response} = responseOver(source, true, 1024);
		source.end('{"a":"é"}');
		const reader = response.body!.getReader();
		const pieces: Uint8Array[] = [];
		for (let read = await reader.read(); !read.done; read = await reader.read()) {
			pieces.push(read.value);
		}

		expect(Buffer.concat(pieces).toString()).toBe('{"a":"é"}');
		expect(response.body).toBe(response.body);
		expect(await response.clone().json()).toEqual({a: 'é'});
	});

	it('hands its stream over once for direct reading; after that nothing else reads it', async () => {
		const source = new PassThrough();
		const {response, body} = responseOver(source);
		expect(response.claimRaw()).toBe(source);
		expect(body.claimed).toBe('raw');
		expect(response.bodyUsed).toBe(true);
		expect(response.claimRaw()).toBeNull();
		await expect(response.text()).rejects.toThrow(/read directly/);
	});

	it('a body only for direct reading (an event stream) has no web body and reads as empty text', async () => {
		const source = new PassThrough();
		const {response} = responseOver(source, false);
		expect(response.body).toBeNull();
		expect(await response.text()).toBe('');
		expect(response.claimRaw()).toBe(source);
	});

	it('rejects a read when its stream fails', async () => {
		const source = new PassThrough();
		const {response} = responseOver(source);
		const reading = response.text();
		source.destroy(new Error('socket hang up'));
		await expect(reading).rejects.toThrow('socket hang up');
	});
});
