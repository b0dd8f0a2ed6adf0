// Saving transcript files (reading them back, with the schema, is io/transcript-file.ts).
import {tmpdir} from 'node:os';
import path from 'node:path';
import {redact} from '../core/text/redact.js';
import {transcriptToJson} from '../core/transcript/build.js';
import type {Transcript} from '../core/types.js';
import {defaultTranscriptName, writeFileAtomic} from './save.js';

export type SaveResult = {readonly ok: true; readonly path: string} | {readonly ok: false; readonly error: string; readonly fallback: string | null};

/**
 * Write the transcript atomically, secrets redacted. When the path cannot be
 * written, try a file in the temporary folder so nothing is lost, and say so.
 */
export function saveTranscript(transcript: Transcript, file: string, secrets: readonly string[], fallbackDir: string | null = tmpdir()): SaveResult {
	const json = redact(transcriptToJson(transcript), secrets);
	try {
		writeFileAtomic(file, json);
		return {ok: true, path: file};
	} catch (error) {
		let fallback: string | null = null;
		if (fallbackDir) {
			const candidate = path.join(fallbackDir, defaultTranscriptName(new Date(transcript.finishedAt)));
			try {
				writeFileAtomic(candidate, json);
				fallback = candidate;
			} catch {}
		}

		return {ok: false, error: (error as Error).message, fallback};
	}
}
