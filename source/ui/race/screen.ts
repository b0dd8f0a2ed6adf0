// The race screen: a live race drawn on the alternate screen without Ink, keys read from raw stdin.
// Frames are built by ui/race/frame.ts (pure) and drawn by frame-writer.ts (only changed lines).
// The screen opens before its race exists: the header and the queued panels show while the engine's
// worker, the simulator and the tokenizer warm up (all off this thread), then the race takes over.
import process from 'node:process';
import type {Race, RaceSnapshot} from '../../core/race/race.js';
import {CellWidthsNotLoaded, loadCellWidths} from '../../core/text/cells.js';
import type {Transcript} from '../../core/types.js';
import {createFrameWriter, enterScreen, leaveScreen} from './frame-writer.js';
import {keyToAction} from '../keymap.js';
import {parseKeys} from '../keys.js';
import {raceFrame, type RaceMeta} from './frame.js';
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
	/**
	 * Show `race` live until it ends (or is stopped), then give the screen back, the keys still in raw
	 * mode for what comes next (the leaderboard): call `releaseKeys` when nothing does. Once only.
	 */
	readonly run: (race: Race) => Promise<RaceScreenResult>;
	/** Give the terminal back without a race (its start failed, or a signal): raw mode off too. */
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

		let lines: string[];
		try {
			lines = raceFrame({
				meta: setup.meta,
				sample,
				columns: stdout.columns || 80,
				rows: stdout.rows || 24,
				lanes,
				runs: setup.runs,
				noColor: setup.noColor,
				interactive: setup.interactive,
			});
		} catch (error) {
			// The first frame comes before string-width has loaded (core/text/cells.ts): text that needs it
			// (an emoji in the prompt, a model's name) waits for it, and the frame is drawn then.
			if (!(error instanceof CellWidthsNotLoaded)) {
				throw error;
			}

			void loadCellWidths().then(() => {
				if (!restored && last === sample) {
					draw(sample);
				}
			});
			return;
		}

		setup.onBuild?.();
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

	const keys = setup.interactive && stdin.isTTY;
	/**
	 * Whatever happens, the terminal is given back as it was. At the end of a race (`handOver`) the
	 * keys stay in raw mode for the leaderboard, which takes them next: a Ctrl-C pressed in between is
	 * a key it reads, never a SIGINT. The command turns raw mode off when it is done (`releaseKeys`).
	 */
	let restored = false;
	const restore = (handOver = false) => {
		if (restored) {
			return;
		}

		restored = true;
		sampler?.stop();
		stdout.off('resize', onResize);
		if (keys) {
			stdin.removeListener('readable', onReadable);
			if (handOver) {
				releaseAtExit(stdin);
			} else {
				stdin.setRawMode(false);
			}

			stdin.unref();
		}

		stdout.write(leaveScreen);
		process.off('exit', onExit);
	};

	const onExit = () => {
		restore();
	};

	stdout.write(enterScreen);
	process.once('exit', onExit);
	if (keys) {
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
				restore(true);
			}
		},
		close() {
			restore();
		},
		stopRequested: () => stopping,
	};
}

/** Turn raw mode off, when a race screen handed it over and nothing took it since (see `openRaceScreen`). */
export function releaseKeys(stdin: NodeJS.ReadStream = process.stdin): void {
	// `isRaw` is undefined on streams that only look like a terminal: turn it off then too.
	if (stdin.isTTY && stdin.isRaw !== false) {
		stdin.setRawMode(false);
	}
}

/**
 * Raw mode on again, at once, when the leaderboard (Ink) has just let it go for a race again: Ink turns it
 * off as it unmounts, and the race screen turns it on only when it opens. Meanwhile a Ctrl-C stays a key
 * that the race screen reads (and stops its race with), never a SIGINT.
 */
export function holdKeys(stdin: NodeJS.ReadStream = process.stdin): void {
	if (stdin.isTTY) {
		stdin.setRawMode(true);
		releaseAtExit(stdin);
	}
}

const releasedAtExit = new WeakSet<NodeJS.ReadStream>();

/** Whatever ends the process, raw mode does not outlive it (one listener per stream, however many races). */
function releaseAtExit(stdin: NodeJS.ReadStream): void {
	if (!releasedAtExit.has(stdin)) {
		releasedAtExit.add(stdin);
		process.once('exit', () => {
			releaseKeys(stdin);
		});
	}
}

/** Show `race` live until it ends (or is stopped), then restore the terminal as it was, raw mode off. */
export async function showRace(options: RaceScreenOptions): Promise<RaceScreenResult> {
	const screen = openRaceScreen(options, options.race.snapshot());
	try {
		return await screen.run(options.race);
	} finally {
		releaseKeys(options.stdin ?? process.stdin);
	}
}
