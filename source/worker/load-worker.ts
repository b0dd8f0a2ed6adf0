// A load worker: the load engine for some of the models, stamping on its own thread with its own
// event-loop delay monitor, so neither the UI nor the other models' streams delay its sends and stamps.
import {parentPort} from 'node:worker_threads';
import {warmUpHttp} from '../core/http/warm-up.js';
import {costBudget} from '../core/load/budget.js';
import {startLoadEngine, type LoadEngine} from '../core/load/engine.js';
import {loadTokenCounter} from '../core/meter/tokens.js';
import {createDelayMonitor} from '../core/race/measure.js';
import {settleHeap} from '../runtime/heap.js';
import type {FromLoadWorker, LoadWorkerStart, ToLoadWorker} from './load-protocol.js';

const port = parentPort!;
const post = (message: FromLoadWorker) => {
	port.postMessage(message);
};

function run(input: LoadWorkerStart, countTokens: Awaited<ReturnType<typeof loadTokenCounter>>): LoadEngine {
	const delay = createDelayMonitor();
	delay.start();
	let lags: number[] = [];
	const engine = startLoadEngine({
		...input,
		apiKeyOf: model => (model.apiKeyEnv ? (input.keys[model.apiKeyEnv] ?? null) : null),
		countTokens,
		budget: costBudget(input.maxCostUSD, input.budget),
		requestCostUSD: model => input.requestCostUSD[model.id] ?? 0,
		onSendLag(lag) {
			lags.push(lag);
		},
	});
	const delayP99 = () => delay.read()?.p99 ?? 0;
	const timer = setInterval(() => {
		post({type: 'live', models: engine.models(), delayP99Ms: delayP99(), lags});
		lags = [];
	}, input.frameMs);
	void engine.done.then(models => {
		clearInterval(timer);
		const eventLoopDelayMs = delay.stop()?.eventLoopDelayMs ?? {p50: 0, p99: 0, max: 0};
		const streams = models.reduce((sum, model) => sum + model.steps.reduce((count, step) => count + step.summary.completed + step.summary.failed, 0), 0);
		post({type: 'done', models, live: engine.models(), lags, eventLoopDelayMs, streams});
	});
	return engine;
}

try {
	const countTokens = await loadTokenCounter();
	await warmUpHttp();
	settleHeap();
	let engine: LoadEngine | undefined;
	port.on('message', (message: ToLoadWorker) => {
		switch (message.type) {
			case 'start': {
				engine = run(message.input, countTokens);
				break;
			}

			case 'stop': {
				engine?.stop();
				break;
			}

			case 'close': {
				engine?.stop();
				port.close();
				break;
			}
		}
	});
	post({type: 'ready'});
} catch (error) {
	post({type: 'failed', message: error instanceof Error ? error.message : String(error)});
}
