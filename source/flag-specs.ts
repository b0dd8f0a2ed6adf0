// The command line's flags, as command-parse.ts reads them, in a module of their own with no imports:
// the parse runs before anything else loads (cli.ts).

// Numbers stay strings here: options.ts validates them and names the value it could not read.
export const flagSpecs = {
	preset: {type: 'string', shortFlag: 'p'},
	models: {type: 'string', shortFlag: 'm'},
	baseUrl: {type: 'string'},
	header: {type: 'string', isMultiple: true},
	apiKeyEnv: {type: 'string'},
	runs: {type: 'string', shortFlag: 'n'},
	warmup: {type: 'string'},
	concurrency: {type: 'string'},
	maxTokens: {type: 'string'},
	temperature: {type: 'string'},
	timeout: {type: 'string'},
	idleTimeout: {type: 'string'},
	region: {type: 'string'},
	save: {type: 'string', shortFlag: 'o'},
	json: {type: 'boolean'},
	sort: {type: 'string'},
	bracket: {type: 'string'},
	seed: {type: 'string'},
	promptFile: {type: 'string'},
	maxFps: {type: 'string'},
	port: {type: 'string'},
	replay: {type: 'string'},
	format: {type: 'string'},
	metric: {type: 'string'},
	discover: {type: 'boolean'},
	insecure: {type: 'boolean'},
	history: {type: 'boolean', default: true},
	db: {type: 'string'},
	limit: {type: 'string'},
	by: {type: 'string'},
	since: {type: 'string'},
	host: {type: 'string'},
	olderThan: {type: 'string'},
	rate: {type: 'string'},
	duration: {type: 'string'},
	requests: {type: 'string'},
	arrivals: {type: 'string'},
	maxConcurrency: {type: 'string'},
	slo: {type: 'string'},
	sweep: {type: 'boolean'},
	uniquePrompts: {type: 'boolean'},
	yes: {type: 'boolean'},
	maxCost: {type: 'string'},
	keepText: {type: 'boolean'},
	help: {type: 'boolean', shortFlag: 'h'},
	version: {type: 'boolean', shortFlag: 'v'},
} as const;

export type FlagSpec = {
	readonly type: 'string' | 'boolean';
	readonly shortFlag?: string;
	/** Given more than once, each value is kept (a list; [] when not given). */
	readonly isMultiple?: boolean;
	/** The value when not given (else undefined). */
	readonly default?: boolean;
};

/** `maxTokens` → `max-tokens`. */
export const kebab = (key: string) => key.replaceAll(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);

/** A flag as typed: `maxFps` → `--max-fps`; `history` (on by default) is typed --no-history. */
export const typedFlag = (key: string) => (key === 'history' ? '--no-history' : `--${kebab(key)}`);
