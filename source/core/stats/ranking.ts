// Sorting and filtering the leaderboard. Pure.
import {runCostUSD} from '../transcript/build.js';
import type {BracketName, ModelSummary, Price, RunRecord} from '../types.js';
import {shownFigure} from './stopped.js';

export const sortKeys = ['ttft', 'ttfa', 'tps', 'total', 'price', 'cost', 'name'] as const;
export type SortKey = (typeof sortKeys)[number];

/** What a row needs for ranking: a model's identity, price and summary. */
export type Rankable = {
	readonly id: string;
	readonly name: string;
	readonly price: Price;
	readonly bracket: BracketName | null;
	readonly summary: ModelSummary;
	/** The runs, when known: a model stopped before completing one sorts by its stopped run's figures (stopped.ts). */
	readonly runs?: readonly RunRecord[];
};

/** The value a key sorts by (smaller first), or null when the model has none (sorted last). */
function sortValue(row: Rankable, key: SortKey): number | string | null {
	switch (key) {
		case 'ttft': {
			return shownFigure(row, 'ttftMs');
		}

		case 'ttfa': {
			// The first visible token: what a chat user waits for when a model reasons first.
			return shownFigure(row, 'ttfaMs');
		}

		case 'tps': {
			// Faster first.
			const tps = shownFigure(row, 'tokensPerSecond');
			return tps === null ? null : -tps;
		}

		case 'total': {
			return row.summary.totalMs?.median ?? null;
		}

		case 'price': {
			return row.price.outputPerM;
		}

		case 'cost': {
			// What the cost column shows: the mean cost of one completed run (failed runs cost nothing here).
			return runCostUSD(row.summary);
		}

		case 'name': {
			return row.name.toLowerCase();
		}
	}
}

/**
 * Rows sorted by `key` (reversed when asked), models without a value last
 * whichever the direction; ties keep their original order.
 */
export function rankModels<T extends Rankable>(rows: readonly T[], key: SortKey, reverse = false, bracket: BracketName | null = null): T[] {
	const kept = rows.map((row, index) => ({row, index, value: sortValue(row, key)})).filter(entry => bracket === null || entry.row.bracket === bracket);
	kept.sort((a, b) => {
		if (a.value === null || b.value === null) {
			return a.value === b.value ? a.index - b.index : a.value === null ? 1 : -1;
		}

		const order = typeof a.value === 'string' ? a.value.localeCompare(b.value as string) : a.value - (b.value as number);
		return (reverse ? -order : order) || a.index - b.index;
	});
	return kept.map(entry => entry.row);
}

export function nextSortKey(key: SortKey): SortKey {
	return sortKeys[(sortKeys.indexOf(key) + 1) % sortKeys.length]!;
}

/** How many models each bracket holds (and all of them). */
export function bracketCounts(rows: ReadonlyArray<Pick<Rankable, 'bracket'>>): Record<BracketName | 'all', number> {
	const counts: Record<BracketName | 'all', number> = {all: rows.length, 'ultra-budget': 0, budget: 0, mid: 0, premium: 0};
	for (const row of rows) {
		if (row.bracket) {
			counts[row.bracket]++;
		}
	}

	return counts;
}
