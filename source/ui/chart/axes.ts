// The chart's axes: padded ranges, nice steps, tick values and labels that keep apart, the titles.
import type {ChartAxis, Tick} from './types.js';
import {cellWidth} from './segments.js';

export const xTitles: Readonly<Record<ChartAxis, string>> = {ttft: 'TTFT (ms) →', price: '$/M output →'};
export const yTitle = 'tok/s ↑';

/** 1, 2, 2.5 or 5 × 10^k, the smallest at least `raw`. */
function niceStep(raw: number): number {
	if (!(raw > 0) || !Number.isFinite(raw)) {
		return 1;
	}

	const power = 10 ** Math.floor(Math.log10(raw));
	const fraction = raw / power;
	const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
	return nice * power;
}

function decimalsOf(step: number): number {
	for (let decimals = 0; decimals < 8; decimals++) {
		const scaled = step * 10 ** decimals;
		if (Math.abs(scaled - Math.round(scaled)) < 1e-6) {
			return decimals;
		}
	}

	return 8;
}

function tickValues(min: number, max: number, step: number): number[] {
	const values: number[] = [];
	const first = Math.ceil((min - step * 1e-9) / step);
	const last = Math.floor((max + step * 1e-9) / step);
	for (let k = first; k <= last && values.length < 200; k++) {
		values.push(Number((k * step).toFixed(10)));
	}

	return values;
}

/** The range of values padded 5 % each side (one value or equal values: ±50 %), not below 0 when no value is. */
export function paddedRange(values: readonly number[]): {min: number; max: number} {
	const lo = Math.min(...values);
	const hi = Math.max(...values);
	const span = hi - lo;
	const pad = span > 0 ? span * 0.05 : Math.abs(hi) > 0 ? Math.abs(hi) * 0.5 : 1;
	const min = lo >= 0 ? Math.max(0, lo - pad) : lo - pad;
	return {min, max: hi + pad};
}

export function scale(value: number, min: number, max: number, cells: number): number {
	if (cells <= 1 || max <= min) {
		return 0;
	}

	return Math.min(cells - 1, Math.max(0, Math.round(((value - min) / (max - min)) * (cells - 1))));
}

function formatTick(value: number, step: number, xAxis: ChartAxis | 'y'): string {
	return xAxis === 'price' ? `$${value.toFixed(Math.max(2, decimalsOf(step)))}` : value.toFixed(decimalsOf(step));
}

export function yTicks(min: number, max: number, rows: number): Tick[] {
	const attempt = (target: number) => {
		const step = niceStep((max - min) / target);
		const ticks = tickValues(min, max, step).map(value => ({value, label: formatTick(value, step, 'y'), at: rows - 1 - scale(value, min, max, rows)}));
		return {ticks, distinct: new Set(ticks.map(tick => tick.at)).size === ticks.length};
	};

	let target = Math.max(2, Math.floor(rows / 4));
	// A finer step when the nice one leaves a single tick (6–90 tok/s on 15 rows: 50 alone), while the rows tell them apart.
	for (let finer = target; finer <= Math.max(4, rows * 2); finer += 0.25) {
		const {ticks, distinct} = attempt(finer);
		if (!distinct) {
			break;
		}

		if (ticks.length >= 2) {
			return ticks;
		}
	}

	for (;;) {
		const {ticks, distinct} = attempt(target);
		if ((distinct && ticks.length <= Math.max(2, rows)) || target <= 1) {
			return distinct ? ticks : ticks.filter((tick, index) => ticks.findIndex(other => other.at === tick.at) === index);
		}

		target--;
	}
}

export function xTicks(min: number, max: number, cells: number, xAxis: ChartAxis): Tick[] {
	const attempt = (target: number) => {
		const step = niceStep((max - min) / Math.max(1, target));
		const ticks = tickValues(min, max, step).map(value => ({value, label: formatTick(value, step, xAxis), at: scale(value, min, max, cells)}));
		const apart = ticks.every(
			(tick, index) =>
				index === 0 || tick.at - ticks[index - 1]!.at >= Math.ceil(cellWidth(ticks[index - 1]!.label) / 2) + Math.ceil(cellWidth(tick.label) / 2) + 2,
		);
		return apart ? ticks : null;
	};

	// About one tick per ten cells; more when that leaves fewer than two (a narrow plot, a coarse step).
	const base = Math.max(2, Math.floor(cells / 10));
	let fallback: Tick[] = [];
	for (let target = base; target >= 1; target--) {
		const ticks = attempt(target);
		if (ticks && ticks.length >= 2) {
			return ticks;
		}

		fallback = fallback.length > 0 ? fallback : (ticks ?? []);
	}

	for (let target = base + 1; target <= Math.max(base + 1, Math.floor(cells / 4)); target++) {
		const ticks = attempt(target);
		if (ticks && ticks.length >= 2) {
			return ticks;
		}
	}

	return fallback;
}
