import {describe, expect, it} from 'vitest';
import {parseCommandLine, type CommandLine} from '../../source/command-parse.js';

// The command line's grammar (source/command-parse.ts); the usage errors' wording as a user sees it is
// in test/cli/flags.test.ts.
const parsed = (argv: string[]) => {
	const result = parseCommandLine(argv);
	if ('error' in result) {
		throw new Error(result.error);
	}

	return result as CommandLine;
};

const errorOf = (argv: string[]) => {
	const result = parseCommandLine(argv);
	return 'error' in result ? result.error.split('\n')[0] : undefined;
};

describe('parseCommandLine: words and flags', () => {
	it('every flag is a key: undefined when not given, [] for --header, history on', () => {
		const {flags, input, literal} = parsed(['Explain recursion']);
		expect(input).toEqual(['Explain recursion']);
		expect(literal).toBe(false);
		expect(flags.runs).toBeUndefined();
		expect(flags.json).toBeUndefined();
		expect(flags.header).toEqual([]);
		expect(flags.history).toBe(true);
		expect(Object.hasOwn(flags, 'maxTokens')).toBe(true);
	});

	it('a value after the flag, after =, after a short flag, or glued to it', () => {
		expect(parsed(['--runs', '3']).flags.runs).toBe('3');
		expect(parsed(['--runs=3']).flags.runs).toBe('3');
		expect(parsed(['--runs=']).flags.runs).toBe('');
		expect(parsed(['-n', '4']).flags.runs).toBe('4');
		expect(parsed(['-n=5']).flags.runs).toBe('5');
		expect(parsed(['-n6']).flags.runs).toBe('6');
		expect(parsed(['--slo', 'ttft.p99<=800ms,e2e.p99<=10s']).flags.slo).toBe('ttft.p99<=800ms,e2e.p99<=10s');
		expect(parsed(['--header=X-A: a=b']).flags.header).toEqual(['X-A: a=b']);
	});

	it('a negative number and a lone - are values; another word beginning with - is a missing value', () => {
		expect(parsed(['--temperature', '-1']).flags.temperature).toBe('-1');
		expect(parsed(['--temperature', '-.5', 'x']).flags.temperature).toBe('-.5');
		expect(parsed(['--prompt-file', '-']).flags.promptFile).toBe('-');
		expect(errorOf(['-n', '--json', 'x'])).toBe('missing value for --runs');
		expect(errorOf(['--seed'])).toBe('missing value for --seed');
		expect(errorOf(['--seed', '--', 'x'])).toBe('missing value for --seed');
	});

	it('booleans: --name, --name=true|false, --no-name, grouped short ones', () => {
		expect(parsed(['--json']).flags.json).toBe(true);
		expect(parsed(['--json=false']).flags.json).toBe(false);
		expect(parsed(['--no-json']).flags.json).toBe(false);
		expect(parsed(['--no-history']).flags.history).toBe(false);
		expect(parsed(['--no-unique-prompts']).flags.uniquePrompts).toBe(false);
		expect(parsed(['-hv']).flags).toMatchObject({help: true, version: true});
		// A boolean takes no word after it: the word is the prompt.
		expect(parsed(['--json', 'true'])).toMatchObject({input: ['true'], flags: {json: true}});
		expect(errorOf(['--json=yes'])).toBe('invalid value for --json: "yes" (expected true or false, or no value)');
	});

	it('--header repeats; any other string flag given twice is an error; a boolean twice is not', () => {
		expect(parsed(['--header', 'A: 1', '--header', 'B: 2']).flags.header).toEqual(['A: 1', 'B: 2']);
		expect(errorOf(['--runs', '2', '-n', '3'])).toBe('--runs given more than once: give it once');
		expect(parsed(['--json', '--json']).flags.json).toBe(true);
	});

	it('--replay takes a speed only when a number follows', () => {
		expect(parsed(['show', '--replay', 'race.json'])).toMatchObject({input: ['show', 'race.json'], flags: {replay: '1'}});
		expect(parsed(['show', '--replay', '10', 'race.json'])).toMatchObject({input: ['show', 'race.json'], flags: {replay: '10'}});
		expect(parsed(['show', 'race.json', '--replay'])).toMatchObject({input: ['show', 'race.json'], flags: {replay: '1'}});
		expect(parsed(['show', '--replay=2', 'race.json']).flags.replay).toBe('2');
	});

	it('after -- every word is a word; literal only when no word came before it', () => {
		expect(parsed(['--', 'presets', '--json'])).toMatchObject({input: ['presets', '--json'], literal: true, flags: {json: undefined}});
		expect(parsed(['-n', '2', '--', '-x'])).toMatchObject({input: ['-x'], literal: true, flags: {runs: '2'}});
		expect(parsed(['show', '--', 'a.json'])).toMatchObject({input: ['show', 'a.json'], literal: false});
		expect(parsed(['--']).literal).toBe(true);
	});

	it('unknown flags are named (with the near miss), long names with their value cut', () => {
		expect(errorOf(['--bogus=1', '--nope', 'x'])).toBe('unknown flags --bogus, --nope');
		expect(errorOf(['--run', '3'])).toBe('unknown flag --run (did you mean --runs?)');
		expect(errorOf(['-q'])).toBe('unknown flag -q');
		expect(errorOf(['-hq'])).toBe('unknown flag -hq');
		expect(errorOf(['--no-bogus'])).toBe('unknown flag --no-bogus');
		expect(errorOf(['--no-runs'])).toBe('unknown flag --no-runs');
		expect(errorOf(['--maxTokens', '5'])).toBe('unknown flag --maxTokens (did you mean --max-tokens?)');
		const result = parseCommandLine(['--bogus']) as {error: string};
		expect(result.error.split('\n')[1]).toMatch(/^valid: --preset --models .* --no-history .*; short: -p -m -n -o -h -v$/);
	});

	it('an unknown flag is said before any other problem', () => {
		expect(errorOf(['--runs', '1', '--runs', '2', '--bogus'])).toBe('unknown flag --bogus');
		expect(errorOf(['--seed', '--bogus'])).toBe('unknown flag --bogus');
	});
});
