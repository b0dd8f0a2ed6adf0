// Reading a transcript file back: checked against the schema (core/transcript/read.ts).
import {readFileSync} from 'node:fs';
import {TranscriptError, parseTranscript} from '../core/transcript/read.js';
import type {Transcript} from '../core/types.js';

/** Read and check a transcript file; a missing or unreadable file is a one-line TranscriptError too. */
export function readTranscriptFile(file: string): Transcript {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		throw new TranscriptError(`${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? (error as Error).message})`}`);
	}

	return parseTranscript(text, file);
}
