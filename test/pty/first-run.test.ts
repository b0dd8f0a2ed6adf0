// `llmrace` with no prompt at a terminal: the first-run screen in a real pseudo-terminal, then the race it starts.
import {mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import type {Transcript} from '../../source/core/types.js';
import {spawnPty, type PtySession} from '../helpers/pty.js';

const down = '\u001B[B';
const ctrlU = '\u0015';
const enterAlternate = '\u001B[?1049h';
/** The demo's first model: the one the test turns off. */
const firstDemoModel = /id: (\S+)/.exec(readFileSync(new URL('../../presets/demo.yaml', import.meta.url), 'utf8'))![1];

describe('the first-run screen', () => {
	let config: string;
	let server: Server;
	let requests = 0;
	let pty: PtySession | undefined;
	const start = (args: string[], options: Parameters<typeof spawnPty>[1] = {}) => {
		pty = spawnPty(args, {
			cols: 80,
			rows: 24,
			...options,
			env: {XDG_CONFIG_HOME: config, LOOP_KEY: 'sk-loop-secret-value', GLOBAL_API_KEY: undefined, ...options.env},
		});
		return pty;
	};

	beforeAll(async () => {
		// A real provider stand-in: the screen must never send it anything before Enter on the prompt.
		server = createServer((_request, response) => {
			requests++;
			response.writeHead(500).end();
		});
		await new Promise<void>(resolve => {
			server.listen(0, '127.0.0.1', resolve);
		});
		const {port} = server.address() as AddressInfo;
		config = mkdtempSync(path.join(tmpdir(), 'llmrace-first-run-'));
		mkdirSync(path.join(config, 'llmrace', 'presets'), {recursive: true});
		writeFileSync(
			path.join(config, 'llmrace', 'presets', 'zz-loop.yaml'),
			[
				'description: "a \u001B]0;pwned\u0007loopback\u001B[31m provider"',
				`baseURL: http://127.0.0.1:${port}/v1`,
				'apiKeyEnv: LOOP_KEY',
				'models:',
				'  - {id: alpha, price: {outputPerM: 1}}',
				'  - {id: beta, price: {outputPerM: 2}}',
				'',
			].join('\n'),
		);
	});

	afterEach(() => {
		pty?.dispose();
		pty = undefined;
	});

	afterAll(async () => {
		await new Promise(resolve => {
			server.close(resolve);
		});
	});

	it('picks the demo, its models and a new prompt, then races exactly that', async () => {
		// The other flags are kept for the race: -o saves what it raced.
		const saved = path.join(config, 'race.json');
		const session = start(['--max-tokens', '5', '--seed', '3', '-o', saved]);
		// Whole frames: the line asserted last is in the screen waited for (a frame read mid-write has only its top).
		const first = await session.waitFor(screen => /Pick a preset/.test(screen) && /q\/Esc quit/.test(screen));
		// The demo is selected; every preset says whether its key is set (names, never values).
		expect(first).toMatch(/^› demo +simulated, no key needed · 15 models/m);
		expect(first).toMatch(/^ {2}global-api +\$GLOBAL_API_KEY not set/m);
		expect(first).toMatch(/q\/Esc quit/);
		expect(session.wrappedRows()).toEqual([]);
		session.write('\r');
		const models = await session.waitFor(screen => /Models of demo: 15 of 15 selected/.test(screen) && /^› \[x\] step-3\.5-flash/m.test(screen));
		expect(models).toMatch(/^› \[x\] step-3\.5-flash/m);
		expect(session.wrappedRows()).toEqual([]);
		// The first model off, then on to the prompt: the benchmark's prompt is filled in.
		session.write(' ');
		await session.waitFor(/14 of 15 selected/);
		session.write('\r');
		const promptStep = await session.waitFor(screen => /The prompt/.test(screen) && /Enter races 14 models/.test(screen));
		expect(promptStep).toContain('Explain recursion in 200 words');
		expect(promptStep).toMatch(/Enter races 14 models of demo, simulated: no network, no key, no cost/);
		expect(session.wrappedRows()).toEqual([]);
		session.write(ctrlU);
		await session.waitFor(screen => !screen.includes('Explain recursion'));
		session.write('N');
		session.write('a');
		session.write('m');
		session.write('e three colours');
		// The equivalent command line is cut at 80 columns (14 model ids): the edited prompt shows in full.
		await session.waitFor(/^Name three colours *$/m);
		await session.waitFor(/same as: llmrace -p demo -m deepseek-v4-flash,/);
		expect(session.raw()).not.toContain(enterAlternate);
		session.write('\r');
		// The race screen, with that prompt, and 14 models: the one turned off does not race.
		const race = await session.waitFor(/llmrace “Name three colours”.*SIMULATED/);
		expect(race).toMatch(/demo/);
		await session.waitFor(/sorted by ttft/, 60_000);
		session.write('q');
		expect((await session.exit).exitCode).toBe(0);
		const transcript = JSON.parse(readFileSync(saved, 'utf8')) as Transcript;
		expect(transcript).toMatchObject({prompt: 'Name three colours', preset: 'demo', simulated: true, tool: {name: 'llmrace'}});
		expect(transcript.settings.maxTokens).toBe(5);
		expect(transcript.models).toHaveLength(14);
		expect(transcript.models.map(model => model.id)).not.toContain(firstDemoModel);
	});

	it('q on the first screen leaves at once: exit 0, nothing raced, the screen erased', async () => {
		const session = start([]);
		await session.waitFor(/Pick a preset/);
		session.write('q');
		expect((await session.exit).exitCode).toBe(0);
		expect(session.raw()).not.toContain(enterAlternate);
		expect(session.screen()).not.toMatch(/Pick a preset/);
	});

	it('Ctrl-C on the models step leaves too: a key, not a signal, and the terminal is given back', async () => {
		const session = start([], {shell: true});
		await session.waitFor(/Pick a preset/);
		session.write('\r');
		await session.waitFor(/Models of demo/);
		session.write('\u0003');
		await session.waitFor(/EXIT=0/);
		// Cooked mode again: the shell's next line is read as typed.
		session.write('hello\r');
		await session.waitFor(/read: hello/);
		expect(session.raw()).not.toContain(enterAlternate);
	});

	it('Esc on the prompt step leaves too', async () => {
		const session = start([]);
		await session.waitFor(/Pick a preset/);
		session.write('\r');
		await session.waitFor(/Models of demo/);
		session.write('\r');
		await session.waitFor(/The prompt/);
		session.write('\u001B');
		expect((await session.exit).exitCode).toBe(0);
		expect(session.raw()).not.toContain(enterAlternate);
	});

	it('a real provider: says where the prompt goes and with which key, and sends nothing until Enter on the prompt', async () => {
		const session = start([]);
		await session.waitFor(/Pick a preset/);
		session.write(down.repeat(30));
		const list = await session.waitFor(/^› zz-loop/m);
		// The preset's text is inert: no title change, no colour from the file.
		expect(list).toMatch(/\$LOOP_KEY set/);
		expect(list).not.toContain('sk-loop-secret-value');
		session.write('\r');
		await session.waitFor(/Models of zz-loop: 2 of 2 selected/);
		session.write('\r');
		const prompt = await session.waitFor(/Enter sends this prompt/);
		expect(prompt).toMatch(/Enter sends this prompt to 2 models of zz-loop: 127\.0\.0\.1:\d+ with \$LOOP_KEY/);
		expect(session.wrappedRows()).toEqual([]);
		expect(session.raw()).not.toContain('sk-loop-secret-value');
		expect(session.titleChanges).toEqual([]);
		// A paste that ends in a newline types a space: it never starts the race.
		session.write(' and more\r');
		await session.waitFor(/200 words and more/);
		expect(requests).toBe(0);
		session.write('\u001B');
		expect((await session.exit).exitCode).toBe(0);
		expect(requests).toBe(0);
	});

	it('a preset whose key is not set cannot be picked: it says which variable to set', async () => {
		const session = start([]);
		await session.waitFor(/Pick a preset/);
		session.write(down.repeat(3));
		const list = await session.waitFor(/^› global-api/m);
		expect(list).toMatch(/\$GLOBAL_API_KEY not set/);
		session.write('\r');
		await session.waitFor(/global-api needs \$GLOBAL_API_KEY: set it, then run llmrace again/);
		session.write('q');
		expect((await session.exit).exitCode).toBe(0);
	});

	it('without a terminal on stdin it stays the usage error: exit 2', async () => {
		const session = start([], {stdin: ''});
		const screen = await session.waitFor(/no prompt/);
		expect(screen).toMatch(/llmrace: no prompt: give one as an argument/);
		expect((await session.exit).exitCode).toBe(2);
		expect(session.raw()).not.toMatch(/Pick a preset/);
	});
});
