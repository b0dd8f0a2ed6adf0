// Where the history store is (docs/history.md "Where"): `--db`, else LLMRACE_DB, else an SQLite file under
// $XDG_DATA_HOME/llmrace/ (default ~/.local/share/llmrace/). Pure: the environment is passed in.
import {homedir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {StoreError} from './errors.js';

export type StoreLocation =
	| {readonly kind: 'sqlite'; readonly path: string; readonly display: string}
	| {
			readonly kind: 'postgres';
			readonly url: string;
			/** The URL without its password: the only form ever printed. */
			readonly display: string;
			/** The password given in the URL, to keep out of every message (PGPASSWORD and ~/.pgpass are pg's to read). */
			readonly password: string | null;
	  };

/** `$XDG_DATA_HOME/llmrace/history.sqlite`, with XDG's default when the variable is unset, empty or relative. */
export function defaultSqlitePath(env: NodeJS.ProcessEnv): string {
	const xdg = env['XDG_DATA_HOME'];
	const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(env['HOME'] || homedir(), '.local', 'share');
	return path.join(base, 'llmrace', 'history.sqlite');
}

/** A path for display: the home folder as `~`. */
function tildePath(file: string, env: NodeJS.ProcessEnv): string {
	const home = env['HOME'] || homedir();
	return home && file.startsWith(`${home}${path.sep}`) ? `~${file.slice(home.length)}` : file;
}

function postgresLocation(value: string, origin: string): StoreLocation {
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		throw new StoreError(`invalid ${origin}: not a URL (expected postgres://user@host:5432/database or sqlite:<path>)`, 'usage');
	}

	const password = url.password ? decodeURIComponent(url.password) : null;
	const shown = new URL(value);
	if (shown.password) {
		shown.password = '***';
	}

	return {kind: 'postgres', url: value, display: shown.toString(), password};
}

/**
 * The store named by `--db` (flag), else LLMRACE_DB, else the default SQLite file. `sqlite:<path>`
 * (relative paths from the current folder), `postgres://…` or `postgresql://…`; anything else is a usage error.
 */
export function resolveStoreLocation(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string = process.cwd()): StoreLocation {
	const given = flag ?? (env['LLMRACE_DB'] || undefined);
	if (given === undefined) {
		const file = defaultSqlitePath(env);
		return {kind: 'sqlite', path: file, display: tildePath(file, env)};
	}

	const origin = flag === undefined ? 'LLMRACE_DB' : '--db';
	if (/^postgres(ql)?:\/\//i.test(given)) {
		return postgresLocation(given, origin);
	}

	if (given.toLowerCase().startsWith('sqlite:')) {
		const rest = given.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
		if (!rest) {
			throw new StoreError(`invalid ${origin}: "sqlite:" names no file (expected sqlite:<path>)`, 'usage');
		}

		const file = path.resolve(cwd, rest);
		return {kind: 'sqlite', path: file, display: tildePath(file, env)};
	}

	const shown = given.replace(/:[^:@/]*@/, ':***@');
	throw new StoreError(`invalid ${origin}: "${shown}" (expected sqlite:<path> or postgres://user@host:5432/database)`, 'usage');
}
