// The race's engine, started as soon as the command line says a race will run: its threads boot (the
// SDK, the HTTP warm-up) on the other cores while this thread still loads the race's modules and the
// presets, so the first request does not wait for both one after the other (docs/stamping-threads.md,
// start-up). Nothing here imports the engine's modules before its threads are on their way.
import type {startRace} from '../core/race/race.js';
import type {StampPool} from '../worker/stamp-pool.js';
import type {EngineThread, RemoteEngine} from '../worker/remote-race.js';
import type {EngineBoot} from '../worker/protocol.js';
import type {StampBoot} from '../worker/stamp-protocol.js';

type PoolModule = typeof import('../worker/stamp-pool.js');

/** A stamping thread's boot when its coordinator is not the thread that starts it (the port is added). */
type ChannelStampBoot = Omit<StampBoot, 'port'>;

/** Headless: the race runs on this thread, its streams on stamping threads. */
export type LocalEngine = {
	readonly startRace: typeof startRace;
	readonly pool: StampPool;
	readonly poolStreamer: PoolModule['poolStreamer'];
	readonly threadsFor: PoolModule['threadsFor'];
};

/**
 * `local` runs the race on this thread (headless), `worker` in a worker thread beside the UI's;
 * either way its streams are stamped on stamping threads of its own.
 */
export type EngineMode = 'local' | 'worker';

/** Where a race runs: live beside the UI on a terminal, else headless (with `--json`, or piped). */
export function engineModeOf(json: boolean, stdoutIsTerminal: boolean): EngineMode {
	return !json && stdoutIsTerminal ? 'worker' : 'local';
}

/** The engine worker's snapshot period for `--max-fps`. */
export function frameMsFor(maxFps: number): number {
	return Math.round(1000 / maxFps);
}

export type EngineStart = {
	readonly local?: Promise<LocalEngine> | undefined;
	readonly remote?: Promise<RemoteEngine> | undefined;
};

async function loadLocalEngine(): Promise<LocalEngine> {
	// The stamping thread first, from runtime/workers.js (light), on a channel of its own; then the pool's
	// module (the meter's) and the race's while it boots. The SDK is not loaded on this thread before the
	// race starts: this thread only coordinates, and its records (which need the SDK's errors) come after
	// the streams (poolStreamer loads it then).
	const {startOnChannel} = await import('../runtime/workers.js');
	const stamper = startOnChannel('worker/stamp-start.js', {progressMs: null} satisfies ChannelStampBoot);
	const {startStampPool, poolStreamer, threadsFor} = await import('../worker/stamp-pool.js');
	const starting = startStampPool({progressMs: null}, 1, [stamper.port]);
	starting.catch(stamper.terminate);
	const [{startRace}, pool] = await Promise.all([import('../core/race/race.js'), starting]);
	return {
		startRace,
		pool: {
			...pool,
			async close() {
				await pool.close();
				// Its coordinator closed it: it exits by itself.
				await stamper.closed();
			},
		},
		poolStreamer,
		threadsFor,
	};
}

async function loadRemoteEngine(frameMs: number): Promise<RemoteEngine> {
	// The engine's first stamping thread starts here, beside the engine's worker rather than from it: its
	// start (the SDK, the warm-up) is the first request's critical path, and the worker's own start would
	// come first. The two talk on a channel of their own. Then the module that talks to the worker loads.
	const {startOnChannel, startReadyWorker} = await import('../runtime/workers.js');
	const stamper = startOnChannel('worker/stamp-start.js', {progressMs: frameMs} satisfies ChannelStampBoot);
	const started = startReadyWorker<EngineThread['ready']>('worker/engine-worker.js', {frameMs, stampPorts: [stamper.port]} satisfies EngineBoot, [
		stamper.port,
	]);
	started.catch(stamper.terminate);
	const {engineOfThread} = await import('../worker/remote-race.js');
	const engine = engineOfThread(await started);
	return {
		start: engine.start,
		async close() {
			await engine.close();
			// Its coordinator closed it (or, gone, closed its channel): it exits by itself.
			await stamper.closed();
		},
	};
}

function start(mode: EngineMode, frameMs: number): EngineStart {
	const started = mode === 'local' ? {local: loadLocalEngine()} : {remote: loadRemoteEngine(frameMs)};
	// Nothing may fail unhandled before the session takes it.
	started.local?.catch(() => undefined);
	started.remote?.catch(() => undefined);
	return started;
}

let booted: {readonly mode: EngineMode; readonly frameMs: number; readonly engine: EngineStart} | undefined;

/** Start the engine now, for a race that `openSession` will open with the same mode and frame time. */
export function bootEngine(mode: EngineMode, frameMs: number): void {
	booted ??= {mode, frameMs, engine: start(mode, frameMs)};
}

/** The engine booted for this mode and frame time, or one started now. Each boot is handed out once. */
export function takeEngine(mode: EngineMode, frameMs: number): EngineStart {
	const early = booted;
	booted = undefined;
	if (early && early.mode === mode && early.frameMs === frameMs) {
		return early.engine;
	}

	void closeEngine(early?.engine);
	return start(mode, frameMs);
}

/** Close an engine (booted or taken), whether it started or failed. */
export async function closeEngine(engine: EngineStart | undefined): Promise<void> {
	await (await engine?.remote?.catch(() => undefined))?.close();
	await (await engine?.local?.catch(() => undefined))?.pool.close();
}

/** A booted engine nobody took (the command failed before its race opened): its threads must not keep the process alive. */
export async function discardBootedEngine(): Promise<void> {
	const early = booted;
	booted = undefined;
	await closeEngine(early?.engine);
}
