// Presets once read: choosing models, racing several together. Free of the schema (core/presets/schema.ts,
// yaml) so that a race whose presets need no parsing never loads it.
import type {ModelSpec, Preset} from '../types.js';

export class PresetError extends Error {
	override name = 'PresetError';
}

/** Where simulated models point until the simulator has a port. */
export const simulatorPlaceholderURL = 'http://simulator.invalid/v1';

/** Keep the models named by `selection` (ids or display names, case-insensitive), in the order given. */
export function selectModels(preset: Preset, selection: readonly string[]): readonly ModelSpec[] {
	const chosen: ModelSpec[] = [];
	for (const wanted of selection) {
		const needle = wanted.trim().toLowerCase();
		if (!needle) {
			continue;
		}

		const model =
			preset.models.find(candidate => candidate.id.toLowerCase() === needle) ?? preset.models.find(candidate => candidate.name.toLowerCase() === needle);
		if (!model) {
			throw new PresetError(`unknown model "${wanted}" in preset ${preset.name}\nvalid: ${preset.models.map(candidate => candidate.id).join(', ')}`);
		}

		if (!chosen.includes(model)) {
			chosen.push(model);
		}
	}

	if (chosen.length === 0) {
		throw new PresetError('--models names no model');
	}

	return chosen;
}

/** Race several presets together: their models in order, ids unique across them. */
export function combinePresets(presets: readonly Preset[]): Preset {
	const [first, ...rest] = presets;
	if (!first) {
		throw new PresetError('no preset');
	}

	if (rest.length === 0) {
		return first;
	}

	const simulated = presets.filter(preset => preset.simulated);
	if (simulated.length > 0 && simulated.length < presets.length) {
		throw new PresetError(
			`cannot race the simulated preset ${simulated[0]!.name} together with real providers\nrace them separately, or point the simulated one at a server with --base-url`,
		);
	}

	const owner = new Map<string, string>();
	for (const preset of presets) {
		for (const model of preset.models) {
			const other = owner.get(model.id);
			if (other) {
				throw new PresetError(`model id "${model.id}" is in both ${other} and ${preset.name}: race them separately or rename one in a preset of your own`);
			}

			owner.set(model.id, preset.name);
		}
	}

	return {
		...first,
		name: presets.map(preset => preset.name).join('+'),
		description: null,
		file: presets.map(preset => preset.file).join(', '),
		simulated: simulated.length > 0,
		models: presets.flatMap(preset => preset.models),
		discover: false,
	};
}
