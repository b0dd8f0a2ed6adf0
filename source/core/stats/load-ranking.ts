// The load leaderboard's order (docs/load.md): by the highest rate meeting the SLO after a sweep, else by
// p99 TTFA at the highest rate every model ran. Pure: LoadModelResults in, sorted rows out.
import {rateMeetingSlo} from '../load/slo.js';
import type {LoadModelResult, LoadStep, LoadTranscript, SloTerm} from '../load/types.js';
import type {BracketName} from '../types.js';

export const loadSortKeys = ['rate', 'ttfa', 'ttft', 'e2e', 'goodput', 'name'] as const;
export type LoadSortKey = (typeof loadSortKeys)[number];

export function nextLoadSortKey(key: LoadSortKey): LoadSortKey {
	return loadSortKeys[(loadSortKeys.indexOf(key) + 1) % loadSortKeys.length]!;
}

/** `--sort` of a load run: rate with --sweep, else ttfa. */
export function defaultLoadSort(transcript: Pick<LoadTranscript, 'settings'>): LoadSortKey {
	return transcript.settings.sweep ? 'rate' : 'ttfa';
}

/** The highest offered rate at which every model that ran a step ran one; null when they share none. */
export function commonRate(models: readonly LoadModelResult[]): number | null {
	const ran = models.filter(model => model.steps.length > 0);
	if (ran.length === 0) {
		return null;
	}

	const shared = ran[0]!.steps.map(step => step.rate).filter(rate => ran.every(model => model.steps.some(step => step.rate === rate)));
	return shared.length === 0 ? null : Math.max(...shared);
}

/** The step a row shows: the one at `rate` when given and run, else the model's highest-rate step. */
export function shownStep(model: LoadModelResult, rate: number | null): LoadStep | null {
	const atRate = rate === null ? undefined : model.steps.find(step => step.rate === rate);
	if (atRate) {
		return atRate;
	}

	return model.steps.reduce<LoadStep | null>((best, step) => (best === null || step.rate > best.rate ? step : best), null);
}

type Rankable = Pick<LoadModelResult, 'name' | 'bracket' | 'steps' | 'maxRateMeetingSlo'>;

/** The value a key sorts by (smaller first), or null when the model has none (sorted last). */
function sortValue(model: Rankable, key: LoadSortKey, rate: number | null, slo: readonly SloTerm[]): number | string | null {
	const summary = shownStep(model as LoadModelResult, rate)?.summary;
	switch (key) {
		case 'rate': {
			const best = rateMeetingSlo(model as LoadModelResult, slo);
			return best === null ? null : -best;
		}

		case 'ttfa': {
			return summary?.ttfaMs?.p99 ?? null;
		}

		case 'ttft': {
			return summary?.ttftMs?.p99 ?? null;
		}

		case 'e2e': {
			return summary?.e2eMs?.p99 ?? null;
		}

		case 'goodput': {
			return summary ? -summary.goodput : null;
		}

		case 'name': {
			return model.name.toLowerCase();
		}
	}
}

export type LoadRankOptions = {
	readonly reverse?: boolean | undefined;
	readonly bracket?: BracketName | null | undefined;
	/** The rate the latency keys compare at (`commonRate`). */
	readonly rate: number | null;
	readonly slo: readonly SloTerm[];
};

/** Models sorted by `key` (reversed when asked), those without a value last whichever the direction; ties keep their order. */
export function rankLoadModels<T extends Rankable>(models: readonly T[], key: LoadSortKey, options: LoadRankOptions): T[] {
	const bracket = options.bracket ?? null;
	const kept = models
		.map((model, index) => ({model, index, value: sortValue(model, key, options.rate, options.slo)}))
		.filter(entry => bracket === null || entry.model.bracket === bracket);
	kept.sort((a, b) => {
		if (a.value === null || b.value === null) {
			return a.value === b.value ? a.index - b.index : a.value === null ? 1 : -1;
		}

		const order = typeof a.value === 'string' ? a.value.localeCompare(b.value as string) : a.value - (b.value as number);
		return (options.reverse ? -order : order) || a.index - b.index;
	});
	return kept.map(entry => entry.model);
}
