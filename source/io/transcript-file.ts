// Reading a transcript file back: checked against the schema (core/transcript/read.ts).
import {readFileSync} from 'node:fs';
import {TranscriptError, parseTranscript} from '../core/transcript/read.js';
import type {LoadTranscript} from '../core/load/types.js';
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

type ReadRun = {readonly kind: 'race'; readonly transcript: Transcript} | {readonly kind: 'load'; readonly transcript: LoadTranscript};

/** A race transcript (checked in full) or a load run's (`llmrace/load@1`: its outline checked). */
export function readAnyTranscript(file: string): ReadRun {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		throw new TranscriptError(`${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? (error as Error).message})`}`);
	}

	const schema = /"schema"\s*:\s*"([^"]*)"/.exec(text)?.[1];
	if (schema === 'llmrace/load@1') {
		let data: LoadTranscript;
		try {
			data = JSON.parse(text) as LoadTranscript;
		} catch {
			throw new TranscriptError(`${file}: not valid JSON (truncated or corrupt?)`);
		}

		const valid =
			typeof data.id === 'string' &&
			typeof data.startedAt === 'string' &&
			typeof data.finishedAt === 'string' &&
			Array.isArray(data.models) &&
			data.models.every(model => typeof model?.id === 'string' && Array.isArray(model.steps));
		if (!valid) {
			throw new TranscriptError(`${file}: not a complete llmrace load run (id, startedAt, finishedAt and models with steps are needed)`);
		}

		return {kind: 'load', transcript: data};
	}

	return {kind: 'race', transcript: parseTranscript(text, file)};
}
