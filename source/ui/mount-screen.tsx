// Mounting an Ink screen (the race leaderboard, the load leaderboard): the render options every one of
// them takes, the terminal's size at each (re)render, the wait for the user to leave, and leaving now.
// The screens themselves only draw and map keys; what the user chose is their caller's to read.
import {render, type Instance} from 'ink';
import process from 'node:process';
import type {ReactElement} from 'react';
import type {TerminalSize} from './hooks/use-terminal-size.js';

export type MountOptions = {
	readonly maxFps: number;
	/** The terminal (tests give their own); process.stdin and process.stdout by default. */
	readonly stdin?: NodeJS.ReadStream | undefined;
	readonly stdout?: NodeJS.WriteStream | undefined;
	/**
	 * Re-render at the new size on every resize, before Ink redraws, clearing the screen first when it got
	 * narrower (`clearOnNarrowing`). Without it the screen follows the size itself (`useTerminalSize`).
	 */
	readonly followResize?: boolean | undefined;
};

export type MountedScreen = {
	readonly app: Instance;
	/** Resolves once the screen has exited (the user left, or `close`). */
	readonly exited: Promise<void>;
	/** Leave now (a signal). */
	readonly close: () => void;
};

/** Render `element` (given the terminal's size at each render) with Ctrl-C left to the screen and the console untouched. */
export function mountScreen(element: (size: TerminalSize) => ReactElement, options: MountOptions): MountedScreen {
	const stdin = options.stdin ?? process.stdin;
	const stdout = options.stdout ?? process.stdout;
	const size = (): TerminalSize => ({columns: stdout.columns || 80, rows: stdout.rows || 24});
	const app = render(element(size()), {exitOnCtrlC: false, maxFps: options.maxFps, patchConsole: false, stdin, stdout});
	const forgetResize = options.followResize
		? clearOnNarrowing(stdout, () => {
				app.rerender(element(size()));
			})
		: () => undefined;
	return {
		app,
		exited: app.waitUntilExit().then(() => {
			forgetResize();
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
