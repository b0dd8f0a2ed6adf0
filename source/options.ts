// Validating command-line values: pure, so every usage error can be tested without a process.
import {randomInt} from 'node:crypto';
import {loadSortKeys, type LoadSortKey} from './core/stats/load-ranking.js';
import {defaultSlo, parseSlo} from './core/load/slo.js';
import {sweepDefaultRate} from './core/load/sweep.js';
import type {LoadSettings, SloTerm} from './core/load/types.js';
import {sortKeys, type SortKey} from './core/stats/ranking.js';
import {bracketNames, type BracketName} from './core/types.js';
import {UsageError} from './usage-error.js';

export {UsageError} from './usage-error.js';

/** The race's flags as typed on the command line (strings until validated here). */
export type RawFlags = {
	/** Undefined when -p was not given: `demo`, or with --base-url the server's own models. */
	readonly preset?: string | undefined;
	readonly models?: string | undefined;
	readonly baseUrl?: string | undefined;
	/** `--header 'Name: value'`, repeatable. */
	readonly header?: readonly string[] | undefined;
	readonly apiKeyEnv?: string | undefined;
	readonly runs?: string | undefined;
	readonly warmup?: string | undefined;
	readonly concurrency?: string | undefined;
	readonly maxTokens?: string | undefined;
	readonly temperature?: string | undefined;
	readonly timeout?: string | undefined;
	readonly idleTimeout?: string | undefined;
	readonly region?: string | undefined;
	readonly save?: string | undefined;
	readonly json: boolean;
	readonly sort?: string | undefined;
	readonly bracket?: string | undefined;
	readonly seed?: string | undefined;
	readonly maxFps?: string | undefined;
	readonly discover?: boolean | undefined;
	readonly insecure?: boolean | undefined;
	/** False with --no-history. */
	readonly history?: boolean | undefined;
	/** --db: the history store (sqlite:<path> or postgres://…). */
	readonly db?: string | undefined;
};

/** The flags of `llmrace load` besides the race's (docs/load.md). */
export type LoadFlags = {
	readonly rate?: string | undefined;
	readonly duration?: string | undefined;
	readonly requests?: string | undefined;
	readonly arrivals?: string | undefined;
	readonly maxConcurrency?: string | undefined;
	readonly slo?: string | undefined;
	readonly sweep?: boolean | undefined;
	/** Default on in load; in a race, off unless given. */
	readonly uniquePrompts?: boolean | undefined;
	readonly yes?: boolean | undefined;
	readonly maxCost?: string | undefined;
	readonly keepText?: boolean | undefined;
};

/** Every flag of the command line: the race's, and those of show, report, compare, sim, load and history. */
export type Flags = RawFlags &
	LoadFlags & {
		readonly promptFile?: string | undefined;
		readonly port?: string | undefined;
		readonly replay?: string | undefined;
		readonly format?: string | undefined;
		readonly metric?: string | undefined;
		/** history: how many races (0: all), per day or race, since, the machine, older-than (prune). */
		readonly limit?: string | undefined;
		readonly by?: string | undefined;
		readonly since?: string | undefined;
		readonly host?: string | undefined;
		readonly olderThan?: string | undefined;
	};

/** The preset when -p is not given (and --base-url is not either). */
export const defaultPreset = 'demo';

export type RaceConfig = {
	/**
	 * One or more presets (comma-separated on the command line), raced together. Empty when
	 * --base-url was given without -p: the race is what that server lists (GET /models).
	 */
	readonly presets: readonly string[];
	/** Whether -p was given (an explicit simulated preset cannot take --base-url). */
	readonly presetGiven: boolean;
	readonly models: readonly string[] | null;
	readonly baseURL: string | null;
	/** `--header`s, names in lower case: sent with every request and GET /models, over the model's and the preset's. */
	readonly headers: Readonly<Record<string, string>>;
	readonly apiKeyEnv: string | null;
	readonly runs: number;
	readonly warmup: number;
	readonly concurrency: number | null;
	readonly maxTokens: number;
	readonly temperature: number | null;
	readonly timeoutMs: number;
	readonly idleTimeoutMs: number | null;
	readonly region: string | null;
	readonly save: string | null;
	readonly json: boolean;
	readonly sort: SortKey;
	readonly bracket: BracketName | null;
	readonly seed: number;
	/** Whether --seed was given (else a random seed was drawn). */
	readonly seedGiven: boolean;
	readonly maxFps: number;
	/** Race what the server's GET /models lists. */
	readonly discover: boolean;
	/** Skip TLS certificate checks (self-signed local servers). */
	readonly insecure: boolean;
	/** Each request's prompt begins with a unique line (off in races unless given; on in load). */
	readonly uniquePrompts?: boolean | undefined;
};

export function integer(flag: string, value: string | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
	if (value === undefined) {
		return fallback;
	}

	const number = Number(value);
	if (value.trim() === '' || !Number.isInteger(number) || number < min || number > max) {
		const range = max === Number.MAX_SAFE_INTEGER ? `a whole number ≥ ${min}` : `a whole number from ${min} to ${max}`;
		throw new UsageError(`invalid value for ${flag}: "${value}" (expected ${range})`);
	}

	return number;
}

export function decimal(flag: string, value: string, min: number, max: number, exclusiveMin = false): number {
	const number = Number(value);
	if (value.trim() === '' || !Number.isFinite(number) || number < min || number > max || (exclusiveMin && number === min)) {
		throw new UsageError(
			`invalid value for ${flag}: "${value}" (expected a number ${exclusiveMin ? 'above' : 'from'} ${min}${exclusiveMin ? '' : ` to ${max}`})`,
		);
	}

	return number;
}

/** `value` when it is one of `choices`; else a usage error naming the flag, the value and the valid choices. */
export function oneOf<T extends string>(flag: string, value: string, choices: readonly T[]): T {
	if (!(choices as readonly string[]).includes(value)) {
		throw new UsageError(`invalid value for ${flag}: "${value}"\nvalid: ${choices.join(', ')}`);
	}

	return value as T;
}

/** `--header 'Name: value'` (repeatable): a token name, a colon, the value (kept as typed; `${VAR}` expands later). */
export function parseHeaders(values: readonly string[]): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const value of values) {
		const match = /^([!#$%&'*+.^`|~\w-]+):[ \t]*(.*)$/s.exec(value);
		if (!match || /[\r\n\0]/.test(match[2]!)) {
			// The value is never echoed: it may be a secret.
			throw new UsageError(`invalid value for --header${value.includes(':') ? ` "${value.split(':')[0]}: …"` : ''} (expected 'Name: value')`);
		}

		headers[match[1]!.toLowerCase()] = match[2]!.trim();
	}

	return headers;
}

export function parseRaceFlags(flags: RawFlags & {readonly uniquePrompts?: boolean | undefined}): RaceConfig {
	if (flags.baseUrl !== undefined) {
		try {
			const url = new URL(flags.baseUrl);
			if (url.protocol !== 'http:' && url.protocol !== 'https:') {
				throw new Error('protocol');
			}
		} catch {
			throw new UsageError(`invalid value for --base-url: "${flags.baseUrl}" (expected an http(s) URL)`);
		}
	}

	if (flags.apiKeyEnv !== undefined && !/^[A-Za-z_]\w*$/.test(flags.apiKeyEnv)) {
		throw new UsageError(`invalid value for --api-key-env: "${flags.apiKeyEnv}" (expected the name of an environment variable, not a key)`);
	}

	const models =
		flags.models === undefined
			? null
			: flags.models
					.split(',')
					.map(model => model.trim())
					.filter(Boolean);
	if (models?.length === 0) {
		throw new UsageError('--models names no model');
	}

	const seedGiven = flags.seed !== undefined;
	const presetGiven = flags.preset !== undefined;
	const presets = presetGiven
		? flags
				.preset!.split(',')
				.map(name => name.trim())
				.filter(Boolean)
		: flags.baseUrl === undefined
			? [defaultPreset]
			: [];
	if (presetGiven && presets.length === 0) {
		throw new UsageError('--preset names no preset');
	}

	return {
		presets,
		presetGiven,
		models,
		baseURL: flags.baseUrl ?? null,
		headers: parseHeaders(flags.header ?? []),
		apiKeyEnv: flags.apiKeyEnv ?? null,
		runs: integer('--runs', flags.runs, 1, 1, 10_000),
		warmup: integer('--warmup', flags.warmup, 0, 0, 1000),
		concurrency: flags.concurrency === undefined ? null : integer('--concurrency', flags.concurrency, 1, 1, 10_000),
		maxTokens: integer('--max-tokens', flags.maxTokens, 512, 1, 1_000_000),
		temperature: flags.temperature === undefined ? null : decimal('--temperature', flags.temperature, 0, 2),
		timeoutMs: flags.timeout === undefined ? 120_000 : decimal('--timeout', flags.timeout, 0, 86_400, true) * 1000,
		idleTimeoutMs: flags.idleTimeout === undefined ? null : decimal('--idle-timeout', flags.idleTimeout, 0, 86_400, true) * 1000,
		region: flags.region?.trim() ? flags.region.trim() : null,
		save: flags.save ?? null,
		json: flags.json,
		sort: flags.sort === undefined ? 'ttft' : oneOf('--sort', flags.sort, sortKeys),
		bracket: flags.bracket === undefined || flags.bracket === 'all' ? null : oneOf('--bracket', flags.bracket, bracketNames),
		seed: seedGiven ? integer('--seed', flags.seed, 0, 0, 2_147_483_647) : randomInt(2_147_483_647),
		seedGiven,
		maxFps: integer('--max-fps', flags.maxFps, 15, 1, 60),
		discover: (flags.discover ?? false) || presets.length === 0,
		insecure: flags.insecure ?? false,
		uniquePrompts: flags.uniquePrompts ?? false,
	};
}

export function parsePort(value: string | undefined, fallback: number): number {
	return integer('--port', value, fallback, 0, 65_535);
}

/** The label of a race of whatever a server lists: its URL's host (with the port), never a preset's name. */
export function hostLabel(baseURL: string): string {
	return new URL(baseURL).host;
}

/** The width of text output: the terminal's, else the pipe's (pipeWidth). */
export function outputWidth(stdout: {readonly isTTY?: boolean; readonly columns?: number}, env: NodeJS.ProcessEnv): number {
	return stdout.isTTY && stdout.columns ? stdout.columns : pipeWidth(env);
}

/** The width of the plain table when stdout is not a terminal: $COLUMNS when it is a positive whole number, else 100. */
export function pipeWidth(env: NodeJS.ProcessEnv): number {
	const columns = Number(env['COLUMNS']);
	return Number.isInteger(columns) && columns > 0 ? columns : 100;
}

const durationUnits: Readonly<Record<string, number>> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000};

/** `500ms`, `30s`, `5m`, `2h`, `30d`; a bare number is seconds. In ms. */
export function parseDuration(flag: string, value: string): number {
	const match = /^(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h|d)?$/i.exec(value.trim());
	const ms = match ? Number(match[1]) * durationUnits[(match[2] ?? 's').toLowerCase()]! : Number.NaN;
	if (!match || !(ms > 0) || ms > 365 * 86_400_000) {
		throw new UsageError(`invalid value for ${flag}: "${value}" (expected a duration such as 500ms, 30s, 5m, 2h, 30d; a bare number is seconds)`);
	}

	return ms;
}

/** `--rate 1,2,4`: requests per second per model, each above 0. */
export function parseRates(value: string): number[] {
	const parts = value.split(',').map(part => part.trim());
	return parts.map(part => {
		const rate = Number(part);
		if (part === '' || !Number.isFinite(rate) || rate <= 0 || rate > 100_000) {
			throw new UsageError(`invalid value for --rate: "${value}" (expected requests per second per model, above 0, e.g. 1 or 0.5,1,2,4)`);
		}

		return rate;
	});
}

/** A load run's flags: the race's, the load's settings as the transcript keeps them, and the run's own. */
export type LoadConfig = RaceConfig &
	Pick<LoadSettings, 'rates' | 'arrivals' | 'durationMs' | 'requests' | 'maxConcurrency' | 'slo' | 'sweep' | 'uniquePrompts'> & {
		readonly yes: boolean;
		readonly maxCostUSD: number | null;
		readonly keepText: boolean;
		readonly loadSort: LoadSortKey;
	};

/** The race's flags that mean nothing under load: usage errors there, with what to use instead. */
const notInLoad = [
	['runs', '--runs', 'a load sends requests at --rate for --duration (or --requests N)'],
	['warmup', '--warmup', 'a load has no warm-up runs'],
	['concurrency', '--concurrency', 'use --max-concurrency (per model) in load'],
] as const;

/** `llmrace load`: the race's options that apply, and the load's own (docs/load.md). */
/** The race's --runs, --warmup, --concurrency given to load: a usage error saying what to use instead. */
export function rejectRaceOnlyFlags(flags: Flags): void {
	for (const [key, flag, instead] of notInLoad) {
		if (flags[key] !== undefined) {
			throw new UsageError(`${flag} is not an option of llmrace load: ${instead}`);
		}
	}
}

export function parseLoadFlags(flags: Flags): LoadConfig {
	rejectRaceOnlyFlags(flags);

	const race = parseRaceFlags({...flags, sort: undefined});
	const sweep = flags.sweep ?? false;
	if (flags.rate === undefined && !sweep) {
		throw new UsageError(
			'llmrace load needs --rate (requests per second per model) or --sweep\nexample: llmrace load --rate 1,2,4 --duration 30s "Explain recursion"',
		);
	}

	const rates = flags.rate === undefined ? [sweepDefaultRate] : parseRates(flags.rate);
	if (sweep && rates.length > 1) {
		throw new UsageError(`--sweep starts from one rate: give --rate one value (got ${flags.rate})`);
	}

	if (flags.duration !== undefined && flags.requests !== undefined) {
		throw new UsageError('give --duration or --requests, not both: a step lasts one or the other');
	}

	let slo: SloTerm[];
	try {
		slo = parseSlo(flags.slo ?? defaultSlo);
	} catch (error) {
		throw new UsageError(`invalid value for --slo: ${(error as Error).message}`);
	}

	const requests = flags.requests === undefined ? null : integer('--requests', flags.requests, 1, 1, 1_000_000);
	return {
		...race,
		timeoutMs: flags.timeout === undefined ? race.timeoutMs : parseDuration('--timeout', flags.timeout),
		idleTimeoutMs: flags.idleTimeout === undefined ? race.idleTimeoutMs : parseDuration('--idle-timeout', flags.idleTimeout),
		rates,
		arrivals: flags.arrivals === undefined ? 'poisson' : oneOf('--arrivals', flags.arrivals, ['poisson', 'constant'] as const),
		durationMs: requests === null ? (flags.duration === undefined ? 30_000 : parseDuration('--duration', flags.duration)) : null,
		requests,
		maxConcurrency: integer('--max-concurrency', flags.maxConcurrency, 256, 1, 100_000),
		slo,
		sweep,
		uniquePrompts: flags.uniquePrompts ?? true,
		yes: flags.yes ?? false,
		maxCostUSD: flags.maxCost === undefined ? null : decimal('--max-cost', flags.maxCost, 0, 1_000_000, true),
		keepText: flags.keepText ?? false,
		loadSort: flags.sort === undefined ? (sweep ? 'rate' : 'ttfa') : oneOf('--sort', flags.sort, loadSortKeys),
	};
}

/** The load's own flags given to another command: a usage error naming the command they belong to. */
export function rejectLoadFlags(flags: Flags, command: string): void {
	const loadOnly = [
		['rate', '--rate'],
		['duration', '--duration'],
		['requests', '--requests'],
		['arrivals', '--arrivals'],
		['maxConcurrency', '--max-concurrency'],
		['slo', '--slo'],
		['sweep', '--sweep'],
		['yes', '--yes'],
		['maxCost', '--max-cost'],
		['keepText', '--keep-text'],
	] as const;
	for (const [key, flag] of loadOnly) {
		if (flags[key] !== undefined) {
			throw new UsageError(`${flag} is an option of llmrace load, not of ${command}\nexample: llmrace load ${flag} … "your prompt"`);
		}
	}
}
