// The live race: the command's side. It opens the race screen as soon as the models are known,
// runs the race, then the leaderboard, saves when asked, races again, and says the exit code.
// The UI (ui/race/screen.ts, ui/board/show-results.tsx) only draws and maps keys; it asks for saving through `save`.
import {performance} from 'node:perf_hooks';
import process from 'node:process';
import {loadCellWidths} from '../core/text/cells.js';
import type {SortKey} from '../core/stats/ranking.js';
import type {Race, RaceSnapshot} from '../core/race/race.js';
import type {BracketName, Transcript} from '../core/types.js';
import {benchProbe, type BenchProbe} from '../runtime/bench-probe.js';
import {settleHeap} from '../runtime/heap.js';
import type {RaceConfig} from '../options.js';
import {openKeyboard} from '../runtime/keyboard.js';
import {onStopSignal} from '../runtime/signals.js';
import type {RaceMeta} from '../ui/race/frame.js';
import {openRaceScreen, releaseKeys, type RaceScreen} from '../ui/race/screen.js';
import type {Message, ResultsView} from '../ui/board/show-results.js';
import {queuedSnapshot} from '../worker/remote-race.js';
import {yieldToStamping} from '../runtime/priority.js';
import {exitCodeOf} from './exit-code.js';
import {createSaver} from './saver.js';
import {recordInHistory, type HistorySettings} from './history.js';
import {openSession, type SessionPlan} from './session.js';
import {noColorFrom} from '../ui/theme.js';

/** SIGTERM, SIGHUP (and SIGINT when the terminal is not in raw mode), from the first frame on. */
function listenForStop() {
	let code = 0;
	const handlers = new Set<() => void>();
	const stopListening = onStopSignal(signalCode => {
		if (code) {
			return;
		}

		code = signalCode;
		for (const handler of handlers) {
			handler();
		}
	});
	return {
		code: () => code,
		/** Run `handler` on the signal; returns the function that forgets it. */
		on(handler: () => void): () => void {
			handlers.add(handler);
			return () => handlers.delete(handler);
		},
		close: stopListening,
	};
}

type StopSignals = ReturnType<typeof listenForStop>;

export type LiveOptions = {
	readonly meta: RaceMeta;
	readonly start?: (() => Race) | undefined;
	readonly initialTranscript?: Transcript | undefined;
	readonly savePath: string | null;
	readonly autoSave: boolean;
	readonly secrets: readonly string[];
	readonly sort: SortKey;
	readonly bracket: BracketName | null;
	readonly runs: number;
	readonly maxFps: number;
	/** A race screen already showing the queued race: the first race runs on it. */
	readonly screen?: RaceScreen | undefined;
	readonly signals?: StopSignals | undefined;
	/** What the benchmarks asked to be told (runtime/bench-probe.ts), already counting the open screen's frames. */
	readonly probe?: BenchProbe | undefined;
	/** What this thread loads before a race (`prepareRace`), when it has already begun. */
	readonly prepared?: Promise<void> | undefined;
	/** Each race that finished (a new race, never a file shown or replayed): the history records it. */
	readonly onRaceDone?: ((transcript: Transcript) => void) | undefined;
};

type LeaderboardModule = typeof import('../ui/board/show-results.js');

/**
 * What this thread needs before the race, never during it: string-width, which every frame after the
 * first may need (core/text/cells.ts), then one full collection of this thread's heap (runtime/heap.ts):
 * left alone, the garbage of all the loading was collected during the race, by V8 helper threads that
 * compete with the engine's worker. It begins while the engine's threads warm up, and the race does not
 * wait for it: the race starts as soon as the engine is ready, and its frames (after the first, queued
 * one) are drawn once this is done. Waiting for it held the first request back by 20–60 ms on a 2-core
 * machine, whenever the engine was ready first. Measured (npm run bench -- ui, 15 × 200 tok/s, three
 * rounds each, interleaved): TTFT error p99 4.0–4.9 ms with the collection, 7.2–12.6 ms without.
 *
 * The leaderboard's module (Ink and React, ~460 ms to import on this project's 2-core machine) is not
 * loaded here: it loads once the race has ended, its last frame still on screen (`loadLeaderboard`).
 * Loaded before the race it held the first request back by that much; loaded beside the race's start,
 * it took the CPU from the first tokens (the 32 × 200 tok/s live bench: chunk-time error p99
 * 11.7–25.7 ms, against 7.6–12.7 ms).
 */
async function prepareRace(): Promise<void> {
	await loadCellWidths();
	settleHeap();
}

const loadLeaderboard = async (): Promise<LeaderboardModule> => import('../ui/board/show-results.js');

/** The race screen, then the leaderboard, until the user quits (or a signal arrives). */
export async function runLiveLoop(options: LiveOptions): Promise<{transcript: Transcript | undefined; signalled: number}> {
	const keyboard = openKeyboard() ?? undefined;
	const interactive = keyboard !== undefined;
	const noColor = noColorFrom(process.env);
	const signals = options.signals ?? listenForStop();
	// Drawing yields to measuring: the UI thread's priority is lowered (the engine's threads were started before).
	await yieldToStamping();
	let last: Transcript | undefined = options.initialTranscript;
	let current: Race | undefined;
	let screen = options.screen;
	let results: ResultsView | undefined;
	const save = createSaver(options.savePath, options.secrets);
	const probe = options.probe ?? benchProbe();
	// Stop the race, keep (and save) what arrived, leave.
	const forget = signals.on(() => {
		current?.abort();
		results?.close();
	});
	let raceNext = last === undefined && options.start !== undefined;
	// Before a race, what this thread needs goes on while the race's first requests leave (`start` first);
	// without one, it is needed now.
	let prepared = options.prepared;
	if (!raceNext) {
		await (prepared ??= prepareRace());
	}

	let leaderboard: Promise<LeaderboardModule> | undefined;
	const loadBoard = async () => (leaderboard ??= loadLeaderboard());
	let lanes = false;
	let message: Message | null = null;
	try {
		while (!signals.code()) {
			if (raceNext && options.start) {
				current = options.start();
				probe.raceStarted(current, screen !== undefined);
				// No frame is drawn before this: the first one (queued) stays on screen meanwhile.
				await (prepared ??= prepareRace());
				screen ??= openRaceScreen(
					{
						meta: options.meta,
						runs: options.runs,
						maxFps: options.maxFps,
						noColor,
						interactive,
						lanes,
						stdin: keyboard,
						onBuild: probe.onBuild,
						onWrite: probe.onWrite,
					},
					current.snapshot(),
				);
				// The leaderboard's module loads once the race has ended, while its last frame is shown
				// (not when a signal stopped the race: the process is leaving).
				const shown = await screen.run(current, async () => (signals.code() ? undefined : loadBoard()));
				probe.raceEnded();
				screen = undefined;
				current = undefined;
				lanes = shown.lanes;
				last = shown.transcript;
				options.onRaceDone?.(last);
				message = null;
				if (options.autoSave) {
					const outcome = save(last);
					message = {text: outcome.message, tone: outcome.ok ? 'ok' : 'error'};
				} else if (last.aborted) {
					message = {text: 'race stopped: the figures cover what arrived', tone: 'warn'};
				}

				if (signals.code() || shown.quit) {
					break;
				}
			}

			if (!last) {
				break;
			}

			const {showResults} = await loadBoard();
			results = showResults({
				meta: options.meta,
				transcript: last,
				save,
				message,
				canRaceAgain: options.start !== undefined,
				sort: options.sort,
				bracket: options.bracket,
				runs: options.runs,
				maxFps: options.maxFps,
				noColor,
				interactive,
				stdin: keyboard,
			});
			const choice = await results.choice;
			results = undefined;
			if (choice !== 'race-again') {
				break;
			}

			raceNext = true;
		}
	} finally {
		forget();
		if (!options.signals) {
			signals.close();
		}

		// Never leave sockets open behind the UI, nor the terminal in the alternate screen or in raw mode
		// (the race screen hands raw mode over to the leaderboard, which may not have come).
		current?.abort();
		screen?.close();
		releaseKeys(keyboard);
	}

	probe.finish();
	return {transcript: last, signalled: signals.code()};
}

/** The header of a race: the preset (or the server's host), and a warning when TLS is not checked. */
export function raceMeta(prompt: string, presetName: string, simulated: boolean, config: RaceConfig): RaceMeta {
	return {prompt, preset: `${presetName}${config.insecure ? ' · TLS NOT CHECKED (--insecure)' : ''}`, simulated, region: config.region};
}

/** The queued race, drawn while the engine warms up: no t0, no clock of the engine's. */
function previewOf(plan: SessionPlan): RaceSnapshot {
	return queuedSnapshot({models: plan.models, settings: plan.settings, preset: {brackets: plan.preset.brackets}}, performance.now());
}

/** `llmrace [prompt]` on a terminal. */
export async function runLive(prompt: string, config: RaceConfig, history: HistorySettings): Promise<number> {
	const signals = listenForStop();
	const probe = benchProbe();
	// The history's lines wait until the terminal is the shell's again: stderr under Ink would tear the screen.
	const recordings: Array<Promise<string[]>> = [];
	let screen: RaceScreen | undefined;
	let prepared: Promise<void> | undefined;
	const forget = signals.on(() => {
		screen?.close();
	});
	try {
		const session = await openSession(prompt, config, 'worker', process.env, {
			onPlanned(plan) {
				// The first frame: header and queued panels, while the worker, simulator and tokenizer warm up.
				screen = openRaceScreen(
					{
						meta: raceMeta(prompt, plan.preset.name, plan.simulated, config),
						runs: config.runs,
						maxFps: config.maxFps,
						noColor: noColorFrom(process.env),
						interactive: openKeyboard() !== null,
						stdin: openKeyboard() ?? undefined,
						lanes: false,
						onBuild: probe.onBuild,
						onWrite: probe.onWrite,
					},
					previewOf(plan),
				);
				// Then the rest of what this thread needs, while the engine still warms up.
				prepared = new Promise(resolve => {
					setImmediate(() => {
						resolve(prepareRace());
					});
				});
			},
		});
		forget();
		try {
			const {transcript, signalled} = await runLiveLoop({
				meta: raceMeta(prompt, session.preset.name, session.simulated, config),
				start: () => session.start(),
				savePath: config.save,
				autoSave: config.save !== null,
				secrets: session.secrets,
				sort: config.sort,
				bracket: config.bracket,
				runs: config.runs,
				maxFps: config.maxFps,
				screen,
				signals,
				probe,
				prepared,
				onRaceDone(finished) {
					// Quiet: a long migration's progress line would be drawn over the leaderboard.
					recordings.push(recordInHistory({kind: 'race', transcript: finished}, history, process.env, {quiet: true}));
				},
			});
			for (const line of (await Promise.all(recordings)).flat()) {
				process.stderr.write(`${line}\n`);
			}

			return exitCodeOf(transcript, signalled);
		} finally {
			await session.close();
		}
	} catch (error) {
		// A start that failed after the first frame: the terminal first, then the error.
		screen?.close();
		throw error;
	} finally {
		forget();
		signals.close();
	}
}
