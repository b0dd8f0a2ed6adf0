// `llmrace help` and `llmrace version` are --help and --version (README, "Racing"); after `--`
// the same word is a prompt. The help names the npm package, which is not called llmrace.
import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import type {Transcript} from '../../source/core/types.js';
import {runCli} from '../helpers/cli.js';

const {version} = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string};

describe('help and version as words', () => {
	it('llmrace help prints the help, which names the npm package to install', async () => {
		const [word, flag] = await Promise.all([runCli(['help']), runCli(['--help'])]);
		expect(word).toMatchObject({code: 0, stderr: ''});
		expect(word.stdout).toBe(flag.stdout);
		expect(flag.stdout).toContain('npm install -g llmrace-cli');
		expect(flag.stdout).toMatch(/first-run screen/);
	});

	it('llmrace version prints the version alone', async () => {
		expect(await runCli(['version'])).toMatchObject({code: 0, stdout: `${version}\n`, stderr: ''});
	});

	it('after --, version is the prompt', async () => {
		const result = await runCli(['--json', '-m', 'qwen3-8b', '--max-tokens', '3', '--seed', '1', '--', 'version']);
		expect(result.code).toBe(0);
		expect((JSON.parse(result.stdout) as Transcript).prompt).toBe('version');
	});
});
