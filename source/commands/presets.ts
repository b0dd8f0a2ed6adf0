// `llmrace presets`: every preset, its models, prices, brackets, and whether its key variables are set (never their values).
import {bracketOf} from '../core/brackets.js';
import {formatPrice} from '../core/format.js';
import {sanitizeBlock} from '../core/sanitize.js';
import {listPresetFiles, readPresetFile} from '../io/presets.js';

export function listPresets(env: NodeJS.ProcessEnv): string {
	const lines: string[] = [];
	for (const file of listPresetFiles(env)) {
		let preset;
		try {
			preset = readPresetFile(file.file);
		} catch (error) {
			lines.push(`${file.name}  (invalid: ${(error as Error).message})`, '');
			continue;
		}

		const variables = new Set(preset.models.map(model => model.apiKeyEnv).filter((name): name is string => name !== null));
		if (preset.apiKeyEnv) {
			variables.add(preset.apiKeyEnv);
		}

		const keyStatus = preset.simulated
			? 'simulated, no key needed'
			: (variables.size === 0 ? 'no key needed' : [...variables].map(name => `$${name} ${env[name] ? 'set' : 'not set'}`).join(', '));
		lines.push(`${preset.name}${file.origin === 'user' ? ' (user)' : ''}  ${preset.description ?? ''}`.trimEnd(), `  key: ${keyStatus}`);
		if (preset.discover) {
			lines.push(`  models: discovered from ${preset.baseURL ?? '?'}/models at race time`);
		}

		const width = Math.max(0, ...preset.models.map(model => model.id.length));
		for (const model of preset.models) {
			const bracket = bracketOf(model.price.outputPerM, preset.brackets);
			const extras = [model.provider, model.reasoning ? 'reasoning' : null].filter(Boolean).join(', ');
			const price = model.price.outputPerM === null ? 'no price' : `${formatPrice(model.price.outputPerM)}/M`;
			lines.push(`  ${model.id.padEnd(width)}  ${price.padStart(8)}  ${(bracket ?? '').padEnd(12)}  ${extras}`.trimEnd());
		}

		lines.push('');
	}

	return sanitizeBlock(lines.join('\n'));
}
