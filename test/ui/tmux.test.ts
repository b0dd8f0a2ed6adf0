// Drives the real binary in tmux, as a person would: watch the panels fill, see the leaderboard, press keys, save, quit.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, readdirSync, writeFileSync} from 'node:fs';
import type {Server} from 'node:http';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import type {Transcript} from '../../source/core/types.js';
import {createSimServer, listen} from '../../source/sim/server.js';
import {sleep} from '../helpers/server.js';

const cli = new URL('../../distribution/cli.js', import.meta.url).pathname;
let session = '';
let sessions = 0;

function tmux(...args: string[]): string {
	return execFileSync('tmux', args, {encoding: 'utf8'});
}

function screen(): string {
	return tmux('capture-pane', '-t', session, '-p');
}

async function waitFor(pattern: RegExp | ((text: string) => boolean), timeoutMs = 20_000): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	const matches = typeof pattern === 'function' ? pattern : (text: string) => pattern.test(text);
	let text = '';
	while (Date.now() < deadline) {
		text = screen();
		if (matches(text)) {
			return text;
		}

		await sleep(100);
	}

	throw new Error(`screen never showed ${pattern}:\n${text}`);
}

describe('the live UI in tmux', () => {
	let server: Server;
	let dir: string;
	let preset: string;
	beforeAll(async () => {
		// Fails loudly when tmux is missing: .ci/run installs it.
		execFileSync('tmux', ['-V']);
		server = createSimServer({
			seed: 4,
			models: [
				// First tokens ≥ 300 ms apart (Thinker's first reasoning token at ~600 ms), so that the order
				// holds on a loaded machine.
				{id: 'swift', ttftMs: 250, tokensPerSecond: 25, reasoning: false, outputTokens: 60},
				{id: 'steady', ttftMs: 950, tokensPerSecond: 20, reasoning: false, outputTokens: 50},
				{id: 'thinker', ttftMs: 1400, thinkingMs: 800, tokensPerSecond: 20, reasoning: true, outputTokens: 30},
				{id: 'slowpoke', ttftMs: 1500, tokensPerSecond: 15, reasoning: false, outputTokens: 40},
			],
		});
		const baseURL = await listen(server);
		dir = mkdtempSync(path.join(tmpdir(), 'llmrace-tmux-'));
		preset = path.join(dir, 'loopback.yaml');
		writeFileSync(preset, [
			`baseURL: ${baseURL}`,
			'models:',
			'  - {id: swift, name: Swift, provider: Loop, price: {outputPerM: 0.1}}',
			'  - {id: steady, name: Steady, provider: Loop, price: {outputPerM: 0.5}}',
			'  - {id: thinker, name: Thinker, provider: Loop, reasoning: true, price: {outputPerM: 2}}',
			'  - {id: slowpoke, name: Slowpoke, provider: Loop, price: {outputPerM: 0.2}}',
			'',
		].join('\n'));
	});

	// Each test gets a terminal of its own.
	beforeEach(() => {
		session = `llmrace-test-${process.pid}-${++sessions}`;
		tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', '-c', dir);
	});

	afterEach(() => {
		try {
			tmux('kill-session', '-t', session);
		} catch {}
	});

	afterAll(() => {
		server.closeAllConnections();
		server.close();
	});

	it('races, shows the leaderboard, sorts, opens an answer, saves and quits', async () => {
		tmux('send-keys', '-t', session, `clear; CI=false NO_COLOR=1 node ${cli} -p ${preset} 'Explain recursion in 200 words'; echo EXIT=$?`, 'Enter');
		const racing = await waitFor(/streaming/);
		expect(racing).toContain('“Explain recursion in 200 words”');
		expect(racing).toMatch(/Swift · Loop · ultra-budget/);
		expect(racing).toMatch(/TTFT \d+ ms/);
		expect(racing).toContain('q/Esc/Ctrl-C stop the race');
		expect(racing).not.toContain('SIMULATED');
		// The frame never fills the terminal, and it is drawn on the alternate screen.
		expect(racing.trimEnd().split('\n').length).toBeLessThan(40);
		expect(tmux('display-message', '-p', '-t', session, '#{alternate_on}').trim()).toBe('1');

		const board = await waitFor(/sorted by ttft/);
		const rows = board.split('\n').filter(line => /^[› ] +\d+ {2}\S/.test(line));
		// Thinker's first reasoning token (~600 ms) comes before Steady's first token (~950 ms): TTFT counts reasoning.
		expect(rows.map(line => /^[› ] +\d+ {2}(\S+)/.exec(line)?.[1])).toEqual(['Swift', 'Thinker', 'Steady', 'Slowpoke']);
		expect(board).toMatch(/TTFA ms/);
		expect(board).toContain('0:All 4');
		// The terminal is back from the alternate screen: the leaderboard stays in it after quitting.
		expect(tmux('display-message', '-p', '-t', session, '#{alternate_on}').trim()).toBe('0');

		tmux('send-keys', '-t', session, 's');
		await waitFor(/sorted by ttfa/);
		tmux('send-keys', '-t', session, 's');
		await waitFor(/sorted by tps/);
		tmux('send-keys', '-t', session, '1');
		const filtered = await waitFor(text => !text.includes('Slowpoke'));
		expect(filtered).toMatch(/› +1 {2}Swift/);
		tmux('send-keys', '-t', session, 'Enter');
		const answer = await waitFor(/── answer \(run 1\) ──/);
		expect(answer).toMatch(/recursi/i);
		expect(answer).toContain('inter-chunk gaps');
		tmux('send-keys', '-t', session, 'Escape');
		await waitFor(/sorted by tps/);
		tmux('send-keys', '-t', session, 'w');
		const saved = await waitFor(/saved .*llmrace-\d{8}-\d{6}\.json/);
		const file = /saved (\S+)/.exec(saved)![1]!;
		const transcript = JSON.parse(readFileSync(file, 'utf8')) as Transcript;
		expect(transcript.models.map(model => model.id)).toEqual(['swift', 'steady', 'thinker', 'slowpoke']);
		expect(transcript.models.every(model => model.summary.ok === 1)).toBe(true);
		tmux('send-keys', '-t', session, 'q');
		await waitFor(/EXIT=0/);
	});

	it('Ctrl-C stops the race, keeps what arrived, saves to --save, then quits', async () => {
		const file = path.join(dir, 'stopped.json');
		tmux('send-keys', '-t', session, `clear; CI=false NO_COLOR=1 node ${cli} -p ${preset} -o ${file} 'Explain recursion'; echo EXIT=$?`, 'Enter');
		await waitFor(/Swift[^\n]*\n[^\n]*streaming/);
		tmux('send-keys', '-t', session, 'C-c');
		const board = await waitFor(/saved .*stopped\.json/);
		expect(board).toMatch(/sorted by ttft/);
		const transcript = JSON.parse(readFileSync(file, 'utf8')) as Transcript;
		expect(transcript.aborted).toBe(true);
		const slowpoke = transcript.models.find(model => model.id === 'slowpoke')!;
		expect(slowpoke.runs[0]?.status ?? 'not run').toMatch(/aborted|not run/);
		const swift = transcript.models.find(model => model.id === 'swift')!;
		expect(swift.runs[0]!.text.length).toBeGreaterThan(0);
		tmux('send-keys', '-t', session, 'C-c');
		// Swift may have finished before the stop (exit 0) or not (every run stopped: exit 1).
		await waitFor(/EXIT=[01]/);
		expect(readdirSync(dir).filter(name => name.endsWith('.tmp'))).toEqual([]);
	});

	it('with the prompt piped in, shows the leaderboard without navigation, says why, and exits', async () => {
		tmux('send-keys', '-t', session, `clear; echo 'Explain recursion' | CI=false NO_COLOR=1 node ${cli} -p ${preset} -m swift,steady; echo EXIT=$?`, 'Enter');
		const board = await waitFor(/EXIT=0/);
		expect(board).toMatch(/sorted by ttft/);
		expect(board).toContain('keys are off: standard input is not a terminal');
		expect(board).toMatch(/Swift/);
	});

	it('show --replay plays a saved race back, then shows its leaderboard', async () => {
		const fixture = new URL('../fixtures/us-east.json', import.meta.url).pathname;
		tmux('send-keys', '-t', session, `clear; CI=false NO_COLOR=1 node ${cli} show ${fixture} --replay 4; echo EXIT=$?`, 'Enter');
		const playing = await waitFor(/streaming/);
		expect(playing).toContain('replay ×4');
		expect(playing).toMatch(/Step-3\.5-Flash/);
		const board = await waitFor(/sorted by ttft/, 30_000);
		expect(board).toMatch(/› +1 {2}Step-3\.5-Flash/);
		tmux('send-keys', '-t', session, 'q');
		await waitFor(/EXIT=0/);
	});

	it('SIGTERM stops a live race, saves what arrived, restores the terminal and exits 143', async () => {
		const file = path.join(dir, 'terminated.json');
		const marker = `sigterm-${process.pid}`;
		tmux('send-keys', '-t', session, `clear; CI=false NO_COLOR=1 node ${cli} -p ${preset} -o ${file} '${marker}'; echo EXIT=$?; echo READY`, 'Enter');
		await waitFor(/streaming/);
		execFileSync('pkill', ['-TERM', '-f', marker]);
		const after = await waitFor(/EXIT=143/);
		expect(after).toContain('READY');
		const transcript = JSON.parse(readFileSync(file, 'utf8')) as Transcript;
		expect(transcript.aborted).toBe(true);
		// The shell got its terminal back: keys reach it, not a raw-mode app.
		tmux('send-keys', '-t', session, 'echo typed-after', 'Enter');
		await waitFor(/^typed-after$/m);
	});
});
