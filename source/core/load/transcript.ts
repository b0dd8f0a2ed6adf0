// The load transcript (`llmrace/load@1`, docs/load.md "Outputs"): assembled once the run ends.
import type {Measurement} from '../types.js';
import {loadTranscriptSchema, type LoadModelResult, type LoadSettings, type LoadTranscript} from './types.js';

export type LoadTranscriptInput = {
	readonly id: string;
	readonly toolVersion: string;
	readonly startedAt: string;
	readonly finishedAt: string;
	readonly region: string | null;
	readonly prompt: string;
	readonly preset: string;
	readonly simulated: boolean;
	readonly settings: LoadSettings;
	readonly aborted: boolean;
	/** Each stamping thread's event-loop delay and the models it ran. */
	readonly threads: ReadonlyArray<NonNullable<Measurement['threads']>[number]>;
	readonly models: readonly LoadModelResult[];
};

/** The client's own error bars: each figure the worst across the stamping threads, and each thread's own. */
export function measurementOf(threads: LoadTranscriptInput['threads']): Measurement | null {
	if (threads.length === 0) {
		return null;
	}

	const worst = (key: 'p50' | 'p99' | 'max') => Math.max(...threads.map(thread => thread.eventLoopDelayMs[key]));
	return {eventLoopDelayMs: {p50: worst('p50'), p99: worst('p99'), max: worst('max')}, clock: 'performance.now', threads};
}

export function buildLoadTranscript(input: LoadTranscriptInput): LoadTranscript {
	return {
		schema: loadTranscriptSchema,
		id: input.id,
		tool: {name: 'llmrace', version: input.toolVersion},
		startedAt: input.startedAt,
		finishedAt: input.finishedAt,
		region: input.region,
		prompt: input.prompt,
		preset: input.preset,
		simulated: input.simulated,
		settings: input.settings,
		aborted: input.aborted,
		measurement: measurementOf(input.threads),
		models: input.models,
	};
}

export function loadTranscriptToJson(transcript: LoadTranscript): string {
	return `${JSON.stringify(transcript, null, 2)}\n`;
}
