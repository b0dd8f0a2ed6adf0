// The leaderboard after a race (Ink): mount it, report what the user asked for, unmount. It only draws
// and maps keys; saving, racing again and the exit code are the command's (session/live.ts).
import {render, type Instance} from 'ink';
import type {SortKey} from '../../core/stats/ranking.js';
import type {BracketName, Transcript} from '../../core/types.js';
import {App, type Message, type SaveOutcome} from './app.js';
import type {RaceMeta} from '../header.js';
import {holdKeys} from '../race/screen.js';

export type {Message, SaveOutcome} from './app.js';

export type ResultsOptions = {
	readonly meta: RaceMeta;
	readonly transcript: Transcript;
	/** `w`: the command saves and says what happened. */
	readonly save: (transcript: Transcript) => SaveOutcome;
	readonly message: Message | null;
	/** Whether `r` (race again) is offered. */
	readonly canRaceAgain: boolean;
	readonly sort: SortKey;
	readonly bracket: BracketName | null;
	readonly runs: number;
	readonly maxFps: number;
	readonly noColor: boolean;
	readonly interactive: boolean;
	/** The terminal (tests give their own); process.stdin and process.stdout by default. */
	readonly stdin?: NodeJS.ReadStream | undefined;
	readonly stdout?: NodeJS.WriteStream | undefined;
};

/** What the user chose on the leaderboard. */
export type ResultsChoice = 'race-again' | 'quit';

export type ResultsView = {
	readonly choice: Promise<ResultsChoice>;
	/** Leave now (a signal): the choice resolves to `quit`. */
	readonly close: () => void;
};

export function showResults(options: ResultsOptions): ResultsView {
	const stdin = options.stdin ?? process.stdin;
	const stdout = options.stdout ?? process.stdout;
	let again = false;
	const onRaceAgain = options.canRaceAgain
		? () => {
				// The leaderboard makes way for the race screen: erase it, then leave Ink.
				again = true;
				app.clear();
				app.unmount();
				if (options.interactive) {
					holdKeys(stdin);
				}
			}
		: undefined;
	// The size is the terminal's at each (re)render: a resize re-renders at once, before Ink redraws (see clearOnNarrowing).
	const element = () => (
		<App
			meta={options.meta}
			transcript={options.transcript}
			save={options.save}
			message={options.message}
			sort={options.sort}
			bracket={options.bracket}
			runs={options.runs}
			noColor={options.noColor}
			interactive={options.interactive}
			size={{columns: stdout.columns || 80, rows: stdout.rows || 24}}
			onRaceAgain={onRaceAgain}
		/>
	);
	const app: Instance = render(element(), {exitOnCtrlC: false, maxFps: options.maxFps, patchConsole: false, stdin, stdout});
	const forgetResize = clearOnNarrowing(stdout, () => {
		app.rerender(element());
	});
	return {
		choice: app.waitUntilExit().then(() => {
			forgetResize();
			return again ? 'race-again' : 'quit';
		}),
		close() {
			forgetResize();
			app.unmount();
		},
	};
}

/**
 * When the terminal gets narrower, the lines the leaderboard drew at the old width are re-wrapped by
 * the terminal into more rows than Ink knows of, and Ink's own resize handler redraws the old tree
 * (still as wide as before) once more: Ink erases as many rows as it drew and the rest stays on screen
 * (a second header, stray half lines). So this listener runs before Ink's: it clears the visible screen,
 * sends the cursor home and re-renders at the new size (`rerender`, synchronous): Ink then redraws
 * only the new frame, from the top. Returns the function that stops listening.
 */
export function clearOnNarrowing(stdout: NodeJS.WriteStream, rerender: () => void): () => void {
	let columns = stdout.columns;
	const onResize = () => {
		if (stdout.columns < columns) {
			stdout.write('\u001B[2J\u001B[H');
		}

		columns = stdout.columns;
		rerender();
	};

	stdout.prependListener('resize', onResize);
	return () => {
		stdout.off('resize', onResize);
	};
}
