// `r` on the leaderboard: Ink lets raw mode go as it unmounts, and the next race screen takes it only
// when it opens. Between the two a Ctrl-C must stay a key (read by the race screen), never a SIGINT:
// raw mode is on again the moment Ink has let it go. A terminal of our own records every switch.
import {EventEmitter} from 'node:events';
import {describe, expect, it} from 'vitest';
import {showResults} from '../../../../source/ui/board/show-results.js';
import {demoTranscript} from '../../../helpers/fixtures.js';
import {tick} from '../../../helpers/ink-render.js';

/** Just enough of a TTY for Ink: raw-mode switches recorded, keys read through 'readable'. */
class FakeTtyIn extends EventEmitter {
	readonly isTTY = true;
	isRaw = false;
	readonly rawModes: boolean[] = [];
	private readonly pending: string[] = [];
	setRawMode(mode: boolean) {
		this.isRaw = mode;
		this.rawModes.push(mode);
		return this;
	}

	setEncoding() {
		return this;
	}

	ref() {
		return this;
	}

	unref() {
		return this;
	}

	read(): string | null {
		return this.pending.shift() ?? null;
	}

	type(keys: string) {
		this.pending.push(keys);
		this.emit('readable');
	}
}

class FakeTtyOut extends EventEmitter {
	readonly isTTY = true;
	readonly columns = 120;
	readonly rows = 40;
	writable = true;
	write() {
		return true;
	}
}

function open(canRaceAgain: boolean) {
	const stdin = new FakeTtyIn();
	const view = showResults({
		meta: {prompt: 'Explain recursion', preset: 'demo', simulated: true, region: null},
		transcript: demoTranscript(),
		save: () => ({ok: true, message: 'saved'}),
		message: null,
		canRaceAgain,
		sort: 'ttft',
		bracket: null,
		runs: 1,
		maxFps: 15,
		noColor: true,
		interactive: true,
		stdin: stdin as unknown as NodeJS.ReadStream,
		stdout: new FakeTtyOut() as unknown as NodeJS.WriteStream,
	});
	const listening = async () => {
		for (let waited = 0; stdin.listenerCount('readable') === 0; waited++) {
			if (waited > 5000) {
				throw new Error('the leaderboard never listened to its keys');
			}

			await tick();
		}
	};

	return {stdin, view, listening};
}

describe('race again keeps the keys raw', () => {
	it('r: Ink turns raw mode off as it unmounts, and it is on again before the race screen comes', async () => {
		const {stdin, view, listening} = open(true);
		await listening();
		expect(stdin.isRaw).toBe(true);
		stdin.type('r');
		expect(await view.choice).toBe('race-again');
		// Ink's own switch off, then ours on: no moment to wait for with the terminal in cooked mode.
		expect(stdin.rawModes.slice(-2)).toEqual([false, true]);
		expect(stdin.isRaw).toBe(true);
	});

	it('q: the leaderboard lets raw mode go as Ink does (the command then leaves)', async () => {
		const {stdin, view, listening} = open(true);
		await listening();
		stdin.type('q');
		expect(await view.choice).toBe('quit');
		expect(stdin.isRaw).toBe(false);
	});
});
