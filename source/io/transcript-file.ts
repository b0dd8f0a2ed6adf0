// Reading a transcript file back: checked against the schema (core/transcript/read.ts for races,
// core/transcript/read-load.ts for load runs).
import {readFileSync} from 'node:fs';
import type {LoadTranscript} from '../core/load/types.js';
import {TranscriptError, parseTranscript} from '../core/transcript/read.js';
import {checkLoadTranscript, transcriptKind} from '../core/transcript/read-load.js';
import type {Transcript} from '../core/types.js';

export type AnyTranscript = {readonly kind: 'race'; readonly transcript: Transcript} | {readonly kind: 'load'; readonly transcript: LoadTranscript};

/** A file's text; a missing or unreadable file is a one-line TranscriptError. */
export function readTranscriptText(file: string): string {
	try {
		return readFileSync(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		throw new TranscriptError(`${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? (error as Error).message})`}`);
	}
}

/** Read and check a race transcript file. */
export function readTranscriptFile(file: string): Transcript {
	return parseTranscript(readTranscriptText(file), file);
}

/** Read a race or a load transcript, by its `schema`; anything else is a one-line TranscriptError. */
export function readAnyTranscriptFile(file: string): AnyTranscript {
	const text = readTranscriptText(file);
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch {
		// The race reader says what is wrong with the JSON, in the same words as before.
		return {kind: 'race', transcript: parseTranscript(text, file)};
	}

	return transcriptKind(data) === 'load'
		? {kind: 'load', transcript: checkLoadTranscript(data, file)}
		: {kind: 'race', transcript: parseTranscript(text, file)};
}
