// Which race a transcript is (docs/transcript.md "id"): its `id`, a random UUID made when the race
// started; a transcript written before ids existed is identified by a hash of its content instead, so
// reading the same old file twice names the same race (history import stays idempotent).
import {createHash} from 'node:crypto';

/** Prefix of an identity made from content, so it can never be mistaken for a race's own UUID. */
export const contentIdPrefix = 'sha256:';

/**
 * The race's id: `id` when the transcript has one, else `sha256:` and the first 40 hex digits of the
 * SHA-256 of its JSON with `id` left out (the parsed value: the file's whitespace does not matter).
 */
export function transcriptIdentity(transcript: {readonly id?: string | undefined}): string {
	if (typeof transcript.id === 'string' && transcript.id.length > 0) {
		return transcript.id;
	}

	const {id: _id, ...content} = transcript;
	return `${contentIdPrefix}${createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 40)}`;
}
