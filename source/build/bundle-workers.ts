// Build step (npm run build, after tsc): the stamping thread's module becomes one file, with the OpenAI
// SDK inside it. A stamping thread's start is the first request's critical path (docs/stamping-threads.md,
// start-up): loading its ~25 modules one by one, then the SDK's ~150 files through `require`, took
// ~180 ms of it on this project's 2-core machine; one file of ~430 kB loads in ~60 ms. The code is
// the same (tsc's output, bundled as it is): nothing is minified, and tests run this very file.
import {fileURLToPath} from 'node:url';
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

const file = `${distribution}/worker/stamp-worker.js`;
const result = await build({
	entryPoints: [file],
	outfile: file,
	allowOverwrite: true,
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	plugins: [sdkInside],
	metafile: true,
	logLevel: 'warning',
	legalComments: 'inline',
});
const output = result.metafile.outputs[Object.keys(result.metafile.outputs)[0]!]!;
const inputs = Object.keys(output.inputs);
if (!inputs.some(input => input.includes('node_modules/openai/'))) {
	throw new Error('bundle-workers: the SDK is not inside the stamping thread’s bundle');
}

console.log(`bundled the stamping thread: ${inputs.length} modules, ${Math.round(output.bytes / 1024)} kB (distribution/worker/stamp-worker.js)`);
