// The live command's orchestration (commands/live.ts) seen from the terminal: the leaderboard asks,
// the command saves and races again; quitting follows the one exit-code rule.
import {mkdtempSync, readdirSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import type {Transcript} from '../source/core/types.js';
import {killScreens, spawnScreen} from './helpers/live-screen.js';
import {startServer, type TestServer} from './helpers/server.js';

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
});
