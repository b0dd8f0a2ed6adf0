// The PostgreSQL side of the store: node-postgres (`pg`), a small pool and real transactions, for a team's
// shared database where races from several machines and regions meet. A server that does not answer within
// 5 s counts as a store that cannot be written. The password comes from the URL, PGPASSWORD or ~/.pgpass
// (pg reads the last two itself) and never appears in a message.
import type pg from 'pg';
import {insertInChunks, type Driver, type Queryable, type SqlValue} from './driver.js';
import {StoreError, oneLine} from './errors.js';

export const connectTimeoutMs = 5000;

/** `?` placeholders as PostgreSQL's `$1, $2…` (the store's SQL has no `?` inside a string). */
export function numberPlaceholders(sql: string): string {
	let next = 0;
	return sql.replaceAll('?', () => `$${++next}`);
}

/** What a PostgreSQL failure means, in one line, the password taken out. */
export function describePostgresError(error: unknown, password: string | null): string {
	const {code} = error as {code?: string};
	const text = oneLine(error, password);
	switch (code) {
		case '28P01':
		case '28000': {
			return `the server refused the login (${text}): check the user, and the password in PGPASSWORD or ~/.pgpass`;
		}

		case '3D000': {
			return `no such database (${text})`;
		}

		case 'ECONNREFUSED': {
			return 'connection refused: is PostgreSQL running there?';
		}

		case 'ENOTFOUND':
		case 'EAI_AGAIN': {
			return `the server's name does not resolve (${code})`;
		}

		default: {
			return /timeout/i.test(text) ? `no answer within ${connectTimeoutMs / 1000} s` : text;
		}
	}
}

function toRows(result: pg.QueryResult): Array<Record<string, unknown>> {
	return result.rows as Array<Record<string, unknown>>;
}

function queryableOf(client: pg.Pool | pg.PoolClient, fail: (error: unknown) => never): Queryable {
	const query = async (sql: string, params: readonly SqlValue[]) => {
		try {
			return await client.query(numberPlaceholders(sql), params as SqlValue[]);
		} catch (error) {
			return fail(error);
		}
	};

	return {
		async all(sql, params = []) {
			return toRows(await query(sql, params));
		},
		async run(sql, params = []) {
			return (await query(sql, params)).rowCount ?? 0;
		},
		async insertMany(table, columns, rows) {
			await insertInChunks(table, columns, rows, async (sql, params) => query(sql, params));
		},
	};
}

/** Every store's exclusive transaction (the schema's migrations) takes this advisory lock. */
const migrationLock = 0x6c_6c_6d_72; // "llmr"

export async function openPostgres(url: string, display: string, password: string | null): Promise<Driver> {
	let Pool: typeof pg.Pool;
	try {
		const module = await import('pg');
		// DOUBLE PRECISION and BIGINT come back as numbers, as SQLite gives them.
		module.default.types.setTypeParser(module.default.types.builtins.INT8, value => Number(value));
		module.default.types.setTypeParser(module.default.types.builtins.NUMERIC, value => Number(value));
		Pool = module.default.Pool;
	} catch (error) {
		throw new StoreError(`the PostgreSQL driver (pg) cannot load: ${oneLine(error)}`);
	}

	const fail = (error: unknown): never => {
		throw error instanceof StoreError ? error : new StoreError(`${display}: ${describePostgresError(error, password)}`);
	};

	const pool = new Pool({connectionString: url, connectionTimeoutMillis: connectTimeoutMs, max: 4, idleTimeoutMillis: 1000, query_timeout: 60_000});
	// A server that goes away between queries must not crash the process: the next query says so.
	pool.on('error', () => undefined);
	try {
		const client = await pool.connect();
		client.release();
	} catch (error) {
		await pool.end().catch(() => undefined);
		fail(error);
	}

	return {
		dialect: 'postgres',
		...queryableOf(pool, fail),
		async transaction(work, options = {}) {
			let client: pg.PoolClient;
			try {
				client = await pool.connect();
			} catch (error) {
				return fail(error);
			}

			client.on('error', () => undefined);
			const tx = queryableOf(client, fail);
			try {
				await tx.run('BEGIN');
				if (options.exclusive) {
					await tx.run(`SELECT pg_advisory_xact_lock(${migrationLock})`);
				}

				const result = await work(tx);
				await tx.run('COMMIT');
				return result;
			} catch (error) {
				await client.query('ROLLBACK').catch(() => undefined);
				throw error;
			} finally {
				client.release();
			}
		},
		async close() {
			await pool.end();
		},
	};
}
