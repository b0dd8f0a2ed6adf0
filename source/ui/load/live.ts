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
	 * Writes the transcript (secrets redacted) and resolves to the path written; rejects with an Error whose
	 * message says why not. Called with `meta.savePath` set when the run ends (the leaderboard shows the
	 * outcome), and on `w` (the callback picks the path: `meta.savePath`, else `llmrace-load-YYYYMMDD-HHMMSS.json`).
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
		// --save: written when the run ends, stopped or not, before anything else can go wrong.
		let message: LoadMessage | null = transcript.aborted ? {text: 'load stopped: the figures cover what arrived', tone: 'warn'} : null;
		if (meta.savePath !== null && options.save) {
			message = await options.save(transcript).then(
				path => ({text: `saved ${path}${transcript.aborted ? ' (stopped: the figures cover what arrived)' : ''}`, tone: 'ok' as const}),
				(error: unknown) => ({text: `${error instanceof Error ? error.message : String(error)} · press w to try again`, tone: 'error' as const}),
			);
		}

		if (signalled || quit) {
			if (message?.tone === 'error') {
				process.stderr.write(`llmrace: ${message.text.replace(' · press w to try again', '')}\n`);
			}

			return {transcript, signalled};
		}

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
