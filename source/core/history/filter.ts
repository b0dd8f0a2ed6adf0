// The history's time words (docs/history.md "Filters"): `--since 30d`, `--older-than 90d`. Pure.

const units: Record<string, number> = {h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000};

/**
 * `30d`, `12h`, `2w` as a time before `now`; an ISO date or time (`2026-05-01`) as itself. Null when it
 * is neither (the command turns that into a usage error naming the value and the valid forms).
 */
export function parseAge(value: string, now: Date): Date | null {
	const match = /^(\d+(?:\.\d+)?)\s*([hdw])$/i.exec(value.trim());
	if (match) {
		const amount = Number(match[1]);
		return Number.isFinite(amount) ? new Date(now.getTime() - amount * units[match[2]!.toLowerCase()]!) : null;
	}

	if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim())) {
		const date = new Date(value.trim().length === 10 ? `${value.trim()}T00:00:00Z` : value.trim());
		return Number.isNaN(date.getTime()) ? null : date;
	}

	return null;
}

export const ageForms = 'a number of hours, days or weeks (12h, 30d, 2w) or a UTC date (2026-05-01)';
