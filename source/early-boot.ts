// A race's engine starts booting before the command line is parsed. Its stamping thread's start (a
// worker, the SDK, the HTTP warm-up) is the first request's critical path (docs/stamping-threads.md,
// start-up); begun here, it overlaps meow's load and the parse instead of following them. The guess
// is made from the words alone: a wrong guess costs a thread that is closed unused (main.ts discards
// what no race took), never a request, and a missed race boots when main.ts knows it is one.
import {commandNames, mistypedCommand} from './command-flags.js';
import {flagSpecs, kebab, type FlagSpec} from './flag-specs.js';
import {bootEngine, engineModeOf, frameMsFor} from './session/engine-boot.js';

type RaceStart = {readonly json: boolean; readonly maxFps: number};

const specs = new Map<string, FlagSpec & {readonly key: string}>();
for (const [key, spec] of Object.entries(flagSpecs) as Array<[string, FlagSpec]>) {
	specs.set(`--${kebab(key)}`, {...spec, key});
	if (spec.shortFlag) {
		specs.set(`-${spec.shortFlag}`, {...spec, key});
	}
}

specs.set('--no-history', {type: 'boolean', key: 'history'});

/**
 * The race `argv` will run, or undefined when it may run something else: a command, help, a usage
 * error, the first-run screen (no prompt at a terminal), a flag this reading does not know.
 */
export function raceOf(argv: readonly string[], stdinIsTerminal: boolean): RaceStart | undefined {
	const words: string[] = [];
	let literal = false;
	let json = false;
	let maxFps = '15';
	let promptFile = false;
	for (let index = 0; index < argv.length; index++) {
		const arg = argv[index]!;
		if (arg === '--') {
			literal = words.length === 0;
			words.push(...argv.slice(index + 1));
			break;
		}

		if (!arg.startsWith('-') || arg === '-') {
			words.push(arg);
			continue;
		}

		const [name, inline] = arg.split(/=(.*)/s, 2) as [string, string | undefined];
		const spec = specs.get(name);
		if (!spec || spec.key === 'help' || spec.key === 'version') {
			return undefined;
		}

		const value = spec.type === 'string' ? (inline ?? argv[++index]) : undefined;
		if (spec.key === 'json') {
			json = inline === undefined || inline === 'true';
		} else if (spec.key === 'maxFps' && value !== undefined) {
			maxFps = value;
		} else if (spec.key === 'promptFile') {
			promptFile = true;
		}
	}

	const first = words[0];
	if (first === undefined ? stdinIsTerminal && !promptFile : isCommand(first, words.length, literal)) {
		return undefined;
	}

	const fps = Number(maxFps);
	return Number.isFinite(fps) && fps > 0 ? {json, maxFps: fps} : undefined;
}

function isCommand(word: string, count: number, literal: boolean): boolean {
	if (literal) {
		return false;
	}

	return (commandNames as readonly string[]).includes(word) || ((word === 'help' || word === 'version') && count === 1) || mistypedCommand(word) !== undefined;
}

/** Boot the engine now if `argv` runs a race (main.ts takes it, or discards it). */
export function bootEarly(argv: readonly string[]): void {
	const race = raceOf(argv, process.stdin.isTTY === true);
	if (race) {
		// Synchronously: a dynamic import of engine-boot.js here waited behind meow's loading (~60 ms later).
		bootEngine(engineModeOf(race.json, process.stdout.isTTY === true), frameMsFor(race.maxFps));
	}
}
