// The race engine's coordinator in its own thread, beside the UI's: it runs the race (limits, runs,
// snapshots for the UI, token counts, records) while its stamping threads stamp the streams
// (worker/stamp-pool.ts). Neither the UI's rendering nor this thread's own work delays a stamp.
import {parentPort, workerData} from 'node:worker_threads';
import {performance} from 'node:perf_hooks';
import type {Race, RaceSnapshot, startRace as StartRace} from '../core/race/race.js';
import type {loadTokenCounter as LoadTokenCounter} from '../core/meter/tokens.js';
import type {EngineBoot, EngineInput, FromWorker, ToWorker} from './protocol.js';
import {createLateHold, pacedMs} from '../core/race/late-pace.js';
import {yieldToStamping} from '../runtime/priority.js';
import {poolStreamer, startStampPool, threadsFor, type StampPool} from './stamp-pool.js';

const boot = workerData as EngineBoot;
const port = parentPort!;
const post = (message: FromWorker) => {
	port.postMessage(message);
};

/**
 * The UI shows the tail of each answer, never more than a few thousand characters of it
 * (ui/race/frame.ts wraps at most the last width × lines × 4): posting whole answers, 15 times
 * a second, would copy megabytes a second between the threads in a long race.
 */
const tailChars = 16_384;

const tail = (text: string) => (text.length > tailChars ? text.slice(-tailChars) : text);

/** What the UI needs of a snapshot: no chunk logs (only the transcript carries them), the answers' tails. */
function lean(snapshot: RaceSnapshot): RaceSnapshot {
	return {...snapshot, models: snapshot.models.map(model => ({...model, text: tail(model.text), reasoningText: tail(model.reasoningText), records: []}))};
}

type RaceModules = {readonly startRace: typeof StartRace; readonly loadTokenCounter: typeof LoadTokenCounter};

async function startOne({startRace, loadTokenCounter}: RaceModules, pool: StampPool, id: number, input: EngineInput): Promise<Race> {
	// As many stamping threads as the race's streams in flight need (the engine's rule: stamp-pool.ts).
	await pool.grow(threadsFor(input.settings.concurrency ?? input.models.length));
	if (!inline) {
		// This thread yields to its stamping threads, all started by now (docs/stamping-threads.md).
		await yieldToStamping();
	}

	const race = startRace({
		...input,
		streamer: inline ? undefined : poolStreamer(pool, loadTokenCounter),
		countTokens: inline ? await loadTokenCounter() : undefined,
		apiKeyOf: model => (model.apiKeyEnv ? (input.keys[model.apiKeyEnv] ?? null) : null),
	});
	let posted = -1;
	// At the frame rate, and at the slow pace while the stamping threads are late (core/race/late-pace.ts).
	const lateHold = createLateHold();
	let timer: NodeJS.Timeout | undefined;
	let ended = false;
	const postSnapshot = () => {
		const snapshot = race.snapshot();
		if (snapshot.version !== posted || snapshot.finishedAt === null) {
			posted = snapshot.version;
			post({type: 'snapshot', id, snapshot: lean(snapshot)});
		}

		if (!ended) {
			timer = setTimeout(postSnapshot, pacedMs(boot.frameMs, lateHold(performance.now(), snapshot.clientLateMs ?? 0).slow));
		}
	};

	timer = setTimeout(postSnapshot, boot.frameMs);
	void race.done.then(transcript => {
		ended = true;
		clearTimeout(timer);
		post({type: 'done', id, snapshot: lean(race.snapshot()), transcript});
	});
	return race;
}

/**
 * LLMRACE_STAMPING=inline (benchmarks only: the same-run baseline of `npm run bench`): the previous
 * engine, streams stamped on this thread beside the tokenizer and the snapshots.
 */
const inline = process.env['LLMRACE_STAMPING'] === 'inline';

/** The race's modules, loaded while the stamping thread boots (its start is the first request's path). */
async function loadRaceModules(): Promise<RaceModules> {
	const [{startRace}, {loadTokenCounter}] = await Promise.all([import('../core/race/race.js'), import('../core/meter/tokens.js')]);
	return {startRace, loadTokenCounter};
}

try {
	let modules: RaceModules;
	let pool: StampPool;
	if (inline) {
		modules = await loadRaceModules();
		const [{warmUpHttp}, {settleHeap}] = await Promise.all([import('../core/http/warm-up.js'), import('../runtime/heap.js')]);
		await modules.loadTokenCounter();
		await warmUpHttp();
		settleHeap();
		pool = await startStampPool({progressMs: boot.frameMs}, 1, boot.stampPorts);
	} else {
		// The stamping threads boot (and warm their HTTP stack) first, the race's modules load beside them;
		// the tokenizer loads on this thread once no run of a race waits for its first token (worker/stamp-pool.ts, poolStreamer).
		const starting = startStampPool({progressMs: boot.frameMs}, 1, boot.stampPorts);
		starting.catch(() => undefined);
		modules = await loadRaceModules();
		pool = await starting;
	}

	const races = new Map<number, Promise<Race>>();
	port.on('message', (message: ToWorker) => {
		switch (message.type) {
			case 'start': {
				const race = startOne(modules, pool, message.id, message.input);
				races.set(message.id, race);
				void race.then(async started => started.done).finally(() => races.delete(message.id));
				break;
			}

			case 'abort': {
				void races.get(message.id)?.then(race => {
					race.abort();
				});
				break;
			}

			case 'close': {
				for (const race of races.values()) {
					void race.then(started => {
						started.abort();
					});
				}

				void pool.close().finally(() => {
					port.close();
				});
				break;
			}
		}
	});
	post({type: 'ready', timeOrigin: performance.timeOrigin});
} catch (error) {
	post({type: 'failed', message: error instanceof Error ? error.message : String(error)});
}
