// The load transcript (`llmrace/load@1`, docs/load.md "Outputs"): assembled once the run ends.
import {measurementOfThreads} from '../race/measure.js';
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
		measurement: measurementOfThreads(input.threads),
		models: input.models,
	};
}

export function loadTranscriptToJson(transcript: LoadTranscript): string {
	return `${JSON.stringify(transcript, null, 2)}\n`;
}
