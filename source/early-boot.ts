// A race's engine starts booting as soon as the command line is read, before the race's modules load.
// Its stamping thread's start (a worker, the SDK, the HTTP warm-up) is the first request's critical
// path (docs/stamping-threads.md, start-up); begun here, it overlaps the loading of the race's modules
// and presets instead of following them. The guess is made before the flags' values are checked: a
// wrong guess costs a thread that is closed unused (main.ts discards what no race took), never a
// request, and a missed race boots when main.ts knows it is one.
import type {CommandLine} from './command-parse.js';
import {commandNames, mistypedCommand} from './command-flags.js';
import {bootEngine, engineModeOf, frameMsFor} from './session/engine-boot.js';

type RaceStart = {readonly json: boolean; readonly maxFps: number};

/**
 * The race a command line will run, or undefined when it may run something else: a command, help,
 * the first-run screen (no prompt at a terminal), a frame rate options.ts will refuse.
 */
export function raceOf({input, flags, literal}: CommandLine, stdinIsTerminal: boolean): RaceStart | undefined {
	if (flags.help || flags.version) {
		return undefined;
	}

	const first = input[0];
	if (first === undefined ? stdinIsTerminal && flags.promptFile === undefined : isCommand(first, input.length, literal)) {
		return undefined;
	}

	const fps = Number(flags.maxFps ?? '15');
	return Number.isFinite(fps) && fps > 0 ? {json: flags.json === true, maxFps: fps} : undefined;
}

function isCommand(word: string, count: number, literal: boolean): boolean {
	if (literal) {
		return false;
	}

	return (commandNames as readonly string[]).includes(word) || ((word === 'help' || word === 'version') && count === 1) || mistypedCommand(word) !== undefined;
}

/** Boot the engine now if the command line runs a race (main.ts takes it, or discards it). */
export function bootEarly(commandLine: CommandLine): void {
	const race = raceOf(commandLine, process.stdin.isTTY === true);
	if (race) {
		// Synchronously: a dynamic import of engine-boot.js here would wait behind the command's modules.
		bootEngine(engineModeOf(race.json, process.stdout.isTTY === true), frameMsFor(race.maxFps));
	}
}
