// A load run's StepSender on the stamping threads (docs/stamping-threads.md "The load job kind"): each
// model's step is one job, whose arrivals the stamping thread fires itself; this thread (the load
// worker, which coordinates) turns each request's ending and meter delta into its record with the tokenizer.
import {recordOf} from '../core/http/stream.js';
import type {CostBudget} from '../core/load/budget.js';
import type {StepSender} from '../core/load/dispatch.js';
import {RunMeter, type TokenCounter} from '../core/meter/meter.js';
import type {StampPool} from './stamp-pool.js';

export function poolSender(
	pool: StampPool,
	options: {readonly countTokens: TokenCounter; readonly budget: CostBudget; readonly maxCostUSD: number | null},
): StepSender {
	return (step, events) => {
		const {stopStep, offsetMs} = pool.submit({kind: 'load-step', step, budget: options.budget.memory, maxCostUSD: options.maxCostUSD}, message => {
			if (message.type !== 'load') {
				return;
			}

			for (const event of message.events) {
				switch (event.kind) {
					case 'start': {
						events.onStart(event.startMs + offsetMs);
						break;
					}

					case 'queued': {
						events.onQueued(event.index);
						break;
					}

					case 'sent': {
						events.onSent(event.index, event.t0 + offsetMs, event.fromQueue);
						break;
					}

					case 'ended': {
						const meter = new RunMeter(options.countTokens);
						if (event.delta) {
							meter.applyDelta(event.delta);
						}

						events.onEnded(event.index, recordOf(event.ending, {index: event.index, warmup: false, model: step.job.model}, meter), meter);
						break;
					}

					case 'cost': {
						events.onCostStop();
						break;
					}

					case 'settled': {
						events.onSettled(event.arrived);
						break;
					}
				}
			}
		});
		return {stop: stopStep};
	};
}
