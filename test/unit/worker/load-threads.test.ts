// How many stamping threads a load run gets (docs/stamping-threads.md "The engine's rule", docs/load.md).
import {describe, expect, it} from 'vitest';
import {loadThreadCount} from '../../../source/worker/remote-load.js';

describe('stamping threads of a load run', () => {
	it("the engine's rule for every model's --max-concurrency in flight, at most one per model; LLMRACE_LOAD_THREADS overrides", () => {
		// 2 cores: always one.
		expect(loadThreadCount(4, 256, undefined, {}, 2)).toBe(1);
		// 8 cores: one per 128 streams, at most one fewer than the cores, at most one per model.
		expect(loadThreadCount(4, 256, undefined, {}, 8)).toBe(4);
		expect(loadThreadCount(15, 256, undefined, {}, 8)).toBe(7);
		expect(loadThreadCount(15, 4, undefined, {}, 8)).toBe(1);
		expect(loadThreadCount(2, 100_000, undefined, {}, 8)).toBe(2);
		expect(loadThreadCount(4, 256, undefined, {LLMRACE_LOAD_THREADS: '3'}, 2)).toBe(3);
		expect(loadThreadCount(2, 256, undefined, {LLMRACE_LOAD_THREADS: '3'}, 2)).toBe(2);
		expect(loadThreadCount(4, 256, undefined, {LLMRACE_LOAD_THREADS: 'x'}, 2)).toBe(1);
		expect(loadThreadCount(4, 256, 2, {LLMRACE_LOAD_THREADS: '3'}, 8)).toBe(2);
	});
});
