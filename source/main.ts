// Dispatch a parsed command line; turn user mistakes into one or two lines on stderr and exit 2.
import {readFileSync} from 'node:fs';
import process from 'node:process';
import {loadCellWidths} from './core/text/cells.js';
import {PresetError} from './core/presets/presets.js';
import {TranscriptError} from './core/transcript/error.js';
import type {Flags} from './options.js';
import {UsageError} from './usage-error.js';
import {misplacedFlag, mistypedCommand, type CommandName} from './command-flags.js';
import {StoreError} from './store/errors.js';
import {bootEngine, discardBootedEngine, engineModeOf, frameMsFor} from './session/engine-boot.js';

type Command = (args: readonly string[], flags: Flags) => Promise<number>;

/** Every command but the race, each loaded only when it runs (the race's start-up path imports none of them). */
const commands: Readonly<Record<string, Command>> = {
	async presets() {
		const [{listPresets}, {outputWidth}] = await Promise.all([import('./commands/presets.js'), import('./options.js')]);
		process.stdout.write(await listPresets(process.env, undefined, outputWidth(process.stdout, process.env)));
		return 0;
	},
	async sim(_args, flags) {
		const [{runSimulator}, {defaultPreset, parsePort}] = await Promise.all([import('./commands/sim.js'), import('./options.js')]);
		return runSimulator(flags.preset ?? defaultPreset, parsePort(flags.port, 8787), flags);
	},
	async show(args, flags) {
		const {runShow} = await import('./commands/show.js');
		return runShow(args, flags);
	},
	async report(args, flags) {
		const {runReport} = await import('./commands/report.js');
		return runReport(args, flags);
	},
	async compare(args, flags) {
		const {runCompare} = await import('./commands/report.js');
		return runCompare(args, flags);
	},
	async history(args, flags) {
		const {runHistory} = await import('./commands/history.js');
		return runHistory(args, flags);
	},
	async load(args, flags) {
		const {runLoad} = await import('./commands/load.js');
		return runLoad(await resolvePrompt(args, flags), flags);
	},
};

async function readStdin(): Promise<string> {
	const parts: Buffer[] = [];
	for await (const part of process.stdin) {
		parts.push(part as Buffer);
	}

	return Buffer.concat(parts).toString('utf8');
}

/** The prompt: the positional argument, else --prompt-file, else stdin when it is not a TTY. */
async function resolvePrompt(input: readonly string[], flags: Flags): Promise<string> {
	if (input.length > 0) {
		const prompt = input.join(' ');
		if (!prompt.trim()) {
			throw new UsageError('no prompt: the prompt given is blank\nexample: llmrace "Explain recursion in 200 words"');
		}

		return prompt;
	}

	if (flags.promptFile !== undefined) {
		let text: string;
		try {
			text = readFileSync(flags.promptFile, 'utf8').trim();
		} catch (error) {
			throw new UsageError(`cannot read --prompt-file ${flags.promptFile} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
		}

		if (!text) {
			throw new UsageError(`no prompt: --prompt-file ${flags.promptFile} is empty`);
		}

		return text;
	}

	if (!process.stdin.isTTY) {
		return (await readStdin()).trim();
	}

	return '';
}

/** A flag of another command is a usage error (command-flags.ts). */
function checkFlags(command: CommandName, flags: Flags): void {
	const stray = misplacedFlag(command, flags);
	if (stray) {
		throw new UsageError(stray);
	}
}

/**
 * `options.literal`: the words came after `--` (`llmrace -- preset`), so the first is a prompt even
 * when it is, or looks like, a command's name.
 */
export async function main(input: readonly string[], flags: Flags, options: {readonly literal?: boolean} = {}): Promise<number> {
	try {
		const [command, ...rest] = input;
		const literal = options.literal === true;
		const run = literal || command === undefined || !Object.hasOwn(commands, command) ? undefined : commands[command];
		if (run) {
			// The race's and the load's own flags, crossed, get the words that say what to use instead.
			if (command === 'load') {
				(await import('./options.js')).rejectRaceOnlyFlags(flags);
			}

			checkFlags(command as CommandName, flags);
			// The race screen's first frame alone may come before string-width has loaded (core/text/cells.ts);
			// and `history`, which loads it only when a cell needs it (commands/history.ts).
			if (command !== 'history') {
				await loadCellWidths();
			}

			return await run(rest, flags);
		}

		// A mistyped command must never start a race (against paid providers it costs money).
		const typo = literal || command === undefined ? undefined : mistypedCommand(command);
		if (typo) {
			throw new UsageError(typo);
		}

		// The validators load here and for the commands that use them, not for `history` (docs/history.md "Cost").
		const {parseRaceFlags, rejectLoadFlags} = await import('./options.js');
		rejectLoadFlags(flags, 'a race');
		checkFlags('race', flags);
		let prompt = await resolvePrompt(input, flags);
		let raceFlags = flags;
		if (!prompt) {
			// At a terminal: the first-run screen picks the preset, the models and the prompt (or the user quits).
			const {firstRunApplies, pickRace} = await import('./session/first-run.js');
			if (firstRunApplies(input, flags)) {
				const picked = await pickRace(flags);
				if (!picked) {
					return 0;
				}

				({prompt, flags: raceFlags} = picked);
			}
		}

		if (!prompt) {
			throw new UsageError('no prompt: give one as an argument, with --prompt-file, or on standard input\nexample: llmrace "Explain recursion in 200 words"');
		}

		// The engine's threads boot on the other cores while this thread loads the race's modules and
		// its presets (session/engine-boot.ts). Usually early-boot.ts booted them already, as soon as the
		// command line was read; else they boot now, the flags checked. The first boot is kept.
		const config = parseRaceFlags(raceFlags);
		bootEngine(engineModeOf(config.json, process.stdout.isTTY === true), frameMsFor(config.maxFps));
		const {runRace} = await import('./commands/race.js');
		return await runRace(prompt, raceFlags);
	} catch (error) {
		if (
			error instanceof UsageError ||
			error instanceof PresetError ||
			error instanceof TranscriptError ||
			(error instanceof StoreError && error.kind === 'usage')
		) {
			process.stderr.write(`llmrace: ${error.message}\n`);
			return 2;
		}

		const message = error instanceof Error ? error.message : String(error);
		process.stderr.write(`llmrace: ${message}\n`);
		if (process.env['LLMRACE_DEBUG'] && error instanceof Error) {
			process.stderr.write(`${error.stack}\n`);
		}

		return 1;
	} finally {
		// An engine booted for a race that did not take it (a command, a usage error, the first-run screen
		// quit): its threads must not keep the process alive.
		await discardBootedEngine();
	}
}
