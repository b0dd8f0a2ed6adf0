// The load worker: it coordinates a load run. Its stamping threads (worker/stamp-pool.ts) fire each
// step's arrivals, send and stamp; this thread counts the tokens, keeps each request's figures, decides
// the stops and the sweep, and posts the live figures on a timer. See docs/stamping-threads.md.
import {parentPort, workerData} from 'node:worker_threads';
import {costBudget} from '../core/load/budget.js';
import {startLoadEngine, type LoadEngine} from '../core/load/engine.js';
import type {TokenCounter} from '../core/meter/meter.js';
import {loadTokenCounter} from '../core/meter/tokens.js';
import {settleHeap} from '../runtime/heap.js';
import {yieldToStamping} from '../runtime/priority.js';
import {poolSender} from './load-sender.js';
import type {FromLoadWorker, LoadWorkerBoot, LoadWorkerStart, ToLoadWorker} from './load-protocol.js';
import {startStampPool, type StampPool} from './stamp-pool.js';

const boot = workerData as LoadWorkerBoot;
const port = parentPort!;
const post = (message: FromLoadWorker) => {
	port.postMessage(message);
};

function run(input: LoadWorkerStart, pool: StampPool, countTokens: TokenCounter): LoadEngine {
	pool.startMeasuring();
	let lags: number[] = [];
	const budget = costBudget(input.maxCostUSD, input.budget);
	const engine = startLoadEngine({
		...input,
		apiKeyOf: model => (model.apiKeyEnv ? (input.keys[model.apiKeyEnv] ?? null) : null),
		countTokens,
		budget,
		requestCostUSD: model => input.requestCostUSD[model.id] ?? 0,
		sender: poolSender(pool, {countTokens, budget, maxCostUSD: input.maxCostUSD}),
		onSendLag(lag) {
			lags.push(lag);
		},
	});
	const timer = setInterval(() => {
		post({type: 'live', models: engine.models(), threadDelayP99Ms: pool.delays(), lags});
		lags = [];
	}, input.frameMs);
	void engine.done.then(async models => {
		clearInterval(timer);
		const measurement = await pool.stopMeasuring();
		post({type: 'done', models, live: engine.models(), lags, measurement});
	});
	return engine;
}

try {
	// The stamping threads start (and warm up) while this thread loads the tokenizer; they are started
	// before this thread lowers its priority, so they keep theirs (runtime/priority.ts).
	const [pool, countTokens] = await Promise.all([startStampPool({progressMs: boot.progressMs}, boot.threads), loadTokenCounter()]);
	await yieldToStamping();
	settleHeap();
	let engine: LoadEngine | undefined;
	port.on('message', (message: ToLoadWorker) => {
		switch (message.type) {
			case 'start': {
				engine = run(message.input, pool, countTokens);
				break;
			}

			case 'stop': {
				engine?.stop();
				break;
			}

			case 'close': {
				engine?.stop();
				void pool.close().finally(() => {
					port.close();
				});
				break;
			}
		}
	});
	post({type: 'ready'});
} catch (error) {
	post({type: 'failed', message: error instanceof Error ? error.message : String(error)});
}
