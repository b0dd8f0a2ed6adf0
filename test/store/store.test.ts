// The history store against real databases: an SQLite file in a temporary folder and a throwaway PostgreSQL
// cluster (test/helpers/postgres.ts). The same suite runs against both; no mocks of either.
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {trendOf, trendOfGroups, trendOfRaces} from '../../source/core/history/trend.js';
import {noFilter} from '../../source/core/history/types.js';
import {parseTranscript} from '../../source/core/transcript/read.js';
import {transcriptIdentity} from '../../source/core/transcript/identity.js';
import {StoreError} from '../../source/store/errors.js';
import {resolveStoreLocation} from '../../source/store/location.js';
import {schemaVersion} from '../../source/store/schema.js';
import {openStore} from '../../source/store/store.js';
import {runCli} from '../helpers/cli.js';
import {handLoad, handRace} from '../helpers/history.js';
import {postgresMissing, requireRealParts, startPostgres, type PgCluster} from '../helpers/postgres.js';

type Backend = {
	readonly name: 'sqlite' | 'postgres';
	/** A new, empty store's `--db` value. */
	fresh(): Promise<string>;
	/** Run raw SQL on a store, outside llmrace (to write a v1 store by hand, or a newer version). */
	raw(db: string, statements: readonly string[]): Promise<void>;
	/** Every stored row of every table, as text: to look for what must never be stored. */
	dump(db: string): Promise<string>;
	/** The rows of a query, outside llmrace. */
	query(db: string, sql: string): Promise<unknown[]>;
};

let counter = 0;
const sqliteBackend: Backend = {
	name: 'sqlite',
	async fresh() {
		return `sqlite:${path.join(mkdtempSync(path.join(tmpdir(), 'llmrace-store-')), 'history.sqlite')}`;
	},
	async raw(db, statements) {
		const database = new Database(db.slice('sqlite:'.length));
		for (const statement of statements) {
			database.exec(statement);
		}

		database.close();
	},
	async dump(db) {
		const database = new Database(db.slice('sqlite:'.length));
		const tables = database.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{name: string}>;
		const text = tables.map(({name}) => JSON.stringify(database.prepare(`SELECT * FROM ${name}`).all())).join('\n');
		database.close();
		return text;
	},
	async query(db, sql) {
		const database = new Database(db.slice('sqlite:'.length));
		const rows = database.prepare(sql).all();
		database.close();
		return rows;
	},
};

let cluster: PgCluster | undefined;
const postgresBackend: Backend = {
	name: 'postgres',
	async fresh() {
		return cluster!.createDatabase(`store_${process.pid}_${++counter}`);
	},
	async raw(db, statements) {
		const client = new pg.Client({connectionString: db});
		await client.connect();
		for (const statement of statements) {
			await client.query(statement);
		}

		await client.end();
	},
	async dump(db) {
		const client = new pg.Client({connectionString: db});
		await client.connect();
		const tables = await client.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
		const parts: string[] = [];
		for (const {tablename} of tables.rows as Array<{tablename: string}>) {
			parts.push(JSON.stringify((await client.query(`SELECT * FROM ${tablename}`)).rows));
		}

		await client.end();
		return parts.join('\n');
	},
	async query(db, sql) {
		const client = new pg.Client({connectionString: db});
		await client.connect();
		const {rows} = await client.query(sql);
		await client.end();
		return rows;
	},
};

const missing = postgresMissing();
if (missing && !requireRealParts) {
	console.warn(`skip: ${missing}`);
}

beforeAll(async () => {
	if (missing && requireRealParts) {
		throw new Error(`LLMRACE_REQUIRE_REAL_PARTS=1 but ${missing}`);
	}

	if (!missing) {
		cluster = await startPostgres();
	}
}, 60_000);

afterAll(() => {
	cluster?.stop();
});

const open = async (db: string) => openStore(resolveStoreLocation(db, {}));

/** The first schema, as llmrace 0.1's first history wrote it: written here by hand, not by the code under test. */
const version1Sql = [
	'CREATE TABLE schema_version (version INTEGER NOT NULL, migrated_at TEXT NOT NULL)',
	"INSERT INTO schema_version VALUES (1, '2026-05-01T00:00:00.000Z')",
	`CREATE TABLE races (id TEXT PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT NOT NULL, tool_version TEXT NOT NULL, region TEXT,
		host TEXT NOT NULL, preset TEXT NOT NULL, prompt TEXT NOT NULL, settings TEXT NOT NULL, simulated INTEGER NOT NULL, aborted INTEGER NOT NULL,
		measurement TEXT, recorded_at TEXT NOT NULL)`,
	'CREATE INDEX races_started_at ON races (started_at)',
	`CREATE TABLE models (race_id TEXT NOT NULL, position INTEGER NOT NULL, model_id TEXT NOT NULL, name TEXT NOT NULL, provider TEXT,
		base_url_host TEXT NOT NULL, input_per_m DOUBLE PRECISION, output_per_m DOUBLE PRECISION, price_source TEXT, bracket TEXT,
		reasoning INTEGER NOT NULL, served_model TEXT, median_ttft_ms DOUBLE PRECISION, PRIMARY KEY (race_id, position))`,
	'CREATE INDEX models_model ON models (model_id, base_url_host)',
	`CREATE TABLE runs (race_id TEXT NOT NULL, position INTEGER NOT NULL, seq INTEGER NOT NULL, run_index INTEGER NOT NULL, warmup INTEGER NOT NULL,
		status TEXT NOT NULL, error_kind TEXT, error_status INTEGER, ttft_ms DOUBLE PRECISION, ttfa_ms DOUBLE PRECISION, tokens_per_second DOUBLE PRECISION,
		total_ms DOUBLE PRECISION, prompt_tokens INTEGER, output_tokens INTEGER, token_source TEXT, reasoning_tokens INTEGER, hidden_reasoning INTEGER NOT NULL,
		cost_usd DOUBLE PRECISION, finish_reason TEXT, dns_ms DOUBLE PRECISION, connect_ms DOUBLE PRECISION, tls_ms DOUBLE PRECISION, sent_ms DOUBLE PRECISION,
		headers_ms DOUBLE PRECISION, reused INTEGER, inter_chunk TEXT, flags TEXT NOT NULL, served_model TEXT, PRIMARY KEY (race_id, position, seq))`,
	`INSERT INTO races VALUES ('old-race', '2026-05-01T09:00:00.000Z', '2026-05-01T09:00:05.000Z', '0.1.0', 'us-east', 'old-host', 'demo', 'hi',
		'{"runs":1,"warmup":0,"maxTokens":512,"temperature":null,"concurrency":null,"timeoutMs":120000,"seed":null}', 1, 0, NULL, '2026-05-01T09:00:06.000Z')`,
	"INSERT INTO models VALUES ('old-race', 0, 'step-3.5-flash', 'Step-3.5-Flash', 'StepFun', '127.0.0.1', NULL, 0.15, 'preset', 'ultra-budget', 0, NULL, 123)",
	`INSERT INTO runs VALUES ('old-race', 0, 0, 0, 0, 'ok', NULL, NULL, 123, 123, 80, 2000, 14, 151, 'usage', NULL, 0, 0.00002, 'stop',
		NULL, NULL, NULL, NULL, NULL, NULL, NULL, '[]', NULL)`,
];

for (const backend of [sqliteBackend, postgresBackend]) {
	describe.skipIf(backend.name === 'postgres' && missing !== null && !requireRealParts)(`history store on ${backend.name}`, () => {
		it('stores a race whole and gives its figures back, never an answer, a key or a header', async () => {
			const db = await backend.fresh();
			const race = handRace({
				id: 'race-one',
				startedAt: '2026-05-20T10:00:00.000Z',
				region: 'us-east',
				models: [
					{id: 'alpha', baseURL: 'https://user:sk-url-secret@api.example.com:8443/v1', ttftMs: [100, 120, 140]},
					{id: 'beta', ttftMs: [300], failed: 1},
				],
			});
			const store = await open(db);
			expect(await store.recordRace('race-one', race, 'bench-box')).toBe('recorded');
			const stored = await store.getRace('race-one');
			await store.close();
			expect(stored?.kind).toBe('race');
			expect(stored?.host).toBe('bench-box');
			const back = stored!.transcript as typeof race;
			expect(back.id).toBe('race-one');
			expect(back.region).toBe('us-east');
			expect(back.models.map(model => model.id)).toEqual(['alpha', 'beta']);
			expect(back.models[0]!.baseURL).toBe('api.example.com');
			expect(back.models[0]!.summary.ttftMs?.median).toBe(120);
			expect(back.models[0]!.summary.ttftMs?.ci).toEqual(race.models[0]!.summary.ttftMs?.ci);
			expect(back.models[1]!.summary).toMatchObject({ok: 1, failed: 1});
			expect(back.models[1]!.runs[1]!.error?.kind).toBe('server');
			expect(back.models[0]!.runs[0]!.servedModel).toBe('served-model');
			const dump = await backend.dump(db);
			expect(dump).not.toContain('sk-url-secret');
			expect(dump).not.toContain('sk-header-secret');
			expect(dump).not.toContain('never stored');
			expect(dump).toContain('Explain recursion');
		});

		it('records a load run with its steps and every request figure', async () => {
			const db = await backend.fresh();
			const load = handLoad();
			const store = await open(db);
			expect(await store.recordLoad(load.id, load, 'bench-box')).toBe('recorded');
			const stored = await store.getRace(load.id);
			const [listed] = await store.listRaces(noFilter, null);
			await store.close();
			expect(stored?.kind).toBe('load');
			const back = stored!.transcript as typeof load;
			expect({...back, models: back.models.map(model => ({...model, baseURL: ''}))}).toEqual({
				...load,
				models: load.models.map(model => ({...model, baseURL: ''})),
			});
			expect(listed).toMatchObject({id: load.id, kind: 'load', region: 'eu-west', models: ['step-3.5-flash'], fastest: {model: 'step-3.5-flash', ttftMs: 120}});
		});

		it("keeps each load request's decode speed; a store of version 3 is migrated, its load rows read back without one", async () => {
			const db = await backend.fresh();
			const store = await open(db);
			await store.recordLoad('before', handLoad('before'), 'h');
			await store.close();
			// The same store as version 3 left it: no decode speed in its load rows.
			await backend.raw(db, ['ALTER TABLE load_requests DROP COLUMN tokens_per_second', 'DELETE FROM schema_version WHERE version = 4']);
			const migrated = await open(db);
			const before = (await migrated.getRace('before'))!.transcript as ReturnType<typeof handLoad>;
			expect(before.models[0]!.steps[0]!.requests.tokensPerSecond).toBeUndefined();
			expect(before.models[0]!.steps[0]!.requests.ttftMs).toEqual(handLoad().models[0]!.steps[0]!.requests.ttftMs);
			await migrated.recordLoad('after', handLoad('after'), 'h');
			const after = (await migrated.getRace('after'))!.transcript as ReturnType<typeof handLoad>;
			await migrated.close();
			expect(after.models[0]!.steps[0]!.requests.tokensPerSecond).toEqual(handLoad().models[0]!.steps[0]!.requests.tokensPerSecond);
			expect(after.models[0]!.steps[0]!.requests.tokensPerSecond?.[0]).toBe(80);
		});

		it('stores the same race once, by id or by the content hash of a transcript without one', async () => {
			const db = await backend.fresh();
			const text = readFileSync(new URL('../fixtures/us-east.json', import.meta.url), 'utf8');
			const old = parseTranscript(text, 'us-east.json');
			expect(old.id).toBeUndefined();
			const id = transcriptIdentity(old);
			expect(id).toBe(transcriptIdentity(parseTranscript(text, 'again.json')));
			expect(id).toMatch(/^sha256:[\da-f]{40}$/);
			const store = await open(db);
			expect(await store.recordRace(id, old, 'a')).toBe('recorded');
			expect(await store.recordRace(id, old, 'b')).toBe('already-stored');
			const race = handRace({id: 'same', startedAt: '2026-05-20T10:00:00.000Z', models: [{id: 'alpha', ttftMs: [1]}]});
			expect(await store.recordRace('same', race, 'a')).toBe('recorded');
			expect(await store.recordRace('same', race, 'a')).toBe('already-stored');
			expect((await store.listRaces(noFilter, null)).map(listed => listed.id).sort()).toEqual([id, 'same'].sort());
			await store.close();
		});

		it('migrates a store of the first schema, keeping its races', async () => {
			const db = await backend.fresh();
			await backend.raw(db, version1Sql);
			const store = await open(db);
			expect(store.created).toBe(false);
			const [old] = await store.listRaces(noFilter, null);
			expect(old).toMatchObject({id: 'old-race', kind: 'race', host: 'old-host', models: ['step-3.5-flash'], fastest: {ttftMs: 123}});
			expect(await store.recordLoad(handLoad().id, handLoad(), 'x')).toBe('recorded');
			// The trend tables of version 3 were filled from the old race: found by its id or its name, its run read back.
			const [model] = await store.findModels('Step-3.5-Flash');
			expect(model).toEqual({id: 'step-3.5-flash', baseUrlHost: '127.0.0.1', name: 'Step-3.5-Flash'});
			expect(await store.trendRuns(model!, noFilter)).toEqual([
				{raceId: 'old-race', startedAt: '2026-05-01T09:00:00.000Z', ttftMs: 123, ttfaMs: 123, tokensPerSecond: 80},
			]);
			await store.close();
			expect(await backend.dump(db)).toContain(`"version":${schemaVersion}`);
		});

		it('fills the trend tables from the races stored before version 3 as recording fills them', async () => {
			const db = await backend.fresh();
			const store = await open(db);
			const races = [
				handRace({
					id: 'a',
					startedAt: '2026-05-01T10:00:00.000Z',
					region: 'us-east',
					models: [
						{id: 'alpha', ttftMs: [100, 110, 120], failed: 1},
						{id: 'beta', ttftMs: [300]},
					],
				}),
				handRace({
					id: 'b',
					startedAt: '2026-05-02T10:00:00.000Z',
					preset: 'other',
					models: [
						{id: 'beta', ttftMs: [310, 320]},
						{id: 'gamma', ttftMs: [], failed: 2},
					],
				}),
				handRace({id: 'c', startedAt: '2026-05-03T10:00:00.000Z', models: [{id: 'alpha', baseURL: 'http://10.0.0.9/v1', ttftMs: [90, 95]}]}),
			];
			// A warm-up run is never part of a trend (alpha's first, here).
			const withWarmup = {
				...races[0]!,
				models: races[0]!.models.map(model => ({
					...model,
					runs: model.runs.map(run => (model.id === 'alpha' && run.index === 0 ? {...run, warmup: true} : run)),
				})),
			};
			await store.recordRace('a', withWarmup, 'box-1');
			await store.recordRace('b', races[1]!, 'box-2');
			await store.recordRace('c', races[2]!, 'box-1');
			await store.recordLoad(handLoad().id, handLoad(), 'box-1');
			const read = async (reader: typeof store) => {
				const models = await Promise.all(['alpha', 'beta', 'gamma', 'step-3.5-flash', 'ph'].map(async name => reader.findModels(name)));
				const trends = await Promise.all(models.flat().map(async model => reader.trendRuns(model, noFilter)));
				const filtered = await Promise.all(
					models.flat().map(async model => reader.trendRuns(model, {...noFilter, host: 'box-1', since: '2026-05-01T12:00:00.000Z'})),
				);
				const days = await Promise.all(models.flat().map(async model => reader.trendDays(model, {...noFilter, preset: 'demo'})));
				return {models, trends, filtered, days};
			};

			const recorded = await read(store);
			await store.close();
			// alpha at two hosts (10.0.0.9 first), beta, gamma (no completed run), the load run's model, "ph" (alpha's two).
			expect(recorded.models.flat().map(model => `${model.id}@${model.baseUrlHost}`)).toEqual([
				'alpha@10.0.0.9',
				'alpha@api.example.com',
				'beta@api.example.com',
				'gamma@api.example.com',
				'step-3.5-flash@127.0.0.1',
				'alpha@10.0.0.9',
				'alpha@api.example.com',
			]);
			expect(recorded.trends.map(runs => runs.map(run => run.ttftMs))).toEqual([[90, 95], [110, 120], [300, 310, 320], [], [], [90, 95], [110, 120]]);
			expect(recorded.filtered.map(runs => runs.map(run => run.ttftMs))).toEqual([[90, 95], [], [], [], [], [90, 95], []]);
			expect(recorded.days.map(days => days.map(day => [day.key, day.races, day.runs, day.ttftMs]))).toEqual([
				[['2026-05-03', 1, 2, [90, 95]]],
				[['2026-05-01', 1, 2, [110, 120]]],
				[['2026-05-01', 1, 1, [300]]],
				[],
				[],
				[['2026-05-03', 1, 2, [90, 95]]],
				[['2026-05-01', 1, 2, [110, 120]]],
			]);
			const tables = async () => [
				await backend.query(db, 'SELECT * FROM model_races ORDER BY race_id, position'),
				await backend.query(db, 'SELECT * FROM known_models ORDER BY model_id, base_url_host, name'),
			];
			const written = await tables();
			expect(written[0]).toHaveLength(4);
			// The same store as version 2 left it: its rows, without the tables of version 3.
			await backend.raw(db, [
				'DROP TABLE model_races',
				'DROP TABLE known_models',
				'ALTER TABLE load_requests DROP COLUMN tokens_per_second',
				'DELETE FROM schema_version WHERE version >= 3',
			]);
			const migrated = await open(db);
			expect(await read(migrated)).toEqual(recorded);
			await migrated.close();
			expect(await tables()).toEqual(written);
		});

		it('refuses a store written by a newer llmrace, naming both versions, and leaves it untouched', async () => {
			const db = await backend.fresh();
			await (await open(db)).close();
			await backend.raw(db, ["INSERT INTO schema_version VALUES (99, '2030-01-01T00:00:00.000Z')"]);
			const error = await open(db).catch((caught: unknown) => caught);
			expect(error).toBeInstanceOf(StoreError);
			expect((error as StoreError).message).toMatch(new RegExp(`version 99.*newer llmrace.*reads version ${schemaVersion}`));
			expect((error as StoreError).message.split('\n')).toHaveLength(1);
		});

		it('loses nothing when four processes race into it at once', async () => {
			const db = await backend.fresh();
			const results = await Promise.all(
				[0, 1, 2, 3].map(async index =>
					runCli(['-m', 'step-3.5-flash', '--max-tokens', '20', '--seed', String(index), '--json', '--db', db, 'hello'], {env: {LLMRACE_NO_HISTORY: ''}}),
				),
			);
			for (const result of results) {
				expect(result.code, result.stderr).toBe(0);
				expect(result.stderr).not.toMatch(/not recorded/);
			}

			const ids = results.map(result => (JSON.parse(result.stdout) as {id: string}).id);
			expect(new Set(ids).size).toBe(4);
			const store = await open(db);
			const listed = await store.listRaces(noFilter, null);
			await store.close();
			expect(listed.map(race => race.id).sort()).toEqual([...ids].sort());
			// The first schema was written once, by one of the four.
			expect((await backend.dump(db)).match(/"version":/g)).toHaveLength(schemaVersion);
		});

		it('gives the runs of a model across races, per day, as the trend reads them', async () => {
			const db = await backend.fresh();
			const store = await open(db);
			const days: Array<[string, number[]]> = [
				['2026-05-01T10:00:00.000Z', [100, 110, 120]],
				['2026-05-01T18:00:00.000Z', [130, 90]],
				['2026-05-02T10:00:00.000Z', [200, 210, 220, 230]],
			];
			for (const [index, [startedAt, ttftMs]] of days.entries()) {
				await store.recordRace(
					`r${index}`,
					handRace({
						id: `r${index}`,
						startedAt,
						models: [
							{id: 'alpha', ttftMs},
							{id: 'other', ttftMs: [1]},
						],
					}),
					'h',
				);
			}

			// The same id from another host is another model.
			await store.recordRace(
				'elsewhere',
				handRace({startedAt: '2026-05-01T11:00:00.000Z', models: [{id: 'alpha', baseURL: 'http://10.0.0.9/v1', ttftMs: [5000]}]}),
				'h',
			);
			const models = await store.findModels('ALPHA');
			expect(models.map(model => model.baseUrlHost).sort()).toEqual(['10.0.0.9', 'api.example.com']);
			const alpha = models.find(model => model.baseUrlHost === 'api.example.com')!;
			const trend = trendOf(await store.trendRuns(alpha, noFilter), 'day');
			// Day 1: 90 100 110 120 130 → 110; day 2: 200 210 220 230 → 215.
			expect(trend.points.map(point => [point.key, point.races, point.runs, point.ttftMs?.median])).toEqual([
				['2026-05-01', 2, 5, 110],
				['2026-05-02', 1, 4, 215],
			]);
			expect(trendOf(await store.trendRuns(alpha, {...noFilter, since: '2026-05-02T00:00:00.000Z'}), 'day').points).toHaveLength(1);
			// The days the database gathers (what history <model> reads) give the very same trend.
			expect(await store.trendDays(alpha, noFilter)).toMatchObject([
				{key: '2026-05-01', startedAt: '2026-05-01T10:00:00.000Z', races: 2, runs: 5},
				{key: '2026-05-02', startedAt: '2026-05-02T10:00:00.000Z', races: 1, runs: 4},
			]);
			expect(trendOfGroups(await store.trendDays(alpha, noFilter), 'day')).toEqual(trend);
			expect(trendOfRaces(await store.trendRaces(alpha, noFilter), 'race')).toEqual(trendOf(await store.trendRuns(alpha, noFilter), 'race'));
			await store.close();
		});

		it('deletes and prunes races whole', async () => {
			const db = await backend.fresh();
			const store = await open(db);
			await store.recordRace('old', handRace({startedAt: '2026-01-01T00:00:00.000Z', models: [{id: 'a', ttftMs: [1, 2]}]}), 'h');
			await store.recordRace('new', handRace({startedAt: '2026-06-01T00:00:00.000Z', models: [{id: 'a', ttftMs: [1, 2]}]}), 'h');
			await store.recordLoad('load', handLoad('load'), 'h');
			expect(await store.matchIds('ne')).toEqual(['new']);
			expect(await store.pruneBefore('2026-03-01T00:00:00.000Z')).toBe(1);
			expect(await store.deleteRaces(['load'])).toBe(1);
			expect((await store.listRaces(noFilter, null)).map(race => race.id)).toEqual(['new']);
			await store.close();
			const dump = await backend.dump(db);
			expect(dump).not.toMatch(/"(race_)?id":"(old|load)"/);
			expect(dump).toMatch(/"race_id":"new"/);
		});

		it('names a model by any name it had, shows its latest, and forgets it with its last race', async () => {
			const db = await backend.fresh();
			const store = await open(db);
			const named = (id: string, startedAt: string, name: string) => {
				const race = handRace({id, startedAt, models: [{id: 'alpha', ttftMs: [100]}]});
				return {...race, models: race.models.map(model => ({...model, name}))};
			};

			await store.recordRace('new', named('new', '2026-06-01T00:00:00.000Z', 'Alpha 2'), 'h');
			// Imported later, raced earlier: its name is not the latest.
			await store.recordRace('old', named('old', '2026-01-01T00:00:00.000Z', 'Alpha 1'), 'h');
			expect(await store.findModels('alpha 1')).toEqual([{id: 'alpha', baseUrlHost: 'api.example.com', name: 'Alpha 2'}]);
			expect(await store.findModels('ALPH')).toEqual([{id: 'alpha', baseUrlHost: 'api.example.com', name: 'Alpha 2'}]);
			await store.deleteRaces(['new']);
			expect(await store.findModels('alpha')).toEqual([{id: 'alpha', baseUrlHost: 'api.example.com', name: 'Alpha 1'}]);
			expect(await store.findModels('alpha 2')).toEqual([]);
			await store.pruneBefore('2026-03-01T00:00:00.000Z');
			expect(await store.findModels('alpha')).toEqual([]);
			await store.close();
		});
	});
}
