// Saving a race the user asked to keep (`w` on the leaderboard, or --save when it ends).
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {Transcript} from '../core/types.js';
import {defaultTranscriptName} from '../io/save.js';
import {saveTranscript} from '../io/transcripts.js';
import type {SaveOutcome} from '../ui/board/show-results.js';

/**
 * Saving from the UI: to --save when given, else llmrace-YYYYMMDD-HHMMSS.json here.
 * When that fails the race stays in memory and the next `w` tries a new file in the temporary folder.
 */
export function createSaver(savePath: string | null, secrets: readonly string[]): (transcript: Transcript) => SaveOutcome {
	let fallback: string | null = null;
	return transcript => {
		const target = fallback ?? savePath ?? path.resolve(defaultTranscriptName(new Date()));
		const result = saveTranscript(transcript, target, secrets, null);
		if (result.ok) {
			fallback = null;
			return {ok: true, message: `saved ${result.path}`};
		}

		// A new file in the temporary folder's root, even when the failed path is under that folder
		// (`-o /tmp/x/race.json`): only that very file again would be no fallback.
		const candidate = path.join(tmpdir(), defaultTranscriptName(new Date()));
		fallback = candidate === path.resolve(target) ? null : candidate;
		return {ok: false, message: `${result.error} · the race is kept: press w to save to ${fallback ?? target}`};
	};
}
