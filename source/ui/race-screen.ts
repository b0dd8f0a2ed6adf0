// The race screen: a live race drawn on the alternate screen without Ink, keys read from raw stdin.
// Frames are built by race-frame.ts (pure) and drawn by frame-writer.ts (only changed lines).
import process from 'node:process';
import type {Race} from '../core/race.js';
import type {Transcript} from '../core/types.js';
import {createFrameWriter, enterScreen, leaveScreen} from './frame-writer.js';
import {keyToAction} from './keymap.js';
import {parseKeys} from './keys.js';
import {raceFrame, type RaceMeta} from './race-frame.js';
import {startSampler, type Sample} from './sampler.js';

export type RaceScreenOptions = {
	readonly race: Race;
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

export type RaceScreenResult = {
	readonly transcript: Transcript;
	/** Ctrl-C (or q) pressed again while the race was stopping: leave without the leaderboard. */
	readonly quit: boolean;
	readonly lanes: boolean;
};

/** Show `race` live until it ends (or is stopped), then restore the screen as it was. */
export async function showRace(options: RaceScreenOptions): Promise<RaceScreenResult> {
	const stdin = options.stdin ?? process.stdin;
	const stdout = options.stdout ?? process.stdout;
	const {race} = options;
	let lanes = options.lanes;
	let stopping = false;
	let quit = false;
	let last: Sample | null = null;
	const writer = createFrameWriter(data => stdout.write(data));
	const draw = (sample: Sample) => {
		last = sample;
		// A terminal that cannot keep up (a slow link) gets the next frame instead of a queue of old ones.
		if (stdout.writableNeedDrain) {
			return;
		}

		options.onBuild?.();
		const lines = raceFrame({meta: options.meta, sample, columns: stdout.columns || 80, rows: stdout.rows || 24, lanes, runs: options.runs, noColor: options.noColor, interactive: options.interactive});
		if (writer.draw(lines)) {
			options.onWrite?.();
		}
	};

	const onKeys = (data: string) => {
		for (const action of parseKeys(data).map(key => keyToAction('race', key))) {
			if (action.type === 'stop') {
				quit ||= stopping;
				stopping = true;
				race.abort();
			} else if (action.type === 'toggle-view') {
				lanes = !lanes;
				sampler.poke();
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
		if (last) {
			sampler.poke();
		}
	};

	// Whatever happens, the terminal is given back as it was.
	let restored = false;
	const restore = () => {
		if (restored) {
			return;
		}

		restored = true;
		stdout.write(leaveScreen);
		if (options.interactive && stdin.isTTY) {
			stdin.setRawMode(false);
		}
	};

	stdout.write(enterScreen);
	process.once('exit', restore);
	if (options.interactive && stdin.isTTY) {
		stdin.setRawMode(true);
		stdin.setEncoding('utf8');
		stdin.addListener('readable', onReadable);
		stdin.ref();
	}

	stdout.on('resize', onResize);
	const sampler = startSampler(race, Math.round(1000 / options.maxFps), draw);
	try {
		const transcript = await race.done;
		// The last frame, with every model's final state, before the leaderboard replaces it.
		sampler.poke();
		return {transcript, quit, lanes};
	} finally {
		sampler.stop();
		stdout.off('resize', onResize);
		if (options.interactive && stdin.isTTY) {
			stdin.removeListener('readable', onReadable);
			stdin.unref();
		}

		restore();
		process.off('exit', restore);
	}
}
