// The live load view on the alternate screen, drawn without Ink as the race screen is: every 1/maxFps s a
// frame of the run's snapshot (ui/load/frame.ts, pure) goes through the line-diff writer
// (ui/race/frame-writer.ts); keys come from raw stdin. The engine never waits for it: it only calls
// `snapshot()` on its own timer, and `stop()` on q / Esc / Ctrl-C; `?` lists the keys over the lanes.
import process from 'node:process';
import type {LoadMeta, LoadRun, LoadTranscript} from '../../core/load/types.js';
import {keyToAction} from '../keymap.js';
import {parseKeys} from '../keys.js';
import {createFrameWriter} from '../race/frame-writer.js';
import {takeTerminal} from '../race/screen.js';
import {loadFrame} from './frame.js';

export type LoadScreenOptions = {
	readonly meta: LoadMeta;
	readonly noColor: boolean;
	/** False when stdin is not a terminal: no keys (the help line says why). */
	readonly interactive: boolean;
	readonly stdin?: NodeJS.ReadStream | undefined;
	readonly stdout?: NodeJS.WriteStream | undefined;
};

export type LoadScreenResult = {
	readonly transcript: LoadTranscript;
	/** q / Esc / Ctrl-C pressed again while the run was stopping: leave without the leaderboard. */
	readonly quit: boolean;
};

export type LoadScreen = {
	readonly done: Promise<LoadScreenResult>;
	/** Give the terminal back now (a signal); the run goes on to its end. */
	readonly close: () => void;
};

/** Show `run` live until it ends (or is stopped); the keys stay in raw mode for the leaderboard after it. */
export function openLoadScreen(options: LoadScreenOptions, run: LoadRun): LoadScreen {
	const stdin = options.stdin ?? process.stdin;
	const stdout = options.stdout ?? process.stdout;
	const writer = createFrameWriter(data => stdout.write(data));
	let stopping = false;
	let quit = false;
	let restored = false;
	let keyGuide = false;
	const draw = () => {
		// A terminal that cannot keep up (a slow link) gets the next frame instead of a queue of old ones.
		if (restored || stdout.writableNeedDrain) {
			return;
		}

		writer.draw(
			loadFrame({
				meta: options.meta,
				snapshot: run.snapshot(),
				columns: stdout.columns || 80,
				rows: stdout.rows || 24,
				noColor: options.noColor,
				interactive: options.interactive,
				stopping,
				keyGuide,
			}),
		);
	};

	const onKeys = (data: string) => {
		for (const key of parseKeys(data)) {
			const action = keyToAction('load', key);
			// Any key closes the `?` list; q/Esc/Ctrl-C still stop the run as they close it (as on the race screen).
			const guideWasOpen = keyGuide;
			keyGuide = false;
			if (action.type === 'stop') {
				quit ||= stopping;
				stopping = true;
				run.stop();
			} else if (action.type === 'help') {
				keyGuide = !guideWasOpen;
			}

			draw();
		}
	};

	const onResize = () => {
		writer.invalidate();
		draw();
	};

	// The alternate screen and raw keys, as the race screen takes them (ui/race/screen.ts).
	const terminal = takeTerminal(options.interactive ? stdin : null, stdout, onKeys, onResize);
	const restore = (handOver: boolean) => {
		if (restored) {
			return;
		}

		restored = true;
		clearInterval(timer);
		terminal.restore(handOver);
	};

	const timer = setInterval(draw, Math.max(16, Math.round(1000 / Math.max(1, options.meta.maxFps))));
	draw();
	const done = run.done.then(
		transcript => {
			// The last frame, every model's final state, before the leaderboard replaces it.
			draw();
			restore(true);
			return {transcript, quit};
		},
		(error: unknown) => {
			restore(false);
			throw error;
		},
	);
	return {
		done,
		close() {
			restore(false);
		},
	};
}
