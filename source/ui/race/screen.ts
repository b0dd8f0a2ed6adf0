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
import {panelsFit, raceFrame, type RaceMeta} from './frame.js';
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
	 * `next`, called when the race has ended (unless the user quit), is what comes next getting ready
	 * (the leaderboard's module loading): the last frame stays on screen until it settles.
	 */
	readonly run: (race: Race, next?: () => Promise<unknown>) => Promise<RaceScreenResult>;
	/** Give the terminal back without a race (its start failed, or a signal): raw mode off too. */
	readonly close: () => void;
	/** Whether q / Esc / Ctrl-C was pressed before the race began: it is stopped as soon as it starts. */
	readonly stopRequested: () => boolean;
};

/** How long a note (why `v` did nothing) stays in place of the help line. */
const noteMs = 4000;

/** What the race screen shows besides the race: lanes or panels, the `?` list, a passing note. */
type ViewState = {lanes: boolean; keyGuide: boolean; note: {text: string; until: number} | null};

/**
 * Draws samples of the race as frames (only the changed lines). The first frame comes before
 * string-width has loaded (core/text/cells.ts): text that needs it (an emoji in the prompt, a model's
 * name) waits for it, and the frame is drawn then.
 */
function createRaceDrawer(setup: RaceScreenSetup, stdout: NodeJS.WriteStream, view: ViewState, closed: () => boolean) {
	const writer = createFrameWriter(data => stdout.write(data));
	let last: Sample | null = null;
	const draw = (sample: Sample) => {
		last = sample;
		// A terminal that cannot keep up (a slow link) gets the next frame instead of a queue of old ones.
		if (stdout.writableNeedDrain) {
			return;
		}

		const note = view.note && view.note.until > Date.now() ? view.note.text : null;
		let lines: string[];
		try {
			lines = raceFrame({
				meta: setup.meta,
				sample,
				columns: stdout.columns || 80,
				rows: stdout.rows || 24,
				lanes: view.lanes,
				runs: setup.runs,
				noColor: setup.noColor,
				interactive: setup.interactive,
				keyGuide: view.keyGuide,
				note,
			});
		} catch (error) {
			if (!(error instanceof CellWidthsNotLoaded)) {
				throw error;
			}

			void loadCellWidths().then(() => {
				if (!closed() && last === sample) {
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

	return {draw, invalidate: writer.invalidate, last: () => last};
}

/**
 * `v` switches panels ↔ lanes; when panels cannot fit the terminal (15 models in 80×24) it says so
 * instead, for a moment, in place of the help line.
 */
function toggleView(view: ViewState, stdout: NodeJS.WriteStream, models: number, redrawLater: (ms: number) => void): void {
	const columns = stdout.columns || 80;
	const rows = stdout.rows || 24;
	if (panelsFit(columns, rows, models)) {
		view.lanes = !view.lanes;
		return;
	}

	view.lanes = true;
	view.note = {text: `v: ${models} panels do not fit ${columns}×${rows}, so lanes stay (a larger terminal shows panels)`, until: Date.now() + noteMs};
	redrawLater(noteMs + 50);
}

/**
 * Enter the alternate screen and draw `preview` (every model queued) at once, before any race runs.
 * Nothing here touches the engine: the preview is plain data, redrawn only on a resize or a key.
 */
export function openRaceScreen(setup: RaceScreenSetup, preview: RaceSnapshot): RaceScreen {
	const stdin = setup.stdin ?? process.stdin;
	const stdout = setup.stdout ?? process.stdout;
	const view: ViewState = {lanes: setup.lanes, keyGuide: false, note: null};
	let stopping = false;
	let quit = false;
	let race: Race | undefined;
	let sampler: Sampler | undefined;
	let restored = false;
	const drawer = createRaceDrawer(setup, stdout, view, () => restored);
	const redraw = () => {
		if (sampler) {
			sampler.poke();
		} else {
			const last = drawer.last();
			if (last) {
				drawer.draw(last);
			}
		}
	};

	const redrawLater = (ms: number) => {
		setTimeout(() => {
			if (!restored) {
				redraw();
			}
		}, ms).unref();
	};

	const onKeys = (data: string) => {
		for (const action of parseKeys(data).map(key => keyToAction('race', key))) {
			const guideWasOpen = view.keyGuide;
			view.keyGuide = false;
			if (action.type === 'stop') {
				quit ||= stopping;
				stopping = true;
				race?.abort();
			} else if (action.type === 'help') {
				view.keyGuide = !guideWasOpen;
			} else if (action.type === 'toggle-view' && !guideWasOpen) {
				toggleView(view, stdout, (drawer.last()?.snapshot ?? preview).models.length, redrawLater);
			}

			redraw();
		}
	};

	const onResize = () => {
		drawer.invalidate();
		redraw();
	};

	const terminal = takeTerminal(setup.interactive ? stdin : null, stdout, onKeys, onResize);
	const restore = (handOver = false) => {
		if (!restored) {
			restored = true;
			sampler?.stop();
			terminal.restore(handOver);
		}
	};

	drawer.draw({snapshot: preview, now: preview.startedAt, history: new Map()});
	return {
		async run(started, next) {
			race = started;
			if (stopping) {
				race.abort();
			}

			sampler = startSampler(race, Math.round(1000 / setup.maxFps), drawer.draw);
			try {
				const transcript = await race.done;
				// The last frame, with every model's final state, before the leaderboard replaces it.
				sampler.poke();
				if (!quit) {
					await next?.().catch(() => undefined);
				}

				return {transcript, quit, lanes: view.lanes};
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

/**
 * The alternate screen, and raw keys from `stdin` when it is a terminal (null: no keys), until `restore`.
 * Whatever happens, the terminal is given back as it was. At the end of a race (`handOver`) the keys stay
 * in raw mode for the leaderboard, which takes them next: a Ctrl-C pressed in between is a key it reads,
 * never a SIGINT. The command turns raw mode off when it is done (`releaseKeys`).
 */
export function takeTerminal(
	stdin: NodeJS.ReadStream | null,
	stdout: NodeJS.WriteStream,
	onKeys: (data: string) => void,
	onResize: () => void,
): {restore: (handOver: boolean) => void} {
	const keys = stdin?.isTTY === true ? stdin : null;
	const onReadable = () => {
		let chunk: string | Buffer | null;
		while ((chunk = keys!.read() as string | Buffer | null) !== null) {
			onKeys(chunk.toString());
		}
	};

	const restore = (handOver: boolean) => {
		stdout.off('resize', onResize);
		if (keys) {
			keys.removeListener('readable', onReadable);
			if (handOver) {
				releaseAtExit(keys);
			} else {
				keys.setRawMode(false);
			}

			keys.unref();
		}

		stdout.write(leaveScreen);
		process.off('exit', onExit);
	};

	const onExit = () => {
		restore(false);
	};

	stdout.write(enterScreen);
	process.once('exit', onExit);
	if (keys) {
		keys.setRawMode(true);
		keys.setEncoding('utf8');
		keys.addListener('readable', onReadable);
		keys.ref();
	}

	stdout.on('resize', onResize);
	return {restore};
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
