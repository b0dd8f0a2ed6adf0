// `llmrace [prompt]`: open a session, run the race live, as a plain table, or as JSON.
import process from 'node:process';
import {loadCellWidths} from '../core/text/cells.js';
import {formatMs, formatTps} from '../core/text/format.js';
import {plainTable} from '../core/report/plain-table.js';
import type {ModelView} from '../core/race/race.js';
import {redact} from '../core/text/redact.js';
import {sanitizeLine} from '../core/text/sanitize.js';
import {transcriptToJson} from '../core/transcript/build.js';
import type {Transcript} from '../core/types.js';
import {saveTranscript} from '../io/transcripts.js';
import {parseRaceFlags, pipeWidth, type Flags, type RaceConfig} from '../options.js';
import {onStopSignal} from '../runtime/signals.js';
import {engineModeOf} from '../session/engine-boot.js';
import {historySettings, startRecorder, type HistoryRecorder, type HistorySettings} from '../session/history.js';
import {exitCodeOf} from '../session/exit-code.js';
import {openSession, type Session} from '../session/session.js';

function banner(session: Session): string {
	const count = session.models.length;
	const what = session.simulated
		? `${count} simulated model${count === 1 ? '' : 's'} (preset ${session.preset.name}: replays published figures; no network, no API key)`
		: `${count} model${count === 1 ? '' : 's'} (preset ${session.preset.name})`;
	const runs = session.settings.runs > 1 || session.settings.warmup > 0 ? `, ${session.settings.runs} runs + ${session.settings.warmup} warm-up each` : '';
	const insecure = session.config.insecure ? 'llmrace: --insecure: TLS certificates are NOT checked for this race\n' : '';
	return `${insecure}llmrace: racing ${what}${runs}\n`;
}

function progressLine(model: ModelView, done: number, total: number): string {
	const mark = model.state === 'done' ? '✓' : '✗';
	const figures =
		model.state === 'done'
			? `TTFT ${formatMs(model.summary.ttftMs?.median)}  ${formatTps(model.summary.tokensPerSecond?.median)} tok/s`
			: `${model.lastError?.kind ?? model.state}: ${model.lastError?.message ?? ''}`;
	return `  ${mark} ${sanitizeLine(`${model.spec.name}  ${figures}`)}  (${done}/${total})\n`;
}

async function runHeadless(session: Session, mode: 'json' | 'plain', recorder: HistoryRecorder): Promise<number> {
	const {config} = session;
	process.stderr.write(banner(session));
	// The store opened while the session did; done before the first request, so it never blocks the race.
	await recorder.ready();
	let finished = 0;
	const showProgress = process.stderr.isTTY === true;
	const race = session.start(model => {
		finished++;
		if (showProgress) {
			process.stderr.write(progressLine(model, finished, session.models.length));
		}
	});
	// string-width (~45 ms to load) is needed only by the table at the end: it loads once the race has
	// started, not on the first request's path (the progress lines need no cell widths).
	const widths = loadCellWidths();
	widths.catch(() => undefined);
	let signalExit = 0;
	const stopListening = onStopSignal(code => {
		signalExit ||= code;
		race.abort();
	});
	let transcript: Transcript;
	try {
		transcript = await race.done;
	} finally {
		stopListening();
	}

	await widths;
	if (config.save) {
		const saved = saveTranscript(transcript, config.save, session.secrets);
		process.stderr.write(
			saved.ok
				? `llmrace: saved ${saved.path}\n`
				: `llmrace: ${saved.error}\n${saved.fallback ? `llmrace: the transcript was saved to ${saved.fallback} instead\n` : ''}`,
		);
	}

	if (mode === 'json') {
		process.stdout.write(redact(transcriptToJson(transcript), session.secrets));
	} else {
		process.stdout.write(
			redact(plainTable(transcript.models, {sort: config.sort, bracket: config.bracket, runs: config.runs, width: pipeWidth(process.env)}), session.secrets),
		);
		if (transcript.aborted) {
			process.stdout.write('(race stopped before the end: figures cover what arrived)\n');
		}
	}

	// After the output: recording never delays it, and a store that fails costs one line, not the race.
	for (const line of await recorder.record({kind: 'race', transcript})) {
		process.stderr.write(`${line}\n`);
	}

	return exitCodeOf(transcript, signalExit);
}

async function runPlainOrJson(prompt: string, config: RaceConfig, mode: 'json' | 'plain', history: HistorySettings): Promise<number> {
	// The history store opens (driver loaded, store migrated) while the session opens, not after the race.
	const recorder = startRecorder(history);
	try {
		const session = await openSession(prompt, config, 'local');
		try {
			return await runHeadless(session, mode, recorder);
		} finally {
			await session.close();
		}
	} finally {
		// A race that never finished records nothing (after record() this does nothing).
		await recorder.cancel();
	}
}

export async function runRace(prompt: string, flags: Flags): Promise<number> {
	const config = parseRaceFlags(flags);
	const history = historySettings(flags, process.env);
	// The same choice main.ts made when it booted the engine (session/engine-boot.ts).
	if (engineModeOf(config.json, process.stdout.isTTY === true) === 'worker') {
		const {runLive} = await import('../session/live.js');
		return runLive(prompt, config, history);
	}

	return runPlainOrJson(prompt, config, config.json ? 'json' : 'plain', history);
}
