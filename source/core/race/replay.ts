// Replaying a saved race on screen from its chunk timestamps, at real speed or faster.
import {performance} from 'node:perf_hooks';
import {rollingWindowMs, type LiveRunView} from '../meter/meter.js';
import type {ModelState, ModelView, Race, RaceSnapshot} from './race.js';
import {summarizeRuns} from '../transcript/build.js';
import type {Clock, ModelResult, RunRecord, Transcript} from '../types.js';

/** The pause between one model's runs on the replayed timeline (the transcript does not keep it). */
const gapBetweenRunsMs = 50;

type Timeline = {readonly model: ModelResult; readonly starts: readonly number[]; readonly end: number};

function timelineOf(model: ModelResult): Timeline {
	const starts: number[] = [];
	let at = 0;
	for (const run of model.runs) {
		starts.push(at);
		at += (run.totalMs ?? 0) + gapBetweenRunsMs;
	}

	return {model, starts, end: Math.max(0, at - gapBetweenRunsMs)};
}

function liveOf(run: RunRecord, offset: number): {live: LiveRunView; text: string; reasoningText: string} {
	let text = '';
	let reasoningText = '';
	let count = 0;
	let rolling = 0;
	for (const chunk of run.chunks) {
		if (chunk[0] > offset) {
			break;
		}

		count++;
		if (chunk.length === 3) {
			reasoningText += chunk[1];
		} else {
			text += chunk[1];
		}

		// As the meter does: over the last second, or since the first chunk while the stream is younger.
		if (chunk[0] > Math.max(offset - rollingWindowMs, run.chunks[0]![0])) {
			rolling++;
		}
	}

	const coveredMs = run.chunks.length === 0 ? 0 : offset - Math.max(offset - rollingWindowMs, run.chunks[0]![0]);

	const perChunk = run.outputTokens && run.chunks.length > 0 ? run.outputTokens / run.chunks.length : 1;
	return {
		live: {
			ttftMs: run.ttftMs !== null && run.ttftMs <= offset ? run.ttftMs : null,
			ttfaMs: run.ttfaMs !== null && run.ttfaMs <= offset ? run.ttfaMs : null,
			tokens: Math.round(count * perChunk),
			// Before the stream's end the count is the chunks so far scaled to the final count: an estimate, shown with "~".
			tokensEstimated: run.tokenSource !== 'usage' || offset < (run.totalMs ?? 0),
			rollingTokensPerSecond: coveredMs > 0 ? Math.round((rolling * perChunk) / (coveredMs / 1000)) : 0,
			textLength: text.length + reasoningText.length,
		},
		text,
		reasoningText,
	};
}

/** The race as it stood `at` ms (replayed time) after its start. Pure. */
export function replaySnapshot(
	transcript: Transcript,
	at: number,
	timelines: readonly Timeline[] = transcript.models.map(model => timelineOf(model)),
): RaceSnapshot {
	const finishOrder = [...timelines].filter(line => line.model.summary.ok > 0).sort((a, b) => a.end - b.end);
	const runCount = transcript.settings.runs + transcript.settings.warmup;
	const models = timelines.map((line): ModelView => {
		const {model} = line;
		let current = -1;
		for (const [index, start] of line.starts.entries()) {
			if (start <= at) {
				current = index;
			}
		}

		const finished = at >= line.end;
		const past = model.runs.slice(0, finished ? model.runs.length : Math.max(0, current));
		const run = current >= 0 ? model.runs[current]! : null;
		const offset = run ? Math.min(at - line.starts[current]!, run.totalMs ?? 0) : 0;
		const shown = run ? liveOf(run, finished ? Number.POSITIVE_INFINITY : offset) : null;
		let state: ModelState = 'queued';
		if (finished) {
			state = model.summary.ok > 0 ? 'done' : model.runs.at(-1)?.status === 'aborted' ? 'aborted' : 'error';
		} else if (shown) {
			state = shown.live.ttfaMs === null ? (shown.live.ttftMs === null ? 'connecting' : 'thinking') : 'streaming';
		}

		const place = finished ? finishOrder.indexOf(line) + 1 : 0;
		return {
			spec: {
				id: model.id,
				name: model.name,
				provider: model.provider,
				baseURL: model.baseURL,
				apiKeyEnv: null,
				headers: {},
				price: model.price,
				reasoning: model.reasoning ?? false,
				reference: null,
			},
			bracket: model.bracket,
			state,
			runNumber: current + 1,
			runCount,
			warmup: run?.warmup ?? false,
			t0: run ? line.starts[current]! : null,
			endedAt: finished ? line.end : null,
			live: shown?.live ?? null,
			text: shown?.text ?? '',
			reasoningText: shown?.reasoningText ?? '',
			costSoFarUSD: shown && model.price.outputPerM !== null ? (shown.live.tokens * model.price.outputPerM) / 1e6 : null,
			place: place > 0 ? place : null,
			lastError: [...past].reverse().find(record => record.error)?.error ?? null,
			records: past,
			summary: summarizeRuns(past, model.price),
		};
	});
	const end = Math.max(0, ...timelines.map(line => line.end));
	return {version: Math.floor(at), startedAt: 0, finishedAt: at >= end ? end : null, aborted: false, models};
}

/** A Race that plays a transcript back: `speed` 1 is real time, 10 is ten times faster. */
export function replayRace(transcript: Transcript, speed: number, realClock: Clock = () => performance.now()): Race {
	const timelines = transcript.models.map(model => timelineOf(model));
	const end = Math.max(0, ...timelines.map(line => line.end));
	const startedAt = realClock();
	let stoppedAt: number | null = null;
	// Played to the end: a timer may fire a fraction of a ms early, and the last frame must show the whole race.
	let ended = false;
	const clock = () => (ended ? end : Math.min(end, ((stoppedAt ?? realClock()) - startedAt) * speed));
	let finish: () => void = () => {};
	const done = new Promise<Transcript>(resolve => {
		finish = () => {
			resolve(transcript);
		};
	});
	const timer = setTimeout(() => {
		ended = true;
		finish();
	}, end / speed);
	return {
		version: () => Math.floor(clock()),
		snapshot: () => replaySnapshot(transcript, clock(), timelines),
		abort() {
			stoppedAt ??= realClock();
			clearTimeout(timer);
			finish();
		},
		done,
		clock,
	};
}
