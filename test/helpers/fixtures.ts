// Hand-built races for UI and report tests: fixed figures, no clock, no network.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {parsePresetText} from '../../source/core/presets/schema.js';
import {shippedPresetDir} from '../../source/io/presets.js';
import {bracketOf} from '../../source/core/presets/brackets.js';
import {buildTranscript} from '../../source/core/transcript/build.js';
import type {ChunkEntry, ModelSpec, Preset, RunRecord, Transcript} from '../../source/core/types.js';

/** A shipped preset, parsed from its file (synchronously, for fixtures built at a test file's top). */
export function shippedPreset(name: string): Preset {
	const file = path.join(shippedPresetDir, `${name}.yaml`);
	return parsePresetText(readFileSync(file, 'utf8'), file);
}

export function fakeRun(model: ModelSpec, index: number, overrides: Partial<RunRecord> = {}): RunRecord {
	const ttft = model.reasoning ? (model.reference?.ttftMs ?? 500) / 4 : (model.reference?.ttftMs ?? 500) + index;
	const ttfa = model.reasoning ? (model.reference?.ttftMs ?? 500) + index : ttft;
	const tps = model.reference?.tokensPerSecond ?? 50;
	const outputTokens = 150;
	const text = `${model.name} says: recursion is a function calling itself until a base case. `.repeat(3).trim();
	const chunks: ChunkEntry[] = text.split(/(?= )/).map((piece, position) => [ttfa + (position * 1000) / tps, piece]);
	return {
		index,
		warmup: false,
		status: 'ok',
		error: null,
		ttftMs: ttft,
		ttfaMs: ttfa,
		totalMs: ttfa + ((outputTokens - 1) * 1000) / tps,
		promptTokens: 14,
		outputTokens,
		tokenSource: 'usage',
		reasoningTokens: model.reasoning ? 20 : null,
		hiddenReasoning: false,
		serverTimings: null,
		tokensPerSecond: tps,
		interChunkMs: {p50: 1000 / tps, p95: 1000 / tps + 2, p99: 1000 / tps + 3, max: 1000 / tps + 5},
		costUSD: model.price.outputPerM === null ? null : (outputTokens * model.price.outputPerM) / 1e6,
		finishReason: 'stop',
		truncated: false,
		phases: {dnsMs: null, connectMs: index === 0 ? 2 : null, tlsMs: null, sentMs: index === 0 ? 3 : 0.5, headersMs: ttft - 5, reused: index > 0},
		flags: [],
		servedModel: null,
		reconnected: false,
		text,
		reasoningText: model.reasoning ? 'Let me think about the clearest example first.' : '',
		chunks,
		...overrides,
	};
}

/** The demo's 15 models with their published figures as if measured; `failing` ids fail with a 503. */
export function demoTranscript(options: {region?: string; runs?: number; failing?: readonly string[]; ttftShift?: Record<string, number>} = {}): Transcript {
	const preset = shippedPreset('demo');
	const runs = options.runs ?? 1;
	return buildTranscript({
		toolVersion: '0.1.0',
		startedAt: new Date('2026-05-20T10:00:00.000Z'),
		finishedAt: new Date('2026-05-20T10:00:17.512Z'),
		region: options.region ?? 'us-east',
		prompt: 'Explain recursion in 200 words',
		preset: 'demo',
		simulated: true,
		settings: {runs, warmup: 0, maxTokens: 512, temperature: null, concurrency: null, timeoutMs: 120_000, seed: 7},
		aborted: false,
		models: preset.models.map(spec => ({
			spec: {...spec, baseURL: 'http://127.0.0.1:41234/v1'},
			bracket: bracketOf(spec.price.outputPerM, preset.brackets),
			runs: Array.from({length: runs}, (_, index) => {
				const shift = options.ttftShift?.[spec.id] ?? 0;
				const base = fakeRun(spec, index);
				// A regional shift is the server's (as in the simulator): it moves the headers with the first token.
				const phases = base.phases && {...base.phases, headersMs: base.phases.headersMs === null ? null : base.phases.headersMs + shift};
				const run = {...base, ttftMs: base.ttftMs! + shift, ttfaMs: base.ttfaMs! + shift, phases};
				return options.failing?.includes(spec.id)
					? {
							...run,
							status: 'error' as const,
							error: {kind: 'server' as const, status: 503, message: 'upstream overloaded'},
							outputTokens: null,
							tokenSource: null,
							tokensPerSecond: null,
							costUSD: null,
							text: '',
							chunks: [],
						}
					: run;
			}),
		})),
	});
}
