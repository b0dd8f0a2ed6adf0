// `--slo` terms (docs/load.md "SLO"): parsing, and whether a request or a step meets them.
import type {SloMetric, SloPercentile, SloTerm} from './types.js';

export const sloMetrics: readonly SloMetric[] = ['ttft', 'ttfa', 'itl', 'tpot', 'e2e', 'tps'];
export const sloPercentiles: readonly SloPercentile[] = ['p50', 'p90', 'p99', 'p999'];

/** Past ~800 ms users leave (docs/metrics.md, TTFT feel). */
export const defaultSlo = 'ttfa.p99<=800ms';

/** The percentile (0–100) a term names. For tps it is the low tail: p99 is the speed 99 % reach or exceed. */
export function percentileOf(percentile: SloPercentile): number {
	return percentile === 'p999' ? 99.9 : Number(percentile.slice(1));
}

export class SloError extends Error {
	override name = 'SloError';
}

const termPattern = /^([a-z0-9]+)\.(p\d+)\s*(<=|>=)\s*(\d+(?:\.\d+)?|\.\d+)\s*(ms|s)?$/i;

/** A duration bound: bare numbers and `ms` are milliseconds, `s` seconds. */
function boundMs(value: number, unit: string | undefined): number {
	return unit?.toLowerCase() === 's' ? value * 1000 : value;
}

/** Parse `ttft.p99<=800ms,tps.p50>=30,e2e.p99<=10s`. Throws SloError naming the bad term and what was expected. */
export function parseSlo(text: string): SloTerm[] {
	const parts = text
		.split(',')
		.map(part => part.trim())
		.filter(Boolean);
	if (parts.length === 0) {
		throw new SloError(`"${text}" names no term (expected e.g. ${defaultSlo})`);
	}

	return parts.map(part => {
		const match = termPattern.exec(part);
		if (!match) {
			throw new SloError(`"${part}" is not a term of metric.percentile<=bound (e.g. ttft.p99<=800ms, tps.p50>=30)`);
		}

		const metric = match[1]!.toLowerCase() as SloMetric;
		const percentile = match[2]!.toLowerCase() as SloPercentile;
		const op = match[3] as '<=' | '>=';
		const value = Number(match[4]);
		const unit = match[5];
		if (!sloMetrics.includes(metric)) {
			throw new SloError(`"${part}": unknown metric ${metric} (valid: ${sloMetrics.join(', ')})`);
		}

		if (!sloPercentiles.includes(percentile)) {
			throw new SloError(`"${part}": unknown percentile ${percentile} (valid: ${sloPercentiles.join(', ')})`);
		}

		if (metric === 'tps') {
			if (op !== '>=' || unit !== undefined) {
				throw new SloError(`"${part}": tps takes a lower bound in tokens/s (e.g. tps.p50>=30)`);
			}

			return {metric, percentile, op, bound: value};
		}

		if (op !== '<=') {
			throw new SloError(`"${part}": ${metric} takes an upper bound (e.g. ${metric}.${percentile}<=800ms)`);
		}

		return {metric, percentile, op, bound: boundMs(value, unit)};
	});
}

/** `ttfa.p99<=800ms`: a term as it was written (bounds in ms, or s when whole seconds of 10 s and up). */
export function formatSloTerm(term: SloTerm): string {
	if (term.metric === 'tps') {
		return `tps.${term.percentile}>=${term.bound}`;
	}

	const bound = term.bound >= 10_000 && term.bound % 1000 === 0 ? `${term.bound / 1000}s` : `${term.bound}ms`;
	return `${term.metric}.${term.percentile}<=${bound}`;
}

export function formatSlo(terms: readonly SloTerm[]): string {
	return terms.map(term => formatSloTerm(term)).join(',');
}

/** Whether one value meets a term's bound. */
export function meetsBound(term: SloTerm, value: number): boolean {
	return term.op === '<=' ? value <= term.bound : value >= term.bound;
}
