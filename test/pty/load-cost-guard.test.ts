// The cost guard at a terminal: `y` starts a load on a paid model, anything else sends nothing.
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {spawnPty, type PtySession} from '../helpers/pty.js';
import {answerEvents, startServer, streamEvents, type TestServer} from '../helpers/server.js';

let server: TestServer | undefined;
let pty: PtySession | undefined;
afterEach(async () => {
	pty?.dispose();
	pty = undefined;
	await server?.close();
	server = undefined;
});

async function pricedPreset(): Promise<{preset: string; chats: () => number}> {
	server = await startServer(async (_request, response) => {
		await streamEvents(response, answerEvents(['Re', 'cur'], {prompt_tokens: 5, completion_tokens: 2}), 5, 10);
	});
	const dir = mkdtempSync(path.join(tmpdir(), 'llmrace-guard-'));
	const preset = path.join(dir, 'paid.yaml');
	writeFileSync(preset, `baseURL: ${server.baseURL}\nmodels: [{id: alpha, price: {outputPerM: 2}}]\n`);
	const seen = server.requests;
	return {preset, chats: () => seen.filter(request => request.url.endsWith('/chat/completions')).length};
}

describe('the cost guard at a terminal', () => {
	it('declined: nothing is sent, exit 1', async () => {
		const {preset, chats} = await pricedPreset();
		pty = spawnPty(['load', '-p', preset, '--rate', '5', '--requests', '3', 'Explain recursion'], {cols: 80, rows: 24});
		await pty.waitFor(/Start the load\? \[y\/N\]/);
		expect(pty.screen()).toMatch(/sends up to 3 requests to 1 model that is not simulated/);
		pty.write('n\r');
		const {exitCode} = await pty.exit;
		expect(exitCode).toBe(1);
		expect(pty.screen()).toMatch(/declined: nothing was sent/);
		expect(chats()).toBe(0);
	});

	it('y starts the load', async () => {
		const {preset, chats} = await pricedPreset();
		pty = spawnPty(['load', '-p', preset, '--rate', '5', '--requests', '3', 'Explain recursion'], {cols: 120, rows: 40});
		await pty.waitFor(/Start the load\? \[y\/N\]/);
		pty.write('y\r');
		// The live view, then the load leaderboard: q leaves it (the keys work after the prompt).
		await pty.waitFor(screen => /sorted by ttfa/.test(screen) && /q quit$/m.test(screen), 60_000);
		pty.write('q');
		const {exitCode} = await pty.exit;
		expect(exitCode).toBe(0);
		expect(chats()).toBe(3);
	});
});
