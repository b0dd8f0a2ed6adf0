// Recording finished races and load runs in the history store (docs/history.md). On by default, said once
// (the first time, on stderr); off with --no-history or LLMRACE_NO_HISTORY=1. A store that cannot be
// written loses nothing — the race is printed and saved as ever — and costs one line; the exit code stays.
import {hostname} from 'node:os';
import process from 'node:process';
import type {LoadTranscript} from '../core/load/types.js';
import {transcriptIdentity} from '../core/transcript/identity.js';
import type {Transcript} from '../core/types.js';
import {StoreError, oneLine} from '../store/errors.js';
import {resolveStoreLocation, type StoreLocation} from '../store/location.js';

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

/**
 * Record one finished race or load run. Returns the lines to say on stderr (none when all went well and
 * the store was not new); never throws.
 */
export async function recordInHistory(
	run: {readonly kind: 'race'; readonly transcript: Transcript} | {readonly kind: 'load'; readonly transcript: LoadTranscript},
	settings: HistorySettings,
	env: NodeJS.ProcessEnv = process.env,
): Promise<string[]> {
	if (!settings.enabled) {
		return [];
	}

	let location: StoreLocation | undefined;
	try {
		location = resolveStoreLocation(settings.db, env);
		const {openStore} = await import('../store/store.js');
		const store = await openStore(location);
		let first = false;
		try {
			first = !(await store.hasRaces());
			const id = transcriptIdentity(run.transcript);
			const host = hostLabelOf(env);
			await (run.kind === 'race' ? store.recordRace(id, run.transcript, host) : store.recordLoad(id, run.transcript, host));
		} finally {
			await store.close().catch(() => undefined);
		}

		return first ? [recordingNotice(location)] : [];
	} catch (error) {
		const reason =
			error instanceof StoreError
				? error.message
				: `${location?.display ?? 'the store'}: ${oneLine(error, location?.kind === 'postgres' ? location.password : null)}`;
		return [`llmrace: history: this ${run.kind === 'race' ? 'race' : 'load run'} was not recorded (${reason}); nothing else is lost`];
	}
}
