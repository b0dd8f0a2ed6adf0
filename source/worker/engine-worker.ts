// The race engine in its own thread: the UI's rendering can never delay a timestamp taken here.
import {parentPort, workerData} from 'node:worker_threads';
import {performance} from 'node:perf_hooks';
import {startRace, type Race, type RaceSnapshot} from '../core/race/race.js';
import {warmUpHttp} from '../core/http/warm-up.js';
import {loadTokenCounter} from '../core/meter/tokens.js';
import {settleHeap} from '../runtime/heap.js';
import type {EngineBoot, FromWorker, ToWorker} from './protocol.js';

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

try {
	const countTokens = await loadTokenCounter();
	await warmUpHttp(countTokens);
	settleHeap();
	const races = new Map<number, Race>();
	port.on('message', (message: ToWorker) => {
		switch (message.type) {
			case 'start': {
				const {input} = message;
				const race = startRace({
					...input,
					countTokens,
					apiKeyOf: model => (model.apiKeyEnv ? (input.keys[model.apiKeyEnv] ?? null) : null),
				});
				races.set(message.id, race);
				let posted = -1;
				const timer = setInterval(() => {
					const snapshot = race.snapshot();
					if (snapshot.version !== posted || snapshot.finishedAt === null) {
						posted = snapshot.version;
						post({type: 'snapshot', id: message.id, snapshot: lean(snapshot)});
					}
				}, boot.frameMs);
				void race.done.then(transcript => {
					clearInterval(timer);
					races.delete(message.id);
					post({type: 'done', id: message.id, snapshot: lean(race.snapshot()), transcript});
				});
				break;
			}

			case 'abort': {
				races.get(message.id)?.abort();
				break;
			}

			case 'close': {
				for (const race of races.values()) {
					race.abort();
				}

				port.close();
				break;
			}
		}
	});
	post({type: 'ready', timeOrigin: performance.timeOrigin});
} catch (error) {
	post({type: 'failed', message: error instanceof Error ? error.message : String(error)});
}
