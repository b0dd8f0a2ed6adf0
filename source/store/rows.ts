// Transcripts as the store's rows and back (docs/history.md "What is kept"). Only figures and labels:
// never a key, a header, an answer's text or its chunks; a base URL only as its host.
import type {LoadModelResult, LoadStep, LoadTranscript} from '../core/load/types.js';
import {roundSummary, summarizeRuns, transcriptSchema} from '../core/transcript/build.js';
import type {Measurement, ModelResult, RunFlag, RunRecord, Transcript} from '../core/types.js';
import type {Row, SqlValue} from './driver.js';
import {baseUrlHost} from './trend-tables.js';

export {baseUrlHost} from './trend-tables.js';

export const raceColumns = [
	'id',
	'kind',
	'started_at',
	'finished_at',
	'tool_version',
	'region',
	'host',
	'preset',
	'prompt',
	'settings',
	'simulated',
	'aborted',
	'measurement',
	'recorded_at',
] as const;

export const modelColumns = [
	'race_id',
	'position',
	'model_id',
	'name',
	'provider',
	'base_url_host',
	'input_per_m',
	'output_per_m',
	'price_source',
	'bracket',
	'reasoning',
	'served_model',
	'median_ttft_ms',
	'load',
] as const;

export const runColumns = [
	'race_id',
	'position',
	'seq',
	'run_index',
	'warmup',
	'status',
	'error_kind',
	'error_status',
	'ttft_ms',
	'ttfa_ms',
	'tokens_per_second',
	'total_ms',
	'prompt_tokens',
	'output_tokens',
	'token_source',
	'reasoning_tokens',
	'hidden_reasoning',
	'cost_usd',
	'finish_reason',
	'dns_ms',
	'connect_ms',
	'tls_ms',
	'sent_ms',
	'headers_ms',
	'reused',
	'inter_chunk',
	'flags',
	'served_model',
] as const;

export const stepColumns = ['race_id', 'position', 'step', 'rate', 'started_at', 'duration_ms', 'stopped', 'summary', 'send_lag', 'client_limited'] as const;

export const requestColumns = [
	'race_id',
	'position',
	'step',
	'seq',
	'scheduled_ms',
	'queue_ms',
	'ttft_ms',
	'ttfa_ms',
	'e2e_ms',
	'output_tokens',
	'status',
	'error_kind',
	'gaps_ms',
	'event_tokens',
	'tokens_per_second',
] as const;

const bool = (value: boolean): number => (value ? 1 : 0);
const json = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));
const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
const str = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

export type StoredRows = {
	readonly race: SqlValue[];
	readonly models: SqlValue[][];
	readonly runs: SqlValue[][];
	readonly steps: SqlValue[][];
	readonly requests: SqlValue[][];
};

function raceRow(id: string, kind: 'race' | 'load', transcript: Transcript | LoadTranscript, host: string, settings: unknown): SqlValue[] {
	return [
		id,
		kind,
		transcript.startedAt,
		transcript.finishedAt,
		transcript.tool.version,
		transcript.region,
		host,
		transcript.preset,
		transcript.prompt,
		JSON.stringify(settings),
		bool(transcript.simulated),
		bool(transcript.aborted),
		json(transcript.measurement ?? null),
		new Date().toISOString(),
	];
}

function servedModelOf(runs: readonly RunRecord[]): string | null {
	return runs.find(run => run.servedModel)?.servedModel ?? null;
}

function modelRow(
	id: string,
	position: number,
	model: ModelResult | LoadModelResult,
	servedModel: string | null,
	medianTtftMs: number | null,
	load: unknown,
): SqlValue[] {
	return [
		id,
		position,
		model.id,
		model.name,
		model.provider,
		baseUrlHost(model.baseURL),
		model.price.inputPerM,
		model.price.outputPerM,
		model.price.source ?? null,
		model.bracket,
		bool(model.reasoning),
		servedModel,
		medianTtftMs,
		json(load),
	];
}

function runRow(id: string, position: number, seq: number, run: RunRecord): SqlValue[] {
	const phases = run.phases ?? null;
	return [
		id,
		position,
		seq,
		run.index,
		bool(run.warmup),
		run.status,
		run.error?.kind ?? null,
		run.error?.status ?? null,
		run.ttftMs,
		run.ttfaMs,
		run.tokensPerSecond,
		run.totalMs,
		run.promptTokens,
		run.outputTokens,
		run.tokenSource,
		run.reasoningTokens,
		bool(run.hiddenReasoning),
		run.costUSD,
		run.finishReason ?? null,
		phases?.dnsMs ?? null,
		phases?.connectMs ?? null,
		phases?.tlsMs ?? null,
		phases?.sentMs ?? null,
		phases?.headersMs ?? null,
		phases === null ? null : bool(phases.reused),
		json(run.interChunkMs),
		JSON.stringify(run.flags ?? []),
		run.servedModel ?? null,
	];
}

export function raceRows(id: string, transcript: Transcript, host: string): StoredRows {
	return {
		race: raceRow(id, 'race', transcript, host, transcript.settings),
		models: transcript.models.map((model, position) => modelRow(id, position, model, servedModelOf(model.runs), model.summary.ttftMs?.median ?? null, null)),
		runs: transcript.models.flatMap((model, position) => model.runs.map((run, seq) => runRow(id, position, seq, run))),
		steps: [],
		requests: [],
	};
}

function stepRow(id: string, position: number, index: number, step: LoadStep): SqlValue[] {
	return [
		id,
		position,
		index,
		step.rate,
		step.startedAt,
		step.durationMs,
		step.stopped,
		JSON.stringify(step.summary),
		JSON.stringify(step.sendLagMs),
		bool(step.clientLimited),
	];
}

function requestRows(id: string, position: number, index: number, step: LoadStep): SqlValue[][] {
	const {requests} = step;
	return requests.scheduledMs.map((scheduledMs, seq) => [
		id,
		position,
		index,
		seq,
		scheduledMs,
		requests.queueMs[seq] ?? null,
		requests.ttftMs[seq] ?? null,
		requests.ttfaMs[seq] ?? null,
		requests.e2eMs[seq] ?? null,
		requests.outputTokens[seq] ?? null,
		requests.status[seq] ?? 'aborted',
		requests.errorKind[seq] ?? null,
		json(requests.gapsMs[seq] ?? null),
		json(requests.eventTokens[seq] ?? null),
		requests.tokensPerSecond?.[seq] ?? null,
	]);
}

export function loadRows(id: string, transcript: LoadTranscript, host: string): StoredRows {
	return {
		race: raceRow(id, 'load', transcript, host, transcript.settings),
		models: transcript.models.map((model, position) =>
			modelRow(id, position, model, null, model.steps[0]?.summary.ttftMs?.p50 ?? null, {
				simulatedLoad: model.simulatedLoad,
				// Left out when absent (JSON drops undefined): the rebuilt run has exactly the fields the run had.
				maxRateMeetingSlo: model.maxRateMeetingSlo,
				maxRateIsLowerBound: model.maxRateIsLowerBound,
			}),
		),
		runs: [],
		steps: transcript.models.flatMap((model, position) => model.steps.map((step, index) => stepRow(id, position, index, step))),
		requests: transcript.models.flatMap((model, position) => model.steps.flatMap((step, index) => requestRows(id, position, index, step))),
	};
}

/** A stored run as a RunRecord: its figures, with no text or chunks (the store keeps none). */
export function runFromRow(row: Row): RunRecord {
	const hasPhases = row['reused'] !== null && row['reused'] !== undefined;
	const errorKind = str(row['error_kind']);
	return {
		index: Number(row['run_index']),
		warmup: Number(row['warmup']) === 1,
		status: String(row['status']) as RunRecord['status'],
		error: errorKind === null ? null : {kind: errorKind as NonNullable<RunRecord['error']>['kind'], status: num(row['error_status']), message: ''},
		ttftMs: num(row['ttft_ms']),
		ttfaMs: num(row['ttfa_ms']),
		totalMs: num(row['total_ms']),
		promptTokens: num(row['prompt_tokens']),
		outputTokens: num(row['output_tokens']),
		tokenSource: str(row['token_source']) as RunRecord['tokenSource'],
		reasoningTokens: num(row['reasoning_tokens']),
		hiddenReasoning: Number(row['hidden_reasoning']) === 1,
		serverTimings: null,
		tokensPerSecond: num(row['tokens_per_second']),
		interChunkMs: row['inter_chunk'] ? (JSON.parse(String(row['inter_chunk'])) as RunRecord['interChunkMs']) : null,
		costUSD: num(row['cost_usd']),
		finishReason: str(row['finish_reason']),
		truncated: (JSON.parse(String(row['flags'] ?? '[]')) as string[]).includes('truncated'),
		phases: hasPhases
			? {
					dnsMs: num(row['dns_ms']),
					connectMs: num(row['connect_ms']),
					tlsMs: num(row['tls_ms']),
					sentMs: num(row['sent_ms']),
					headersMs: num(row['headers_ms']),
					reused: Number(row['reused']) === 1,
				}
			: null,
		flags: JSON.parse(String(row['flags'] ?? '[]')) as RunFlag[],
		servedModel: str(row['served_model']),
		reconnected: false,
		text: '',
		reasoningText: '',
		chunks: [],
	};
}

function priceOf(row: Row): ModelResult['price'] {
	return {inputPerM: num(row['input_per_m']), outputPerM: num(row['output_per_m']), source: str(row['price_source'])};
}

/** What a stored race and a stored load run share at their top (all but the schema, settings and models). */
function storedRunOf(race: Row) {
	return {
		id: String(race['id']),
		tool: {name: 'llmrace' as const, version: String(race['tool_version'])},
		startedAt: String(race['started_at']),
		finishedAt: String(race['finished_at']),
		region: str(race['region']),
		prompt: String(race['prompt']),
		preset: String(race['preset']),
		simulated: Number(race['simulated']) === 1,
		aborted: Number(race['aborted']) === 1,
		measurement: race['measurement'] ? (JSON.parse(String(race['measurement'])) as Measurement) : null,
	};
}

/** What a stored race's model and a stored load run's model share (all but the price, runs and steps). */
function storedModelOf(model: Row) {
	return {
		id: String(model['model_id']),
		name: String(model['name']),
		provider: str(model['provider']),
		baseURL: String(model['base_url_host']),
		bracket: str(model['bracket']) as ModelResult['bracket'],
		reasoning: Number(model['reasoning']) === 1,
	};
}

/** A stored race as a transcript (figures only: answers are not kept), for `history show` and `export`. */
export function transcriptFromRows(race: Row, models: readonly Row[], runs: readonly Row[]): Transcript {
	return {
		schema: transcriptSchema,
		...storedRunOf(race),
		settings: JSON.parse(String(race['settings'])) as Transcript['settings'],
		models: models.map((model): ModelResult => {
			const position = Number(model['position']);
			const price = priceOf(model);
			const modelRuns = runs.filter(run => Number(run['position']) === position).map(run => runFromRow(run));
			return {
				...storedModelOf(model),
				price,
				runs: modelRuns,
				summary: roundSummary(summarizeRuns(modelRuns, price)),
			};
		}),
	};
}

function stepFromRows(step: Row, requests: readonly Row[]): LoadStep {
	const mine = requests.filter(request => Number(request['step']) === Number(step['step']));
	const column = <T>(name: string, read: (value: unknown) => T) => mine.map(request => read(request[name]));
	// Rows stored before version 4 (or from a transcript without it) have no decode speeds: the field stays out.
	const tokensPerSecond = column('tokens_per_second', num);
	return {
		rate: Number(step['rate']),
		startedAt: String(step['started_at']),
		durationMs: Number(step['duration_ms']),
		stopped: str(step['stopped']) as LoadStep['stopped'],
		summary: JSON.parse(String(step['summary'])) as LoadStep['summary'],
		sendLagMs: JSON.parse(String(step['send_lag'])) as LoadStep['sendLagMs'],
		clientLimited: Number(step['client_limited']) === 1,
		requests: {
			scheduledMs: column('scheduled_ms', Number),
			queueMs: column('queue_ms', num),
			ttftMs: column('ttft_ms', num),
			ttfaMs: column('ttfa_ms', num),
			e2eMs: column('e2e_ms', num),
			outputTokens: column('output_tokens', num),
			status: column('status', value => String(value) as LoadStep['requests']['status'][number]),
			errorKind: column('error_kind', value => str(value) as LoadStep['requests']['errorKind'][number]),
			gapsMs: column('gaps_ms', value => (value ? (JSON.parse(String(value)) as number[]) : [])),
			eventTokens: column('event_tokens', value => (value ? (JSON.parse(String(value)) as number[]) : [])),
			...(tokensPerSecond.some(value => value !== null) ? {tokensPerSecond} : {}),
		},
	};
}

/** A stored load run as its transcript (figures only). */
export function loadFromRows(race: Row, models: readonly Row[], steps: readonly Row[], requests: readonly Row[]): LoadTranscript {
	return {
		schema: 'llmrace/load@1',
		...storedRunOf(race),
		settings: JSON.parse(String(race['settings'])) as LoadTranscript['settings'],
		models: models.map((model): LoadModelResult => {
			const position = Number(model['position']);
			const load = (model['load'] ? JSON.parse(String(model['load'])) : {}) as Partial<LoadModelResult>;
			const mine = (rows: readonly Row[]) => rows.filter(row => Number(row['position']) === position);
			return {
				...storedModelOf(model),
				price: priceOf(model),
				simulatedLoad: load.simulatedLoad ?? null,
				steps: mine(steps).map(step => stepFromRows(step, mine(requests))),
				...('maxRateMeetingSlo' in load ? {maxRateMeetingSlo: load.maxRateMeetingSlo} : {}),
				...('maxRateIsLowerBound' in load ? {maxRateIsLowerBound: load.maxRateIsLowerBound} : {}),
			};
		}),
	};
}
