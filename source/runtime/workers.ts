// Worker threads: where their JavaScript is, and stopping them.
import {MessageChannel, type MessagePort, type Transferable, Worker} from 'node:worker_threads';

/**
 * A stamping thread's young generation (MB; V8's default for a thread here is ~48). Each young collection
 * pauses the thread for as long as it takes to copy what survives, and under a load run's many requests in
 * flight that was ~5 ms a collection: longer than a bare client's whole send lag p99, and a send due during
 * one waits for it. A smaller young generation collects more often, each copying less: measured on 2 cores,
 * `npm run bench -- load` against the same build with the default in one run, send lag p99 6.7 against
 * 9.2 ms at 200 requests/s, 18.1 against 32.3 ms at ~1,000 in flight, 5.1 against 11.4 ms at 15 × 0.5/s,
 * for ~2 % more CPU (docs/load.md).
 */
export const stampingYoungGenerationMb = 8;

/** The thread every stamping thread runs. */
const stampingThread = 'worker/stamp-start.js';

/**
 * Start the worker whose built file is `distribution/<file>`. Run from source (the tests
 * import .ts files), a worker still needs JavaScript: the built one is used then.
 */
export function startWorker(file: string, workerData: unknown, transferList: readonly Transferable[] = []): Worker {
	const distribution = new URL(import.meta.url.endsWith('.ts') ? '../../distribution/' : '../', import.meta.url);
	return new Worker(new URL(file, distribution), {
		workerData,
		transferList: [...transferList],
		...(file === stampingThread ? {resourceLimits: {maxYoungGenerationSizeMb: stampingYoungGenerationMb}} : {}),
	});
}

type Failed = {readonly type: 'failed'; readonly message: string};

/**
 * A thread's first message on `source` (a worker, or a port to it): `ready` (returned) or `failed`
 * (thrown, with the thread's own message). `gone` is the event that says the thread died first:
 * a worker's `error`, a port's `close`. Each of our threads says one of the two once it is warm.
 */
async function firstReady<Ready extends {readonly type: 'ready'}>(source: Worker | MessagePort, gone: 'error' | 'close'): Promise<Ready> {
	return new Promise<Ready>((resolve, reject) => {
		const died = (error?: unknown) => {
			reject(error instanceof Error ? error : new Error('the thread exited before it was ready'));
		};

		// Left in place after the first message: a later `gone` finds the promise settled and does nothing.
		source.once(gone, died);
		source.once('message', (message: Ready | Failed) => {
			if (message.type === 'ready') {
				resolve(message);
			} else {
				reject(new Error(message.type === 'failed' ? message.message : 'the thread said something else before it was ready'));
			}
		});
	});
}

/** Start a worker and wait for its first message (`firstReady`): `ready`, with the worker, or `failed`. */
export async function startReadyWorker<Ready extends {readonly type: 'ready'}>(
	file: string,
	workerData: unknown,
	transferList: readonly Transferable[] = [],
): Promise<{readonly worker: Worker; readonly ready: Ready}> {
	const worker = startWorker(file, workerData, transferList);
	return {worker, ready: await firstReady<Ready>(worker, 'error')};
}

/**
 * Ask a thread to close with `message` and wait for `event` (a worker's `exit`, a port's `close`);
 * `force` ends it when that has not come within 2 s.
 */
async function closeWithin(target: Worker | MessagePort, event: 'exit' | 'close', message: unknown, force: () => void): Promise<void> {
	const ended = new Promise<void>(resolve => {
		target.once(event, () => {
			resolve();
		});
	});
	target.postMessage(message);
	const timer = setTimeout(force, 2000);
	await ended;
	clearTimeout(timer);
}

/** Ask a worker to close with `message`; terminate it when it has not exited within 2 s. */
export async function closeWorker(worker: Worker, message: unknown): Promise<void> {
	await closeWithin(worker, 'exit', message, () => void worker.terminate());
}

/** A thread another thread started, reached through its end of a MessageChannel: its first message (`firstReady`); a port closed before it (the thread died) is an error. */
export async function readyOn<Ready extends {readonly type: 'ready'}>(port: MessagePort): Promise<Ready> {
	return firstReady<Ready>(port, 'close');
}

/** Ask a thread reached through a port to close with `message`; the port is closed here when it has not closed within 2 s. */
export async function closeByPort(port: MessagePort, message: unknown): Promise<void> {
	await closeWithin(port, 'close', message, () => {
		port.close();
	});
}

/**
 * Watch a worker from its start: `closed(ms)` waits for its exit, terminating it when it has not exited
 * within `ms` (an exit before the call counts: a listener added after it would wait forever).
 */
function watchExit(worker: Worker): (ms?: number) => Promise<void> {
	const exited = new Promise<void>(resolve => {
		worker.once('exit', () => {
			resolve();
		});
	});
	return async (ms = 2000) => {
		const timer = setTimeout(() => {
			void worker.terminate();
		}, ms);
		await exited;
		clearTimeout(timer);
	};
}

/** A worker started here that talks to a coordinator elsewhere, on a channel of its own (`startOnChannel`). */
export type ChannelWorker = {
	/** The coordinator's end of the channel (the worker gets the other end as `workerData.port`). */
	readonly port: MessagePort;
	/** Once its coordinator has closed it: wait for its exit, terminating it after `ms`. */
	readonly closed: (ms?: number) => Promise<void>;
	readonly terminate: () => void;
};

/**
 * Start the worker `file` here, to talk on a new channel rather than to this thread: its coordinator (on
 * this thread or another, the port can be transferred) takes `port`. It stays this thread's child.
 */
export function startOnChannel(file: string, workerData: Readonly<Record<string, unknown>>): ChannelWorker {
	const {port1, port2} = new MessageChannel();
	const worker = startWorker(file, {...workerData, port: port1}, [port1]);
	return {
		port: port2,
		closed: watchExit(worker),
		terminate() {
			void worker.terminate();
		},
	};
}
