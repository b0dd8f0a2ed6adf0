// `--sweep` (docs/load.md "Steps"): each model's highest rate meeting the SLO, in at most 8 steps.

export const sweepMaxSteps = 8;
export const sweepDefaultRate = 0.5;

/** Round to two significant figures (0.7071 → 0.71, 5.657 → 5.7, 11.31 → 11). */
export function twoSignificant(value: number): number {
	if (value <= 0 || !Number.isFinite(value)) {
		return value;
	}

	const magnitude = 10 ** (Math.floor(Math.log10(value)) - 1);
	return Number((Math.round(value / magnitude) * magnitude).toPrecision(2));
}

export type SweepState = {
	/** Rates tried so far with whether the SLO held, in order. */
	readonly tried: ReadonlyArray<{readonly rate: number; readonly pass: boolean}>;
};

export type SweepResult = {readonly maxRateMeetingSlo: number | null; readonly maxRateIsLowerBound: boolean};

/**
 * The next rate to try after `tried`, or null when the sweep is over: double while the SLO holds;
 * after the first failure bisect between the last pass and the first failure with geometric midpoints
 * rounded to two significant figures, until a midpoint equals one of its ends; never past 8 steps.
 * A first step that fails ends the sweep (nothing below it is searched).
 */
export function nextSweepRate(firstRate: number, tried: SweepState['tried']): number | null {
	if (tried.length === 0) {
		return firstRate;
	}

	if (tried.length >= sweepMaxSteps || !tried[0]!.pass) {
		return null;
	}

	const failures = tried.filter(step => !step.pass).map(step => step.rate);
	const passes = tried.filter(step => step.pass).map(step => step.rate);
	const best = Math.max(...passes);
	if (failures.length === 0) {
		return twoSignificant(best * 2);
	}

	const above = failures.filter(rate => rate > best);
	if (above.length === 0) {
		return twoSignificant(best * 2);
	}

	const worst = Math.min(...above);
	const middle = twoSignificant(Math.sqrt(best * worst));
	return middle <= best || middle >= worst ? null : middle;
}

/** The sweep's answer: the highest rate that met the SLO (null when the first failed); a lower bound when none failed. */
export function sweepResult(tried: SweepState['tried']): SweepResult {
	const passes = tried.filter(step => step.pass).map(step => step.rate);
	if (tried.length === 0 || !tried[0]!.pass) {
		return {maxRateMeetingSlo: null, maxRateIsLowerBound: false};
	}

	return {maxRateMeetingSlo: Math.max(...passes), maxRateIsLowerBound: tried.every(step => step.pass)};
}
