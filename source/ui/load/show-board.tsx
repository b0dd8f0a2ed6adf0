// The load leaderboard mounted with Ink: after a live load run (ui/load/live.ts) or for `show <load.json>`.
import {render} from 'ink';
import process from 'node:process';
import type {LoadMeta, LoadTranscript} from '../../core/load/types.js';
import type {LoadSortKey} from '../../core/stats/load-ranking.js';
import type {BracketName} from '../../core/types.js';
import {LoadBoard, type LoadMessage, type SaveLoad} from './board.js';

export type {LoadMessage, SaveLoad} from './board.js';

export type LoadBoardOptions = {
	readonly meta: Pick<LoadMeta, 'prompt' | 'preset' | 'region' | 'simulated'>;
	readonly transcript: LoadTranscript;
	readonly save?: SaveLoad | undefined;
	readonly message?: LoadMessage | null | undefined;
	readonly sort: LoadSortKey;
	readonly bracket?: BracketName | null | undefined;
	readonly maxFps?: number | undefined;
	readonly noColor: boolean;
	readonly interactive: boolean;
	readonly stdin?: NodeJS.ReadStream | undefined;
	readonly stdout?: NodeJS.WriteStream | undefined;
};

export type LoadBoardView = {
	/** Resolves when the user quits. */
	readonly done: Promise<void>;
	/** Leave now (a signal). */
	readonly close: () => void;
};

export function showLoadBoard(options: LoadBoardOptions): LoadBoardView {
	const app = render(
		<LoadBoard
			meta={options.meta}
			transcript={options.transcript}
			save={options.save}
			message={options.message}
			sort={options.sort}
			bracket={options.bracket}
			noColor={options.noColor}
			interactive={options.interactive}
		/>,
		{
			exitOnCtrlC: false,
			maxFps: options.maxFps ?? 30,
			patchConsole: false,
			stdin: options.stdin ?? process.stdin,
			stdout: options.stdout ?? process.stdout,
		},
	);
	return {
		done: app.waitUntilExit().then(() => undefined),
		close() {
			app.unmount();
		},
	};
}
