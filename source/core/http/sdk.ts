// The OpenAI SDK, loaded as CommonJS. Its ESM build is ~150 files that Node 20's ESM loader resolves
// one by one: measured 110–150 ms to import, against 70 ms to require the same package. That import
// is on the first request's path (a stamping thread loads it before it is ready, docs/stamping-threads.md,
// start-up), so every module of llmrace takes the SDK from here: one instance, so `instanceof APIError`
// holds for what any of them throws.
import {createRequire} from 'node:module';

const sdk = createRequire(import.meta.url)('openai') as typeof import('openai');

export const {OpenAI, APIError, APIConnectionError, APIConnectionTimeoutError} = sdk;
export type OpenAI = import('openai').OpenAI;
export type APIError = import('openai').APIError;
