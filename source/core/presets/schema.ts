// Preset parsing and validation: text → Preset, or an error naming the file, the field path and what was expected.
import {parse as parseYaml} from 'yaml';
import {defaultBrackets} from './brackets.js';
import {formatFieldPath} from '../text/field-path.js';
import {PresetError, simulatorPlaceholderURL} from './presets.js';
import type {ModelSpec, Preset, Price} from '../types.js';

// The schema is checked by hand, not by a schema library: zod cost ~90 ms to import, on the first
// request's path of every race run from a preset file (docs/stamping-threads.md, start-up). The rules
// and the words are those the schema had: the first problem in the order the fields are listed here
// (an unknown field after the known ones), as "<path>: <what was expected>".

type Path = ReadonlyArray<string | number>;

/** The first problem found: where, and what was expected there. */
class Invalid extends Error {
	readonly path: Path;
	readonly expected: string;
	constructor(path: Path, expected: string) {
		super(expected);
		this.path = path;
		this.expected = expected;
	}
}

function describe(value: unknown): string {
	if (value === null) {
		return 'null';
	}

	return Array.isArray(value) ? 'a list' : typeof value;
}

const expectedType = (type: string, value: unknown, path: Path) => new Invalid(path, `expected ${type}, got ${describe(value)}`);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function string(value: unknown, path: Path, options: {readonly nonEmpty?: boolean; readonly pattern?: RegExp; readonly message?: string} = {}): string {
	if (typeof value !== 'string') {
		throw expectedType('string', value, path);
	}

	if (options.nonEmpty && value.length === 0) {
		throw new Invalid(path, 'Too small: expected string to have >=1 characters');
	}

	if (options.pattern && !options.pattern.test(value)) {
		throw new Invalid(path, options.message!);
	}

	return value;
}

function number(value: unknown, path: Path, bound: 'nonNegative' | 'positive'): number {
	if (typeof value !== 'number') {
		throw expectedType('number', value, path);
	}

	if (!Number.isFinite(value)) {
		throw new Invalid(path, `expected a finite number, got ${value}`);
	}

	if (bound === 'nonNegative' ? value < 0 : value <= 0) {
		throw new Invalid(path, `Too small: expected number to be ${bound === 'nonNegative' ? '>=0' : '>0'}`);
	}

	return value;
}

function boolean(value: unknown, path: Path): boolean {
	if (typeof value !== 'boolean') {
		throw expectedType('boolean', value, path);
	}

	return value;
}

function url(value: unknown, path: Path): string {
	const text = string(value, path);
	let protocol = '';
	try {
		protocol = new URL(text).protocol;
	} catch {}

	if (protocol !== 'http:' && protocol !== 'https:') {
		throw new Invalid(path, 'expected an http(s) URL');
	}

	return text;
}

const envName = (value: unknown, path: Path) =>
	string(value, path, {pattern: /^[A-Za-z_]\w*$/, message: 'expected an environment variable name (letters, digits, _)'});
/** A provider id of the price database (`prices: openai`); checked against the database when it loads. */
const priceProvider = (value: unknown, path: Path) =>
	string(value, path, {pattern: /^[\w.-]+$/, message: 'expected a provider id of the price database (e.g. openai)'});

function record<T>(value: unknown, path: Path, item: (value: unknown, path: Path) => T): Record<string, T> {
	if (!isRecord(value)) {
		throw expectedType('record', value, path);
	}

	const result: Record<string, T> = {};
	for (const [key, entry] of Object.entries(value)) {
		// Defined, not assigned: a key named `__proto__` (JSON and YAML allow it) stays a key.
		Object.defineProperty(result, key, {value: item(entry, [...path, key]), enumerable: true, writable: true, configurable: true});
	}

	return result;
}

const headers = (value: unknown, path: Path) => record(value, path, string);

type Fields = Record<string, (value: unknown, path: Path) => unknown>;
type Checked<F extends Fields> = {[Key in keyof F]?: ReturnType<F[Key]>};

/**
 * An object with only these fields, each optional unless in `required`: checked in the order listed,
 * then any field not listed is an error naming it. The result has the fields given, in that order.
 */
function strictObject<F extends Fields>(value: unknown, path: Path, fields: F, required: ReadonlyArray<keyof F> = []): Checked<F> {
	if (!isRecord(value)) {
		throw expectedType('object', value, path);
	}

	const result: Record<string, unknown> = {};
	for (const [key, check] of Object.entries(fields)) {
		if (value[key] === undefined) {
			if (required.includes(key)) {
				check(undefined, [...path, key]);
			}

			continue;
		}

		result[key] = check(value[key], [...path, key]);
	}

	const unknown = Object.keys(value).filter(key => !Object.hasOwn(fields, key));
	if (unknown.length > 0) {
		throw new Invalid(path, `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map(key => `"${key}"`).join(', ')}`);
	}

	return result as Checked<F>;
}

const nullable =
	<T>(check: (value: unknown, path: Path) => T) =>
	(value: unknown, path: Path): T | null =>
		value === null ? null : check(value, path);

const nonNegative = (value: unknown, path: Path) => number(value, path, 'nonNegative');
const positive = (value: unknown, path: Path) => number(value, path, 'positive');
const nonEmpty = (value: unknown, path: Path) => string(value, path, {nonEmpty: true});

const regionReference = (value: unknown, path: Path) => strictObject(value, path, {ttftMs: positive, tokensPerSecond: positive});

function sequences(value: unknown, path: Path): number {
	if (typeof value === 'number' && Number.isFinite(value) && !Number.isInteger(value)) {
		throw new Invalid(path, `expected a whole number, got ${value}`);
	}

	return positive(value, path);
}

const modelFields = {
	id: nonEmpty,
	name: nonEmpty,
	provider: nonEmpty,
	baseURL: url,
	apiKeyEnv: envName,
	headers,
	price: (value: unknown, path: Path) => strictObject(value, path, {outputPerM: nullable(nonNegative), inputPerM: nullable(nonNegative), source: string}),
	prices: priceProvider,
	reasoning: boolean,
	reference: (value: unknown, path: Path) =>
		strictObject(value, path, {
			source: string,
			ttftMs: positive,
			tokensPerSecond: positive,
			regions: (regions: unknown, at: Path) => record(regions, at, regionReference),
		}),
	/** Simulated presets: how many concurrent sequences the model serves at its published speed (docs/load.md). */
	load: (value: unknown, path: Path) => strictObject(value, path, {sequences}, ['sequences']) as {sequences: number},
};

function brackets(value: unknown, path: Path) {
	const checked = strictObject(value, path, {ultraBudget: nonNegative, budget: nonNegative, mid: nonNegative}, ['ultraBudget', 'budget', 'mid']) as {
		ultraBudget: number;
		budget: number;
		mid: number;
	};
	if (!(checked.ultraBudget < checked.budget && checked.budget < checked.mid)) {
		throw new Invalid(path, 'expected ultraBudget < budget < mid');
	}

	return checked;
}

function modelList(value: unknown, path: Path) {
	if (value === 'discover') {
		return 'discover' as const;
	}

	if (!Array.isArray(value)) {
		throw new Invalid(path, 'expected a list of models or "discover"');
	}

	if (value.length === 0) {
		throw new Invalid(path, 'expected at least one model');
	}

	return value.map((model, index) => strictObject(model, [...path, index], modelFields, ['id']) as Checked<typeof modelFields> & {id: string});
}

const presetFields = {
	name: nonEmpty,
	description: string,
	simulated: boolean,
	baseURL: url,
	apiKeyEnv: envName,
	headers,
	prices: priceProvider,
	brackets,
	models: modelList,
};

/** A price written in the preset: its source is the preset's own text, else "preset"; no output price is no price. */
function presetPrice(price: {outputPerM?: number | null | undefined; inputPerM?: number | null | undefined; source?: string | undefined} | undefined): Price {
	const outputPerM = price?.outputPerM ?? null;
	return {
		outputPerM,
		inputPerM: price?.inputPerM ?? null,
		source: outputPerM === null ? null : price?.source?.trim() || 'preset',
	};
}

/** Parse the text of a preset file (YAML is a superset of JSON). */
export function parsePresetText(text: string, file: string): Preset {
	let data: unknown;
	try {
		data = parseYaml(text, {uniqueKeys: true});
	} catch (error) {
		const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
		throw new PresetError(`${file}: not valid YAML or JSON: ${message}`);
	}

	return validatePreset(data, file);
}

/** Validate parsed preset data. `file` names the source in messages and gives the default name. */
export function validatePreset(data: unknown, file: string): Preset {
	type Checked = ReturnType<typeof strictObject<typeof presetFields>> & {models: ReturnType<typeof modelList>};
	let preset: Checked;
	try {
		preset = strictObject(data, [], presetFields, ['models']) as Checked;
	} catch (error) {
		if (error instanceof Invalid) {
			throw new PresetError(`${file}: ${formatFieldPath(error.path) || '(top level)'}: ${error.expected}`);
		}

		throw error;
	}

	const simulated = preset.simulated ?? false;
	const name = preset.name ?? file.replace(/^.*[/\\]/, '').replace(/\.(ya?ml|json)$/i, '');
	const common = {
		name,
		description: preset.description ?? null,
		file,
		simulated,
		baseURL: preset.baseURL ?? null,
		apiKeyEnv: preset.apiKeyEnv ?? null,
		headers: preset.headers ?? {},
		brackets: preset.brackets ?? defaultBrackets,
		priceProvider: preset.prices ?? null,
	};
	if (preset.models === 'discover') {
		if (!preset.baseURL) {
			throw new PresetError(`${file}: baseURL: required with "models: discover"`);
		}

		return {...common, models: [], discover: true};
	}

	const seen = new Map<string, number>();
	const models = preset.models.map((model, index): ModelSpec => {
		const previous = seen.get(model.id);
		if (previous !== undefined) {
			throw new PresetError(`${file}: models[${index}].id: duplicate model id "${model.id}" (also models[${previous}])`);
		}

		seen.set(model.id, index);
		const baseURL = model.baseURL ?? preset.baseURL ?? (simulated ? simulatorPlaceholderURL : undefined);
		if (!baseURL) {
			throw new PresetError(`${file}: models[${index}].baseURL: required (no baseURL at the top of the preset either)`);
		}

		return {
			id: model.id,
			name: model.name ?? model.id,
			provider: model.provider ?? null,
			baseURL,
			apiKeyEnv: model.apiKeyEnv ?? preset.apiKeyEnv ?? null,
			headers: {...preset.headers, ...model.headers},
			price: presetPrice(model.price),
			priceProvider: model.prices ?? preset.prices ?? null,
			reasoning: model.reasoning ?? false,
			reference: model.reference ?? null,
			...(model.load ? {load: model.load} : {}),
		};
	});

	return {...common, models, discover: false};
}
