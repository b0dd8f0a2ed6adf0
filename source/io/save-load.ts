// Saving load transcripts (llmrace/load@1): atomically, secrets redacted, a fallback in the temporary folder.
import {tmpdir} from 'node:os';
import path from 'node:path';
import {loadTranscriptToJson} from '../core/load/transcript.js';
import type {LoadTranscript} from '../core/load/types.js';
import {redact} from '../core/text/redact.js';
import {defaultTranscriptName, writeFileAtomic} from './save.js';
import type {SaveResult} from './transcripts.js';

export function saveLoadTranscript(transcript: LoadTranscript, file: string, secrets: readonly string[], fallbackDir: string | null = tmpdir()): SaveResult {
	const json = redact(loadTranscriptToJson(transcript), secrets);
	try {
		writeFileAtomic(file, json);
		return {ok: true, path: file};
	} catch (error) {
		let fallback: string | null = null;
		if (fallbackDir) {
			const candidate = path.join(fallbackDir, defaultTranscriptName(new Date(transcript.finishedAt)).replace(/^llmrace-/, 'llmrace-load-'));
			try {
				writeFileAtomic(candidate, json);
				fallback = candidate;
			} catch {}
		}

		return {ok: false, error: (error as Error).message, fallback};
	}
}
