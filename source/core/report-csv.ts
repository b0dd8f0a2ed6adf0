// Report rows (medians per race and model) for scripts (JSON) and spreadsheets (CSV, RFC 4180 with
// formula-leading text neutralised: see escape.ts).
import {bracketOf} from './brackets.js';
import {metricValue, type Labelled} from './compare.js';
import {csvRecord} from './escape.js';
import {rankModels} from './leaderboard.js';
import {serverTokensPerSecond} from './plain-table.js';

export type ReportRow = {
	readonly race: string;
	readonly region: string | null;
	readonly startedAt: string;
	readonly preset: string;
	readonly simulated: boolean;
	readonly id: string;
	readonly name: string;
	readonly provider: string | null;
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
};

/** One row per race and model (medians), for spreadsheets and scripts. */
export function reportRows(races: readonly Labelled[]): ReportRow[] {
	return races.flatMap(race => rankModels(race.transcript.models, 'ttft').map(model => ({
		race: race.label,
		region: race.transcript.region,
		startedAt: race.transcript.startedAt,
		preset: race.transcript.preset,
		simulated: race.transcript.simulated,
		id: model.id,
		name: model.name,
		provider: model.provider,
		ttftMs: model.summary.ttftMs?.median ?? null,
		ttfaMs: model.summary.ttfaMs?.median ?? null,
		tokensPerSecond: model.summary.tokensPerSecond?.median ?? null,
		serverTokensPerSecond: serverTokensPerSecond(model),
		totalMs: model.summary.totalMs?.median ?? null,
		outputTokens: model.summary.outputTokens?.median ?? null,
		outputPerM: model.price.outputPerM,
		costUSD: metricValue(model, 'cost'),
		bracket: model.bracket ?? bracketOf(model.price.outputPerM),
		ok: model.summary.ok,
		failed: model.summary.failed,
	})));
}

/** The CSV report; the `serverTokensPerSecond` column only when some model has that figure. */
export function reportCsv(races: readonly Labelled[]): string {
	const rows = reportRows(races);
	const anyServerTps = rows.some(row => row.serverTokensPerSecond !== null);
	const header: ReadonlyArray<keyof ReportRow> = ['race', 'region', 'startedAt', 'preset', 'simulated', 'id', 'name', 'provider', 'ttftMs', 'ttfaMs', 'tokensPerSecond', ...(anyServerTps ? ['serverTokensPerSecond' as const] : []), 'totalMs', 'outputTokens', 'outputPerM', 'costUSD', 'bracket', 'ok', 'failed'];
	return [csvRecord(header), ...rows.map(row => csvRecord(header.map(key => row[key])))].join('');
}
