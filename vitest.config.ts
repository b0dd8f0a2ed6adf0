import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		globalSetup: ['test/global-setup.ts'],
		testTimeout: 60_000,
		hookTimeout: 30_000,
		// Engine tests time real streams: keep the two cores for one file at a time each.
		fileParallelism: true,
		maxWorkers: 2,
	},
});
