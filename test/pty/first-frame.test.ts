// The live race screen's first frame: the header and the queued panels come before any token,
// drawn while the engine warms up. A real pseudo-terminal (node-pty) read through a real terminal
// emulator (@xterm/headless); no timing assertions, only what is on screen and in which order.
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import type {Transcript} from '../../source/core/types.js';
import {killScreens, spawnScreen} from '../helpers/live-screen.js';
import {moduleHooks} from '../helpers/module-hooks.js';
import {spawnPty, type PtySession} from '../helpers/pty.js';
import {answerEvents, startServer, streamEvents, type TestServer} from '../helpers/server.js';

/**
 * A preload that makes every worker thread of the child (the engine's, the simulator's) wait at its
 * very first line until the `gate` file exists.
 */
function holdWorkers(): {gate: string; preload: string} {
	const dir = mkdtempSync(path.join(tmpdir(), 'llmrace-ff-gate-'));
	const gate = path.join(dir, 'open');
	const preload = path.join(dir, 'hold-workers.mjs');
	writeFileSync(
		preload,
		`import {isMainThread} from 'node:worker_threads';\nimport {existsSync} from 'node:fs';\nif (!isMainThread) {\n\tconst pause = new Int32Array(new SharedArrayBuffer(4));\n\twhile (!existsSync(${JSON.stringify(gate)})) Atomics.wait(pause, 0, 0, 20);\n}\n`,
	);
	return {gate, preload};
}

/**
 * The first frame whole: the header and `panels` panels. A frame is one write, but nothing promises that the
 * terminal hands it over in one read, and the screen is checked after each read.
 */
function frameWith(panels: number): (text: string) => boolean {
	return text => text.includes('llmrace “Explain recursion”') && (text.match(/\bqueued\b/g)?.length ?? 0) >= panels;
}

let server: TestServer | undefined;
const terms: PtySession[] = [];
afterEach(async () => {
	killScreens();
	for (const term of terms.splice(0)) {
		term.dispose();
	}

	await server?.close();
	server = undefined;
});

describe('the first frame', () => {
	it("a --base-url race: the header (the server's host) and every listed model queued, drawn while the engine cannot start; then the race", async () => {
		let release: () => void = () => {};
		const released = new Promise<void>(resolve => {
			release = resolve;
		});
		const chatRequestsAtFirstFrame: number[] = [];
		server = await startServer(async (request, response) => {
			if (request.url.endsWith('/models')) {
				response.writeHead(200, {'content-type': 'application/json'});
				response.end(JSON.stringify({object: 'list', data: [{id: 'alpha-1'}, {id: 'beta-2'}]}));
				return;
			}

			// No token before the test has seen the first frame.
			await released;
			await streamEvents(response, answerEvents([`${String(request.body['model'])} answers`, ' here'], {prompt_tokens: 3, completion_tokens: 3}));
		});
		const {host} = new URL(server.baseURL);
		const out = path.join(mkdtempSync(path.join(tmpdir(), 'llmrace-ff-out-')), 'race.json');
		// No t0 waits for a frame, so on a busy machine the engine may ask before the UI thread draws: its
		// threads wait at their first line until the test has seen the first frame (as in the demo's test below).
		const {gate, preload} = holdWorkers();
		const screen = spawnScreen(['--base-url', server.baseURL, '-o', out, 'Explain recursion'], {env: {NODE_OPTIONS: `--import=${preload}`}});
		const first = await screen.waitFor(frameWith(2), 'the header and both panels');
		const chatRequests = () => server!.requests.filter(request => request.url.endsWith('/chat/completions')).length;
		chatRequestsAtFirstFrame.push(chatRequests());
		writeFileSync(gate, '');
		// The race is labelled by the server's host, not by the default (simulated) preset.
		expect(first).toContain(host);
		expect(first).not.toMatch(/\bdemo\b|SIMULATED/);
		expect(first).toMatch(/alpha-1[\s\S]*beta-2/);
		expect(first.match(/\bqueued\b/g)?.length).toBe(2);
		expect(first).not.toMatch(/answers|streaming|tok\/s/);
		// Nothing asked for a token from any other thread (the UI's, the main one) while the engine's were held.
		expect(chatRequestsAtFirstFrame).toEqual([0]);
		// Then the race: both models ask, nothing streams until released.
		await screen.waitFor(() => chatRequests() === 2, 'both requests');
		expect(screen.text()).not.toContain('answers');
		release();
		await screen.waitFor(text => text.includes('alpha-1 answers here') || /Enter answer/.test(text), 'the answers');
		await screen.waitFor(text => /q quit/.test(text), 'the leaderboard');
		screen.type('q');
		expect(await screen.exited).toBe(0);
		const transcript = JSON.parse(readFileSync(out, 'utf8')) as Transcript;
		expect(transcript).toMatchObject({preset: host, simulated: false});
		expect(transcript.models.map(model => [model.id, model.runs[0]!.text])).toEqual([
			['alpha-1', 'alpha-1 answers here'],
			['beta-2', 'beta-2 answers here'],
		]);
	});

	it('the simulated demo: the header and every model queued are on screen while the engine and simulator threads cannot even start', async () => {
		// Every worker thread of the child (the engine's, the simulator's) waits at its very first line
		// until the gate file exists; the test opens the gate only once it has seen the first frame.
		// A first frame that waited for the engine would never come (and the test would time out).
		const {gate, preload} = holdWorkers();
		const screen = spawnScreen(['-m', 'step-3.5-flash,qwen3-8b,kimi-k2.5', '--seed', '3', '--max-tokens', '8', 'Explain recursion'], {
			cols: 200,
			rows: 50,
			env: {NODE_OPTIONS: `--import=${preload}`},
		});
		const first = await screen.waitFor(frameWith(3), 'the header and the three panels');
		writeFileSync(gate, '');
		expect(first).toContain('SIMULATED');
		expect(first).toContain('demo');
		expect(first.match(/\bqueued\b/g)?.length).toBe(3);
		expect(first).not.toMatch(/connecting|thinking|streaming|TTFT \d/);
		await screen.waitFor(text => /q quit/.test(text), 'the leaderboard');
		screen.type('q');
		expect(await screen.exited).toBe(0);
	});

	it("the demo's first frame needs neither yaml nor zod nor string-width: it is drawn while their loading is held back", async () => {
		// The shipped preset comes compiled (distribution/presets.json), Latin text is measured without
		// string-width. A first frame that waited for any of the three would never come.
		const hooks = moduleHooks({hold: ['yaml', 'zod', 'string-width']});
		const screen = spawnScreen(['-m', 'step-3.5-flash,qwen3-8b,kimi-k2.5', '--seed', '3', '--max-tokens', '8', 'Explain recursion'], {
			cols: 120,
			rows: 30,
			env: hooks.env,
		});
		const first = await screen.waitFor(text => text.includes('llmrace “Explain recursion”') && /queued/.test(text), 'the first frame');
		expect(first.match(/\bqueued\b/g)?.length).toBe(3);
		expect(hooks.resolved().some(url => url.endsWith('/distribution/ui/race/frame.js'))).toBe(true);
		expect(hooks.resolved().filter(url => /\/node_modules\/(yaml|zod)\//.test(url))).toEqual([]);
		hooks.open();
		// Then string-width loads (before any later frame), and the race runs as ever.
		await screen.waitFor(text => /q quit/.test(text), 'the leaderboard');
		expect(hooks.resolved().some(url => url.includes('/node_modules/string-width/'))).toBe(true);
		screen.type('q');
		expect(await screen.exited).toBe(0);
	});

	it('a prompt only string-width can measure (an emoji): no frame is drawn until it loads, then every one in its cells', async () => {
		const hooks = moduleHooks({hold: ['string-width']});
		const term = spawnPty(['-m', 'qwen3-8b', '--seed', '3', '--max-tokens', '8', 'Explain 🧑🏽‍💻 recursion'], {
			cols: 100,
			rows: 24,
			wideEmoji: true,
			env: hooks.env,
		});
		terms.push(term);
		// Held back, string-width cannot load: no frame with the prompt can be drawn (nor a crash happen).
		await new Promise(resolve => {
			setTimeout(resolve, 1500);
		});
		expect(term.screen()).not.toContain('Explain');
		hooks.open();
		// The race did not wait for it (it may have ended meanwhile): whatever the first frame shows, it is measured.
		const first = await term.waitFor(/recursion”/);
		expect(first).toContain('llmrace “Explain 🧑🏽‍💻 recursion”');
		// Every row within the terminal's 100 cells, as string-width measures the emoji (2 cells).
		expect(term.wrappedRows()).toEqual([]);
		await term.waitFor(/q quit/);
		expect(term.wrappedRows()).toEqual([]);
		term.write('q');
		expect((await term.exit).exitCode).toBe(0);
	});

	it('q pressed on the first frame stops the race as soon as it starts: the leaderboard shows it stopped', async () => {
		const screen = spawnScreen(['-m', 'step-3.5-flash,qwen3-8b', '--seed', '3', 'Explain recursion'], {cols: 120, rows: 30});
		await screen.waitFor(text => text.includes('llmrace “Explain recursion”') && /queued/.test(text), 'the first frame');
		screen.type('q');
		await screen.waitFor(text => /race stopped/.test(text), 'the stopped leaderboard');
		screen.type('q');
		// Quitting follows the 0/1 rule: nothing completed.
		expect(await screen.exited).toBe(1);
	});

	it('SIGTERM on the first frame, before the engine is ready: the terminal is given back and the exit status is 143', async () => {
		const {gate, preload} = holdWorkers();
		const screen = spawnScreen(['-m', 'qwen3-8b', '--seed', '3', 'Explain recursion'], {cols: 100, rows: 24, env: {NODE_OPTIONS: `--import=${preload}`}});
		await screen.waitFor(text => text.includes('llmrace “Explain recursion”') && /queued/.test(text), 'the first frame');
		expect(screen.buffer()).toBe('alternate');
		screen.signal('SIGTERM');
		await screen.waitFor(() => screen.buffer() === 'normal', 'the terminal given back');
		writeFileSync(gate, '');
		expect(await screen.exited).toBe(143);
	});
});
