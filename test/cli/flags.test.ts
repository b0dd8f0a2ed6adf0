// The command line as a user types it: every flag of docs/cli.md, the usage errors' two lines, the exit-code rule.
import {readFileSync} from 'node:fs';
import net from 'node:net';
import {describe, expect, it} from 'vitest';
import {exitCodeOf} from '../../source/session/exit-code.js';
import type {Transcript} from '../../source/core/types.js';
import {parseRaceFlags} from '../../source/options.js';
import {runCli} from '../helpers/cli.js';

const packageVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string}).version;

/** Every flag docs/cli.md names (race options), and those of the other commands. */
const specFlags = [
	'--preset',
	'--models',
	'--base-url',
	'--api-key-env',
	'--runs',
	'--warmup',
	'--concurrency',
	'--max-tokens',
	'--temperature',
	'--timeout',
	'--region',
	'--save',
	'--json',
	'--sort',
	'--bracket',
	'--seed',
];
const otherFlags = [
	'--prompt-file',
	'--idle-timeout',
	'--max-fps',
	'--discover',
	'--insecure',
	'--replay',
	'--format',
	'--metric',
	'--port',
	'--help',
	'--version',
];

function lines(text: string): string[] {
	return text.split('\n').filter(Boolean);
}

describe('help and version', () => {
	it('--help and -h print the same help, naming every flag and short flag of docs/cli.md', async () => {
		const long = await runCli(['--help']);
		const short = await runCli(['-h']);
		expect(long.code).toBe(0);
		expect(short.stdout).toBe(long.stdout);
		for (const flag of [...specFlags, ...otherFlags, '-p,', '-m,', '-n,', '-o,']) {
			expect(long.stdout).toContain(flag);
		}

		expect(long.stderr).toBe('');
	});

	it('--help after a command still prints the help and races nothing', async () => {
		const result = await runCli(['show', '--help']);
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('Usage');
		expect(result.stderr).toBe('');
	});

	it('--version and -v print the package version alone', async () => {
		for (const flag of ['--version', '-v']) {
			const result = await runCli([flag]);
			expect(result).toMatchObject({code: 0, stdout: `${packageVersion}\n`, stderr: ''});
		}
	});
});

describe('usage errors: exit 2, one line naming the problem, one with the choices', () => {
	it('an unknown flag: its name, then every valid flag', async () => {
		const result = await runCli(['--bogus', 'x']);
		expect(result.code).toBe(2);
		expect(result.stdout).toBe('');
		const [first, second, ...rest] = lines(result.stderr);
		expect(first).toBe('llmrace: unknown flag --bogus');
		expect(rest).toEqual([]);
		for (const flag of [...specFlags, ...otherFlags]) {
			expect(second!.split(/[ ;]+/)).toContain(flag);
		}
	});

	it('a near miss says which flag was meant; several unknown flags are named together', async () => {
		expect(lines((await runCli(['--run', '3', 'x'])).stderr)[0]).toBe('llmrace: unknown flag --run (did you mean --runs?)');
		expect(lines((await runCli(['--max-token', '3', 'x'])).stderr)[0]).toBe('llmrace: unknown flag --max-token (did you mean --max-tokens?)');
		const several = await runCli(['--bogus=1', '--nope', 'x']);
		expect(several.code).toBe(2);
		expect(lines(several.stderr)[0]).toBe('llmrace: unknown flags --bogus, --nope');
	});

	it('an unknown short flag', async () => {
		const result = await runCli(['-q', 'x']);
		expect(result.code).toBe(2);
		expect(lines(result.stderr)[0]).toBe('llmrace: unknown flag -q');
	});

	const cases: Array<[string[], string]> = [
		[['--seed'], 'llmrace: missing value for --seed'],
		[['-n', '--json', 'x'], 'llmrace: missing value for --runs'],
		[['--runs', '2', '--runs', '3', 'x'], 'llmrace: --runs given more than once: give it once'],
		[['-n', '0', 'x'], 'llmrace: invalid value for --runs: "0" (expected a whole number from 1 to 10000)'],
		[['--temperature=hot', 'x'], 'llmrace: invalid value for --temperature: "hot" (expected a number from 0 to 2)'],
	];
	for (const [args, line] of cases) {
		it(`${args.join(' ')} → ${line}`, async () => {
			const result = await runCli(args);
			expect(result.code).toBe(2);
			expect(lines(result.stderr)[0]).toBe(line);
			expect(result.stderr).not.toMatch(/\n\s+at /);
			expect(result.stdout).toBe('');
		});
	}
});

describe('flags reach the race', () => {
	it('--flag=value, short flags and booleans reach the race', async () => {
		const result = await runCli(['-m', 'qwen3-8b', '--max-tokens=6', '--seed=5', '-n', '2', '--region', 'singapore', '--json', 'Explain recursion']);
		expect(result.code).toBe(0);
		const transcript = JSON.parse(result.stdout) as Transcript;
		expect(transcript).toMatchObject({preset: 'demo', region: 'singapore', settings: {runs: 2, maxTokens: 6, seed: 5}});
		expect(transcript.models.map(model => model.id)).toEqual(['qwen3-8b']);
	});
});

describe('the process', () => {
	// The process keeps its own command line (a flag library once renamed it, rewriting /proc/PID/cmdline).
	it.runIf(process.platform === 'linux')('keeps its command line: ps and pkill -f still see the prompt and the flags', async () => {
		let cmdline = '';
		const result = await runCli(['-m', 'qwen3-8b', '--max-tokens', '4', '--seed', '2', 'cmdline-marker-prompt'], {
			onStderr(text, child) {
				if (!cmdline && text.includes('racing')) {
					cmdline = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
				}
			},
		});
		expect(result.code).toBe(0);
		expect(cmdline).toContain('distribution/cli.js -m qwen3-8b --max-tokens 4 --seed 2 cmdline-marker-prompt');
	});
});

describe('parseRaceFlags: the preset', () => {
	it('demo without -p; the server itself with --base-url and no -p; what -p says otherwise', () => {
		expect(parseRaceFlags({json: false})).toMatchObject({presets: ['demo'], presetGiven: false, discover: false});
		expect(parseRaceFlags({json: false, baseUrl: 'http://127.0.0.1:8080/v1'})).toMatchObject({
			presets: [],
			presetGiven: false,
			discover: true,
			baseURL: 'http://127.0.0.1:8080/v1',
		});
		expect(parseRaceFlags({json: false, preset: 'demo', baseUrl: 'http://127.0.0.1:8080/v1'})).toMatchObject({
			presets: ['demo'],
			presetGiven: true,
			discover: false,
		});
		expect(parseRaceFlags({json: false, preset: 'ollama,vllm'})).toMatchObject({presets: ['ollama', 'vllm'], presetGiven: true});
		expect(() => parseRaceFlags({json: false, preset: ' , '})).toThrow('--preset names no preset');
	});
});

describe('exitCodeOf: the one exit-code rule', () => {
	const transcript = (oks: readonly number[]) => ({models: oks.map(ok => ({summary: {ok}}))}) as unknown as Transcript;
	it("0 when a model completed a run, 1 when none did (or nothing ran), the signal's status when one stopped the race", () => {
		expect(exitCodeOf(transcript([0, 1]))).toBe(0);
		expect(exitCodeOf(transcript([0, 0]))).toBe(1);
		expect(exitCodeOf(transcript([]))).toBe(1);
		expect(exitCodeOf(undefined)).toBe(1);
		expect(exitCodeOf(transcript([3]), 130)).toBe(130);
		expect(exitCodeOf(transcript([0]), 143)).toBe(143);
	});
});

describe('an unreachable server: one line naming why, never "TypeError"', () => {
	/** A loopback port that nothing listens on (bound, then closed). */
	async function closedPort(): Promise<number> {
		const listener = net.createServer();
		await new Promise<void>(resolve => {
			listener.listen(0, '127.0.0.1', resolve);
		});
		const {port} = listener.address() as net.AddressInfo;
		await new Promise(resolve => {
			listener.close(resolve);
		});
		return port;
	}

	it("nothing listening: the system's code (ECONNREFUSED), exit 1", async () => {
		const url = `http://127.0.0.1:${await closedPort()}/v1`;
		const result = await runCli(['--json', '--base-url', url, 'hi']);
		expect(result.code).toBe(1);
		expect(result.stderr).toBe(`llmrace: cannot list models: ${url}/models is unreachable (ECONNREFUSED); is the server running?\n`);
	});

	it('a port the built-in fetch refuses (port 1) is tried like any other: the listing goes over node:http', async () => {
		const result = await runCli(['--json', '--base-url', 'http://127.0.0.1:1/v1', 'hi']);
		expect(result.code).toBe(1);
		expect(result.stderr).toBe('llmrace: cannot list models: http://127.0.0.1:1/v1/models is unreachable (ECONNREFUSED); is the server running?\n');
		expect(result.stderr).not.toContain('TypeError');
	});
});
