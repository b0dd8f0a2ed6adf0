// Reading transcripts back: reject what cannot be trusted, with one line naming the file and the problem.
import {z} from 'zod';
import {formatFieldPath} from '../text/field-path.js';
import {transcriptSchema} from './build.js';
import {TranscriptError} from './error.js';
import {runFlags, type BracketName, type ErrorKind, type RunFlag, type RunRecord, type RunStatus, type Transcript} from '../types.js';

export {TranscriptError} from './error.js';

/**
 * A zod enum of exactly the members of the union `T`: a member missing from `values`, or one `T` does not
 * have, is a type error, so the schema and the type in core/types.ts cannot drift apart.
 */
export function enumOf<T extends string>() {
	return <const V extends readonly [T, ...T[]]>(values: V & ([Exclude<T, V[number]>] extends [never] ? unknown : {missing: Exclude<T, V[number]>})) =>
		z.enum(values);
}

const nullableNumber = z.number().nullable();
const ci = z.object({lo: z.number(), hi: z.number(), level: z.number().min(0).max(1)});
const stat = z.object({mean: z.number(), median: z.number(), p95: z.number(), min: z.number(), max: z.number(), ci: ci.optional()}).nullable();
const offset = nullableNumber.optional();
const phases = z.looseObject({dnsMs: offset, connectMs: offset, tlsMs: offset, sentMs: offset, headersMs: offset, reused: z.boolean().optional()});
const errorKind = enumOf<ErrorKind>()(['auth', 'not_found', 'rate_limit', 'bad_request', 'server', 'timeout', 'network', 'protocol', 'aborted']);
const delay = z.object({p50: z.number(), p99: z.number(), max: z.number()});

// Later versions of the same schema may add fields: objects are open (extra fields are kept), required ones are checked.
const run = z.looseObject({
	index: z.number().int().nonnegative(),
	warmup: z.boolean(),
	status: enumOf<RunStatus>()(['ok', 'error', 'timeout', 'aborted']),
	error: z.looseObject({kind: errorKind, status: nullableNumber, message: z.string(), retryAfterSeconds: z.number().optional()}).nullable(),
	ttftMs: nullableNumber,
	ttfaMs: nullableNumber,
	totalMs: nullableNumber,
	promptTokens: nullableNumber,
	outputTokens: nullableNumber,
	tokenSource: enumOf<NonNullable<RunRecord['tokenSource']>>()(['usage', 'estimate']).nullable(),
	reasoningTokens: nullableNumber,
	hiddenReasoning: z.boolean(),
	serverTimings: z.unknown(),
	tokensPerSecond: nullableNumber,
	interChunkMs: z.object({p50: z.number(), p95: z.number(), p99: z.number(), max: z.number()}).nullable(),
	costUSD: nullableNumber,
	finishReason: z.string().nullable().optional(),
	truncated: z.boolean().optional(),
	// Added later to llmrace/transcript@1: missing in older files (normalised below).
	phases: phases.nullable().optional(),
	// A later version may add flags: read, then left out below.
	flags: z.array(z.string()).optional(),
	clientDelayMs: nullableNumber.optional(),
	servedModel: z.string().nullable().optional(),
	reconnected: z.boolean().optional(),
	text: z.string(),
	reasoningText: z.string(),
	chunks: z.array(z.union([z.tuple([z.number(), z.string()]), z.tuple([z.number(), z.string(), z.literal('r')])])),
});

const model = z.looseObject({
	id: z.string().min(1),
	name: z.string(),
	provider: z.string().nullable(),
	baseURL: z.string(),
	price: z.looseObject({inputPerM: nullableNumber, outputPerM: nullableNumber, source: z.string().nullable().optional()}),
	bracket: enumOf<BracketName>()(['ultra-budget', 'budget', 'mid', 'premium']).nullable(),
	reasoning: z.boolean().optional(),
	runs: z.array(run),
	summary: z.looseObject({
		ok: z.number().int(),
		failed: z.number().int(),
		ttftMs: stat,
		ttfaMs: stat,
		tokensPerSecond: stat,
		totalMs: stat,
		outputTokens: stat,
		costUSD: nullableNumber,
	}),
});

const transcript = z.looseObject({
	schema: z.literal(transcriptSchema),
	// Missing in transcripts written before it existed: those are identified by a hash of their content (identity.ts).
	id: z.string().min(1).max(200).optional(),
	tool: z.object({name: z.string(), version: z.string()}),
	startedAt: z.iso.datetime(),
	finishedAt: z.iso.datetime(),
	region: z.string().nullable(),
	prompt: z.string(),
	preset: z.string(),
	simulated: z.boolean(),
	settings: z.looseObject({
		runs: z.number().int().positive(),
		warmup: z.number().int().nonnegative(),
		maxTokens: z.number().int().positive(),
		temperature: nullableNumber,
		concurrency: nullableNumber,
		timeoutMs: z.number().positive(),
		seed: nullableNumber,
	}),
	aborted: z.boolean(),
	measurement: z
		.looseObject({
			eventLoopDelayMs: delay,
			clock: z.literal('performance.now'),
			threads: z.array(z.looseObject({eventLoopDelayMs: delay, streams: z.number().int().nonnegative()})).optional(),
		})
		.nullable()
		.optional(),
	models: z.array(model),
});

type ParsedTranscript = z.infer<typeof transcript>;

const isKnownFlag = (flag: string): flag is RunFlag => (runFlags as readonly string[]).includes(flag);

/**
 * Older files lack this round's fields: give them their "unknown" values, so every reader can rely on the
 * types. Checked by the compiler against `Transcript` (no cast): a field the type gains and the schema
 * does not read, or reads with another type, fails the build.
 */
function normalise(data: ParsedTranscript): Transcript {
	return {
		...data,
		models: data.models.map(model => ({
			...model,
			reasoning: model.reasoning ?? false,
			runs: model.runs.map(run => ({
				...run,
				finishReason: run.finishReason ?? null,
				truncated: run.truncated ?? false,
				phases: run.phases
					? {
							...run.phases,
							dnsMs: run.phases.dnsMs ?? null,
							connectMs: run.phases.connectMs ?? null,
							tlsMs: run.phases.tlsMs ?? null,
							sentMs: run.phases.sentMs ?? null,
							headersMs: run.phases.headersMs ?? null,
							reused: run.phases.reused ?? false,
						}
					: null,
				// Flags this version does not know are left out; an older file's `truncated` is its flag.
				flags: run.flags ? run.flags.filter(isKnownFlag) : run.truncated ? ['truncated'] : [],
				clientDelayMs: run.clientDelayMs ?? null,
				servedModel: run.servedModel ?? null,
				reconnected: run.reconnected ?? false,
			})),
		})),
	};
}

/** Parse and check a transcript's text. `file` names it in errors. */
export function parseTranscript(text: string, file: string): Transcript {
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch (error) {
		const detail = error instanceof Error ? error.message : String(error);
		throw new TranscriptError(`${file}: not valid JSON${text.trim() ? ' (truncated or corrupt?)' : ' (empty file)'}: ${detail}`);
	}

	if (typeof data !== 'object' || data === null || Array.isArray(data)) {
		throw new TranscriptError(`${file}: not an llmrace transcript (expected a JSON object)`);
	}

	const schema = (data as Record<string, unknown>)['schema'];
	if (typeof schema !== 'string' || !schema.startsWith('llmrace/transcript@')) {
		throw new TranscriptError(`${file}: not an llmrace transcript (no "schema": "${transcriptSchema}")`);
	}

	if (schema !== transcriptSchema) {
		const version = Number(schema.slice('llmrace/transcript@'.length));
		throw new TranscriptError(
			Number.isInteger(version) && version > 1
				? `${file}: written by a newer llmrace (schema ${schema}); this version reads ${transcriptSchema}: upgrade llmrace`
				: `${file}: unknown transcript schema "${schema}" (this version reads ${transcriptSchema})`,
		);
	}

	const result = transcript.safeParse(data);
	if (!result.success) {
		const issue = result.error.issues[0]!;
		throw new TranscriptError(`${file}: invalid transcript at ${formatFieldPath(issue.path) || 'top level'}: ${issue.message}`);
	}

	return normalise(result.data);
}
