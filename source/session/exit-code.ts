// The one exit-code rule of a race (docs/cli.md), for the live UI and the headless modes alike.
import type {Transcript} from '../core/types.js';

/**
 * The signal's status (130 SIGINT, 143 SIGTERM, 129 SIGHUP) when one stopped the race, else
 * 0 when at least one model completed a run and 1 when every run failed (or nothing ran).
 * A Ctrl-C pressed in the live UI is a key, not a signal: it stops the race and quitting follows 0/1.
 */
export function exitCodeOf(transcript: Transcript | undefined, signalExit = 0): number {
	if (signalExit !== 0) {
		return signalExit;
	}

	return transcript?.models.some(model => model.summary.ok > 0) ? 0 : 1;
}
