// `llmrace show <transcript.json> [--replay [speed]]`: reopen a saved race in the leaderboard, or play it back;
// a load transcript opens in the load leaderboard (commands/load-files.ts).
import process from 'node:process';
import {plainTable} from '../core/report/plain-table.js';
import {replayRace} from '../core/race/replay.js';
import {readAnyTranscriptFile} from '../io/transcript-file.js';
import type {Transcript} from '../core/types.js';
import {UsageError, parseRaceFlags, pipeWidth, type Flags} from '../options.js';

export async function runShow(args: readonly string[], flags: Flags): Promise<number> {
	if (args.length !== 1) {
		throw new UsageError(`show takes one transcript file${args.length > 1 ? `, not ${args.length}` : ''}\nexample: llmrace show race.json`);
	}

	const speed = flags.replay === undefined ? null : Number(flags.replay);
	if (speed !== null && (!Number.isFinite(speed) || speed <= 0 || speed > 1000)) {
		throw new UsageError(`invalid value for --replay: "${flags.replay}" (expected a speed above 0, e.g. 1, 2 or 10)`);
	}

	const file = readAnyTranscriptFile(args[0]!);
	if (file.kind === 'load') {
		const {showLoad} = await import('./load-files.js');
		return showLoad(args[0]!, file.transcript, flags);
	}

	return showTranscript(file.transcript, flags, speed);
}

/** A transcript in the leaderboard (or played back at `speed`); a plain table when stdout is not a terminal. */
export async function showTranscript(transcript: Transcript, flags: Flags, speed: number | null = null): Promise<number> {
	const config = parseRaceFlags(flags);
	if (!process.stdout.isTTY) {
		process.stdout.write(
			plainTable(transcript.models, {sort: config.sort, bracket: config.bracket, runs: transcript.settings.runs, width: pipeWidth(process.env)}),
		);
		return 0;
	}

	const {runLiveLoop} = await import('../session/live.js');
	const {signalled} = await runLiveLoop({
		meta: {
			prompt: transcript.prompt,
			preset: `${transcript.preset}${speed === null ? '' : ` · replay ×${speed}`}`,
			simulated: transcript.simulated,
			region: transcript.region,
		},
		start: speed === null ? undefined : () => replayRace(transcript, speed),
		initialTranscript: speed === null ? transcript : undefined,
		savePath: config.save,
		autoSave: false,
		secrets: [],
		sort: config.sort,
		bracket: config.bracket,
		runs: transcript.settings.runs,
		maxFps: config.maxFps,
	});
	return signalled;
}
