// The live command's orchestration (session/live.ts) seen from the terminal: the leaderboard asks,
// the command saves and races again; quitting follows the one exit-code rule.
import {existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import type {Transcript} from '../../source/core/types.js';
import {createSaver} from '../../source/session/saver.js';
import {killScreens, spawnScreen} from '../helpers/live-screen.js';
import {demoTranscript} from '../helpers/fixtures.js';
import {startServer, type TestServer} from '../helpers/server.js';
import {until} from '../helpers/until.js';

/**
 * A preload that makes the child's first `setRawMode(false)` (on its main thread) hold the thread for
 * 1.5 s once raw mode is off, and say so in the `marker` file: a slow machine's gap, made wide enough for
 * a key to land in it every time.
 */
function slowRawModeOff(): {marker: string; preload: string} {
	const dir = mkdtempSync(path.join(tmpdir(), 'llmrace-raw-'));
	const marker = path.join(dir, 'raw-off');
	const preload = path.join(dir, 'slow-raw-off.mjs');
	writeFileSync(
		preload,
		`import tty from 'node:tty';\nimport {writeFileSync} from 'node:fs';\nimport {isMainThread} from 'node:worker_threads';\nconst setRawMode = tty.ReadStream.prototype.setRawMode;\nlet first = isMainThread;\ntty.ReadStream.prototype.setRawMode = function (mode) {\n\tconst result = setRawMode.call(this, mode);\n\tif (!mode && first) {\n\t\tfirst = false;\n\t\twriteFileSync(${JSON.stringify(marker)}, '');\n\t\tconst pause = new Int32Array(new SharedArrayBuffer(4));\n\t\tAtomics.wait(pause, 0, 0, 1500);\n\t}\n\treturn result;\n};\n`,
	);
	return {marker, preload};
}

/** Poll `holds` (every 10 ms) until it is true. */
let server: TestServer | undefined;
afterEach(async () => {
	killScreens();
	await server?.close();
	server = undefined;
});

describe('the live command', () => {
	it('w saves through the command, r races again on a fresh race screen, q exits 0', async () => {
		const cwd = mkdtempSync(path.join(tmpdir(), 'llmrace-live-'));
		const screen = spawnScreen(['-m', 'qwen3-8b,glm-5', '--max-tokens', '6', '--seed', '4', 'Explain recursion'], {cols: 120, rows: 30, cwd});
		await screen.waitFor(text => /q quit/.test(text) && /finished/.test(text), 'the leaderboard');
		screen.type('w');
		const saved = await screen.waitFor(text => /saved .*llmrace-\d{8}-\d{6}\.json/.test(text), 'the save message');
		const file = /saved (\S*llmrace-\d{8}-\d{6}\.json)/.exec(saved)![1]!;
		expect(readdirSync(cwd).filter(name => name.endsWith('.json'))).toHaveLength(1);
		const first = JSON.parse(readFileSync(path.isAbsolute(file) ? file : path.join(cwd, file), 'utf8')) as Transcript;
		expect(first.models.map(model => model.id)).toEqual(['qwen3-8b', 'glm-5']);
		screen.type('r');
		// The race screen again: its status line counts models done.
		await screen.waitFor(text => /\d\/2 done/.test(text), 'the second race screen');
		await screen.waitFor(text => /q quit/.test(text) && /finished/.test(text), 'the second leaderboard');
		screen.type('q');
		expect(await screen.exited).toBe(0);
	});

	it('a race where every run fails: the leaderboard shows the errors, and q exits 1', async () => {
		server = await startServer((request, response) => {
			if (request.url.endsWith('/models')) {
				response.writeHead(200, {'content-type': 'application/json'});
				response.end(JSON.stringify({object: 'list', data: [{id: 'broken-1'}]}));
				return;
			}

			response.writeHead(500, {'content-type': 'application/json'});
			response.end(JSON.stringify({error: {message: 'model crashed', type: 'server_error'}}));
		});
		const screen = spawnScreen(['--base-url', server.baseURL, '--timeout', '20', 'hi'], {cols: 120, rows: 30});
		await screen.waitFor(text => /q quit/.test(text) && /broken-1/.test(text) && /finished/.test(text), 'the leaderboard');
		expect(screen.text()).toMatch(/server|error/);
		screen.type('q');
		expect(await screen.exited).toBe(1);
	});

	it('a second Ctrl-C while the race screen hands over to the leaderboard is a key, not a SIGINT: the 0/1 rule, never 130', async () => {
		// Raw mode stays on from the race screen to the leaderboard: had the race screen turned it off, the
		// preload would hold the gap open and the second Ctrl-C would reach the process as SIGINT (130).
		const {marker, preload} = slowRawModeOff();
		const screen = spawnScreen(['-m', 'qwen3-8b', '--max-tokens', '5000', '--seed', '5', 'Explain recursion'], {
			cols: 120,
			rows: 30,
			env: {NODE_OPTIONS: `--import=${preload}`},
		});
		await screen.waitFor(text => /streaming/.test(text), 'the race streaming');
		screen.type('\u0003');
		await until(() => existsSync(marker) || /q quit/.test(screen.text()));
		screen.type('\u0003');
		// The race was stopped before the model completed a run: 1, by the rule.
		expect(await screen.exited).toBe(1);
	});

	it('a --save path under the temporary folder that cannot be written: the next w saves to a new file in its root', () => {
		const missing = path.join(mkdtempSync(path.join(tmpdir(), 'llmrace-save-')), 'no', 'such', 'race.json');
		const save = createSaver(missing, []);
		const first = save(demoTranscript());
		expect(first.ok).toBe(false);
		const offered = /press w to save to (\S+)$/.exec(first.message)![1]!;
		expect(offered).not.toBe(missing);
		expect(path.dirname(offered)).toBe(tmpdir());
		const second = save(demoTranscript());
		expect(second).toEqual({ok: true, message: `saved ${offered}`});
		expect((JSON.parse(readFileSync(offered, 'utf8')) as Transcript).models).toHaveLength(15);
		expect(existsSync(missing)).toBe(false);
	});
});
