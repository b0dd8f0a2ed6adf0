// The command line read into its words and flags (flag-specs.ts), by hand: a flag parser library cost
// every command ~65 ms to import on this project's 2-core machine (a third of `llmrace --version`,
// a fifth of `history <model>`), for a grammar this small. Node's util.parseArgs is not used either:
// it cannot tell a missing value (`-n --json`) from a value, nor take `--replay` with or without one.
//
// The grammar: `--name value`, `--name=value`, `-n value`, `-nvalue`, `-n=value`; a boolean is
// `--name`, `--name=true|false` or `--no-name`, and short booleans group (`-hv`); a value may be a
// negative number (`--temperature -1` reads -1; another word beginning with `-` is a missing value);
// `--replay` takes a speed only when a number follows (else 1); everything after `--` is a word.
import {nearestWord} from './core/text/edit-distance.js';
import {flagSpecs, kebab, typedFlag, type FlagSpec} from './flag-specs.js';

type Specs = typeof flagSpecs;

/** Every flag by its camelCase key: a string flag's value or undefined, --header's list, a boolean or undefined; history is on unless --no-history. */
export type ParsedFlags = {
	-readonly [Key in keyof Specs]: Specs[Key] extends {readonly isMultiple: true}
		? string[]
		: Specs[Key] extends {readonly type: 'boolean'; readonly default: true}
			? boolean
			: Specs[Key] extends {readonly type: 'boolean'}
				? boolean | undefined
				: string | undefined;
};

export type CommandLine = {
	/** The words that are not flags or their values, in order (those after `--` last). */
	readonly input: readonly string[];
	readonly flags: ParsedFlags;
	/** Every word came after `--` (`llmrace -- presets`): the first is a prompt, not a command. */
	readonly literal: boolean;
};

/** A command line that cannot be read: `error` is the usage error's line(s), without the `llmrace: `. */
export type CommandLineError = {readonly error: string};

type Entry = FlagSpec & {readonly key: string};

const specs = Object.entries(flagSpecs) as Array<[string, FlagSpec]>;
const byName = new Map<string, Entry>();
for (const [key, spec] of specs) {
	byName.set(`--${kebab(key)}`, {...spec, key});
	if (spec.shortFlag) {
		byName.set(`-${spec.shortFlag}`, {...spec, key});
	}
}

/** Every flag as typed, for the usage error's second line. */
const longFlagNames = specs.map(([key]) => typedFlag(key));
const shortFlagNames = specs.flatMap(([, spec]) => (spec.shortFlag ? [`-${spec.shortFlag}`] : []));

const negativeNumber = /^-(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const speed = /^\d+(\.\d+)?$/;

/** A word that can be a flag's value: not another flag (`-` alone and negative numbers are values). */
const isValue = (word: string | undefined): boolean => word !== undefined && (!word.startsWith('-') || word === '-' || negativeNumber.test(word));

export function parseCommandLine(argv: readonly string[]): CommandLine | CommandLineError {
	const values: Record<string, unknown> = {};
	for (const [key, spec] of specs) {
		values[key] = spec.isMultiple ? [] : spec.default;
	}

	const input: string[] = [];
	const unknown: string[] = [];
	const given = new Set<string>();
	let twice: string | undefined;
	let missing: string | undefined;
	let badBoolean: string | undefined;
	let literalWords = -1;

	const set = (entry: Entry, value: unknown) => {
		if (entry.isMultiple) {
			(values[entry.key] as unknown[]).push(value);
			return;
		}

		// A string flag given twice is ambiguous; a boolean given twice says the same thing twice.
		if (given.has(entry.key) && entry.type === 'string') {
			twice ??= typedFlag(entry.key);
		}

		given.add(entry.key);
		values[entry.key] = value;
	};

	const setBoolean = (entry: Entry, name: string, inline: string | undefined) => {
		if (inline === undefined || inline === 'true' || inline === 'false') {
			set(entry, inline !== 'false');
		} else {
			badBoolean ??= `invalid value for ${name}: "${inline}" (expected true or false, or no value)`;
		}
	};

	for (let index = 0; index < argv.length; index++) {
		const arg = argv[index]!;
		if (arg === '--') {
			const rest = argv.slice(index + 1);
			literalWords = rest.length;
			input.push(...rest);
			break;
		}

		if (isValue(arg)) {
			input.push(arg);
			continue;
		}

		const equals = arg.indexOf('=');
		const long = arg.startsWith('--');
		// The name ends at `=` or with the word (`--runs=3`, `-n=3`); else it is one letter and the rest is
		// its value (`-n5`) or more letters (`-hv`).
		const whole = long || equals === 2;
		const name = whole ? (equals === -1 ? arg : arg.slice(0, equals)) : arg.slice(0, 2);
		const inline = whole ? (equals === -1 ? undefined : arg.slice(equals + 1)) : arg.length > 2 ? arg.slice(2) : undefined;
		let entry = byName.get(name);
		if (!entry && long && name.startsWith('--no-')) {
			const negated = byName.get(`--${name.slice(5)}`);
			if (negated?.type === 'boolean' && inline === undefined) {
				set(negated, false);
				continue;
			}
		}

		if (entry && !whole && entry.type === 'boolean' && inline !== undefined) {
			// `-hv`: short booleans grouped; any other letter makes the group unknown.
			const group = [...arg.slice(1)].map(letter => byName.get(`-${letter}`));
			if (group.every(member => member?.type === 'boolean')) {
				for (const member of group) {
					set(member!, true);
				}

				continue;
			}

			entry = undefined;
		}

		if (!entry) {
			unknown.push(whole ? name : arg);
			continue;
		}

		const typed = long ? name : `--${kebab(entry.key)}`;
		if (entry.type === 'boolean') {
			setBoolean(entry, typed, inline);
		} else if (inline !== undefined) {
			set(entry, inline);
		} else if (entry.key === 'replay') {
			// `--replay [speed]`: the speed only when a number follows.
			set(entry, speed.test(argv[index + 1] ?? '') ? argv[++index] : '1');
		} else if (isValue(argv[index + 1])) {
			set(entry, argv[++index]);
		} else {
			missing ??= typed;
		}
	}

	if (unknown.length > 0) {
		return {error: unknownFlags(unknown)};
	}

	const problem = (twice && `${twice} given more than once: give it once`) ?? badBoolean ?? (missing && `missing value for ${missing}`);
	if (problem) {
		return {error: problem};
	}

	return {input, flags: values as ParsedFlags, literal: literalWords >= 0 && input.length === literalWords};
}

/** `unknown flag --run (did you mean --runs?)`, then every valid flag. */
function unknownFlags(unknown: readonly string[]): string {
	const nearest = unknown.length === 1 && unknown[0]!.startsWith('--') ? nearestWord(unknown[0]!, longFlagNames, 2) : undefined;
	return `unknown flag${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}${nearest ? ` (did you mean ${nearest}?)` : ''}\nvalid: ${longFlagNames.join(' ')}; short: ${shortFlagNames.join(' ')}`;
}
