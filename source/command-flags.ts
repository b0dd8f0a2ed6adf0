// Which flags each command takes, in one table: a flag that belongs to another command is a usage
// error naming it (`report us.json --runs 5`), never silently ignored. And a first word one typo
// away from a command's name is a usage error too: a mistyped command must never start a race.
import {editDistance} from './core/text/edit-distance.js';
import {typedFlag} from './flag-specs.js';

/** The commands besides the race (`llmrace [prompt]`), as typed. */
export const commandNames = ['show', 'report', 'compare', 'presets', 'sim', 'load', 'history'] as const;

/** `race` is `llmrace [prompt]`. */
export type CommandName = (typeof commandNames)[number] | 'race';

/** The race options (README "Race options"), by their camelCase keys (flag-specs.ts). */
const raceFlags = [
	'preset',
	'models',
	'baseUrl',
	'header',
	'apiKeyEnv',
	'runs',
	'warmup',
	'concurrency',
	'maxTokens',
	'temperature',
	'timeout',
	'idleTimeout',
	'region',
	'save',
	'json',
	'sort',
	'bracket',
	'seed',
	'promptFile',
	'maxFps',
	'discover',
	'insecure',
	'uniquePrompts',
	'history',
	'db',
] as const;

/** `load` takes the race options that make sense under load (not --runs, --warmup, --concurrency) and its own. */
const loadFlags = [
	...raceFlags.filter(flag => flag !== 'runs' && flag !== 'warmup' && flag !== 'concurrency'),
	'rate',
	'duration',
	'requests',
	'arrivals',
	'maxConcurrency',
	'slo',
	'sweep',
	'yes',
	'maxCost',
	'keepText',
];

/** Every command's flags, by their camelCase keys (`--help` and `--version` go with every command). */
export const commandFlags: Readonly<Record<CommandName, readonly string[]>> = {
	race: raceFlags,
	show: ['replay', 'sort', 'bracket', 'save', 'maxFps'],
	report: ['format', 'save'],
	compare: ['metric', 'json'],
	presets: [],
	sim: ['port', 'preset', 'seed', 'region'],
	load: loadFlags,
	history: ['db', 'since', 'by', 'region', 'host', 'preset', 'json', 'limit', 'format', 'olderThan', 'replay', 'sort', 'bracket', 'maxFps', 'history'],
};

/** The views of `llmrace history` (its first word; `<model>` is any other word). */
export const historyViews = ['list', '<model>', 'regions', 'import', 'show', 'delete', 'prune', 'export'] as const;
export type HistoryView = (typeof historyViews)[number];

const historyFilters = ['since', 'region', 'host', 'preset'];

/**
 * What each history view takes, within the history's flags (`commandFlags.history`): a flag of another
 * view (`history export --by race`) is a usage error too, never silently ignored. --db, and --no-history
 * (which history never needs), go with every view.
 */
export const historyViewFlags: Readonly<Record<HistoryView, readonly string[]>> = {
	list: ['db', 'history', ...historyFilters, 'json', 'limit'],
	'<model>': ['db', 'history', ...historyFilters, 'json', 'by'],
	regions: ['db', 'history', ...historyFilters, 'json'],
	import: ['db', 'history'],
	show: ['db', 'history', 'json', 'replay', 'sort', 'bracket', 'maxFps'],
	delete: ['db', 'history'],
	prune: ['db', 'history', 'olderThan'],
	export: ['db', 'history', ...historyFilters, 'format'],
};

const viewLabel = (view: HistoryView) => (view === 'list' ? 'the history list' : `history ${view}`);

/** The usage error for the first flag given that this history view does not take (see misplacedFlag); undefined when none. */
export function misplacedHistoryFlag(view: HistoryView, flags: Readonly<Record<string, unknown>>): string | undefined {
	const accepted = new Set(historyViewFlags[view]);
	const stray = Object.keys(flags).find(key => given(flags[key]) && !accepted.has(key));
	if (stray === undefined) {
		return undefined;
	}

	const owners = historyViews.filter(name => historyViewFlags[name].includes(stray)).map(viewLabel);
	const owner = owners.length > 0 ? ` (it is a flag of ${owners.join(', ')})` : '';
	const takes = historyViewFlags[view].filter(key => key !== 'history' && Object.hasOwn(flags, key)).map(typedFlag);
	return `${typedFlag(stray)} is not a flag of ${viewLabel(view)}${owner}\n${viewLabel(view)} takes: ${takes.join(' ')}`;
}

/** A flag counts as given when its value is neither undefined, false (a boolean turned off) nor [] (a repeatable flag's). */
const given = (value: unknown) => value !== undefined && value !== false && !(Array.isArray(value) && value.length === 0);

const commandLabel = (command: CommandName) => (command === 'race' ? 'the race' : command);

/**
 * The usage error for the first flag given that `command` does not take, naming the command it
 * belongs to and what `command` takes; undefined when every flag given is the command's. A flag
 * counts as given when its value is neither undefined, false (a boolean turned off) nor [] (a repeatable flag's).
 */
export function misplacedFlag(command: CommandName, flags: Readonly<Record<string, unknown>>): string | undefined {
	const accepted = new Set(commandFlags[command]);
	const stray = Object.keys(flags).find(key => given(flags[key]) && !accepted.has(key));
	if (stray === undefined) {
		return undefined;
	}

	const owners = (Object.keys(commandFlags) as CommandName[]).filter(name => commandFlags[name].includes(stray)).map(commandLabel);
	const owner = owners.length > 0 ? ` (it is a flag of ${owners.join(', ')})` : '';
	// Only the flags this build has (the table also names flags still being built).
	const known = commandFlags[command].filter(key => Object.hasOwn(flags, key));
	const takes = known.length === 0 ? 'no flags' : known.map(typedFlag).join(' ');
	return `${typedFlag(stray)} is not a flag of ${commandLabel(command)}${owner}\n${commandLabel(command)} takes: ${takes}`;
}

/**
 * A first argument that is a single word within one edit of a 4–5-letter command's name, within two
 * of a longer one (case-insensitive, `Show` included), and not the command itself: the usage error
 * naming the command it probably meant and how to race the word as a prompt. Undefined otherwise.
 */
export function mistypedCommand(word: string): string | undefined {
	if (!/^[\p{L}\p{N}_-]+$/u.test(word) || (commandNames as readonly string[]).includes(word)) {
		return undefined;
	}

	const typed = word.toLowerCase();
	const meant = commandNames
		.filter(name => name.length >= 4)
		.map(name => ({name, edits: editDistance(typed, name)}))
		.filter(({name, edits}) => edits <= (name.length <= 5 ? 1 : 2))
		.sort((a, b) => a.edits - b.edits)[0]?.name;
	return meant === undefined ? undefined : `unknown command "${word}" (did you mean ${meant}?)\nto race it as a prompt: llmrace -- ${word}`;
}
