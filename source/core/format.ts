// Number formatting shared by the plain table, reports and the UI.

export function formatMs(value: number | null | undefined): string {
	if (value === null || value === undefined) {
		return '—';
	}

	return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

export function formatTps(value: number | null | undefined): string {
	return value === null || value === undefined ? '—' : value.toFixed(1);
}

export function formatUsd(value: number | null | undefined): string {
	if (value === null || value === undefined) {
		return '—';
	}

	if (value === 0) {
		return '$0';
	}

	return value >= 0.01 ? `$${value.toFixed(4)}` : `$${value.toPrecision(3)}`;
}

export function formatPrice(outputPerM: number | null): string {
	return outputPerM === null ? '—' : `$${outputPerM.toFixed(2)}`;
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
