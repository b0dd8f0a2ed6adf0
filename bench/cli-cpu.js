// Runs the built CLI (argv as given) and, when it exits, writes the process's CPU time (every thread's,
// user + system, ms) to the file LLMRACE_BENCH_CPU names: bench/load.js divides it by the requests.
import {writeFileSync} from 'node:fs';
import {pathToFileURL} from 'node:url';

process.on('exit', () => {
	const {user, system} = process.cpuUsage();
	writeFileSync(process.env.LLMRACE_BENCH_CPU, String((user + system) / 1000));
});
// LLMRACE_BENCH_CLI: another build's cli.js (an A/B against it in the same run).
await import(process.env.LLMRACE_BENCH_CLI ? pathToFileURL(process.env.LLMRACE_BENCH_CLI).href : '../distribution/cli.js');
