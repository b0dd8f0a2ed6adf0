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

/**
 * Start a worker and wait for its first message: `ready` (returned, with the worker) or `failed`
 * (thrown, with the worker's own message). Each of our workers says one of the two once it is warm.
 */
export async function startReadyWorker<Ready extends {readonly type: 'ready'}>(
	file: string,
	workerData: unknown,
): Promise<{readonly worker: Worker; readonly ready: Ready}> {
	const worker = startWorker(file, workerData);
	const ready = await new Promise<Ready>((resolve, reject) => {
		worker.once('message', (message: Ready | {readonly type: 'failed'; readonly message: string}) => {
			if (message.type === 'ready') {
				resolve(message);
			} else if (message.type === 'failed') {
				reject(new Error(message.message));
			}
		});
		worker.once('error', reject);
	});
	return {worker, ready};
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
