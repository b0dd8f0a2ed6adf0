// The history store (docs/history.md): open (and migrate) the database a location names, record races and
// load runs whole or not at all under their ids, and answer the history views. The SQL lives here and in
// schema.ts; what the answers mean is computed in core/history/.
import {existsSync} from 'node:fs';
import type {LoadTranscript} from '../core/load/types.js';
import type {RegionRun} from '../core/history/regions.js';
import type {TrendGroup} from '../core/history/trend.js';
import type {HistoryFilter, ModelKey, RaceKind, RaceListing, TrendRace, TrendRun} from '../core/history/types.js';
import type {Transcript} from '../core/types.js';
import type {Driver, Queryable, Row, SqlValue} from './driver.js';
import {StoreError} from './errors.js';
import type {StoreLocation} from './location.js';
import type {StoredRows} from './rows.js';

import {fillKnownModels, findKnownModels, modelRaceColumns, modelRaceRows, noteKnownModels, trendDayOf, trendDaysSql, trendRaceOf} from './trend-tables.js';
import {migrate, type MigrationProgress} from './schema.js';
import {createSqlite} from './sqlite-create.js';

/**
 * The rows of a whole race or load run, to write or to rebuild: loaded when a view needs them, not by
 * `history <model>`, which reads only the trend tables (docs/history.md "Cost").
 */
const rowsModule = async () => import('./rows.js');

/** Load what recording a run needs now, ahead of the run, so that after it only its rows are written. */
export async function loadRecordingCode(): Promise<void> {
	await rowsModule();
}

/** A stored race rebuilt (figures only: answers are not kept), with the machine that ran it. */
export type StoredRace = ({readonly kind: 'race'; readonly transcript: Transcript} | {readonly kind: 'load'; readonly transcript: LoadTranscript}) & {
	readonly host: string;
};

export type RecordOutcome = 'recorded' | 'already-stored';

export type HistoryStore = {
	readonly location: StoreLocation;
	/** This open created the store (it had no schema yet). */
	readonly created: boolean;
	recordRace(id: string, transcript: Transcript, host: string): Promise<RecordOutcome>;
	recordLoad(id: string, transcript: LoadTranscript, host: string): Promise<RecordOutcome>;
	/** Whether any race or load run is stored yet. */
	hasRaces(): Promise<boolean>;
	/** Newest first; `limit` null: all. */
	listRaces(filter: HistoryFilter, limit: number | null): Promise<RaceListing[]>;
	/** Models whose id or name is `query` (case-insensitive), else whose id contains it. */
	findModels(query: string): Promise<ModelKey[]>;
	/** The model's completed timed runs, race by race, in time order (what `history <model>` reads). */
	trendRaces(model: ModelKey, filter: HistoryFilter): Promise<TrendRace[]>;
	/**
	 * The model's completed timed runs gathered per UTC day by the database, in time order: what
	 * `history <model>` reads (one row per day, not per race or run).
	 */
	trendDays(model: ModelKey, filter: HistoryFilter): Promise<TrendGroup[]>;
	/** The same, one record per run. */
	trendRuns(model: ModelKey, filter: HistoryFilter): Promise<TrendRun[]>;
	regionRuns(filter: HistoryFilter): Promise<RegionRun[]>;
	/** Full ids of the stored races whose id starts with `prefix`. */
	matchIds(prefix: string): Promise<string[]>;
	getRace(id: string): Promise<StoredRace | null>;
	/** The ids of every stored race matching the filter, oldest first. */
	raceIds(filter: HistoryFilter): Promise<string[]>;
	deleteRaces(ids: readonly string[]): Promise<number>;
	/** Delete races started before `iso`; how many. */
	pruneBefore(iso: string): Promise<number>;
	close(): Promise<void>;
};

/** `WHERE …` of the filters on `races r` (or on another table with the same columns, named by `table`). */
function filterSql(filter: HistoryFilter, kind: RaceKind | null = null, table = 'r'): {sql: string; params: SqlValue[]} {
	const terms: string[] = [];
	const params: SqlValue[] = [];
	const add = (term: string, value: SqlValue) => {
		terms.push(term);
		params.push(value);
	};

	if (kind) {
		add(`${table}.kind = ?`, kind);
	}

	if (filter.since) {
		add(`${table}.started_at >= ?`, filter.since);
	}

	if (filter.region) {
		add(`${table}.region = ?`, filter.region);
	}

	if (filter.host) {
		add(`${table}.host = ?`, filter.host);
	}

	if (filter.preset) {
		add(`${table}.preset = ?`, filter.preset);
	}

	return {sql: terms.length === 0 ? '' : `WHERE ${terms.join(' AND ')}`, params};
}

const childTables = ['load_requests', 'load_steps', 'model_races', 'runs', 'models'] as const;

async function insertRows(tx: Queryable, rows: StoredRows, modelRaces: ReadonlyArray<readonly SqlValue[]>): Promise<void> {
	const {modelColumns, raceColumns, requestColumns, runColumns, stepColumns} = await rowsModule();
	await tx.insertMany('races', raceColumns, [rows.race]);
	await tx.insertMany('models', modelColumns, rows.models);
	await tx.insertMany('runs', runColumns, rows.runs);
	await tx.insertMany('load_steps', stepColumns, rows.steps);
	await tx.insertMany('load_requests', requestColumns, rows.requests);
	await tx.insertMany('model_races', modelRaceColumns, modelRaces);
}

/** A duplicate key: another process stored the same race a moment earlier. */
const isDuplicate = (error: unknown) => /UNIQUE constraint|duplicate key|23505/i.test(`${(error as Error).message} ${(error as {code?: string}).code ?? ''}`);

function placeholders(count: number): string {
	return Array.from({length: count}, () => '?').join(', ');
}

function listingOf(race: Row, models: readonly Row[]): RaceListing {
	const mine = models.filter(model => model['race_id'] === race['id']).sort((a, b) => Number(a['position']) - Number(b['position']));
	let fastest: RaceListing['fastest'] = null;
	for (const model of mine) {
		const ttft = model['median_ttft_ms'];
		if (ttft !== null && ttft !== undefined && (fastest === null || Number(ttft) < fastest.ttftMs)) {
			fastest = {model: String(model['model_id']), ttftMs: Number(ttft)};
		}
	}

	return {
		id: String(race['id']),
		kind: String(race['kind']) as RaceKind,
		startedAt: String(race['started_at']),
		finishedAt: String(race['finished_at']),
		preset: String(race['preset']),
		region: race['region'] === null ? null : String(race['region']),
		host: String(race['host']),
		simulated: Number(race['simulated']) === 1,
		aborted: Number(race['aborted']) === 1,
		models: mine.map(model => String(model['model_id'])),
		fastest,
	};
}

/** A stored race or load run rebuilt from its rows; null when no race has the id. */
async function readRace(driver: Driver, id: string): Promise<StoredRace | null> {
	const {loadFromRows, transcriptFromRows} = await rowsModule();
	const [race] = await driver.all('SELECT * FROM races WHERE id = ?', [id]);
	if (!race) {
		return null;
	}

	const models = await driver.all('SELECT * FROM models WHERE race_id = ? ORDER BY position', [id]);
	if (race['kind'] === 'load') {
		const steps = await driver.all('SELECT * FROM load_steps WHERE race_id = ? ORDER BY position, step', [id]);
		const requests = await driver.all('SELECT * FROM load_requests WHERE race_id = ? ORDER BY position, step, seq', [id]);
		return {kind: 'load', transcript: loadFromRows(race, models, steps, requests), host: String(race['host'])};
	}

	const runs = await driver.all('SELECT * FROM runs WHERE race_id = ? ORDER BY position, seq', [id]);
	return {kind: 'race', transcript: transcriptFromRows(race, models, runs), host: String(race['host'])};
}

function storeOn(driver: Driver, location: StoreLocation, created: boolean): HistoryStore {
	/** `modelRaces`: a race's rows of model_races (a load run has none). */
	const record = async (
		rows: StoredRows,
		transcript: Transcript | LoadTranscript,
		modelRaces: ReadonlyArray<readonly SqlValue[]> = [],
	): Promise<RecordOutcome> => {
		try {
			return await driver.transaction(async tx => {
				const existing = await tx.all('SELECT 1 AS found FROM races WHERE id = ?', [rows.race[0]!]);
				if (existing.length > 0) {
					return 'already-stored';
				}

				await insertRows(tx, rows, modelRaces);
				await noteKnownModels(tx, transcript);
				return 'recorded';
			});
		} catch (error) {
			if (isDuplicate(error)) {
				return 'already-stored';
			}

			throw error;
		}
	};

	const deleteIds = async (tx: Queryable, ids: readonly string[]): Promise<number> => {
		let deleted = 0;
		for (let start = 0; start < ids.length; start += 500) {
			const chunk = ids.slice(start, start + 500);
			for (const table of childTables) {
				await tx.run(`DELETE FROM ${table} WHERE race_id IN (${placeholders(chunk.length)})`, chunk);
			}

			deleted += await tx.run(`DELETE FROM races WHERE id IN (${placeholders(chunk.length)})`, chunk);
		}

		if (deleted > 0) {
			await fillKnownModels(tx);
		}

		return deleted;
	};

	return {
		location,
		created,
		async recordRace(id, transcript, host) {
			const {raceRows} = await rowsModule();
			return record(raceRows(id, transcript, host), transcript, modelRaceRows(id, transcript, host));
		},
		async recordLoad(id, transcript, host) {
			const {loadRows} = await rowsModule();
			return record(loadRows(id, transcript, host), transcript);
		},
		async hasRaces() {
			return (await driver.all('SELECT id FROM races LIMIT 1')).length > 0;
		},
		async listRaces(filter, limit) {
			const where = filterSql(filter);
			const races = await driver.all(
				`SELECT r.* FROM races r ${where.sql} ORDER BY r.started_at DESC, r.id DESC${limit === null ? '' : ` LIMIT ${Math.max(0, Math.floor(limit))}`}`,
				where.params,
			);
			const models = await driver.all(
				`SELECT m.race_id, m.position, m.model_id, m.median_ttft_ms FROM models m JOIN races r ON r.id = m.race_id ${where.sql}`,
				where.params,
			);
			return races.map(race => listingOf(race, models));
		},
		async findModels(query) {
			return findKnownModels(driver, query);
		},
		async trendRaces(model, filter) {
			// One index range of model_races (trend-tables.ts), already in time order.
			const where = filterSql(filter, null, 'x');
			const rows = await driver.all(
				`SELECT x.race_id, x.started_at, x.ttft_ms, x.ttfa_ms, x.tokens_per_second FROM model_races x
				${where.sql ? `${where.sql} AND` : 'WHERE'} x.model_id = ? AND x.base_url_host = ?
				ORDER BY x.model_id, x.base_url_host, x.started_at, x.race_id, x.position`,
				[...where.params, model.id, model.baseUrlHost],
			);
			return rows.map(row => trendRaceOf(row));
		},
		async trendDays(model, filter) {
			const where = filterSql(filter, null, 'x');
			const rows = await driver.all(trendDaysSql(driver.dialect, where.sql), [...where.params, model.id, model.baseUrlHost]);
			return rows.map(row => trendDayOf(row));
		},
		async trendRuns(model, filter) {
			return (await this.trendRaces(model, filter)).flatMap(race =>
				race.ttftMs.map((ttftMs, index) => ({
					raceId: race.raceId,
					startedAt: race.startedAt,
					ttftMs,
					ttfaMs: race.ttfaMs[index] ?? null,
					tokensPerSecond: race.tokensPerSecond[index] ?? null,
				})),
			);
		},
		async regionRuns(filter) {
			const {runFromRow} = await rowsModule();
			const where = filterSql(filter, 'race');
			const rows = await driver.all(
				`SELECT r.region, r.simulated, m.model_id, m.base_url_host, m.name, u.*
				FROM races r JOIN models m ON m.race_id = r.id JOIN runs u ON u.race_id = m.race_id AND u.position = m.position
				${where.sql ? `${where.sql} AND` : 'WHERE'} r.region IS NOT NULL
				ORDER BY r.started_at, u.race_id, u.position, u.seq`,
				where.params,
			);
			return rows.map(row => ({
				region: String(row['region']),
				simulated: Number(row['simulated']) === 1,
				model: {id: String(row['model_id']), baseUrlHost: String(row['base_url_host']), name: String(row['name'])},
				run: runFromRow(row),
			}));
		},
		async matchIds(prefix) {
			const rows = await driver.all('SELECT id FROM races WHERE id = ? OR id LIKE ? ORDER BY id', [prefix, `${prefix.replaceAll(/[%_]/g, '')}%`]);
			const exact = rows.find(row => row['id'] === prefix);
			return exact ? [prefix] : rows.map(row => String(row['id']));
		},
		async getRace(id) {
			return readRace(driver, id);
		},
		async raceIds(filter) {
			const where = filterSql(filter);
			const rows = await driver.all(`SELECT r.id FROM races r ${where.sql} ORDER BY r.started_at, r.id`, where.params);
			return rows.map(row => String(row['id']));
		},
		async deleteRaces(ids) {
			return driver.transaction(async tx => deleteIds(tx, ids));
		},
		async pruneBefore(iso) {
			return driver.transaction(async tx => {
				const rows = await tx.all('SELECT id FROM races WHERE started_at < ?', [iso]);
				return deleteIds(
					tx,
					rows.map(row => String(row['id'])),
				);
			});
		},
		async close() {
			await driver.close();
		},
	};
}

export type OpenOptions = {
	/** Told about a migration of stored races (session/migration-progress.ts says it on stderr). */
	readonly progress?: MigrationProgress;
};

/** Open the store a location names, creating and migrating it as needed. Every failure is a StoreError. */
export async function openStore(location: StoreLocation, options: OpenOptions = {}): Promise<HistoryStore> {
	let created = false;
	let driver: Driver;
	if (location.kind === 'sqlite') {
		const {openSqlite} = await import('./sqlite.js');
		if (!existsSync(location.path)) {
			created = await createSqlite(location.path, location.display, openSqlite);
		}

		driver = await openSqlite(location.path, location.display);
	} else {
		driver = await (await import('./postgres.js')).openPostgres(location.url, location.display, location.password);
	}

	try {
		const found = await migrate(driver, location.display, options.progress);
		return storeOn(driver, location, created || found === 0);
	} catch (error) {
		await driver.close().catch(() => undefined);
		throw error instanceof StoreError ? error : new StoreError(`${location.display}: ${(error as Error).message}`);
	}
}
