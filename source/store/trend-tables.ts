// The tables `history <model>` reads (schema version 3), filled when a race is recorded, so that naming a
// model and reading its trend are each one index lookup, with no join (docs/history.md "Cost").
// `model_races`: each model of each race with its completed timed runs (not warm-up, status ok), in run
// order, as JSON arrays of the very numbers kept in `runs`: a trend read from here is the trend read from
// `runs`. `known_models`: every model id, base URL host and name stored, with its latest race's start.
import type {TrendGroup} from '../core/history/trend.js';
import type {ModelKey, TrendRace} from '../core/history/types.js';
import type {LoadTranscript} from '../core/load/types.js';
import type {Transcript} from '../core/types.js';
import type {Queryable, Row, SqlValue} from './driver.js';

/** A base URL's host name (no scheme, credentials, port or path): what makes a model the same across races. */
export function baseUrlHost(baseURL: string): string {
	try {
		return new URL(baseURL).hostname || baseURL;
	} catch {
		return baseURL
			.replace(/^[a-z]+:\/\//i, '')
			.replace(/^[^@/]*@/, '')
			.replace(/[:/].*$/s, '');
	}
}

export const modelRaceColumns = [
	'race_id',
	'position',
	'model_id',
	'base_url_host',
	'started_at',
	'region',
	'host',
	'preset',
	'runs',
	'ttft_ms',
	'ttfa_ms',
	'tokens_per_second',
] as const;

type RaceFacts = {
	readonly id: string;
	readonly startedAt: string;
	readonly region: string | null;
	readonly host: string;
	readonly preset: string;
};

type TimedRun = {readonly ttftMs: number | null; readonly ttfaMs: number | null; readonly tokensPerSecond: number | null};

function modelRaceRow(race: RaceFacts, position: number, modelId: string, host: string, runs: readonly TimedRun[]): SqlValue[] {
	return [
		race.id,
		position,
		modelId,
		host,
		race.startedAt,
		race.region,
		race.host,
		race.preset,
		runs.length,
		JSON.stringify(runs.map(run => run.ttftMs)),
		JSON.stringify(runs.map(run => run.ttfaMs)),
		JSON.stringify(runs.map(run => run.tokensPerSecond)),
	];
}

/** The rows of a race being recorded: one per model with a completed timed run. */
export function modelRaceRows(id: string, transcript: Transcript, host: string): SqlValue[][] {
	const race: RaceFacts = {id, startedAt: transcript.startedAt, region: transcript.region, host, preset: transcript.preset};
	return transcript.models.flatMap((model, position) => {
		const timed = model.runs.filter(run => !run.warmup && run.status === 'ok');
		return timed.length === 0 ? [] : [modelRaceRow(race, position, model.id, baseUrlHost(model.baseURL), timed)];
	});
}

const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/** Races whose rows one statement of the fill reads. */
const racesPerChunk = 500;

/** Fill `model_races` from the races stored before it existed (the migration to version 3); `advance`: races done so far. */
export async function fillModelRaces(tx: Queryable, _dialect?: unknown, advance?: (races: number) => void): Promise<void> {
	const ids = (await tx.all("SELECT id FROM races WHERE kind = 'race' ORDER BY id")).map(row => String(row['id']));
	for (let start = 0; start < ids.length; start += racesPerChunk) {
		const chunk = ids.slice(start, start + racesPerChunk);
		const rows = await tx.all(
			`SELECT r.id, r.started_at, r.region, r.host, r.preset, m.position, m.model_id, m.base_url_host, u.ttft_ms, u.ttfa_ms, u.tokens_per_second
			FROM races r JOIN models m ON m.race_id = r.id JOIN runs u ON u.race_id = m.race_id AND u.position = m.position
			WHERE r.id IN (${chunk.map(() => '?').join(', ')}) AND u.warmup = 0 AND u.status = 'ok'
			ORDER BY r.id, m.position, u.seq`,
			chunk,
		);
		const out: SqlValue[][] = [];
		let group: {first: Row; runs: TimedRun[]} | undefined;
		const flush = () => {
			if (group) {
				const {first} = group;
				const race: RaceFacts = {
					id: String(first['id']),
					startedAt: String(first['started_at']),
					region: first['region'] === null || first['region'] === undefined ? null : String(first['region']),
					host: String(first['host']),
					preset: String(first['preset']),
				};
				out.push(modelRaceRow(race, Number(first['position']), String(first['model_id']), String(first['base_url_host']), group.runs));
			}
		};

		for (const row of rows) {
			if (!group || group.first['id'] !== row['id'] || Number(group.first['position']) !== Number(row['position'])) {
				flush();
				group = {first: row, runs: []};
			}

			group.runs.push({ttftMs: num(row['ttft_ms']), ttfaMs: num(row['ttfa_ms']), tokensPerSecond: num(row['tokens_per_second'])});
		}

		flush();
		await tx.insertMany('model_races', modelRaceColumns, out);
		advance?.(start + chunk.length);
	}
}

const numbers = (text: unknown): Array<number | null> => JSON.parse(String(text)) as Array<number | null>;

/** A stored row back as the race's runs for the trend. */
export function trendRaceOf(row: Row): TrendRace {
	return {
		raceId: String(row['race_id']),
		startedAt: String(row['started_at']),
		ttftMs: numbers(row['ttft_ms']),
		ttfaMs: numbers(row['ttfa_ms']),
		tokensPerSecond: numbers(row['tokens_per_second']),
	};
}

/**
 * The SQL of a model's runs per UTC day (`where`: the filters on `model_races x`; then the model's id and
 * host): each day's races' JSON arrays joined into one per metric, so a year of races is a few hundred rows.
 * A stored start is ISO 8601 in UTC (…Z), so its day is its first 10 characters. The order of the values
 * within a day does not matter (the trend sorts them); the first start is the smallest in code-point order.
 */
export function trendDaysSql(dialect: 'sqlite' | 'postgres', where: string): string {
	const join = (column: string) =>
		dialect === 'sqlite'
			? `'[' || group_concat(substr(x.${column}, 2, length(x.${column}) - 2), ',') || ']'`
			: `'[' || string_agg(substr(x.${column}, 2, length(x.${column}) - 2), ',') || ']'`;
	return `SELECT substr(x.started_at, 1, 10) AS day, MIN(x.started_at${dialect === 'postgres' ? ' COLLATE "C"' : ''}) AS started_at,
		COUNT(DISTINCT x.race_id) AS races, SUM(x.runs) AS runs,
		${join('ttft_ms')} AS ttft_ms, ${join('ttfa_ms')} AS ttfa_ms, ${join('tokens_per_second')} AS tokens_per_second
		FROM model_races x ${where ? `${where} AND` : 'WHERE'} x.model_id = ? AND x.base_url_host = ?
		GROUP BY substr(x.started_at, 1, 10) ORDER BY day`;
}

/** A row of trendDaysSql as the trend's point. */
export function trendDayOf(row: Row): TrendGroup {
	return {
		key: String(row['day']),
		startedAt: String(row['started_at']),
		races: Number(row['races']),
		runs: Number(row['runs']),
		ttftMs: numbers(row['ttft_ms']),
		ttfaMs: numbers(row['ttfa_ms']),
		tokensPerSecond: numbers(row['tokens_per_second']),
	};
}

/**
 * Note a recorded race's or load run's models in `known_models` (its latest start kept). One statement per
 * model, in key order: two PostgreSQL transactions that upsert the same models take their locks in the
 * same order, so neither waits on the other in a cycle.
 */
export async function noteKnownModels(tx: Queryable, transcript: Transcript | LoadTranscript): Promise<void> {
	const keys = new Map<string, SqlValue[]>();
	for (const model of transcript.models) {
		const row = [model.id, baseUrlHost(model.baseURL), model.name, transcript.startedAt];
		keys.set(JSON.stringify(row.slice(0, 3)), row);
	}

	for (const key of [...keys.keys()].sort()) {
		await tx.run(
			`INSERT INTO known_models (model_id, base_url_host, name, last_started_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (model_id, base_url_host, name) DO UPDATE SET last_started_at = excluded.last_started_at
			WHERE excluded.last_started_at > known_models.last_started_at`,
			keys.get(key)!,
		);
	}
}

/** Fill `known_models` afresh from the stored models (the migration to version 3, and after races are deleted). */
export async function fillKnownModels(tx: Queryable): Promise<void> {
	await tx.run('DELETE FROM known_models');
	await tx.run(
		`INSERT INTO known_models (model_id, base_url_host, name, last_started_at)
		SELECT m.model_id, m.base_url_host, m.name, MAX(r.started_at) FROM models m JOIN races r ON r.id = m.race_id
		GROUP BY m.model_id, m.base_url_host, m.name`,
	);
}

/** Code-point order, the same whichever database sorted (their collations differ). */
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Models whose id or any name they had is `query` (case-insensitive), else whose id contains it; each
 * (id, host) once, under its latest name.
 */
export async function findKnownModels(db: Queryable, query: string): Promise<ModelKey[]> {
	const select = `SELECT model_id, base_url_host, name, last_started_at FROM known_models
		WHERE (model_id, base_url_host) IN (SELECT model_id, base_url_host FROM known_models WHERE`;
	let rows = await db.all(`${select} LOWER(model_id) = LOWER(?) OR LOWER(name) = LOWER(?))`, [query, query]);
	if (rows.length === 0) {
		rows = await db.all(`${select} LOWER(model_id) LIKE ?)`, [`%${query.toLowerCase().replaceAll(/[%_]/g, '')}%`]);
	}

	const latest = new Map<string, {model: ModelKey; at: string}>();
	for (const row of rows) {
		const model = {id: String(row['model_id']), baseUrlHost: String(row['base_url_host']), name: String(row['name'])};
		const key = `${model.id}\u0000${model.baseUrlHost}`;
		const at = String(row['last_started_at']);
		const seen = latest.get(key);
		if (!seen || at > seen.at || (at === seen.at && model.name > seen.model.name)) {
			latest.set(key, {model, at});
		}
	}

	return [...latest.values()].map(entry => entry.model).sort((a, b) => (a.id === b.id ? compareText(a.baseUrlHost, b.baseUrlHost) : compareText(a.id, b.id)));
}
