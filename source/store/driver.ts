// What the store needs of a database, the same for SQLite and PostgreSQL: statements with `?` placeholders,
// transactions, a multi-row insert. sqlite.ts and postgres.ts implement it; the SQL itself lives in schema.ts and store.ts.

export type SqlValue = string | number | null;

export type Row = Readonly<Record<string, unknown>>;

export type Queryable = {
	/** Rows of a SELECT. */
	all(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
	/** A statement without rows; the number of rows it changed. */
	run(sql: string, params?: readonly SqlValue[]): Promise<number>;
	/** One INSERT of many rows (split in chunks so no statement passes the drivers' parameter limits). */
	insertMany(table: string, columns: readonly string[], rows: ReadonlyArray<readonly SqlValue[]>): Promise<void>;
};

export type Driver = Queryable & {
	readonly dialect: 'sqlite' | 'postgres';
	/**
	 * Everything `work` does commits together or not at all. `exclusive`: the whole store is locked for
	 * the duration (the schema's migrations), so two processes opening a new store at once migrate it once.
	 */
	transaction<T>(work: (tx: Queryable) => Promise<T>, options?: {readonly exclusive?: boolean}): Promise<T>;
	close(): Promise<void>;
};

/** Most parameters in one statement: under SQLite's 32,766 and PostgreSQL's 65,535. */
const maxParameters = 30_000;

/** `INSERT INTO t (a, b) VALUES (?, ?), (?, ?)…` in chunks, each run by `execute`. */
export async function insertInChunks(
	table: string,
	columns: readonly string[],
	rows: ReadonlyArray<readonly SqlValue[]>,
	execute: (sql: string, params: SqlValue[]) => Promise<unknown>,
): Promise<void> {
	if (rows.length === 0) {
		return;
	}

	const perChunk = Math.max(1, Math.floor(maxParameters / columns.length));
	const tuple = `(${columns.map(() => '?').join(', ')})`;
	for (let start = 0; start < rows.length; start += perChunk) {
		const chunk = rows.slice(start, start + perChunk);
		const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => tuple).join(', ')}`;
		await execute(sql, chunk.flat());
	}
}
