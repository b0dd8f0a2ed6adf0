// The error of a transcript that cannot be read or trusted: one line naming the file and the problem.
// Its own module, free of the schema (zod), so that the command line can recognise it without loading that.
export class TranscriptError extends Error {
	override name = 'TranscriptError';
}
