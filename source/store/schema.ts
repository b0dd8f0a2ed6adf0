// The history store's one schema, for SQLite and PostgreSQL alike (docs/history.md "The schema"), and its
// migrations: a store records its version in `schema_version` and is brought up to date when it is opened.
// Only types both databases read the same way: TEXT, INTEGER (booleans as 0/1), DOUBLE PRECISION; times as
// ISO 8601 text in UTC (they sort as text); settings and summaries as JSON text.
import type {Driver, Queryable} from './driver.js';
import {StoreError} from './errors.js';
import {fillKnownModels, fillModelRaces} from './trend-tables.js';

/** Version 1: races, their models and every run's figures. */
const version1 = [
	`CREATE TABLE races (
		id TEXT PRIMARY KEY,
		started_at TEXT NOT NULL,
		finished_at TEXT NOT NULL,
		tool_version TEXT NOT NULL,
		region TEXT,
		host TEXT NOT NULL,
		preset TEXT NOT NULL,
		prompt TEXT NOT NULL,
		settings TEXT NOT NULL,
		simulated INTEGER NOT NULL,
		aborted INTEGER NOT NULL,
		measurement TEXT,
		recorded_at TEXT NOT NULL
	)`,
	'CREATE INDEX races_started_at ON races (started_at)',
	`CREATE TABLE models (
		race_id TEXT NOT NULL,
		position INTEGER NOT NULL,
		model_id TEXT NOT NULL,
		name TEXT NOT NULL,
		provider TEXT,
		base_url_host TEXT NOT NULL,
		input_per_m DOUBLE PRECISION,
		output_per_m DOUBLE PRECISION,
		price_source TEXT,
		bracket TEXT,
		reasoning INTEGER NOT NULL,
		served_model TEXT,
		median_ttft_ms DOUBLE PRECISION,
		PRIMARY KEY (race_id, position)
	)`,
	'CREATE INDEX models_model ON models (model_id, base_url_host)',
	`CREATE TABLE runs (
		race_id TEXT NOT NULL,
		position INTEGER NOT NULL,
		seq INTEGER NOT NULL,
		run_index INTEGER NOT NULL,
		warmup INTEGER NOT NULL,
		status TEXT NOT NULL,
		error_kind TEXT,
		error_status INTEGER,
		ttft_ms DOUBLE PRECISION,
		ttfa_ms DOUBLE PRECISION,
		tokens_per_second DOUBLE PRECISION,
		total_ms DOUBLE PRECISION,
		prompt_tokens INTEGER,
		output_tokens INTEGER,
		token_source TEXT,
		reasoning_tokens INTEGER,
		hidden_reasoning INTEGER NOT NULL,
		cost_usd DOUBLE PRECISION,
		finish_reason TEXT,
		dns_ms DOUBLE PRECISION,
		connect_ms DOUBLE PRECISION,
		tls_ms DOUBLE PRECISION,
		sent_ms DOUBLE PRECISION,
		headers_ms DOUBLE PRECISION,
		reused INTEGER,
		inter_chunk TEXT,
		flags TEXT NOT NULL,
		served_model TEXT,
		PRIMARY KEY (race_id, position, seq)
	)`,
];

/** Version 2: load runs (`llmrace load`): a kind per race, each model's load facts, steps and their requests. */
const version2 = [
	"ALTER TABLE races ADD COLUMN kind TEXT NOT NULL DEFAULT 'race'",
	'ALTER TABLE models ADD COLUMN load TEXT',
	`CREATE TABLE load_steps (
		race_id TEXT NOT NULL,
		position INTEGER NOT NULL,
		step INTEGER NOT NULL,
		rate DOUBLE PRECISION NOT NULL,
		started_at TEXT NOT NULL,
		duration_ms DOUBLE PRECISION NOT NULL,
		stopped TEXT,
		summary TEXT NOT NULL,
		send_lag TEXT NOT NULL,
		client_limited INTEGER NOT NULL,
		PRIMARY KEY (race_id, position, step)
	)`,
	`CREATE TABLE load_requests (
		race_id TEXT NOT NULL,
		position INTEGER NOT NULL,
		step INTEGER NOT NULL,
		seq INTEGER NOT NULL,
		scheduled_ms DOUBLE PRECISION NOT NULL,
		queue_ms DOUBLE PRECISION,
		ttft_ms DOUBLE PRECISION,
		ttfa_ms DOUBLE PRECISION,
		e2e_ms DOUBLE PRECISION,
		output_tokens INTEGER,
		status TEXT NOT NULL,
		error_kind TEXT,
		gaps_ms TEXT,
		event_tokens TEXT,
		PRIMARY KEY (race_id, position, step, seq)
	)`,
];

/**
 * Version 3: what `history <model>` reads, kept apart so a trend over 10,000 races is one index range with
 * no join (docs/history.md "Cost"; trend-tables.ts fills both when a race is recorded, and here for the
 * races stored before). `model_races`: one row per model of each race (not load runs), with the race's start
 * and filter columns and the model's completed timed runs' TTFT, TTFA and tok/s as JSON arrays.
 * `known_models`: every (model id, base URL host, name) stored, with the start of the latest race that had it.
 */
const version3: readonly MigrationStep[] = [
	// Keyed by model and time: a model's rows are one range of the key, in trend order. On SQLite the table
	// is stored in key order (WITHOUT ROWID), so that range is also contiguous on disk.
	async (tx, dialect) =>
		tx.run(`CREATE TABLE model_races (
			race_id TEXT NOT NULL,
			position INTEGER NOT NULL,
			model_id TEXT NOT NULL,
			base_url_host TEXT NOT NULL,
			started_at TEXT NOT NULL,
			region TEXT,
			host TEXT NOT NULL,
			preset TEXT NOT NULL,
			runs INTEGER NOT NULL,
			ttft_ms TEXT NOT NULL,
			ttfa_ms TEXT NOT NULL,
			tokens_per_second TEXT NOT NULL,
			PRIMARY KEY (model_id, base_url_host, started_at, race_id, position)
		)${dialect === 'sqlite' ? ' WITHOUT ROWID' : ''}`),
	'CREATE INDEX model_races_race ON model_races (race_id)',
	`CREATE TABLE known_models (
		model_id TEXT NOT NULL,
		base_url_host TEXT NOT NULL,
		name TEXT NOT NULL,
		last_started_at TEXT NOT NULL,
		PRIMARY KEY (model_id, base_url_host, name)
	)`,
	fillModelRaces,
	fillKnownModels,
];

/** Version 4: each load request's decode speed (the load transcript's `requests.tokensPerSecond`); NULL in rows stored before. */
const version4: readonly MigrationStep[] = ['ALTER TABLE load_requests ADD COLUMN tokens_per_second DOUBLE PRECISION'];

/**
 * A statement, or work that reads the store (filling a new table from the rows already there) or depends on
 * the database; `advance` is told how many stored races it has rewritten so far.
 */
export type MigrationStep = string | ((tx: Queryable, dialect: Driver['dialect'], advance: (races: number) => void) => Promise<unknown>);

/**
 * What a long migration says while it runs (docs/history.md "Migrations"): `start` before any change with
 * the versions and the stored races, `advance` as races are rewritten, `end` once it has committed.
 */
export type MigrationProgress = {
	start(from: number, to: number, races: number): void;
	advance(races: number): void;
	end(): void;
};

/** migrations[i] brings a store from version i to i + 1. */
export const migrations: ReadonlyArray<readonly MigrationStep[]> = [version1, version2, version3, version4];

/** The version this llmrace writes. */
export const schemaVersion = migrations.length;

async function currentVersion(tx: Queryable): Promise<number> {
	const rows = await tx.all('SELECT MAX(version) AS version FROM schema_version');
	const value = rows[0]?.['version'];
	return value === null || value === undefined ? 0 : Number(value);
}

/**
 * Bring the store to `schemaVersion`, in one exclusive transaction (two processes opening a new store at
 * once: the second waits, then finds it done). Returns the version found (0: the store was new). A store
 * written by a newer llmrace is refused, untouched.
 */
export async function migrate(driver: Driver, where: string, progress?: MigrationProgress): Promise<number> {
	// The common case, a store already at this version, costs one read and no write transaction.
	const seen = await driver.all('SELECT MAX(version) AS version FROM schema_version').catch(() => null);
	const version = seen?.[0]?.['version'];
	if (version !== null && version !== undefined && Number(version) === schemaVersion) {
		return schemaVersion;
	}

	return driver
		.transaction(
			async tx => {
				await tx.run('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, migrated_at TEXT NOT NULL)');
				const found = await currentVersion(tx);
				if (found > schemaVersion) {
					throw new StoreError(
						`${where} has history schema version ${found}, written by a newer llmrace; this llmrace reads version ${schemaVersion}: upgrade llmrace`,
					);
				}

				const races = found === 0 ? 0 : Number((await tx.all('SELECT COUNT(*) AS races FROM races'))[0]?.['races'] ?? 0);
				progress?.start(found, schemaVersion, races);
				const advance = (done: number) => progress?.advance(done);
				for (let version = found; version < schemaVersion; version++) {
					for (const step of migrations[version]!) {
						await (typeof step === 'string' ? tx.run(step) : step(tx, driver.dialect, advance));
					}

					await tx.run('INSERT INTO schema_version (version, migrated_at) VALUES (?, ?)', [version + 1, new Date().toISOString()]);
				}

				return found;
			},
			{exclusive: true},
		)
		.then(found => {
			progress?.end();
			return found;
		});
}
