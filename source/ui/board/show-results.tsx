// The leaderboard after a race (Ink): mount it, report what the user asked for, unmount. It only draws
// and maps keys; saving, racing again and the exit code are the command's (session/live.ts).
import process from 'node:process';
import type {SortKey} from '../../core/stats/ranking.js';
import type {BracketName, Transcript} from '../../core/types.js';
import {App, type Message, type SaveOutcome} from './app.js';
import type {RaceMeta} from '../header.js';
import {mountScreen} from '../mount-screen.js';
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
	let again = false;
	const onRaceAgain = options.canRaceAgain
		? () => {
				// The leaderboard makes way for the race screen: erase it, then leave Ink.
				again = true;
				mounted.app.clear();
				mounted.app.unmount();
				if (options.interactive) {
					holdKeys(options.stdin ?? process.stdin);
				}
			}
		: undefined;
	// The size is the terminal's at each (re)render: a resize re-renders at once, before Ink redraws (see clearOnNarrowing).
	const mounted = mountScreen(
		size => (
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
				size={size}
				onRaceAgain={onRaceAgain}
			/>
		),
		{maxFps: options.maxFps, stdin: options.stdin, stdout: options.stdout, followResize: true},
	);
	return {
		choice: mounted.exited.then(() => (again ? 'race-again' : 'quit')),
		close: mounted.close,
	};
}
