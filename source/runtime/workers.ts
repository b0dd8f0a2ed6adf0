// Worker threads: where their JavaScript is, and stopping them.
import {Worker} from 'node:worker_threads';

/**
 * Start the worker whose built file is `distribution/<file>`. Run from source (the tests
 * import .ts files), a worker still needs JavaScript: the built one is used then.
 */
export function startWorker(file: string, workerData: unknown): Worker {
	const distribution = new URL(import.meta.url.endsWith('.ts') ? '../../distribution/' : '../', import.meta.url);
	return new Worker(new URL(file, distribution), {workerData});
}

/** Ask a worker to close with `message`; terminate it when it has not exited within 2 s. */
export async function closeWorker(worker: Worker, message: unknown): Promise<void> {
	const exited = new Promise<void>(resolve => {
		worker.once('exit', () => {
			resolve();
		});
	});
	worker.postMessage(message);
	const timer = setTimeout(() => {
		void worker.terminate();
	}, 2000);
	await exited;
	clearTimeout(timer);
}
