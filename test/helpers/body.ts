// Reading a response body the way the engine reads one (core/http/stream-body.ts): its events, as text.
import type {BodyStream} from '../../source/core/http/fetch-response.js';

/** The whole of `body` as UTF-8 text, once it ended; rejects with its error. */
export async function readBody(body: BodyStream): Promise<string> {
	body.setEncoding('utf8');
	return new Promise<string>((resolve, reject) => {
		let text = '';
		body.on('data', (piece: string) => {
			text += piece;
		});
		body.on('end', () => {
			resolve(text);
		});
		body.on('error', reject);
	});
}
