// The race screen: a live race drawn on the alternate screen without Ink, keys read from raw stdin.
// Frames are built by race-frame.ts (pure) and drawn by frame-writer.ts (only changed lines).
// The screen opens before its race exists: the header and the queued panels show while the engine's
// worker, the simulator and the tokenizer warm up (all off this thread), then the race takes over.
import process from 'node:process';
import type {Race, RaceSnapshot} from '../core/race.js';
import type {Transcript} from '../core/types.js';
import {createFrameWriter, enterScreen, leaveScreen} from './frame-writer.js';
import {keyToAction} from './keymap.js';
import {parseKeys} from './keys.js';
import {raceFrame, type RaceMeta} from './race-frame.js';
import {startSampler, type Sample, type Sampler} from './sampler.js';

export type RaceScreenSetup = {
	readonly meta: RaceMeta;
	readonly runs: number;
	readonly maxFps: number;
	readonly noColor: boolean;
	/** False when stdin is not a terminal: no keys (the help line says why). */
	readonly interactive: boolean;
	/** Lanes instead of panels to begin with (`v` toggles). */
	readonly lanes: boolean;
	readonly stdin?: NodeJS.ReadStream;
	readonly stdout?: NodeJS.WriteStream;
	/** Counts for the benchmark: a frame built, a frame written. */
	readonly onBuild?: () => void;
	readonly onWrite?: () => void;
};

export type RaceScreenOptions = RaceScreenSetup & {
	readonly race: Race;
};

export type RaceScreenResult = {
	readonly transcript: Transcript;
	/** Ctrl-C (or q) pressed again while the race was stopping: leave without the leaderboard. */
	readonly quit: boolean;
	readonly lanes: boolean;
};

export type RaceScreen = {
	/** Show `race` live until it ends (or is stopped), then give the terminal back. Once only. */
	readonly run: (race: Race) => Promise<RaceScreenResult>;
	/** Give the terminal back without a race (its start failed). */
	readonly close: () => void;
	/** Whether q / Esc / Ctrl-C was pressed before the race began: it is stopped as soon as it starts. */
	readonly stopRequested: () => boolean;
};

/**
 * Enter the alternate screen and draw `preview` (every model queued) at once, before any race runs.
 * Nothing here touches the engine: the preview is plain data, redrawn only on a resize.
 */
export function openRaceScreen(setup: RaceScreenSetup, preview: RaceSnapshot): RaceScreen {
	const stdin = setup.stdin ?? process.stdin;
	const stdout = setup.stdout ?? process.stdout;
	let lanes = setup.lanes;
	let stopping = false;
	let quit = false;
	let race: Race | undefined;
	let sampler: Sampler | undefined;
	let last: Sample | null = {snapshot: preview, now: preview.startedAt, history: new Map()};
	const writer = createFrameWriter(data => stdout.write(data));
	const draw = (sample: Sample) => {
		last = sample;
		// A terminal that cannot keep up (a slow link) gets the next frame instead of a queue of old ones.
		if (stdout.writableNeedDrain) {
			return;
		}

		setup.onBuild?.();
		const lines = raceFrame({meta: setup.meta, sample, columns: stdout.columns || 80, rows: stdout.rows || 24, lanes, runs: setup.runs, noColor: setup.noColor, interactive: setup.interactive});
		if (writer.draw(lines)) {
			setup.onWrite?.();
		}
	};

	const redraw = () => {
		if (sampler) {
			sampler.poke();
		} else if (last) {
			draw(last);
		}
	};

	const onKeys = (data: string) => {
		for (const action of parseKeys(data).map(key => keyToAction('race', key))) {
			if (action.type === 'stop') {
				quit ||= stopping;
				stopping = true;
				race?.abort();
			} else if (action.type === 'toggle-view') {
				lanes = !lanes;
				redraw();
			}
		}
	};

	const onReadable = () => {
		let chunk: string | Buffer | null;
		while ((chunk = stdin.read() as string | Buffer | null) !== null) {
			onKeys(chunk.toString());
		}
	};

	const onResize = () => {
		writer.invalidate();
		redraw();
	};

	// Whatever happens, the terminal is given back as it was.
	let restored = false;
	const restore = () => {
		if (restored) {
			return;
		}

		restored = true;
		sampler?.stop();
		stdout.off('resize', onResize);
		if (setup.interactive && stdin.isTTY) {
			stdin.removeListener('readable', onReadable);
			stdin.setRawMode(false);
			stdin.unref();
		}

		stdout.write(leaveScreen);
		process.off('exit', restore);
	};

	stdout.write(enterScreen);
	process.once('exit', restore);
	if (setup.interactive && stdin.isTTY) {
		stdin.setRawMode(true);
		stdin.setEncoding('utf8');
		stdin.addListener('readable', onReadable);
		stdin.ref();
	}

	stdout.on('resize', onResize);
	draw(last);
	return {
		async run(started) {
			race = started;
			if (stopping) {
				race.abort();
			}

			sampler = startSampler(race, Math.round(1000 / setup.maxFps), draw);
			try {
				const transcript = await race.done;
				// The last frame, with every model's final state, before the leaderboard replaces it.
				sampler.poke();
				return {transcript, quit, lanes};
			} finally {
				restore();
			}
		},
		close: restore,
		stopRequested: () => stopping,
	};
}

/** Show `race` live until it ends (or is stopped), then restore the screen as it was. */
export async function showRace(options: RaceScreenOptions): Promise<RaceScreenResult> {
	const screen = openRaceScreen(options, options.race.snapshot());
	return screen.run(options.race);
}
