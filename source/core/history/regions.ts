// The geography table from stored races (docs/history.md "Regions"): every region's runs of a model pooled,
// then compared the way `llmrace compare` compares two transcripts — per model the median TTFT in each
// region, the difference, and that difference split into network and the rest where phases exist. Pure.
import {compareRaces, type CompareMetric, type Comparison, type Labelled} from '../stats/compare.js';
import {transcriptSchema, summarizeRuns} from '../transcript/build.js';
import type {ModelResult, RunRecord, Transcript} from '../types.js';
import type {ModelKey} from './types.js';

/** One stored run, with where its race ran from. */
export type RegionRun = {
	readonly region: string;
	readonly simulated: boolean;
	readonly model: ModelKey;
	readonly run: RunRecord;
};

const noPrice = {inputPerM: null, outputPerM: null} as const;

function pooledTranscript(region: string, runs: readonly RegionRun[], ambiguous: ReadonlySet<string>): Transcript {
	const models = new Map<string, {key: ModelKey; runs: RunRecord[]}>();
	for (const entry of runs) {
		const id = ambiguous.has(entry.model.id) ? `${entry.model.id}@${entry.model.baseUrlHost}` : entry.model.id;
		const pooled = models.get(id) ?? {key: entry.model, runs: []};
		pooled.runs.push(entry.run);
		models.set(id, pooled);
	}

	return {
		schema: transcriptSchema,
		tool: {name: 'llmrace', version: ''},
		startedAt: '',
		finishedAt: '',
		region,
		prompt: '',
		preset: '',
		simulated: runs.every(entry => entry.simulated),
		settings: {runs: 1, warmup: 0, maxTokens: 1, temperature: null, concurrency: null, timeoutMs: 1, seed: null},
		aborted: false,
		models: [...models].map(
			([id, pooled]): ModelResult => ({
				id,
				name: ambiguous.has(pooled.key.id) ? `${pooled.key.name} (${pooled.key.baseUrlHost})` : pooled.key.name,
				provider: null,
				baseURL: pooled.key.baseUrlHost,
				price: noPrice,
				bracket: null,
				reasoning: false,
				runs: pooled.runs,
				summary: summarizeRuns(pooled.runs, noPrice),
			}),
		),
	};
}

/**
 * Regions in name order, each a pooled "race" of all its stored runs; a model served from several hosts
 * is told apart as `id@host`. Runs of races without a region are left out (they were run from nowhere named).
 */
export function regionRaces(runs: readonly RegionRun[]): Labelled[] {
	const hostsById = new Map<string, Set<string>>();
	for (const entry of runs) {
		hostsById.set(entry.model.id, (hostsById.get(entry.model.id) ?? new Set()).add(entry.model.baseUrlHost));
	}

	const ambiguous = new Set([...hostsById].filter(([, hosts]) => hosts.size > 1).map(([id]) => id));
	const regions = [...new Set(runs.map(entry => entry.region))].sort();
	return regions.map(region => ({
		label: region,
		transcript: pooledTranscript(
			region,
			runs.filter(entry => entry.region === region),
			ambiguous,
		),
	}));
}

/** The geography table: `compare` over the pooled regions. */
export function compareRegions(runs: readonly RegionRun[], metric: CompareMetric = 'ttft'): Comparison {
	return compareRaces(regionRaces(runs), metric);
}
