// Report rows (medians per race and model) for scripts (JSON) and spreadsheets (CSV, RFC 4180 with
// formula-leading text neutralised: see escape.ts).
import {bracketOf} from '../presets/brackets.js';
import {metricValue, type Labelled} from '../stats/compare.js';
import {csvRecord} from '../text/escape.js';
import {exportNumbers} from '../text/format.js';
import {rankModels} from '../stats/ranking.js';
import {medianPhases} from '../stats/phases.js';
import {shownFigure} from '../stats/stopped.js';
import {serverTokensPerSecond} from './plain-table.js';
import {flagCounts} from '../meter/flag-meanings.js';

export type ReportRow = {
	readonly race: string;
	readonly region: string | null;
	readonly startedAt: string;
	readonly preset: string;
	readonly simulated: boolean;
	readonly id: string;
	readonly name: string;
	readonly provider: string | null;
	/**
	 * Medians over the completed timed runs; for a model stopped (Ctrl-C) before completing one (`ok` 0),
	 * the figures its stopped run got to (core/stats/stopped.ts), as every table shows them.
	 */
	readonly ttftMs: number | null;
	readonly ttfaMs: number | null;
	readonly tokensPerSecond: number | null;
	/** The decode speed the server reports about itself (median of the completed runs); null when it reports none. */
	readonly serverTokensPerSecond: number | null;
	readonly totalMs: number | null;
	readonly outputTokens: number | null;
	readonly outputPerM: number | null;
	readonly costUSD: number | null;
	readonly bracket: string | null;
	readonly ok: number;
	readonly failed: number;
	/** The interval of the median TTFT and tok/s (docs/metrics.md "ci"); null with fewer than 3 completed runs. */
	readonly ttftCiLo: number | null;
	readonly ttftCiHi: number | null;
	readonly tokensPerSecondCiLo: number | null;
	readonly tokensPerSecondCiHi: number | null;
	/** Where the time went (phases.ts): medians over the completed timed runs; null without phases. */
	readonly connectMs: number | null;
	readonly waitMs: number | null;
	readonly firstTokenMs: number | null;
	readonly decodeMs: number | null;
	/** Completed timed runs that went out on a kept-alive connection. */
	readonly reusedRuns: number;
	/** Completed timed runs carrying each flag (docs/metrics.md "flags"). */
	readonly flagsBuffered: number;
	readonly flagsClientLate: number;
	readonly flagsStalled: number;
	readonly flagsUsageMismatch: number;
	readonly flagsTruncated: number;
};

/** One row per race and model (medians), for spreadsheets and scripts; numbers to 6 significant digits (exportNumbers). */
export function reportRows(races: readonly Labelled[]): ReportRow[] {
	return exportNumbers(
		races.flatMap(race =>
			rankModels(race.transcript.models, 'ttft').map(model => {
				const phases = medianPhases(model);
				const flags = flagCounts(model);
				return {
					race: race.label,
					region: race.transcript.region,
					startedAt: race.transcript.startedAt,
					preset: race.transcript.preset,
					simulated: race.transcript.simulated,
					id: model.id,
					name: model.name,
					provider: model.provider,
					ttftMs: shownFigure(model, 'ttftMs'),
					ttfaMs: shownFigure(model, 'ttfaMs'),
					tokensPerSecond: shownFigure(model, 'tokensPerSecond'),
					serverTokensPerSecond: serverTokensPerSecond(model),
					totalMs: model.summary.totalMs?.median ?? null,
					outputTokens: shownFigure(model, 'outputTokens'),
					outputPerM: model.price.outputPerM,
					costUSD: metricValue(model, 'cost'),
					bracket: model.bracket ?? bracketOf(model.price.outputPerM),
					ok: model.summary.ok,
					failed: model.summary.failed,
					ttftCiLo: model.summary.ttftMs?.ci?.lo ?? null,
					ttftCiHi: model.summary.ttftMs?.ci?.hi ?? null,
					tokensPerSecondCiLo: model.summary.tokensPerSecond?.ci?.lo ?? null,
					tokensPerSecondCiHi: model.summary.tokensPerSecond?.ci?.hi ?? null,
					connectMs: phases.connectMs,
					waitMs: phases.waitMs,
					firstTokenMs: phases.firstTokenMs,
					decodeMs: phases.decodeMs,
					reusedRuns: phases.reused,
					flagsBuffered: flags.buffered ?? 0,
					flagsClientLate: flags['client-late'] ?? 0,
					flagsStalled: flags.stalled ?? 0,
					flagsUsageMismatch: flags['usage-mismatch'] ?? 0,
					flagsTruncated: flags.truncated ?? 0,
				};
			}),
		),
	);
}

/** The CSV report; the `serverTokensPerSecond` column only when some model has that figure. */
export function reportCsv(races: readonly Labelled[]): string {
	const rows = reportRows(races);
	const anyServerTps = rows.some(row => row.serverTokensPerSecond !== null);
	const header: ReadonlyArray<keyof ReportRow> = [
		'race',
		'region',
		'startedAt',
		'preset',
		'simulated',
		'id',
		'name',
		'provider',
		'ttftMs',
		'ttfaMs',
		'tokensPerSecond',
		...(anyServerTps ? ['serverTokensPerSecond' as const] : []),
		'totalMs',
		'outputTokens',
		'outputPerM',
		'costUSD',
		'bracket',
		'ok',
		'failed',
		'ttftCiLo',
		'ttftCiHi',
		'tokensPerSecondCiLo',
		'tokensPerSecondCiHi',
		'connectMs',
		'waitMs',
		'firstTokenMs',
		'decodeMs',
		'reusedRuns',
		'flagsBuffered',
		'flagsClientLate',
		'flagsStalled',
		'flagsUsageMismatch',
		'flagsTruncated',
	];
	return [csvRecord(header), ...rows.map(row => csvRecord(header.map(key => row[key])))].join('');
}
