// Everything a load run needs before its first request (docs/load.md): preset, models, keys, prices,
// the simulator, the cost estimate; then the run itself on its load worker and stamping threads, and the one place a
// finished load transcript is handed on (save, history).
import process from 'node:process';
import {bracketOf} from '../core/presets/brackets.js';
import {chatOverheadTokens, estimateLoadCost, requestCostUSD, type CostEstimate} from '../core/load/cost.js';
import {requestPrompt} from '../core/load/prompt.js';
import type {LoadMeta, LoadRun, LoadSettings, LoadTranscript} from '../core/load/types.js';
import {loadTokenCounter} from '../core/meter/tokens.js';
import {combinePresets, selectModels} from '../core/presets/presets.js';
import type {ModelSpec, Preset} from '../core/types.js';
import {discoverModels} from '../io/discover.js';
import {pricePresets} from '../io/price-database.js';
import {loadPreset} from '../io/presets.js';
import {saveLoadRun} from '../io/save-load.js';
import {UsageError, type LoadConfig} from '../options.js';
import {simModelOf, startSimulator, type Simulator} from '../sim/index.js';
import {toolVersion} from '../version.js';
import {startLoad} from '../worker/remote-load.js';
import {resolveKeys, serverPreset} from './session.js';

export type LoadSession = {
	readonly prompt: string;
	readonly config: LoadConfig;
	readonly preset: Preset;
	readonly models: readonly ModelSpec[];
	readonly simulated: boolean;
	readonly settings: LoadSettings;
	readonly meta: LoadMeta;
	/** What the run could send and cost at most (shown by the cost guard before a paid load). */
	readonly estimate: CostEstimate;
	readonly secrets: readonly string[];
	readonly start: () => Promise<LoadRun>;
	readonly close: () => Promise<void>;
};

/** The models of the presets (discovered where asked), priced, selected, with --base-url/--api-key-env applied. */
async function resolveModels(config: LoadConfig, env: NodeJS.ProcessEnv): Promise<{preset: Preset; models: ModelSpec[]; simulated: boolean}> {
	const loaded: Preset[] =
		config.presets.length === 0 && config.baseURL !== null
			? [serverPreset(config.baseURL, config.apiKeyEnv)]
			: await Promise.all(config.presets.map(async name => loadPreset(name, env)));
	const conflict = config.baseURL === null ? undefined : loaded.find(preset => preset.simulated);
	if (conflict) {
		throw new UsageError(
			`--base-url cannot go with the simulated preset ${conflict.name}\nleave out -p to load what that server lists, or give a preset for it`,
		);
	}

	const expanded = await Promise.all(
		loaded.map(async preset => {
			if (!(preset.discover || (config.discover && !(preset.simulated && config.baseURL === null)))) {
				return preset;
			}

			const baseURL = config.baseURL ?? preset.baseURL ?? preset.models[0]?.baseURL ?? null;
			if (!baseURL) {
				throw new UsageError(`--discover needs a base URL: preset ${preset.name} has none at its top; give one with --base-url`);
			}

			const models = await discoverModels({...preset, baseURL, apiKeyEnv: config.apiKeyEnv ?? preset.apiKeyEnv}, env, {insecure: config.insecure});
			return {...preset, simulated: false, baseURL, models, discover: false};
		}),
	);
	const preset = combinePresets(await pricePresets(expanded));
	let models = (config.models ? selectModels(preset, config.models) : preset.models).map(model => ({
		...model,
		...(config.baseURL ? {baseURL: config.baseURL} : {}),
		...(config.apiKeyEnv ? {apiKeyEnv: config.apiKeyEnv} : {}),
	}));
	if (config.bracket !== null) {
		models = models.filter(model => bracketOf(model.price.outputPerM, preset.brackets) === config.bracket);
		if (models.length === 0) {
			throw new UsageError(`no model of the ${config.bracket} bracket in preset ${preset.name}`);
		}
	}

	return {preset, models, simulated: preset.simulated && config.baseURL === null};
}

export async function openLoadSession(prompt: string, config: LoadConfig, env: NodeJS.ProcessEnv = process.env): Promise<LoadSession> {
	const {preset, models: chosen, simulated} = await resolveModels(config, env);
	const keys = simulated ? new Map<string, string>() : resolveKeys(chosen, env);
	const settings: LoadSettings = {
		rates: config.rates,
		arrivals: config.arrivals,
		durationMs: config.durationMs,
		requests: config.requests,
		maxConcurrency: config.maxConcurrency,
		slo: config.slo,
		sweep: config.sweep,
		seed: config.seed,
		uniquePrompts: config.uniquePrompts,
		maxTokens: config.maxTokens,
		temperature: config.temperature,
		timeoutMs: config.timeoutMs,
		maxCostUSD: config.maxCostUSD,
		keepText: config.keepText,
	};
	const countTokens = await loadTokenCounter();
	const promptTokens = countTokens(requestPrompt(prompt, config.uniquePrompts, 'xxxxxxxx-0-0-0')) + chatOverheadTokens;
	const estimate = estimateLoadCost(chosen, settings, config.seed, promptTokens);
	const costs = Object.fromEntries(chosen.map(model => [model.id, requestCostUSD(model, promptTokens, config.maxTokens) ?? 0]));
	let models = chosen;
	let simulator: Simulator | undefined;
	const meta: LoadMeta = {
		prompt,
		preset: preset.name,
		region: config.region,
		simulated,
		settings,
		maxFps: config.maxFps,
		savePath: config.save,
	};
	return {
		prompt,
		config,
		preset,
		models,
		simulated,
		settings,
		meta,
		estimate,
		secrets: [...keys.values()],
		async start() {
			// Nothing is sent, and no simulator started, before the cost guard said yes.
			if (simulated) {
				simulator = await startSimulator({models: models.map(model => simModelOf(model, config.region)), seed: config.seed});
				const {baseURL} = simulator;
				models = models.map(model => ({...model, baseURL}));
				await simulator.warmUp();
			}

			return startLoad({
				models,
				prompt,
				settings,
				seed: config.seed,
				simulated,
				providerSeed: !simulated && config.seedGiven ? config.seed : null,
				brackets: preset.brackets,
				idleTimeoutMs: config.idleTimeoutMs ?? undefined,
				insecure: config.insecure,
				keys: Object.fromEntries(keys),
				requestCostUSD: costs,
				maxCostUSD: config.maxCostUSD,
				frameMs: Math.round(1000 / config.maxFps),
				region: config.region,
				preset: preset.name,
				toolVersion,
			});
		},
		async close() {
			await simulator?.close();
		},
	};
}

/**
 * The one place a finished load transcript is saved with --save (commands/load.ts then records it in the
 * history, after the output). Returns the lines to show on stderr.
 */
export function handOnLoadTranscript(transcript: LoadTranscript, session: Pick<LoadSession, 'config' | 'secrets'>): string[] {
	const lines: string[] = [];
	if (session.config.save) {
		const saved = saveLoadRun(transcript, session.config.save, session.secrets);
		lines.push(
			saved.ok
				? `llmrace: saved ${saved.path}`
				: `llmrace: ${saved.error}${saved.fallback ? `\nllmrace: the transcript was saved to ${saved.fallback} instead` : ''}`,
		);
	}

	return lines;
}
