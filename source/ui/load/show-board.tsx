// The load leaderboard mounted with Ink: after a live load run (ui/load/live.ts) or for `show <load.json>`.
import {mountScreen} from '../mount-screen.js';
import {LoadBoard, type LoadBoardProps} from './board.js';

export type {LoadMessage, SaveLoad} from './board.js';

/** The board's props (its size is the terminal's), and where and how fast to draw it. */
export type LoadBoardOptions = Omit<LoadBoardProps, 'size'> & {
	readonly maxFps?: number | undefined;
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
	const {maxFps, stdin, stdout, ...props} = options;
	// The size is the terminal's at each (re)render: a resize re-renders at once, before Ink redraws, clearing
	// the screen first when it got narrower (as the race leaderboard: ui/mount-screen.ts clearOnNarrowing).
	const mounted = mountScreen(size => <LoadBoard {...props} size={size} />, {maxFps: maxFps ?? 30, stdin, stdout, followResize: true});
	return {done: mounted.exited, close: mounted.close};
}
