// Runs the built CLI (argv as given) and, when it exits, writes the process's CPU time (every thread's,
// user + system, ms) to the file LLMRACE_BENCH_CPU names: bench/load.js divides it by the requests.
import {writeFileSync} from 'node:fs';

process.on('exit', () => {
	const {user, system} = process.cpuUsage();
	writeFileSync(process.env.LLMRACE_BENCH_CPU, String((user + system) / 1000));
});
await import('../distribution/cli.js');
