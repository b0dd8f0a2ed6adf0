// Build step (npm run build, after tsc): the stamping thread's module becomes one file, with the OpenAI
// SDK inside it. A stamping thread's start is the first request's critical path (docs/stamping-threads.md,
// start-up): loading its ~25 modules one by one, then the SDK's ~150 files through `require`, took
// ~180 ms of it on this project's 2-core machine; one file of ~430 kB loads in ~60 ms. The code is
// the same (tsc's output, bundled as it is): nothing is minified, and tests run this very file. Then
// its V8 code cache, which each thread's entry (worker/stamp-start.ts) compiles it with.
import {rmSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {Worker} from 'node:worker_threads';
import {build, type Plugin} from 'esbuild';

const distribution = fileURLToPath(new URL('..', import.meta.url));

/**
 * core/http/sdk.js loads the SDK with `require` at run time (a bundler cannot follow that): in the
 * bundle it is a static import of the same package, so the SDK is bundled with the thread's code.
 */
const sdkInside: Plugin = {
	name: 'sdk-inside',
	setup(builder) {
		builder.onResolve({filter: /(^|\/)sdk\.js$/}, arguments_ =>
			arguments_.resolveDir.endsWith('/core/http') ? {path: 'sdk', namespace: 'llmrace-sdk'} : undefined,
		);
		builder.onLoad({filter: /.*/, namespace: 'llmrace-sdk'}, () => ({
			contents: "export {OpenAI, APIError, APIConnectionError, APIConnectionTimeoutError} from 'openai';",
			resolveDir: distribution,
		}));
	},
};

const entry = `${distribution}/worker/stamp-worker.js`;
const file = `${distribution}/worker/stamp-thread.cjs`;
const result = await build({
	entryPoints: [entry],
	outfile: file,
	bundle: true,
	platform: 'node',
	// CommonJS, so a thread can compile it with a V8 code cache (node:vm has no cache for an ES module).
	format: 'cjs',
	target: 'node20',
	plugins: [sdkInside],
	// The SDK builds each request's headers with the global Headers (undici's): ours instead.
	inject: [`${distribution}/build/fetch-globals.js`],
	metafile: true,
	logLevel: 'warning',
	legalComments: 'inline',
});
const output = result.metafile.outputs[Object.keys(result.metafile.outputs)[0]!]!;
const inputs = Object.keys(output.inputs);
if (!inputs.some(input => input.includes('node_modules/openai/'))) {
	throw new Error('bundle-workers: the SDK is not inside the stamping thread’s bundle');
}

// Only the bundle runs (worker/stamp-start.js starts it): tsc's module of the thread would only mislead.
rmSync(entry);
console.log(`bundled the stamping thread: ${inputs.length} modules, ${Math.round(output.bytes / 1024)} kB (distribution/worker/stamp-thread.cjs)`);

// The V8 code cache for it: a thread started here warms up as every stamping thread does, then writes
// what V8 compiled (the file and the functions the warm-up ran) to stamp-thread.cache. Without it (a
// machine where that thread cannot start here) the build still succeeds: threads compile the file.
const thread = new Worker(new URL('../worker/stamp-start.js', import.meta.url), {workerData: {progressMs: null, writeCodeCache: true}});
try {
	const written = await new Promise<number>((resolve, reject) => {
		const timer = setTimeout(() => {
			reject(new Error('no cache within 30 s'));
		}, 30_000);
		thread.on('message', (message: {type: string; bytes?: number; message?: string}) => {
			if (message.type === 'code-cache') {
				clearTimeout(timer);
				resolve(message.bytes!);
			} else if (message.type === 'failed') {
				clearTimeout(timer);
				reject(new Error(message.message));
			}
		});
		thread.once('error', error => {
			clearTimeout(timer);
			reject(error);
		});
	});
	console.log(`wrote its V8 code cache: ${Math.round(written / 1024)} kB (distribution/worker/stamp-thread.cache)`);
} catch (error) {
	console.warn(
		`bundle-workers: no V8 code cache for the stamping thread (${error instanceof Error ? error.message : String(error)}): it will be compiled at each start`,
	);
} finally {
	await thread.terminate();
}
