// Recording finished races and load runs in the history store (docs/history.md). On by default, said once
// (the first time, on stderr); off with --no-history or LLMRACE_NO_HISTORY=1. A store that cannot be
// written loses nothing — the race is printed and saved as ever — and costs one line; the exit code stays.
import {existsSync} from 'node:fs';
import {hostname} from 'node:os';
import process from 'node:process';
import type {LoadTranscript} from '../core/load/types.js';
import {transcriptIdentity} from '../core/transcript/identity.js';
import type {Transcript} from '../core/types.js';
import {StoreError, oneLine} from '../store/errors.js';
import {resolveStoreLocation, type StoreLocation} from '../store/location.js';
import type {HistoryStore} from '../store/store.js';
import {migrationProgress} from './migration-progress.js';

export type HistorySettings = {
	readonly enabled: boolean;
	/** `--db`, when given (else LLMRACE_DB, else the default SQLite file). */
	readonly db: string | undefined;
};

const truthy = (value: string | undefined) => value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';

/** Whether this command line records, and where (the `--db` flag is checked here: a bad one is a usage error). */
export function historySettings(flags: {readonly history?: boolean | undefined; readonly db?: string | undefined}, env: NodeJS.ProcessEnv): HistorySettings {
	if (flags.db !== undefined) {
		resolveStoreLocation(flags.db, env);
	}

	return {enabled: flags.history !== false && !truthy(env['LLMRACE_NO_HISTORY']), db: flags.db};
}

/** The machine's label in the store: LLMRACE_HOST, else the host name. */
export function hostLabelOf(env: NodeJS.ProcessEnv): string {
	return env['LLMRACE_HOST']?.trim() || hostname();
}

export function recordingNotice(location: StoreLocation): string {
	return `llmrace: history: recording every race in ${location.display} (prompts included; see them with \`llmrace history\`); turn it off with --no-history or LLMRACE_NO_HISTORY=1`;
}

type Recordable = {readonly kind: 'race'; readonly transcript: Transcript} | {readonly kind: 'load'; readonly transcript: LoadTranscript};

/**
 * The store opened ahead of a run, or why it could not be; `deferred`: an SQLite store that does not exist
 * yet, created only when there is a run to record in it (a run that fails first leaves no file behind).
 */
type Opened =
	| {readonly store: HistoryStore; readonly location: StoreLocation; readonly first: boolean}
	| {readonly deferred: StoreLocation}
	| {readonly error: unknown; readonly location?: StoreLocation};

export type RecorderOptions = {
	/** Say nothing of a long migration on stderr: a live screen is drawn there (the race's leaderboard). */
	readonly quiet?: boolean;
};

export type HistoryRecorder = {
	/**
	 * Record the finished race or load run, then close the store. Returns the lines to say on stderr (none
	 * when all went well and the store was not new); never throws.
	 */
	record(run: Recordable): Promise<string[]>;
	/** Close the store without recording (the run never finished). */
	cancel(): Promise<void>;
	/**
	 * Settles when opening the store no longer needs this thread (SQLite: open; PostgreSQL: its driver
	 * loaded, the connection under way), or failed: await it before the run's first request.
	 */
	ready(): Promise<void>;
};

/**
 * Open the store; `loaded` is called once nothing more of the opening runs on this thread for long: for
 * SQLite (a synchronous driver) when it is open, for PostgreSQL once its driver is loaded (the connection
 * then waits on the network, not on this thread).
 */
async function openAhead(settings: HistorySettings, env: NodeJS.ProcessEnv, loaded: () => void, options: RecorderOptions): Promise<Opened> {
	let location: StoreLocation | undefined;
	try {
		location = resolveStoreLocation(settings.db, env);
		const {loadRecordingCode, openStore} = await import('../store/store.js');
		await loadRecordingCode();
		if (location.kind === 'postgres') {
			await import('pg').catch(() => undefined);
			loaded();
		} else if (!existsSync(location.path)) {
			// Its driver loads now all the same (the cost of a new store is then its few tables, at the end).
			(await import('../store/sqlite.js')).preloadSqlite();
			return {deferred: location};
		}

		const store = await openStore(location, options.quiet ? {} : {progress: migrationProgress(location.display)});
		try {
			return {store, location, first: !(await store.hasRaces())};
		} catch (error) {
			await store.close().catch(() => undefined);
			throw error;
		}
	} catch (error) {
		return {error, location};
	}
}

/** A deferred store opened (created) now that there is a run to record. */
async function openDeferred(opened: Opened): Promise<Exclude<Opened, {deferred: StoreLocation}>> {
	if (!('deferred' in opened)) {
		return opened;
	}

	const location = opened.deferred;
	try {
		const {openStore} = await import('../store/store.js');
		return {store: await openStore(location), location, first: true};
	} catch (error) {
		return {error, location};
	}
}

function notRecorded(run: Recordable, error: unknown, location: StoreLocation | undefined): string {
	const reason =
		error instanceof StoreError
			? error.message
			: `${location?.display ?? 'the store'}: ${oneLine(error, location?.kind === 'postgres' ? location.password : null)}`;
	return `llmrace: history: this ${run.kind === 'race' ? 'race' : 'load run'} was not recorded (${reason}); nothing else is lost`;
}

/**
 * Start opening the store now — loading its driver, opening and migrating it — so that when the run ends
 * only its rows remain to be written (docs/history.md "Cost"). Start it before the run's first request,
 * never during it: opening SQLite blocks this thread for a moment. Disabled: a recorder that does nothing.
 */
export function startRecorder(settings: HistorySettings, env: NodeJS.ProcessEnv = process.env, options: RecorderOptions = {}): HistoryRecorder {
	if (!settings.enabled) {
		return {record: async () => [], cancel: async () => undefined, ready: async () => undefined};
	}

	let loaded!: () => void;
	const driverLoaded = new Promise<void>(resolve => {
		loaded = resolve;
	});
	const opening = openAhead(settings, env, loaded, options).finally(loaded);
	let used = false;
	return {
		async record(run) {
			if (used) {
				throw new Error('a history recorder records one run');
			}

			used = true;
			const opened = await openDeferred(await opening);
			if ('error' in opened) {
				return [notRecorded(run, opened.error, opened.location)];
			}

			const {store, location, first} = opened;
			try {
				const id = transcriptIdentity(run.transcript);
				const host = hostLabelOf(env);
				await (run.kind === 'race' ? store.recordRace(id, run.transcript, host) : store.recordLoad(id, run.transcript, host));
				return first ? [recordingNotice(location)] : [];
			} catch (error) {
				return [notRecorded(run, error, location)];
			} finally {
				await store.close().catch(() => undefined);
			}
		},
		async ready() {
			await driverLoaded;
		},
		async cancel() {
			if (used) {
				return;
			}

			used = true;
			const opened = await opening;
			if ('store' in opened) {
				await opened.store.close().catch(() => undefined);
			}
		},
	};
}

/** Record one finished race or load run, opening the store now. Returns the lines to say on stderr; never throws. */
export async function recordInHistory(
	run: Recordable,
	settings: HistorySettings,
	env: NodeJS.ProcessEnv = process.env,
	options: RecorderOptions = {},
): Promise<string[]> {
	return startRecorder(settings, env, options).record(run);
}
