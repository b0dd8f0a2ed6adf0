// Everything a race needs before the first t0: preset, models, keys, simulator, tokenizer, a warm HTTP stack.
// The live UI's thread loads none of the engine (core/race, core/stream and so the SDK, the tokenizer):
// the engine runs in its worker there, and the headless modes load it on demand.
import {randomUUID} from 'node:crypto';
import process from 'node:process';
import {defaultBrackets, modelsInBracket} from '../core/presets/brackets.js';
import {expandHeaders, mergeHeaders} from '../core/presets/headers.js';
import {combinePresets, selectModels} from '../core/presets/presets.js';
import type {Race, RaceInput, startRace} from '../core/race/race.js';
import type {TokenCounter} from '../core/meter/meter.js';
import type {ModelSpec, Preset, RaceSettings} from '../core/types.js';
import {pricePresets} from '../io/price-database.js';
import {loadPreset} from '../io/presets.js';
import {UsageError, hostLabel, type RaceConfig} from '../options.js';
import {simModelOf, startSimulator, type Simulator} from '../sim/index.js';
import type {RemoteEngine} from '../worker/remote-race.js';
import {yieldToStamping} from '../runtime/priority.js';
import {closeEngine, frameMsFor, takeEngine, type EngineMode, type LocalEngine} from './engine-boot.js';
import {toolVersion} from '../version.js';

export type Session = {
	readonly prompt: string;
	readonly config: RaceConfig;
	readonly preset: Preset;
	readonly models: readonly ModelSpec[];
	readonly simulated: boolean;
	readonly settings: RaceSettings;
	/** Every API key in use, to redact from anything written. */
	readonly secrets: readonly string[];
	readonly start: (onModelDone?: Parameters<typeof startRace>[0]['onModelDone']) => Race;
	readonly close: () => Promise<void>;
};

/**
 * Models with --base-url / --api-key-env applied, and their headers: the preset's and the model's
 * (merged by the preset's schema), `${VAR}` expanded, under --header's. The secret values are pushed
 * to `secrets` (redacted wherever they could show).
 */
function applyOverrides(models: readonly ModelSpec[], config: RaceConfig, env: NodeJS.ProcessEnv, secrets: string[]): ModelSpec[] {
	return models.map(model => {
		const expanded = expandHeaders(model.headers, env, `model ${model.id}`);
		const cli = expandHeaders(config.headers, env, '--header');
		secrets.push(...expanded.secrets, ...cli.secrets);
		return {
			...model,
			...(config.baseURL ? {baseURL: config.baseURL} : {}),
			...(config.apiKeyEnv ? {apiKeyEnv: config.apiKeyEnv} : {}),
			headers: mergeHeaders(expanded.headers, cli.headers),
		};
	});
}

/** Check every needed key variable before anything is sent. */
export function resolveKeys(models: readonly ModelSpec[], env: NodeJS.ProcessEnv): Map<string, string> {
	const keys = new Map<string, string>();
	const missing = new Map<string, string[]>();
	for (const model of models) {
		if (!model.apiKeyEnv) {
			continue;
		}

		const value = env[model.apiKeyEnv];
		if (value) {
			keys.set(model.apiKeyEnv, value);
		} else {
			missing.set(model.apiKeyEnv, [...(missing.get(model.apiKeyEnv) ?? []), model.id]);
		}
	}

	if (missing.size > 0) {
		const lines = [...missing].map(([variable, ids]) => `$${variable} (for ${ids.join(', ')})`);
		throw new UsageError(`missing API key: set ${lines.join('; ')}\nor pick other models with --models, or race the simulator with --preset demo`);
	}

	return keys;
}

/**
 * The engine headless: the race runs on this thread, its streams on stamping threads (worker/stamp-pool.ts)
 * that boot and warm their HTTP stack while the presets load. The tokenizer is not loaded here: the
 * race loads it once no run is waiting for its first token (worker/stamp-pool.ts, poolStreamer).
 */
async function loadInlineEngine(loadCounter: () => Promise<TokenCounter>): Promise<TokenCounter> {
	const [{warmUpHttp}, {settleHeap}] = await Promise.all([import('../core/http/warm-up.js'), import('../runtime/heap.js')]);
	const countTokens = await loadCounter();
	await warmUpHttp();
	settleHeap();
	return countTokens;
}

/** What will race, known before anything is warm: enough to draw the race screen's first frame. */
export type SessionPlan = {
	readonly preset: Preset;
	readonly models: readonly ModelSpec[];
	readonly simulated: boolean;
	readonly settings: RaceSettings;
};

export type SessionHooks = {
	/** Called once the models are known, before the simulator, the tokenizer or the engine are ready. */
	readonly onPlanned?: ((plan: SessionPlan) => void) | undefined;
};

export async function openSession(
	prompt: string,
	config: RaceConfig,
	engine: EngineMode = 'local',
	env: NodeJS.ProcessEnv = process.env,
	hooks: SessionHooks = {},
): Promise<Session> {
	// The engine's threads boot (SDK, HTTP warm-up) while presets load and the simulator starts; main.ts
	// may have started them already, as soon as it knew a race would run (session/engine-boot.ts).
	const started = takeEngine(engine, frameMsFor(config.maxFps));
	try {
		return await prepareSession(prompt, config, {remotePromise: started.remote, localPromise: started.local}, env, hooks);
	} catch (error) {
		// Nothing may keep the process alive after a failed start.
		await closeEngine(started);
		throw error;
	}
}

/** `--base-url` without -p (a race or a load run): a preset of whatever that server lists, named by its host. */
export function serverPreset(baseURL: string, apiKeyEnv: string | null): Preset {
	return {
		name: hostLabel(baseURL),
		description: null,
		file: baseURL,
		simulated: false,
		baseURL,
		apiKeyEnv,
		headers: {},
		brackets: defaultBrackets,
		models: [],
		discover: true,
	};
}

/** `--bracket`: race only that bracket's models (docs/metrics.md, price brackets); none is a usage error. */
function inBracket(models: readonly ModelSpec[], preset: Preset, config: RaceConfig): readonly ModelSpec[] {
	if (config.bracket === null) {
		return models;
	}

	const {models: raced, withModels} = modelsInBracket(models, config.bracket, preset.brackets);
	if (raced.length === 0) {
		throw new UsageError(
			`no model of preset ${preset.name}${config.models ? ' (of those chosen with --models)' : ''} is in the bracket ${config.bracket}\n${withModels.length > 0 ? `brackets with models: ${withModels.join(', ')}` : 'no model has a price, so none has a bracket'}`,
		);
	}

	return raced;
}

async function prepareSession(
	prompt: string,
	config: RaceConfig,
	{remotePromise, localPromise}: {remotePromise: Promise<RemoteEngine> | undefined; localPromise: Promise<LocalEngine> | undefined},
	env: NodeJS.ProcessEnv,
	hooks: SessionHooks,
): Promise<Session> {
	const loaded =
		config.presets.length === 0 && config.baseURL !== null
			? [serverPreset(config.baseURL, config.apiKeyEnv)]
			: await Promise.all(config.presets.map(async name => loadPreset(name, env)));
	const conflict = config.baseURL === null ? undefined : loaded.find(preset => preset.simulated);
	if (conflict) {
		throw new UsageError(`--base-url cannot go with the simulated preset ${conflict.name}: it would race ${conflict.name}'s model ids and prices against ${config.baseURL}
leave out -p to race what that server lists, or give a preset for it (e.g. -p llamacpp, -p ollama, -p vllm)`);
	}

	const headerSecrets: string[] = [];
	// Local servers: ask them what they serve (models: discover, or --discover).
	const expanded = await Promise.all(
		loaded.map(async preset => {
			const wantsDiscovery = preset.discover || (config.discover && !(preset.simulated && config.baseURL === null));
			if (!wantsDiscovery) {
				return preset;
			}

			const baseURL = config.baseURL ?? preset.baseURL ?? preset.models[0]?.baseURL ?? null;
			if (!baseURL) {
				throw new UsageError(`--discover needs a base URL: preset ${preset.name} has none at its top; give one with --base-url`);
			}

			// GET /models carries the preset's headers and --header's, as the race's requests do.
			const listingHeaders = expandHeaders(mergeHeaders(preset.headers, config.headers), env, `preset ${preset.name}`);
			headerSecrets.push(...listingHeaders.secrets);
			return {
				...preset,
				simulated: false,
				baseURL,
				models: await (await import('../io/discover.js')).discoverModels(
					{...preset, baseURL, apiKeyEnv: config.apiKeyEnv ?? preset.apiKeyEnv, headers: listingHeaders.headers},
					env,
					{
						insecure: config.insecure,
					},
				),
				discover: false,
			};
		}),
	);
	// Prices resolve here, before any t0 (the price database loads only when a model needs it).
	const preset = combinePresets(await pricePresets(expanded));
	const chosen = config.models ? selectModels(preset, config.models) : preset.models;
	let models = applyOverrides(inBracket(chosen, preset, config), config, env, headerSecrets);
	const simulated = preset.simulated && config.baseURL === null;
	const keys = simulated ? new Map<string, string>() : resolveKeys(models, env);
	let simulator: Simulator | undefined;
	const settings: RaceSettings = {
		runs: config.runs,
		warmup: config.warmup,
		maxTokens: config.maxTokens,
		temperature: config.temperature,
		concurrency: config.concurrency,
		timeoutMs: config.timeoutMs,
		seed: simulated ? config.seed : config.seedGiven ? config.seed : null,
		...(config.uniquePrompts ? {uniquePrompts: true} : {}),
	};
	hooks.onPlanned?.({preset, models, simulated, settings});
	if (simulated) {
		simulator = await startSimulator({models: models.map(model => simModelOf(model, config.region)), seed: config.seed});
		const baseURL = simulator.baseURL;
		models = models.map(model => ({...model, baseURL}));
	}

	if (simulator) {
		await simulator.warmUp();
	}

	const input: RaceInput = {
		models,
		prompt,
		settings,
		preset: {name: preset.name, simulated, brackets: preset.brackets},
		region: config.region,
		toolVersion,
		idleTimeoutMs: config.idleTimeoutMs ?? undefined,
		insecure: config.insecure,
	};
	const common = {prompt, config, preset, models, simulated, settings, secrets: [...new Set([...keys.values(), ...headerSecrets])]};
	if (remotePromise) {
		const remote = await remotePromise;
		return {
			...common,
			start: () => remote.start({...input, raceId: randomUUID(), keys: Object.fromEntries(keys)}),
			async close() {
				await remote.close();
				await simulator?.close();
			},
		};
	}

	const engine = await localPromise!;
	// As many stamping threads as the race's streams in flight need (the engine's rule: stamp-pool.ts).
	await engine.pool.grow(engine.threadsFor(settings.concurrency ?? models.length));
	const loadCounter = async () => (await import('../core/meter/tokens.js')).loadTokenCounter();
	// LLMRACE_STAMPING=inline (benchmarks only: the same-run baseline): the previous engine, stamping on this thread.
	const inline = env['LLMRACE_STAMPING'] === 'inline' ? await loadInlineEngine(loadCounter) : undefined;
	if (!inline) {
		// The race's thread yields to its stamping threads (all started by now): loading the tokenizer and
		// counting tokens must not take the CPU from a stamp when the cores are busy (docs/stamping-threads.md).
		await yieldToStamping();
	}
	return {
		...common,
		start: onModelDone =>
			engine.startRace({
				...input,
				raceId: randomUUID(),
				streamer: inline ? undefined : engine.poolStreamer(engine.pool, loadCounter),
				countTokens: inline,
				apiKeyOf: model => (model.apiKeyEnv ? (keys.get(model.apiKeyEnv) ?? null) : null),
				onModelDone,
			}),
		async close() {
			await engine.pool.close();
			await simulator?.close();
		},
	};
}
