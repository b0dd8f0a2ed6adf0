// Preset parsing and validation: text → Preset, or an error naming the file, the field path and what was expected.
import {parse as parseYaml} from 'yaml';
import {z} from 'zod';
import {defaultBrackets} from './brackets.js';
import {formatFieldPath} from '../text/field-path.js';
import {PresetError, simulatorPlaceholderURL} from './presets.js';
import type {ModelSpec, Preset, Price} from '../types.js';

const envName = z.string().regex(/^[A-Za-z_]\w*$/, 'expected an environment variable name (letters, digits, _)');
const url = z.string().refine(value => {
	try {
		const parsed = new URL(value);
		return parsed.protocol === 'http:' || parsed.protocol === 'https:';
	} catch {
		return false;
	}
}, 'expected an http(s) URL');
const headers = z.record(z.string(), z.string());
const nonNegative = z.number().nonnegative();
const positive = z.number().positive();

const regionReference = z.strictObject({
	ttftMs: positive.optional(),
	tokensPerSecond: positive.optional(),
});

/** A provider id of the price database (`prices: openai`); checked against the database when it loads. */
const priceProvider = z.string().regex(/^[\w.-]+$/, 'expected a provider id of the price database (e.g. openai)');

const modelSchema = z.strictObject({
	id: z.string().min(1),
	name: z.string().min(1).optional(),
	provider: z.string().min(1).optional(),
	baseURL: url.optional(),
	apiKeyEnv: envName.optional(),
	headers: headers.optional(),
	price: z
		.strictObject({
			outputPerM: nonNegative.nullable().optional(),
			inputPerM: nonNegative.nullable().optional(),
			source: z.string().optional(),
		})
		.optional(),
	prices: priceProvider.optional(),
	reasoning: z.boolean().optional(),
	reference: z
		.strictObject({
			source: z.string().optional(),
			ttftMs: positive.optional(),
			tokensPerSecond: positive.optional(),
			regions: z.record(z.string(), regionReference).optional(),
		})
		.optional(),
	/** Simulated presets: how many concurrent sequences the model serves at its published speed (docs/load.md). */
	load: z.strictObject({sequences: z.number().int().positive()}).optional(),
});

const presetSchema = z.strictObject({
	name: z.string().min(1).optional(),
	description: z.string().optional(),
	simulated: z.boolean().optional(),
	baseURL: url.optional(),
	apiKeyEnv: envName.optional(),
	headers: headers.optional(),
	prices: priceProvider.optional(),
	brackets: z
		.strictObject({ultraBudget: nonNegative, budget: nonNegative, mid: nonNegative})
		.refine(b => b.ultraBudget < b.budget && b.budget < b.mid, 'expected ultraBudget < budget < mid')
		.optional(),
	models: z.union([z.array(modelSchema).min(1, 'expected at least one model'), z.literal('discover')]),
});

function describe(value: unknown): string {
	if (value === null) {
		return 'null';
	}

	return Array.isArray(value) ? 'a list' : typeof value;
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
	let current = root;
	for (const key of path) {
		if (current === null || typeof current !== 'object') {
			return undefined;
		}

		current = (current as Record<PropertyKey, unknown>)[key];
	}

	return current;
}

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
	const result = presetSchema.safeParse(data);
	if (!result.success) {
		let issue = result.error.issues[0]!;
		// For a list of models, report what is wrong inside the list rather than "not a list or discover".
		if (issue.code === 'invalid_union' && Array.isArray(valueAt(data, issue.path)) && issue.errors[0]?.[0]) {
			const inner = issue.errors[0][0];
			issue = {...inner, path: [...issue.path, ...inner.path]} as typeof issue;
		}

		let expected = issue.message;
		if (issue.code === 'invalid_type') {
			expected = `expected ${issue.expected}, got ${describe(valueAt(data, issue.path))}`;
		} else if (issue.code === 'unrecognized_keys') {
			expected = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map(key => `"${key}"`).join(', ')}`;
		} else if (issue.code === 'invalid_union' && issue.path.length === 1 && issue.path[0] === 'models') {
			expected = 'expected a list of models or "discover"';
		}

		throw new PresetError(`${file}: ${formatFieldPath(issue.path) || '(top level)'}: ${expected}`);
	}

	const preset = result.data;
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
