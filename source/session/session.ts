// Everything a race needs before the first t0: preset, models, keys, simulator, tokenizer, a warm HTTP stack.
// The live UI's thread loads none of the engine (core/race, core/stream and so the SDK, the tokenizer):
// the engine runs in its worker there, and the headless modes load it on demand.
import process from 'node:process';
import {defaultBrackets} from '../core/presets/brackets.js';
import {combinePresets, selectModels} from '../core/presets/presets.js';
import type {Race, RaceInput, startRace} from '../core/race/race.js';
import type {TokenCounter} from '../core/meter/meter.js';
import type {ModelSpec, Preset, RaceSettings} from '../core/types.js';
import {discoverModels} from '../io/discover.js';
import {pricePresets} from '../io/price-database.js';
import {loadPreset} from '../io/presets.js';
import {UsageError, hostLabel, type RaceConfig} from '../options.js';
import {simModelOf, startSimulator, type Simulator} from '../sim/index.js';
import {startEngineWorker, type RemoteEngine} from '../worker/remote-race.js';
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

/** Models with --base-url / --api-key-env applied. */
function applyOverrides(models: readonly ModelSpec[], config: RaceConfig): ModelSpec[] {
	return models.map(model => ({
		...model,
		...(config.baseURL ? {baseURL: config.baseURL} : {}),
		...(config.apiKeyEnv ? {apiKeyEnv: config.apiKeyEnv} : {}),
	}));
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

/** The engine on this thread (headless): loaded, its tokenizer read and its HTTP stack warm. */
async function loadLocalEngine(): Promise<{startRace: typeof startRace; countTokens: TokenCounter; settleHeap: () => void}> {
	const [{startRace}, {warmUpHttp}, {loadTokenCounter}, {settleHeap}] = await Promise.all([
		import('../core/race/race.js'),
		import('../core/http/warm-up.js'),
		import('../core/meter/tokens.js'),
		import('../runtime/heap.js'),
	]);
	const countTokens = await loadTokenCounter();
	await warmUpHttp(countTokens);
	return {startRace, countTokens, settleHeap};
}

/**
 * `local` runs the engine on this thread (headless: nothing else competes for it);
 * `worker` runs it in a worker thread, so that rendering never delays a timestamp.
 */
export type EngineMode = 'local' | 'worker';

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
	// The engine's worker boots (tokenizer, HTTP warm-up) while presets load and the simulator starts.
	const remotePromise = engine === 'worker' ? startEngineWorker({frameMs: Math.round(1000 / config.maxFps)}) : undefined;
	// Nothing may fail unhandled while the presets load.
	remotePromise?.catch(() => undefined);
	try {
		return await prepareSession(prompt, config, remotePromise, env, hooks);
	} catch (error) {
		// Nothing may keep the process alive after a failed start.
		await (await remotePromise?.catch(() => undefined))?.close();
		throw error;
	}
}

/** `--base-url` without -p: a preset of whatever that server lists, named by its host. */
function serverPreset(config: RaceConfig & {readonly baseURL: string}): Preset {
	return {
		name: hostLabel(config.baseURL),
		description: null,
		file: config.baseURL,
		simulated: false,
		baseURL: config.baseURL,
		apiKeyEnv: config.apiKeyEnv,
		headers: {},
		brackets: defaultBrackets,
		models: [],
		discover: true,
	};
}

async function prepareSession(
	prompt: string,
	config: RaceConfig,
	remotePromise: Promise<RemoteEngine> | undefined,
	env: NodeJS.ProcessEnv,
	hooks: SessionHooks,
): Promise<Session> {
	const loaded =
		config.presets.length === 0 && config.baseURL !== null
			? [serverPreset({...config, baseURL: config.baseURL})]
			: await Promise.all(config.presets.map(async name => loadPreset(name, env)));
	const conflict = config.baseURL === null ? undefined : loaded.find(preset => preset.simulated);
	if (conflict) {
		throw new UsageError(`--base-url cannot go with the simulated preset ${conflict.name}: it would race ${conflict.name}'s model ids and prices against ${config.baseURL}
leave out -p to race what that server lists, or give a preset for it (e.g. -p llamacpp, -p ollama, -p vllm)`);
	}

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

			return {
				...preset,
				simulated: false,
				baseURL,
				models: await discoverModels({...preset, baseURL, apiKeyEnv: config.apiKeyEnv ?? preset.apiKeyEnv}, env, {insecure: config.insecure}),
				discover: false,
			};
		}),
	);
	// Prices resolve here, before any t0 (the price database loads only when a model needs it).
	const preset = combinePresets(await pricePresets(expanded));
	const chosen = config.models ? selectModels(preset, config.models) : preset.models;
	let models = applyOverrides(chosen, config);
	const simulated = preset.simulated && config.baseURL === null;
	const keys = simulated ? new Map<string, string>() : resolveKeys(models, env);
	let simulator: Simulator | undefined;
	// The tokenizer's tables take a few hundred ms to load: never during a race.
	const enginePromise = remotePromise ? undefined : loadLocalEngine();
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
	const common = {prompt, config, preset, models, simulated, settings, secrets: [...keys.values()]};
	if (remotePromise) {
		const remote = await remotePromise;
		return {
			...common,
			start: () => remote.start({...input, keys: Object.fromEntries(keys)}),
			async close() {
				await remote.close();
				await simulator?.close();
			},
		};
	}

	const {startRace, countTokens, settleHeap} = await enginePromise!;
	// After every warm-up (the simulator's too), before the first t0.
	settleHeap();
	return {
		...common,
		start: onModelDone =>
			startRace({
				...input,
				countTokens,
				apiKeyOf: model => (model.apiKeyEnv ? (keys.get(model.apiKeyEnv) ?? null) : null),
				onModelDone,
			}),
		async close() {
			await simulator?.close();
		},
	};
}
