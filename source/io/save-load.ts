// Saving a finished load run (--save, `w`): io/load-transcript-file.ts writes it; this keeps it
// when the path cannot be written, in the temporary folder, and says so. Nothing is lost on failure.
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {LoadTranscript} from '../core/load/types.js';
import {defaultLoadTranscriptName, saveLoadTranscript} from './load-transcript-file.js';
import type {SaveResult} from './transcripts.js';

export function saveLoadRun(transcript: LoadTranscript, file: string, secrets: readonly string[], fallbackDir: string | null = tmpdir()): SaveResult {
	try {
		return {ok: true, path: saveLoadTranscript(transcript, file, secrets)};
	} catch (error) {
		let fallback: string | null = null;
		if (fallbackDir) {
			try {
				fallback = saveLoadTranscript(transcript, path.join(fallbackDir, defaultLoadTranscriptName(new Date(transcript.finishedAt))), secrets);
			} catch {}
		}

		return {ok: false, error: (error as Error).message, fallback};
	}
}
