// The entry point of a live load run (docs/load.md): the live view while the run lasts, then the load
// leaderboard until the user quits. The engine (commands/load) calls it with the run already started and
// never waits for it: the view samples `run.snapshot()` on its own timer and calls `run.stop()` on q/Esc/Ctrl-C.
// Saving is file I/O, which ui/ does not do: the caller passes `save`.
import process from 'node:process';
import type {LoadMeta, LoadRun, LoadTranscript} from '../../core/load/types.js';
import {defaultLoadSort, type LoadSortKey} from '../../core/stats/load-ranking.js';
import {loadCellWidths} from '../../core/text/cells.js';
import type {BracketName} from '../../core/types.js';
import {onStopSignal} from '../../runtime/signals.js';
import {releaseKeys} from '../race/screen.js';
import {noColorFrom} from '../theme.js';
import type {LoadMessage, SaveLoad} from './board.js';
import {openLoadScreen, type LoadScreen} from './screen.js';

export type {SaveLoad} from './board.js';

export type LoadLiveOptions = {
	/**
	 * `w` on the leaderboard: writes the transcript (secrets redacted) and resolves to the path written, or
	 * rejects with an Error whose message says why not. The callback picks the path: `meta.savePath` (--save),
	 * else `llmrace-load-YYYYMMDD-HHMMSS.json`. Without it `w` says saving is not offered. (--save itself is
	 * the caller's, once this resolves, with the transcript it returns.)
	 */
	readonly save?: SaveLoad | undefined;
	/** The leaderboard's first order (`--sort`); by default `rate` after a sweep, else `ttfa`. */
	readonly sort?: LoadSortKey | undefined;
	readonly bracket?: BracketName | null | undefined;
	/** The terminal (tests give their own); process.stdin and process.stdout by default. */
	readonly stdin?: NodeJS.ReadStream | undefined;
	readonly stdout?: NodeJS.WriteStream | undefined;
};

/**
 * Show `run` live, then (when it ends or is stopped) the load leaderboard; resolves when the user quits,
 * with the transcript and the exit status a signal asked for (130 SIGINT, 143 SIGTERM, 129 SIGHUP; else 0).
 * On a signal the run is stopped, what arrived kept, and the view leaves without the leaderboard.
 */
export async function runLoadLive(run: LoadRun, meta: LoadMeta, options: LoadLiveOptions = {}): Promise<{transcript: LoadTranscript; signalled: number}> {
	const stdin = options.stdin ?? process.stdin;
	const interactive = stdin.isTTY === true;
	const noColor = noColorFrom(process.env);
	let signalled = 0;
	let screen: LoadScreen | undefined;
	let board: {close: () => void} | undefined;
	const stopListening = onStopSignal(code => {
		signalled ||= code;
		run.stop();
		screen?.close();
		board?.close();
	});
	try {
		await loadCellWidths();
		screen = openLoadScreen({meta, noColor, interactive, stdin, stdout: options.stdout}, run);
		const {transcript, quit} = await screen.done;
		screen = undefined;
		if (signalled || quit) {
			return {transcript, signalled};
		}

		const message: LoadMessage | null = transcript.aborted ? {text: 'load stopped: the figures cover what arrived', tone: 'warn'} : null;
		const {showLoadBoard} = await import('./show-board.js');
		const view = showLoadBoard({
			meta,
			transcript,
			save: options.save,
			message,
			sort: options.sort ?? defaultLoadSort(transcript),
			bracket: options.bracket ?? null,
			maxFps: meta.maxFps,
			noColor,
			interactive,
			stdin,
			stdout: options.stdout,
		});
		board = view;
		if (!signalled) {
			await view.done;
		}

		return {transcript, signalled};
	} finally {
		stopListening();
		screen?.close();
		releaseKeys(stdin);
	}
}
