// Reading load transcripts back (`llmrace/load@1`, docs/load.md): reject what cannot be trusted, with one
// line naming the file and the field. Objects are open (a later llmrace may add fields); required ones are checked.
import {z} from 'zod';
import {loadTranscriptSchema, type LoadTranscript} from '../load/types.js';
import {formatFieldPath} from '../text/field-path.js';
import {transcriptSchema} from './build.js';
import {TranscriptError} from './error.js';

const nullableNumber = z.number().nullable();
const errorKind = z.enum(['auth', 'not_found', 'rate_limit', 'bad_request', 'server', 'timeout', 'network', 'protocol', 'aborted']);
const latency = z.looseObject({p50: z.number(), p90: z.number(), p99: z.number(), p999: z.number(), max: z.number(), mean: z.number()}).nullable();
const speed = z.looseObject({p50: z.number(), p90: z.number(), p99: z.number(), p999: z.number(), min: z.number(), mean: z.number()}).nullable();
const sloTerm = z.looseObject({
	metric: z.enum(['ttft', 'ttfa', 'itl', 'tpot', 'e2e', 'tps']),
	percentile: z.enum(['p50', 'p90', 'p99', 'p999']),
	op: z.enum(['<=', '>=']),
	bound: z.number(),
});

const summary = z.looseObject({
	ttftMs: latency,
	ttfaMs: latency,
	itlMs: latency,
	tpotMs: latency,
	e2eMs: latency,
	queueMs: latency,
	tokensPerSecond: speed,
	offeredRate: z.number(),
	achievedRate: z.number(),
	completed: z.number().int().nonnegative(),
	failed: z.number().int().nonnegative(),
	failedByKind: z.record(z.string(), z.number()),
	throughput: z.number(),
	outputTokensPerSecond: z.number(),
	maxInFlight: z.number().int().nonnegative(),
	goodput: z.number(),
	sloPass: z.number().min(0).max(1),
	meetsSlo: z.boolean().optional(),
});

const requests = z.looseObject({
	scheduledMs: z.array(z.number()),
	queueMs: z.array(nullableNumber),
	ttftMs: z.array(nullableNumber),
	ttfaMs: z.array(nullableNumber),
	e2eMs: z.array(nullableNumber),
	outputTokens: z.array(nullableNumber),
	status: z.array(z.enum(['ok', 'error', 'timeout', 'aborted'])),
	errorKind: z.array(errorKind.nullable()),
	gapsMs: z.array(z.array(z.number())),
	eventTokens: z.array(z.array(z.number())),
	tokensPerSecond: z.array(nullableNumber).optional(),
	text: z.array(z.string().nullable()).optional(),
});

const step = z.looseObject({
	rate: z.number().positive(),
	startedAt: z.iso.datetime(),
	durationMs: z.number().nonnegative(),
	stopped: z.enum(['errors', 'rate_limit', 'saturated', 'cost', 'aborted']).nullable(),
	summary,
	sendLagMs: z.looseObject({p50: z.number(), p99: z.number(), max: z.number()}),
	clientLimited: z.boolean(),
	requests,
});

const model = z.looseObject({
	id: z.string().min(1),
	name: z.string(),
	provider: z.string().nullable(),
	baseURL: z.string(),
	price: z.looseObject({inputPerM: nullableNumber, outputPerM: nullableNumber, source: z.string().nullable().optional()}),
	bracket: z.enum(['ultra-budget', 'budget', 'mid', 'premium']).nullable(),
	reasoning: z.boolean(),
	simulatedLoad: z.looseObject({sequences: z.number().int().positive()}).nullable(),
	steps: z.array(step),
	maxRateMeetingSlo: nullableNumber.optional(),
	maxRateIsLowerBound: z.boolean().optional(),
});

const delay = z.looseObject({p50: z.number(), p99: z.number(), max: z.number()});

const transcript = z.looseObject({
	schema: z.literal(loadTranscriptSchema),
	id: z.string(),
	tool: z.looseObject({name: z.string(), version: z.string()}),
	startedAt: z.iso.datetime(),
	finishedAt: z.iso.datetime(),
	region: z.string().nullable(),
	prompt: z.string(),
	preset: z.string(),
	simulated: z.boolean(),
	settings: z.looseObject({
		rates: z.array(z.number().positive()),
		arrivals: z.enum(['poisson', 'constant']),
		durationMs: nullableNumber,
		requests: nullableNumber,
		maxConcurrency: z.number().int().positive(),
		slo: z.array(sloTerm),
		sweep: z.boolean(),
		seed: nullableNumber,
		uniquePrompts: z.boolean(),
		maxTokens: z.number().int().positive(),
		temperature: nullableNumber,
		timeoutMs: z.number().positive(),
		maxCostUSD: nullableNumber,
		keepText: z.boolean(),
	}),
	aborted: z.boolean(),
	measurement: z
		.looseObject({
			eventLoopDelayMs: delay,
			clock: z.string(),
			threads: z.array(z.looseObject({eventLoopDelayMs: delay, streams: z.number()})).optional(),
		})
		.nullable(),
	models: z.array(model),
});

/** Which kind of llmrace file a parsed JSON value is, from its `schema`: a race, a load run, or neither. */
export function transcriptKind(data: unknown): 'race' | 'load' | null {
	const schema = typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>)['schema'] : undefined;
	if (typeof schema !== 'string') {
		return null;
	}

	return schema.startsWith('llmrace/transcript@') ? 'race' : schema.startsWith('llmrace/load@') ? 'load' : null;
}

/** Every column of a step's requests holds one entry per arrival: the first that does not, named. */
function ragged(data: z.infer<typeof transcript>): string | null {
	for (const [m, model] of data.models.entries()) {
		for (const [s, step] of model.steps.entries()) {
			const count = step.requests.scheduledMs.length;
			for (const [name, column] of Object.entries(step.requests)) {
				if (Array.isArray(column) && column.length !== count) {
					return `models[${m}].steps[${s}].requests.${name}: ${column.length} entries, expected ${count} (one per arrival)`;
				}
			}
		}
	}

	return null;
}

/** Parse and check a load transcript's text. `file` names it in errors. */
export function parseLoadTranscript(text: string, file: string): LoadTranscript {
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch (error) {
		const detail = error instanceof Error ? error.message : String(error);
		throw new TranscriptError(`${file}: not valid JSON${text.trim() ? ' (truncated or corrupt?)' : ' (empty file)'}: ${detail}`);
	}

	return checkLoadTranscript(data, file);
}

/** Check parsed JSON as a load transcript. */
export function checkLoadTranscript(data: unknown, file: string): LoadTranscript {
	if (typeof data !== 'object' || data === null || Array.isArray(data)) {
		throw new TranscriptError(`${file}: not an llmrace load transcript (expected a JSON object)`);
	}

	const schema = (data as Record<string, unknown>)['schema'];
	if (typeof schema === 'string' && schema.startsWith('llmrace/transcript@')) {
		throw new TranscriptError(`${file}: a race transcript (${schema}), not a load transcript (${loadTranscriptSchema})`);
	}

	if (typeof schema !== 'string' || !schema.startsWith('llmrace/load@')) {
		throw new TranscriptError(`${file}: not an llmrace load transcript (no "schema": "${loadTranscriptSchema}")`);
	}

	if (schema !== loadTranscriptSchema) {
		const version = Number(schema.slice('llmrace/load@'.length));
		throw new TranscriptError(
			Number.isInteger(version) && version > 1
				? `${file}: written by a newer llmrace (schema ${schema}); this version reads ${loadTranscriptSchema} and ${transcriptSchema}: upgrade llmrace`
				: `${file}: unknown load transcript schema "${schema}" (this version reads ${loadTranscriptSchema})`,
		);
	}

	const result = transcript.safeParse(data);
	if (!result.success) {
		const issue = result.error.issues[0]!;
		throw new TranscriptError(`${file}: invalid load transcript at ${formatFieldPath(issue.path) || 'top level'}: ${issue.message}`);
	}

	const uneven = ragged(result.data);
	if (uneven) {
		throw new TranscriptError(`${file}: invalid load transcript at ${uneven}`);
	}

	return result.data as unknown as LoadTranscript;
}
