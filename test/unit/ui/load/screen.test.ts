// The live load view on fake terminals, driven by a scripted LoadRun (the contract of core/load/types.ts):
// frames on its own timer, q stops the run once, the terminal comes back, raw mode handed to the leaderboard.
import {EventEmitter} from 'node:events';
import {describe, expect, it} from 'vitest';
import type {LoadMeta, LoadRun, LoadSnapshot, LoadTranscript} from '../../../../source/core/load/types.js';
import {enterScreen, leaveScreen} from '../../../../source/ui/race/frame-writer.js';
import {releaseKeys} from '../../../../source/ui/race/screen.js';
import {openLoadScreen} from '../../../../source/ui/load/screen.js';
import {stripAnsi} from '../../../../source/ui/theme.js';
import {defaultSettings, kneeTranscript, liveModel, liveSnapshot} from '../../../helpers/load-fixtures.js';
import {until} from '../../../helpers/until.js';

class FakeTerminal extends EventEmitter {
	readonly isTTY = true;
	writableNeedDrain = false;
	columns = 80;
	rows = 24;
	written = '';
	raw = false;
	isRaw = false;
	private queued: string | null = null;
	write = (data: string) => {
		this.written += data;
		return true;
	};

	setRawMode = (raw: boolean) => {
		this.raw = raw;
		this.isRaw = raw;
		return this;
	};

	setEncoding = () => this;
	ref = () => this;
	unref = () => this;
	read = () => {
		const data = this.queued;
		this.queued = null;
		return data;
	};

	type(keys: string) {
		this.queued = keys;
		this.emit('readable');
	}
}

const meta: LoadMeta = {prompt: 'Explain recursion', preset: 'demo', region: null, simulated: true, settings: defaultSettings, maxFps: 50, savePath: null};

/** A run whose snapshot moves on every call, that ends when stopped (keeping what arrived) or after `calls` snapshots. */
function scriptedRun(calls: number) {
	let count = 0;
	let stops = 0;
	let finish!: (transcript: LoadTranscript) => void;
	const done = new Promise<LoadTranscript>(resolve => {
		finish = resolve;
	});
	const run: LoadRun = {
		snapshot(): LoadSnapshot {
			count++;
			if (count === calls) {
				finish(kneeTranscript());
			}

			return liveSnapshot([liveModel('a', {name: 'Alpha', done: count}), liveModel('b', {name: 'Beta', state: 'waiting', step: 1})], {
				version: count,
				elapsedMs: count * 20,
			});
		},
		stop() {
			stops++;
			finish(kneeTranscript({aborted: true}));
		},
		done,
	};
	return {run, snapshots: () => count, stops: () => stops};
}

describe('the live load screen', () => {
	it('samples the run on its own timer, draws lanes, and gives the screen back when it ends', async () => {
		const stdout = new FakeTerminal();
		const stdin = new FakeTerminal();
		const scripted = scriptedRun(6);
		const screen = openLoadScreen({meta, noColor: true, interactive: true, stdin: stdin as never, stdout: stdout as never}, scripted.run);
		const {transcript, quit} = await screen.done;
		expect(quit).toBe(false);
		expect(transcript.aborted).toBe(false);
		expect(scripted.snapshots()).toBeGreaterThanOrEqual(6);
		expect(stdout.written.startsWith(enterScreen)).toBe(true);
		expect(stdout.written.endsWith(leaveScreen)).toBe(true);
		const text = stripAnsi(stdout.written);
		expect(text).toContain('Alpha');
		expect(text).toContain('Beta');
		expect(text).toContain('modelled, not measured');
		expect(stdout.listenerCount('resize')).toBe(0);
		expect(stdin.listenerCount('readable')).toBe(0);
		// Raw mode stays on for the leaderboard, which takes the keys next; released when nothing does.
		expect(stdin.raw).toBe(true);
		releaseKeys(stdin as never);
		expect(stdin.raw).toBe(false);
	});

	it('q stops the run once and keeps what arrived; a second q while it stops asks to quit', async () => {
		const stdout = new FakeTerminal();
		const stdin = new FakeTerminal();
		const scripted = scriptedRun(Number.POSITIVE_INFINITY);
		let stops = 0;
		const run: LoadRun = {
			...scripted.run,
			snapshot: () => scripted.run.snapshot(),
			stop() {
				stops++;
				if (stops === 2) {
					scripted.run.stop();
				}
			},
		};
		const screen = openLoadScreen({meta, noColor: true, interactive: true, stdin: stdin as never, stdout: stdout as never}, run);
		await until(() => scripted.snapshots() > 2);
		stdin.type('q');
		await until(() => stripAnsi(stdout.written).includes('stopping'));
		stdin.type('\u0003');
		const {transcript, quit} = await screen.done;
		expect(stops).toBe(2);
		expect(quit).toBe(true);
		expect(transcript.aborted).toBe(true);
		releaseKeys(stdin as never);
	});
});
