// Injected into the stamping thread's bundle (bundle-workers.ts): the SDK's references to these globals
// become these, so nothing on that thread loads undici (core/http/fetch-response.ts says why).
export {FetchHeaders as Headers} from '../core/http/fetch-response.js';

/**
 * The SDK asks whether each request's body is form data (`body instanceof FormData`). A stamping thread
 * sends chat completions, JSON, never form data: no body is one of these, and none can be made.
 */
export class FormData {
	constructor() {
		throw new TypeError('a stamping thread sends no form data');
	}
}
