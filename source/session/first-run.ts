// `llmrace` with no prompt at a terminal: the first-run screen offers every preset (the demo first
// selected, each one's key status: names only, never a value), its models and the benchmark's prompt.
// What it returns is raced exactly as `llmrace -p <preset> -m <models> "<prompt>"` would be (main.ts).
import process from 'node:process';
import {keyStatus, keyVariables, modelKeyReady} from '../core/presets/key-status.js';
import {loadCellWidths} from '../core/text/cells.js';
import {sanitizeLine} from '../core/text/sanitize.js';
import type {Preset} from '../core/types.js';
import {listPresetFiles, loadPreset, readPresetFile} from '../io/presets.js';
import {defaultPreset, hostLabel, type Flags} from '../options.js';
import {noColorFrom} from '../ui/theme.js';
import type {PresetChoice} from '../ui/first-run/state.js';

/** The benchmark's prompt (data/benchmark-2026-05-20.md), filled in for the user to keep or change. */
export const firstRunPrompt = 'Explain recursion in 200 words';

function hostOf(baseURL: string | null): string {
	try {
		return baseURL ? hostLabel(baseURL) : 'its server';
	} catch {
		return baseURL ?? 'its server';
	}
}

/** Where a real preset sends the prompt and with which key variables (their names). */
function targetOf(preset: Preset): string {
	const hosts = [...new Set((preset.models.length > 0 ? preset.models.map(model => model.baseURL) : [preset.baseURL]).map(hostOf))];
	const where = hosts.length > 3 ? `${hosts.slice(0, 3).join(', ')} and ${hosts.length - 3} more` : hosts.join(', ');
	const variables = keyVariables(preset);
	return variables.length === 0
		? `${sanitizeLine(where)}, no key`
		: `${sanitizeLine(where)} with ${variables.map(name => `$${name}`).join(', ')} (the provider may bill for it)`;
}

/** The preset as the screen offers it; `ref` is what -p gets (its name, or the path it was given by). */
export function presetChoice(preset: Preset, env: NodeJS.ProcessEnv, ref = preset.name): PresetChoice {
	const models = preset.models.map(model => ({
		id: sanitizeLine(model.id),
		name: sanitizeLine(model.name),
		provider: model.provider === null ? null : sanitizeLine(model.provider),
		ready: modelKeyReady(model, preset, env),
	}));
	const discoverReady = !preset.apiKeyEnv || Boolean(env[preset.apiKeyEnv]);
	const ready = preset.discover ? discoverReady : models.some(model => model.ready);
	const variables = keyVariables(preset).filter(name => !env[name]);
	return {
		ref,
		name: sanitizeLine(preset.name),
		description: sanitizeLine(preset.description ?? ''),
		simulated: preset.simulated,
		keyStatus: sanitizeLine(keyStatus(preset, env)),
		blocked: ready ? null : `${sanitizeLine(preset.name)} needs ${variables.map(name => `$${name}`).join(' or ')}: set it, then run llmrace again`,
		models: preset.discover ? [] : models,
		discovered: preset.discover ? `models: whatever ${sanitizeLine(preset.baseURL ?? 'the server')}/models lists when the race starts` : null,
		target: targetOf(preset),
	};
}

/** Every preset that can be named (the user's first, docs/presets.md's search order), each as the screen shows it. */
async function loadChoices(env: NodeJS.ProcessEnv): Promise<PresetChoice[]> {
	const files = listPresetFiles(env);
	return Promise.all(
		files.map(async file => {
			try {
				return presetChoice(await readPresetFile(file.file), env, file.name);
			} catch (error) {
				const reason = sanitizeLine((error as Error).message).replaceAll(/\s+/g, ' ');
				return {
					ref: file.name,
					name: sanitizeLine(file.name),
					description: '',
					simulated: false,
					keyStatus: 'invalid file',
					blocked: `invalid preset file: ${reason}`,
					models: [],
					discovered: null,
					target: '',
				} satisfies PresetChoice;
			}
		}),
	);
}

/** Whether this run asks: no prompt anywhere, both ends a terminal, and nothing that picks the models otherwise. */
export function firstRunApplies(input: readonly string[], flags: Flags): boolean {
	return (
		input.length === 0 &&
		flags.promptFile === undefined &&
		process.stdin.isTTY === true &&
		process.stdout.isTTY === true &&
		!flags.json &&
		flags.baseUrl === undefined &&
		!flags.discover
	);
}

/**
 * The screen; resolves with the prompt and the flags to race it with (the user's other flags kept), or null
 * when the user quit. `-p <name>` given on the command line is the preset selected at first.
 */
export async function pickRace(flags: Flags, env: NodeJS.ProcessEnv = process.env): Promise<{prompt: string; flags: Flags} | null> {
	await loadCellWidths();
	const [presets, {showFirstRun}] = await Promise.all([loadChoices(env), import('../ui/first-run/show-first-run.js')]);
	// `-p ./my-preset.yaml`: a file that is not in the list comes first (a bad one is the usage error it always was).
	const given = flags.preset?.includes(',') ? undefined : flags.preset;
	let preferred = given ?? defaultPreset;
	if (given && !presets.some(preset => preset.ref === given)) {
		presets.unshift(presetChoice(await loadPreset(given, env), env, given));
		preferred = given;
	}

	const choice = await showFirstRun({presets, prompt: firstRunPrompt, preferred, noColor: noColorFrom(env)});
	if (choice.type === 'quit') {
		return null;
	}

	return {prompt: choice.prompt, flags: {...flags, preset: choice.preset, models: choice.models?.join(',')}};
}
