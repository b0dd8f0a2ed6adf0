// A new SQLite store, created whole (docs/history.md "Where"): made and migrated under a temporary name
// beside where it goes, then linked into place, so no process leaves an empty or half-made store behind.
import {linkSync, readdirSync, renameSync, rmSync} from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {StoreError} from './errors.js';
import {migrate} from './schema.js';

/** A store being created, beside where it will be: `<store>.creating-<pid>` (createSqlite). */
const creatingSuffix = '.creating-';

/** What a process that died while creating a store left (its pid no longer runs): removed before creating anew. */
function removeAbandonedCreations(file: string): void {
	const folder = path.dirname(file);
	const prefix = `${path.basename(file)}${creatingSuffix}`;
	let names: string[];
	try {
		names = readdirSync(folder);
	} catch {
		return;
	}

	for (const name of names) {
		const pid = Number.parseInt(name.slice(prefix.length), 10);
		if (!name.startsWith(prefix) || !Number.isInteger(pid) || pid === process.pid) {
			continue;
		}

		try {
			process.kill(pid, 0);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ESRCH') {
				rmSync(path.join(folder, name), {force: true});
			}
		}
	}
}

/**
 * A new SQLite store comes into being whole (docs/history.md "Where"): created and migrated under a
 * temporary name beside it, closed (its WAL folded in), then linked into place. So no process, however it
 * ends, leaves an empty or half-made store where there was none; two creating at once: the first in wins,
 * and the other opens it. Returns whether this process's store is the one in place.
 */
export async function createSqlite(file: string, display: string, openSqlite: typeof import('./sqlite.js').openSqlite): Promise<boolean> {
	removeAbandonedCreations(file);
	const temporary = `${file}${creatingSuffix}${process.pid}`;
	try {
		const driver = await openSqlite(temporary, display);
		try {
			await migrate(driver, display);
		} finally {
			await driver.close();
		}

		try {
			linkSync(temporary, file);
			return true;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
				return false;
			}

			// A file system without hard links: a rename, which only another creation a moment earlier could race.
			renameSync(temporary, file);
			return true;
		}
	} catch (error) {
		throw error instanceof StoreError ? error : new StoreError(`cannot create ${display}: ${describeFsError(error)}`);
	} finally {
		for (const leftover of ['', '-wal', '-shm', '-journal']) {
			rmSync(`${temporary}${leftover}`, {force: true});
		}
	}
}

const describeFsError = (error: unknown) => {
	const code = (error as NodeJS.ErrnoException).code;
	return code === 'EACCES' || code === 'EROFS' || code === 'EPERM' ? `cannot write there (read-only or no permission: ${code})` : (error as Error).message;
};
