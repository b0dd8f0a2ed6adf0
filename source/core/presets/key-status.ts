// Whether a preset's API keys are set: the variables' names and set / not set, never their values.
// `llmrace presets` prints it; the first-run screen (ui/first-run/) shows it and offers only what can race.
import type {ModelSpec, Preset} from '../types.js';

/** The key variables a preset's models read (a model's own, else the preset's), in order, once each. */
export function keyVariables(preset: Preset): string[] {
	const variables = new Set(preset.models.map(model => model.apiKeyEnv).filter((name): name is string => name !== null));
	if (preset.apiKeyEnv) {
		variables.add(preset.apiKeyEnv);
	}

	return [...variables];
}

/** `simulated, no key needed`, `no key needed`, or `$OPENAI_API_KEY set, $GROQ_API_KEY not set`. */
export function keyStatus(preset: Preset, env: NodeJS.ProcessEnv): string {
	if (preset.simulated) {
		return 'simulated, no key needed';
	}

	const variables = keyVariables(preset);
	return variables.length === 0 ? 'no key needed' : variables.map(name => `$${name} ${env[name] ? 'set' : 'not set'}`).join(', ');
}

/** Whether the model can race now: simulated, no key needed, or its key variable set. */
export function modelKeyReady(model: Pick<ModelSpec, 'apiKeyEnv'>, preset: Pick<Preset, 'simulated'>, env: NodeJS.ProcessEnv): boolean {
	return preset.simulated || model.apiKeyEnv === null || Boolean(env[model.apiKeyEnv]);
}
