// A stamping thread's entry. Its code (worker/stamp-worker.ts and the SDK) is one bundled file,
// stamp-thread.cjs, compiled here with the V8 code cache the build made for it (runtime/code-cache.ts):
// on a 2-core machine the thread is ready ~10 ms sooner on its own and the first request left 7–26 ms
// sooner (its start is the first request's critical path, docs/stamping-threads.md, start-up). The
// build itself starts a thread here to make that cache.
import {writeFileSync} from 'node:fs';
import {parentPort, workerData} from 'node:worker_threads';
import {compileWithCache} from '../runtime/code-cache.js';
import type {StampBoot} from './stamp-protocol.js';

const bundle = new URL('stamp-thread.cjs', import.meta.url);
const cacheFile = new URL('stamp-thread.cache', import.meta.url);
const compiled = compileWithCache(bundle, cacheFile);
const thread = compiled.run() as {readonly started: Promise<void>};
if ((workerData as StampBoot).writeCodeCache) {
	// After the warm-up, so the cache holds what it compiled too.
	await thread.started;
	const cache = compiled.script.createCachedData();
	writeFileSync(cacheFile, cache);
	parentPort!.postMessage({type: 'code-cache', bytes: cache.byteLength});
}
