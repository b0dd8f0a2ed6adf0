// A stamping thread runs with a young generation of its own size (runtime/workers.ts): its collections copy
// less each, so a send due during one waits less (docs/load.md). Other threads keep V8's default.
import {describe, expect, it} from 'vitest';
import {stampingYoungGenerationMb, startWorker} from '../../source/runtime/workers.js';

describe("a stamping thread's heap", () => {
	it('has the young generation llmrace gives it; the engine worker keeps the default', async () => {
		const stamping = startWorker('worker/stamp-start.js', {progressMs: null});
		const engine = startWorker('worker/engine-worker.js', {frameMs: 100, stampPorts: []});
		try {
			expect(stampingYoungGenerationMb).toBe(8);
			expect(stamping.resourceLimits?.maxYoungGenerationSizeMb).toBe(stampingYoungGenerationMb);
			expect(engine.resourceLimits?.maxYoungGenerationSizeMb).not.toBe(stampingYoungGenerationMb);
		} finally {
			await Promise.all([stamping.terminate(), engine.terminate()]);
		}
	});
});
