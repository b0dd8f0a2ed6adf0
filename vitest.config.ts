import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		globalSetup: ['test/global-setup.ts'],
		setupFiles: ['test/setup-widths.ts'],
		testTimeout: 60_000,
		// Ink renders only its final frame when it thinks it runs in CI (is-in-ci reads CI at import): the
		// component tests read every frame of a fake terminal, and .ci/run sets CI=true. The children tests
		// spawn get CI set by their helpers: true from runCli (as in CI), false in a pty (as in a terminal).
		env: {CI: 'false'},
		hookTimeout: 30_000,
		// Engine tests time real streams: keep the two cores for one file at a time each.
		fileParallelism: true,
		maxWorkers: 2,
	},
});
