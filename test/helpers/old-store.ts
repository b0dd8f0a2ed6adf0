// Stores of an older schema for the migration tests, written here with plain SQL (not by the code under
// test), and a store's facts read back without llmrace.
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';

/** The schema version and race count of an SQLite store, read without llmrace. */
export function storeFacts(file: string): {version: number; races: number; tables: string[]} {
	const database = new Database(file, {readonly: true});
	try {
		const {version} = database.prepare('SELECT MAX(version) AS version FROM schema_version').get() as {version: number};
		const {races} = database.prepare('SELECT COUNT(*) AS races FROM races').get() as {races: number};
		const tables = (database.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{name: string}>).map(row => row.name);
		return {version, races, tables};
	} finally {
		database.close();
	}
}

/** A store of the first schema, as llmrace 0.1 wrote it, with `count` races of one model (written here, not by llmrace). */
export function firstSchemaStore(count: number): string {
	const file = path.join(mkdtempSync(path.join(tmpdir(), 'llmrace-old-store-')), 'old.sqlite');
	const database = new Database(file);
	database.exec(`
		CREATE TABLE schema_version (version INTEGER NOT NULL, migrated_at TEXT NOT NULL);
		INSERT INTO schema_version VALUES (1, '2026-01-01T00:00:00.000Z');
		CREATE TABLE races (id TEXT PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT NOT NULL, tool_version TEXT NOT NULL, region TEXT,
			host TEXT NOT NULL, preset TEXT NOT NULL, prompt TEXT NOT NULL, settings TEXT NOT NULL, simulated INTEGER NOT NULL, aborted INTEGER NOT NULL,
			measurement TEXT, recorded_at TEXT NOT NULL);
		CREATE INDEX races_started_at ON races (started_at);
		CREATE TABLE models (race_id TEXT NOT NULL, position INTEGER NOT NULL, model_id TEXT NOT NULL, name TEXT NOT NULL, provider TEXT,
			base_url_host TEXT NOT NULL, input_per_m DOUBLE PRECISION, output_per_m DOUBLE PRECISION, price_source TEXT, bracket TEXT,
			reasoning INTEGER NOT NULL, served_model TEXT, median_ttft_ms DOUBLE PRECISION, PRIMARY KEY (race_id, position));
		CREATE INDEX models_model ON models (model_id, base_url_host);
		CREATE TABLE runs (race_id TEXT NOT NULL, position INTEGER NOT NULL, seq INTEGER NOT NULL, run_index INTEGER NOT NULL, warmup INTEGER NOT NULL,
			status TEXT NOT NULL, error_kind TEXT, error_status INTEGER, ttft_ms DOUBLE PRECISION, ttfa_ms DOUBLE PRECISION, tokens_per_second DOUBLE PRECISION,
			total_ms DOUBLE PRECISION, prompt_tokens INTEGER, output_tokens INTEGER, token_source TEXT, reasoning_tokens INTEGER, hidden_reasoning INTEGER NOT NULL,
			cost_usd DOUBLE PRECISION, finish_reason TEXT, dns_ms DOUBLE PRECISION, connect_ms DOUBLE PRECISION, tls_ms DOUBLE PRECISION, sent_ms DOUBLE PRECISION,
			headers_ms DOUBLE PRECISION, reused INTEGER, inter_chunk TEXT, flags TEXT NOT NULL, served_model TEXT, PRIMARY KEY (race_id, position, seq));
	`);
	const numbers = 'WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?)';
	database.transaction(() => {
		database
			.prepare(
				`${numbers} INSERT INTO races SELECT 'old-' || i, strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-01', '+' || i || ' hours'),
				strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-01', '+' || i || ' hours', '+5 seconds'), '0.1.0', 'us-east', 'old-host', 'demo', 'hi',
				'{"runs":3,"warmup":0,"maxTokens":512,"temperature":null,"concurrency":null,"timeoutMs":120000,"seed":null}', 1, 0, NULL,
				'2026-01-01T00:00:00.000Z' FROM n`,
			)
			.run(count);
		database
			.prepare(
				`${numbers} INSERT INTO models SELECT 'old-' || i, 0, 'step-3.5-flash', 'Step-3.5-Flash', 'StepFun', '127.0.0.1', NULL, 0.15, 'preset',
				'ultra-budget', 0, NULL, 100 + i % 50 FROM n`,
			)
			.run(count);
		database
			.prepare(
				`${numbers} INSERT INTO runs SELECT 'old-' || (i / 3), 0, i % 3, i % 3, 0, 'ok', NULL, NULL, 100 + i % 50, 100 + i % 50, 80, 2000, 14, 151,
				'usage', NULL, 0, 0.00002, 'stop', NULL, NULL, NULL, NULL, NULL, NULL, NULL, '[]', NULL FROM n`,
			)
			.run(count * 3);
	})();
	database.close();
	return file;
}
