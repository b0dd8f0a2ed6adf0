// The live UI: mount Ink, wire signals and saving, restore the terminal, return the exit code.
import {writeFileSync} from 'node:fs';
import {stat} from 'node:fs/promises';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import process from 'node:process';
import {getPriority, setPriority, tmpdir} from 'node:os';
import {render, type Instance} from 'ink';
import type {Session} from '../commands/session.js';
import {onStopSignal} from '../signals.js';
import type {Race} from '../core/race.js';
import type {Transcript} from '../core/types.js';
import {defaultTranscriptName} from '../io/save.js';
import {saveTranscript} from '../io/transcripts.js';
import {App, type Message, type SaveOutcome} from './app.js';
import type {RaceMeta} from './header.js';
import {showRace} from './race-screen.js';
import {noColorFrom} from './theme.js';
import type {SortKey} from '../core/leaderboard.js';
import type {BracketName} from '../core/types.js';

export type LiveOptions = {
	readonly meta: RaceMeta;
	readonly start?: Session['start'] | undefined;
	readonly initialTranscript?: Transcript | undefined;
	readonly savePath: string | null;
	readonly autoSave: boolean;
	readonly secrets: readonly string[];
	readonly sort: SortKey;
	readonly bracket: BracketName | null;
	readonly runs: number;
	readonly maxFps: number;
};

/**
 * Saving from the UI: to --save when given, else llmrace-YYYYMMDD-HHMMSS.json here.
 * When that fails the race stays in memory and the next `w` tries the temporary folder.
 */
export function createSaver(savePath: string | null, secrets: readonly string[]): (transcript: Transcript) => SaveOutcome {
	let fallback: string | null = null;
	return transcript => {
		const target = fallback ?? savePath ?? path.resolve(defaultTranscriptName(new Date()));
		const result = saveTranscript(transcript, target, secrets, null);
		if (result.ok) {
			fallback = null;
			return {ok: true, message: `saved ${result.path}`};
		}

		fallback = target.startsWith(tmpdir()) ? null : path.join(tmpdir(), defaultTranscriptName(new Date()));
		return {ok: false, message: `${result.error} · the race is kept: press w to save to ${fallback ?? target}`};
	};
}

/**
 * Drawing yields to measuring: lower the UI thread's scheduling priority. On Linux this
 * applies to the calling thread only, so the engine's and the simulator's worker threads,
 * started before, keep theirs and win the CPU when the cores are busy. Threads created
 * later inherit the lower priority: libuv's pool (DNS lookups, files), shared by every
 * thread, is made to exist first.
 */
async function yieldToEngine(): Promise<void> {
	await stat(process.cwd()).catch(() => undefined);
	try {
		setPriority(0, Math.min(19, getPriority(0) + 10));
	} catch {}
}

export async function runLiveApp(options: LiveOptions): Promise<{transcript: Transcript | undefined; signalled: number}> {
	const interactive = process.stdin.isTTY === true;
	await yieldToEngine();
	let last: Transcript | undefined = options.initialTranscript;
	let current: Race | undefined;
	let instance: Instance | undefined;
	const noColor = noColorFrom(process.env);
	const save = createSaver(options.savePath, options.secrets);
	// LLMRACE_UI_STATS=<file>: write frame and CPU counts of the last race there at exit (for the benchmark).
	const statsFile = process.env['LLMRACE_UI_STATS'];
	const stats = {built: 0, written: 0, raceSeconds: 0, cpuDuringRace: {user: 0, system: 0}};
	// SIGTERM, SIGHUP (and SIGINT when the terminal is not in raw mode): stop the race, keep and save what arrived, leave.
	let signalled = 0;
	const stopListening = onStopSignal(code => {
		if (signalled) {
			return;
		}

		signalled = code;
		current?.abort();
		instance?.unmount();
	});
	let lanes = false;
	let message: Message | null = null;
	let raceNext = last === undefined && options.start !== undefined;
	try {
		while (!signalled) {
			if (raceNext && options.start) {
				stats.built = 0;
				stats.written = 0;
				const startedAt = performance.now();
				const cpuAtStart = process.cpuUsage();
				current = options.start();
				const shown = await showRace({
					race: current, meta: options.meta, runs: options.runs, maxFps: options.maxFps, noColor, interactive, lanes,
					onBuild() {
						stats.built++;
					},
					onWrite() {
						stats.written++;
					},
				});
				stats.raceSeconds = (performance.now() - startedAt) / 1000;
				stats.cpuDuringRace = process.cpuUsage(cpuAtStart);
				current = undefined;
				lanes = shown.lanes;
				last = shown.transcript;
				message = null;
				if (options.autoSave) {
					const outcome = save(last);
					message = {text: outcome.message, tone: outcome.ok ? 'ok' : 'error'};
				} else if (last.aborted) {
					message = {text: 'race stopped: the figures cover what arrived', tone: 'warn'};
				}

				if (signalled || shown.quit) {
					break;
				}
			}

			if (!last) {
				break;
			}

			let again = false;
			const app: Instance = render(
				<App
					meta={options.meta}
					transcript={last}
					save={save}
					message={message}
					sort={options.sort}
					bracket={options.bracket}
					runs={options.runs}
					noColor={noColor}
					interactive={interactive}
					onRaceAgain={options.start ? () => {
						// The leaderboard makes way for the race screen: erase it, then leave Ink.
						again = true;
						app.clear();
						app.unmount();
					} : undefined}
				/>,
				{exitOnCtrlC: false, maxFps: options.maxFps, patchConsole: false},
			);
			instance = app;
			await app.waitUntilExit();
			instance = undefined;
			if (!again) {
				break;
			}

			raceNext = true;
		}
	} finally {
		stopListening();
		// Never leave sockets open behind the UI.
		current?.abort();
	}

	if (statsFile) {
		writeFileSync(statsFile, JSON.stringify({
			raceSeconds: stats.raceSeconds,
			framesPerSecond: stats.written / stats.raceSeconds,
			builtPerSecond: stats.built / stats.raceSeconds,
			cpuSecondsPerSecond: (stats.cpuDuringRace.user + stats.cpuDuringRace.system) / 1e6 / stats.raceSeconds,
		}));
	}

	return {transcript: last, signalled};
}

export async function runLive(session: Session): Promise<number> {
	const {config} = session;
	const {transcript, signalled} = await runLiveApp({
		meta: {prompt: session.prompt, preset: `${session.preset.name}${config.insecure ? ' · TLS NOT CHECKED (--insecure)' : ''}`, simulated: session.simulated, region: config.region},
		start: () => session.start(),
		savePath: config.save,
		autoSave: config.save !== null,
		secrets: session.secrets,
		sort: config.sort,
		bracket: config.bracket,
		runs: config.runs,
		maxFps: config.maxFps,
	});
	if (signalled) {
		return signalled;
	}

	return transcript && transcript.models.some(model => model.summary.ok > 0) ? 0 : 1;
}
