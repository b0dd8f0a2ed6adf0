// How far one word is from another, for "did you mean": a mistyped command, flag or preset.

/** Edits (insert, delete, replace, swap two neighbours) from `a` to `b` (optimal string alignment). */
export function editDistance(a: string, b: string): number {
	const rows = Array.from({length: a.length + 1}, (_, i) => Array.from({length: b.length + 1}, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
	for (let i = 1; i <= a.length; i++) {
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			rows[i]![j] = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
				rows[i]![j] = Math.min(rows[i]![j]!, rows[i - 2]![j - 2]! + 1);
			}
		}
	}

	return rows[a.length]![b.length]!;
}

/** The one candidate nearest to `word` within `most` edits (case-insensitive), unless two tie. */
export function nearestWord(word: string, candidates: readonly string[], most: number): string | undefined {
	const scored = candidates
		.map(name => ({name, edits: editDistance(word.toLowerCase(), name.toLowerCase())}))
		.filter(({edits}) => edits <= most)
		.sort((a, b) => a.edits - b.edits);
	return scored.length > 0 && scored[0]!.edits !== scored[1]?.edits ? scored[0]!.name : undefined;
}
