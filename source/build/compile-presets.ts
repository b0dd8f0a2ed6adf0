// Build step (npm run build): compile the shipped presets into distribution/presets.json, each with the
// exact text it was parsed from. A race then reads a shipped preset without loading yaml
// (io/presets.ts); a preset file whose text has changed since is parsed and validated as any other.
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parsePresetText} from '../core/presets/schema.js';
import {compiledPresetsFile, compiledSchema, presetFilesIn, shippedPresetDir, type CompiledPresets} from '../io/presets.js';

/** Every preset of `dir`, parsed and validated; a preset that does not validate fails the build. */
export function compilePresets(dir: string = shippedPresetDir): CompiledPresets {
	const presets: Record<string, CompiledPresets['presets'][string]> = {};
	for (const {file} of presetFilesIn(dir, 'shipped')) {
		const text = readFileSync(file, 'utf8');
		const {file: _file, ...preset} = parsePresetText(text, file);
		presets[path.basename(file)] = {text, preset};
	}

	return {schema: compiledSchema, presets};
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const compiled = compilePresets();
	writeFileSync(compiledPresetsFile, `${JSON.stringify(compiled)}\n`);
	process.stdout.write(`compiled ${Object.keys(compiled.presets).length} shipped presets into ${path.relative(process.cwd(), compiledPresetsFile)}\n`);
}
