// The SQLite side of the store: better-sqlite3 (synchronous, a plain file `sqlite3` or Datasette opens).
// WAL and a busy timeout, so several processes can record at once: a writer waits for the lock, never fails on it.
import {existsSync, mkdirSync} from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import {insertInChunks, type Driver, type Queryable, type SqlValue} from './driver.js';
import {StoreError, oneLine} from './errors.js';

/** How long a writer waits for another process's transaction before giving up. */
const busyTimeoutMs = 10_000;

type SqliteDriver = {
	readonly Database: typeof BetterSqlite3;
	readonly options: BetterSqlite3.Options;
	/** The folder whose node_modules holds better-sqlite3: where `npm rebuild better-sqlite3` builds its addon. */
	readonly home: string;
};

/**
 * better-sqlite3, a CommonJS package, loaded with `require` (no ESM wrapper to build around it), and its
 * native addon named by path where npm put it (prebuilt or compiled: build/Release), so the `bindings`
 * package need not search a dozen places for it: together ~12 ms of every history command (docs/history.md
 * "Cost"). Where the addon is elsewhere, better-sqlite3 finds it as it always does.
 */
function loadDriver(): SqliteDriver {
	try {
		const require = createRequire(import.meta.url);
		const Database = require('better-sqlite3') as typeof BetterSqlite3;
		const root = path.join(path.dirname(require.resolve('better-sqlite3')), '..');
		const addon = path.join(root, 'build', 'Release', 'better_sqlite3.node');
		return {Database, options: existsSync(addon) ? {nativeBinding: addon} : {}, home: path.dirname(path.dirname(root))};
	} catch (error) {
		throw new StoreError(`the SQLite driver (better-sqlite3, a native module) cannot load here: ${oneLine(error)}`);
	}
}

/**
 * The store's folder and its missing parents, one level at a time: `mkdirSync(…, {recursive: true})` spins
 * forever under /proc (ENOENT for a folder whose parent exists), and a user may name any path.
 */
function makeFolder(folder: string): void {
	const missing: string[] = [];
	let current = folder;
	while (!existsSync(current) && path.dirname(current) !== current) {
		missing.unshift(current);
		current = path.dirname(current);
	}

	for (const level of missing) {
		mkdirSync(level);
	}
}

function openFile({Database, options, home}: SqliteDriver, file: string, display: string): BetterSqlite3.Database {
	try {
		makeFolder(path.dirname(file));
		const database = new Database(file, options);
		database.pragma(`busy_timeout = ${busyTimeoutMs}`);
		database.pragma('journal_mode = WAL');
		database.pragma('synchronous = NORMAL');
		// The day's grouping of `history <model>` sorts a few MB of runs: in memory, not through a temporary
		// file (~8 ms of its query over 10,000 races; docs/history.md "Cost"). Whatever SQLite sorts here, the
		// caller holds as JavaScript rows anyway, several times larger.
		database.pragma('temp_store = MEMORY');
		return database;
	} catch (error) {
		const unbuilt = addonProblem(error);
		throw new StoreError(
			unbuilt
				? `cannot open ${display}: the SQLite driver's native module (better-sqlite3) ${unbuilt}: run \`npm rebuild better-sqlite3\` in ${home}`
				: `cannot open ${display}: ${describeSqliteError(error)}`,
		);
	}
}

/**
 * What is wrong with better-sqlite3's native addon, when that is why the store cannot open: it was never
 * built (its install script did not run, e.g. npm 12 without `--allow-scripts=better-sqlite3` on a global
 * install; the `bindings` package then lists every place it looked), or it does not load in this Node
 * (built for another version or platform). Undefined for any other error.
 */
export function addonProblem(error: unknown): string | undefined {
	const {code, tries, message} = (error ?? {}) as {code?: unknown; tries?: unknown; message?: unknown};
	if (Array.isArray(tries) || (code === 'MODULE_NOT_FOUND' && typeof message === 'string' && /\.node\b/.test(message))) {
		return 'is not built (its install script did not run)';
	}

	if (code === 'ERR_DLOPEN_FAILED') {
		return 'does not load in this Node (built for another version or platform)';
	}

	return undefined;
}

/** SQLite's codes as a person says them. */
export function describeSqliteError(error: unknown): string {
	const code = (error as {code?: string}).code ?? '';
	if (code.startsWith('SQLITE_READONLY') || code === 'EACCES' || code === 'EROFS' || code === 'SQLITE_CANTOPEN') {
		return `cannot write there (read-only or no permission: ${code})`;
	}

	if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
		return 'the disk is full';
	}

	if (code === 'SQLITE_BUSY') {
		return 'another process held the store for too long';
	}

	if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
		return 'not an SQLite database (or a damaged one)';
	}

	return oneLine(error);
}

/** Load the driver now (a run about to start, its store to be created at the end); a failure is said then. */
export function preloadSqlite(): void {
	try {
		loadDriver();
	} catch {
		// Said when the store is opened, as one line (openSqlite).
	}
}

export async function openSqlite(file: string, display: string): Promise<Driver> {
	const database = openFile(loadDriver(), file, display);
	const statements = new Map<string, BetterSqlite3.Statement>();
	const prepare = (sql: string) => {
		let statement = statements.get(sql);
		if (!statement) {
			statement = database.prepare(sql);
			statements.set(sql, statement);
		}

		return statement;
	};

	const wrap = <T>(work: () => T): T => {
		try {
			return work();
		} catch (error) {
			throw error instanceof StoreError ? error : new StoreError(`${display}: ${describeSqliteError(error)}`);
		}
	};

	const queryable: Queryable = {
		async all(sql, params = []) {
			return wrap(() => {
				const statement = prepare(sql);
				if (statement.reader) {
					return statement.all(...params) as Array<Record<string, unknown>>;
				}

				statement.run(...params);
				return [];
			});
		},
		async run(sql, params = []) {
			return wrap(() => {
				if (params.length === 0 && !sql.includes('?')) {
					database.exec(sql);
					return 0;
				}

				return prepare(sql).run(...params).changes;
			});
		},
		async insertMany(table, columns, rows) {
			await insertInChunks(table, columns, rows, async (sql, params: SqlValue[]) => wrap(() => prepare(sql).run(...params)));
		},
	};

	let inTransaction = false;
	return {
		dialect: 'sqlite',
		...queryable,
		async transaction(work, options = {}) {
			if (inTransaction) {
				throw new Error('nested store transaction');
			}

			// IMMEDIATE takes the write lock at once: a writer never finds it taken halfway (and busy_timeout waits for it).
			wrap(() => database.exec(options.exclusive ? 'BEGIN EXCLUSIVE' : 'BEGIN IMMEDIATE'));
			inTransaction = true;
			try {
				const result = await work(queryable);
				wrap(() => database.exec('COMMIT'));
				return result;
			} catch (error) {
				if (database.inTransaction) {
					database.exec('ROLLBACK');
				}

				throw error;
			} finally {
				inTransaction = false;
			}
		},
		async close() {
			statements.clear();
			database.close();
		},
	};
}
