import {describe, expect, it} from 'vitest';
import {parseCommandLine, type CommandLine} from '../../source/command-parse.js';
import {raceOf} from '../../source/early-boot.js';

// cli.ts boots a race's engine as soon as the command line is read (source/early-boot.ts), before the
// flags' values are checked. A race read as something else only boots later; something else read as a
// race boots threads that main.ts closes unused: these cases pin the reading both ways.
describe('raceOf: the race a command line will run, read before its modules load', () => {
	const race = {json: false, maxFps: 15};
	const cases: Array<[string[], boolean, ReturnType<typeof raceOf>]> = [
		[['Explain recursion'], true, race],
		[['--json', '-n', '3', 'Explain'], true, {json: true, maxFps: 15}],
		[['--max-fps', '5', 'x'], true, {json: false, maxFps: 5}],
		[['--max-fps=30', 'x'], true, {json: false, maxFps: 30}],
		// A flag's value is not the prompt: -p demo at a terminal opens the first-run screen.
		[['-p', 'demo'], true, undefined],
		[['-p', 'demo'], false, race],
		[['-m', 'presets', 'x'], true, race],
		[['--prompt-file', 'p.txt'], true, race],
		[[], true, undefined],
		[[], false, race],
		// Commands, their typos and help are not races; after -- they are prompts.
		[['presets'], true, undefined],
		[['load', '--rate', '2', 'x'], true, undefined],
		[['reprot', 'us.json'], true, undefined],
		[['--', 'presets'], true, race],
		[['help'], true, undefined],
		[['help', 'me', 'write'], true, race],
		[['version'], true, undefined],
		[['--help', 'x'], true, undefined],
		[['-h'], true, undefined],
		[['-v'], true, undefined],
		// A frame rate options.ts will refuse boots nothing.
		[['--max-fps', 'fast', 'x'], true, undefined],
		[['--max-fps', '0', 'x'], true, undefined],
	];
	for (const [argv, stdinIsTerminal, expected] of cases) {
		it(`${JSON.stringify(argv)}${stdinIsTerminal ? '' : ' (stdin piped)'} → ${expected ? JSON.stringify(expected) : 'not a race'}`, () => {
			expect(raceOf(parseCommandLine(argv) as CommandLine, stdinIsTerminal)).toEqual(expected);
		});
	}
});
