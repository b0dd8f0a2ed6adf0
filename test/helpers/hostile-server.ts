// A hostile OpenAI-compatible server on 127.0.0.1 (docs/untrusted-text.md, issue 15): everything it sends that llmrace might print
// tries to act on the reader's terminal. Its answers and reasoning carry OSC 0/2 titles (BEL- and ST-terminated),
// an OSC 8 hyperlink, OSC 52 clipboard writes, CSI clears and cursor moves, a bare CR that would overwrite a line,
// BEL, the 8-bit C1 CSI/OSC introducers and bidi overrides (some sequences split across chunks), and markup, backticks
// and pipes for the reports. One model fails with a 400 whose message retitles the terminal and clears it; the served
// model name (`model` in each chunk) is hostile too; `GET /v1/models` lists them all, the first a spreadsheet formula.
import type {ServerResponse} from 'node:http';
import {chunk, openStream, send, sleep, startServer, type TestServer} from './server.js';

/** The ids `GET /v1/models` lists, in order. */
export const hostileIds = {
	/** A CSV formula with a Markdown pipe: the OWASP example, straight from `/models`. */
	formula: '=HYPERLINK("http://x","y")|x',
	/** Escape sequences and a bidi override in an id (they travel in the request JSON, escaped). */
	escapes: 'esc\u001B]0;ID-TITLE\u0007\u001B[2J\u202Emodel',
	/** Streams its hostile text as reasoning first, then an answer. */
	thinker: 'thinker@evil',
	/** Answers HTTP 400 with a message that retitles and clears the terminal. */
	broken: 'broken-400',
} as const;

/** What a sequence sets the title to, or rings, or writes: none of these may reach a terminal as a sequence. */
export const payloads = {
	titleSt: '\u001B]0;PWNED-TITLE\u001B\\',
	titleBel: '\u001B]2;PWNED-TITLE2\u0007',
	hyperlink: '\u001B]8;;http://evil.example/\u001B\\click\u001B]8;;\u001B\\',
	clipboard: '\u001B]52;c;cHduZWQgY2xpcGJvYXJk\u0007',
	clipboardSt: '\u001B]52;p;cHduZWQ=\u001B\\',
	clear: '\u001B[2J\u001B[H',
	up: '\u001B[5A',
	overwrite: 'FAKE LINE\rq quit',
	bell: 'ding\u0007',
	c1: '\u009B2J\u009D0;C1-TITLE\u0007',
	bidi: '\u202Eevil\u202C \u2066isolated\u2069',
} as const;

/** The 400's message: a title sequence and a screen clear, as issue 15 found. */
export const hostileErrorMessage = 'bad request\u001B]0;ERR-TITLE\u0007\u001B[2J\u001B[H\u001B]52;c;ZXJy\u0007\u0007 \u202Eevil';

/** The answer, chunk by chunk: every payload whole, then a few split across chunks (ESC in one chunk, the rest in the next). */
export const answerChunks: readonly string[] = [
	'Hello ',
	payloads.titleSt,
	' one ',
	payloads.titleBel,
	' two ',
	payloads.hyperlink,
	' three ',
	payloads.clipboard,
	payloads.clipboardSt,
	' four ',
	payloads.clear,
	payloads.up,
	' five\n',
	payloads.overwrite,
	'\n',
	payloads.bell,
	' ',
	payloads.c1,
	' ',
	payloads.bidi,
	' split ',
	'\u001B',
	']0;SPLIT-TITLE',
	'\u0007',
	'\u001B',
	']52;c;c3BsaXQ=\u001B',
	'\\',
	' <script>alert("answer")</script><img src=x onerror=alert(2)> `tick` | pipe |',
	' end.',
];

/** The reasoning, chunk by chunk. */
export const reasoningChunks: readonly string[] = [
	'thinking ',
	payloads.titleBel,
	payloads.clipboard,
	payloads.clear,
	payloads.bell,
	payloads.c1,
	payloads.bidi,
	' done',
];

/** A served model name that tries to retitle (llmrace keeps it as `servedModel`). */
export const hostileServedModel = 'served\u001B]0;SERVED-TITLE\u0007\u009B2J';

export type HostileServer = TestServer & {
	readonly ids: readonly string[];
	/**
	 * Hold every answer that starts from now on right after its first chunk (`Hello `) until the returned
	 * function is called: a test that must see the race screen mid-stream waits for it instead of racing a clock.
	 */
	readonly holdAnswers: () => () => void;
};

async function streamChunks(
	response: ServerResponse,
	reasoning: readonly string[],
	answer: readonly string[],
	gapMs: number,
	hold: Promise<void>,
): Promise<void> {
	openStream(response);
	await sleep(30);
	const event = (delta: Record<string, unknown>, finish: string | null = null) => ({...chunk(delta, finish), model: hostileServedModel});
	send(response, event({role: 'assistant', content: ''}));
	for (const piece of reasoning) {
		send(response, event({reasoning_content: piece}));
		await sleep(gapMs);
	}

	for (const [index, piece] of answer.entries()) {
		send(response, event({content: piece}));
		await (index === 0 ? hold : sleep(gapMs));
	}

	send(response, event({}, 'stop'));
	send(response, {
		id: 'c1',
		object: 'chat.completion.chunk',
		created: 1,
		model: hostileServedModel,
		choices: [],
		usage: {prompt_tokens: 5, completion_tokens: answer.length, total_tokens: answer.length + 5},
	});
	response.end('data: [DONE]\n\n');
}

/** Start the hostile server; `close()` it in afterAll. `gapMs` between chunks: larger keeps the race on screen longer. */
export async function startHostileServer(gapMs = 4): Promise<HostileServer> {
	const ids = Object.values(hostileIds);
	let hold: Promise<void> = Promise.resolve();
	const server = await startServer(async (request, response) => {
		if (request.url.endsWith('/models')) {
			response.writeHead(200, {'content-type': 'application/json'});
			response.end(JSON.stringify({object: 'list', data: ids.map(id => ({id, object: 'model', owned_by: 'evil\u001B]0;OWNER\u0007'}))}));
			return;
		}

		const model = String(request.body.model);
		if (model === hostileIds.broken) {
			await sleep(20);
			response.writeHead(400, {'content-type': 'application/json'});
			response.end(JSON.stringify({error: {message: hostileErrorMessage, type: 'invalid_request_error', code: null}}));
			return;
		}

		await streamChunks(response, model === hostileIds.thinker ? reasoningChunks : [], answerChunks, gapMs, hold);
	});
	const holdAnswers = () => {
		let release: () => void = () => {};
		hold = new Promise<void>(resolve => {
			release = resolve;
		});
		return release;
	};

	return {...server, ids, holdAnswers};
}
