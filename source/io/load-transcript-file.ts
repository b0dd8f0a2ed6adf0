// Load transcript files (`llmrace/load@1`, docs/load.md): reading one back with the schema
// (core/transcript/read-load.ts; a file of either kind: io/transcript-file.ts) and their default name.
// Saving one: io/save-load.ts.
import type {LoadTranscript} from '../core/load/types.js';
import {TranscriptError} from '../core/transcript/error.js';
import {checkLoadTranscript} from '../core/transcript/read-load.js';
import {readTranscriptText} from './transcript-file.js';

/** Read and check a load transcript file. */
export function readLoadTranscriptFile(file: string): LoadTranscript {
	const text = readTranscriptText(file);
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch (error) {
		throw new TranscriptError(`${file}: not valid JSON${text.trim() ? ' (truncated or corrupt?)' : ' (empty file)'}: ${(error as Error).message}`);
	}

	return checkLoadTranscript(data, file);
}

/** The default name of a saved load run: llmrace-load-YYYYMMDD-HHMMSS.json (local time). */
export function defaultLoadTranscriptName(date: Date): string {
	const pad = (value: number) => String(value).padStart(2, '0');
	return `llmrace-load-${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}.json`;
}
