// The live race screen's first frame: the header and the queued panels come before any token,
// drawn while the engine warms up. A real pseudo-terminal (node-pty) read through a real terminal
// emulator (@xterm/headless); no timing assertions, only what is on screen and in which order.
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';
import {afterEach, describe, expect, it} from 'vitest';
import type {Transcript} from '../source/core/types.js';
import {answerEvents, startServer, streamEvents, type TestServer} from './helpers/server.js';

const cli = new URL('../distribution/cli.js', import.meta.url).pathname;

/** Every child spawned, killed after each test (a failed one must not leave a race running). */
const children: pty.IPty[] = [];

type Screen = {
	/** The screen's rows as text. */
	readonly text: () => string;
	/** Resolves when `seen(screen text)` holds; rejects when the process exits first. */
	readonly waitFor: (seen: (text: string) => boolean, what: string) => Promise<string>;
	readonly type: (keys: string) => void;
	readonly exited: Promise<number>;
};

/** Spawn llmrace in a `cols`×`rows` pseudo-terminal and follow its screen. */
function spawnScreen(args: readonly string[], {cols = 160, rows = 40, env = {}}: {cols?: number; rows?: number; env?: NodeJS.ProcessEnv} = {}): Screen {
	const terminal = new xterm.Terminal({cols, rows, allowProposedApi: true});
	const child = pty.spawn(process.execPath, [cli, ...args], {cols, rows, cwd: mkdtempSync(path.join(tmpdir(), 'llmrace-ff-')), env: {...process.env, CI: 'false', NO_COLOR: '1', ...env}});
	const text = () => Array.from({length: terminal.buffer.active.length}, (_, index) => terminal.buffer.active.getLine(index)?.translateToString(true) ?? '').join('\n');
	children.push(child);
	const waiters = new Set<() => void>();
	child.onData(data => {
		terminal.write(data, () => {
			for (const waiter of waiters) {
				waiter();
			}
		});
	});
	let exitCode: number | undefined;
	const exited = new Promise<number>(resolve => {
		child.onExit(({exitCode: code}) => {
			exitCode = code;
			for (const waiter of waiters) {
				waiter();
			}

			resolve(code);
		});
	});
	return {
		text,
		exited,
		type(keys) {
			child.write(keys);
		},
		async waitFor(seen, what) {
			return new Promise((resolve, reject) => {
				const check = () => {
					const screen = text();
					if (seen(screen)) {
						waiters.delete(check);
						resolve(screen);
					} else if (exitCode !== undefined) {
						waiters.delete(check);
						reject(new Error(`llmrace exited (${exitCode}) before ${what}:\n${screen}`));
					}
				};

				waiters.add(check);
				check();
			});
		},
	};
}

let server: TestServer | undefined;
afterEach(async () => {
	for (const child of children.splice(0)) {
		try {
			child.kill('SIGKILL');
		} catch {}
	}

	await server?.close();
	server = undefined;
});

describe('the first frame', () => {
	it('shows the header and every panel queued before the server is asked for a single token', async () => {
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
		const screen = spawnScreen(['--base-url', server.baseURL, '-o', out, 'Explain recursion']);
		const first = await screen.waitFor(text => text.includes('llmrace “Explain recursion”'), 'the header');
		const chatRequests = () => server!.requests.filter(request => request.url.endsWith('/chat/completions')).length;
		chatRequestsAtFirstFrame.push(chatRequests());
		// The race is labelled by the server's host, not by the default (simulated) preset.
		expect(first).toContain(host);
		expect(first).not.toMatch(/\bdemo\b|SIMULATED/);
		expect(first).toMatch(/alpha-1[\s\S]*beta-2/);
		expect(first.match(/\bqueued\b/g)?.length).toBe(2);
		expect(first).not.toMatch(/answers|streaming|tok\/s/);
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
		expect(transcript.models.map(model => [model.id, model.runs[0]!.text])).toEqual([['alpha-1', 'alpha-1 answers here'], ['beta-2', 'beta-2 answers here']]);
	});

	it('the simulated demo: the header and every model queued are on screen while the engine and simulator threads cannot even start', async () => {
		// Every worker thread of the child (the engine's, the simulator's) waits at its very first line
		// until the gate file exists; the test opens the gate only once it has seen the first frame.
		// A first frame that waited for the engine would never come (and the test would time out).
		const dir = mkdtempSync(path.join(tmpdir(), 'llmrace-ff-gate-'));
		const gate = path.join(dir, 'open');
		const preload = path.join(dir, 'hold-workers.mjs');
		writeFileSync(preload, `import {isMainThread} from 'node:worker_threads';\nimport {existsSync} from 'node:fs';\nif (!isMainThread) {\n\tconst pause = new Int32Array(new SharedArrayBuffer(4));\n\twhile (!existsSync(${JSON.stringify(gate)})) Atomics.wait(pause, 0, 0, 20);\n}\n`);
		const screen = spawnScreen(['-m', 'step-3.5-flash,qwen3-8b,kimi-k2.5', '--seed', '3', '--max-tokens', '8', 'Explain recursion'], {cols: 200, rows: 50, env: {NODE_OPTIONS: `--import=${preload}`}});
		const first = await screen.waitFor(text => text.includes('llmrace “Explain recursion”'), 'the header');
		writeFileSync(gate, '');
		expect(first).toContain('SIMULATED');
		expect(first).toContain('demo');
		expect(first.match(/\bqueued\b/g)?.length).toBe(3);
		expect(first).not.toMatch(/connecting|thinking|streaming|TTFT \d/);
		await screen.waitFor(text => /q quit/.test(text), 'the leaderboard');
		screen.type('q');
		expect(await screen.exited).toBe(0);
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
});
