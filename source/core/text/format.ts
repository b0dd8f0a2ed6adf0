// Number formatting shared by the plain table, reports and the UI.

export function formatMs(value: number | null | undefined): string {
	if (value === null || value === undefined) {
		return '—';
	}

	return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

/** One unit per column of durations: seconds when any value is 10 s or more (where formatMs switches), else ms. */
export type DurationUnit = 'ms' | 's';

export function durationUnit(values: Iterable<number | null | undefined>): DurationUnit {
	for (const value of values) {
		if (value !== null && value !== undefined && value >= 10_000) {
			return 's';
		}
	}

	return 'ms';
}

/** A duration in the column's unit, without the unit (the column's title carries it): `7880`, or `7.88` and `10.3` in seconds. */
export function formatDurationIn(value: number | null | undefined, unit: DurationUnit): string {
	if (value === null || value === undefined) {
		return '—';
	}

	return unit === 'ms' ? String(Math.round(value)) : (value / 1000).toFixed(value >= 10_000 ? 1 : 2);
}

/** A duration in the column's unit, with the unit: `7880 ms`, or `7.88 s` beside `10.3 s`. */
export function formatDurationWith(unit: DurationUnit): (value: number | null | undefined) => string {
	return value => (value === null || value === undefined ? '—' : `${formatDurationIn(value, unit)} ${unit}`);
}

export function formatTps(value: number | null | undefined): string {
	return value === null || value === undefined ? '—' : value.toFixed(1);
}

/** What follows every cost: the unit of formatCostUSD. */
export const perThousandSuffix = '/1k';

/**
 * A cost in USD, as every human-facing place shows it: per 1,000 runs ("$0.023/1k" is what a thousand runs
 * like this one cost: $0.000023 each), so that a person compares costs at a glance, without scientific notation.
 * Two significant figures below $1 per 1k, cents from $1, whole dollars from $100. CSV and JSON keep the plain number.
 */
export function formatCostUSD(usd: number | null | undefined): string {
	if (usd === null || usd === undefined || !Number.isFinite(usd)) {
		return '—';
	}

	const sign = usd < 0 ? '-' : '';
	const perThousand = Math.abs(usd) * 1000;
	let figure: string;
	if (perThousand === 0) {
		figure = '0';
	} else if (perThousand >= 99.995) {
		figure = Math.round(perThousand).toLocaleString('en-US');
	} else if (perThousand >= 0.995) {
		figure = perThousand.toFixed(2);
	} else if (perThousand < 0.000_000_5) {
		return `<$0.000001${perThousandSuffix}`;
	} else {
		const decimals = Math.min(6, 1 - Math.floor(Math.log10(perThousand)));
		figure = perThousand.toFixed(decimals);
	}

	return `${sign}$${figure}${perThousandSuffix}`;
}

/** A price in USD per million tokens: cents, and more decimals only where the price has them ($0.075). */
export function formatPrice(perM: number | null): string {
	if (perM === null || !Number.isFinite(perM)) {
		return '—';
	}

	let figure = perM.toFixed(2);
	for (let decimals = 3; decimals <= 4 && Number(figure) !== Number(perM.toFixed(4)); decimals++) {
		figure = perM.toFixed(decimals);
	}

	return `$${figure}`;
}

export function formatTokens(value: number | null | undefined, estimated: boolean): string {
	if (value === null || value === undefined) {
		return '—';
	}

	return `${estimated ? '~' : ''}${Math.round(value)}`;
}

export function ordinal(place: number): string {
	const tens = place % 100;
	if (tens >= 11 && tens <= 13) {
		return `${place}th`;
	}

	return `${place}${['th', 'st', 'nd', 'rd'][place % 10] ?? 'th'}`;
}

/** Significant digits of the numbers in CSV and JSON reports (README "Reports"): enough for any figure we measure, no float noise. */
export const exportDigits = 6;

/** A number as CSV and JSON reports carry it: whole numbers as they are, others to `exportDigits` significant digits (1.4400000000000013 → 1.44). */
export function exportNumber(value: number): number {
	return Number.isInteger(value) || !Number.isFinite(value) ? value : Number(value.toPrecision(exportDigits));
}

/** `exportNumber` applied to every number in a JSON-like value. */
export function exportNumbers<T>(value: T): T {
	if (typeof value === 'number') {
		return exportNumber(value) as T;
	}

	if (Array.isArray(value)) {
		return value.map(item => exportNumbers(item as unknown)) as T;
	}

	if (value !== null && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, exportNumbers(item as unknown)])) as T;
	}

	return value;
}
