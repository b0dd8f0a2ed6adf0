// Finding and reading preset files: the user's folder, then the shipped presets/, or a path.
// A shipped preset whose text is the one the build compiled (distribution/presets.json) is taken from
// there; any other text is parsed and validated (core/presets/schema.ts, which loads yaml).
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {PresetError} from '../core/presets/presets.js';
import {nearestWord} from '../core/text/edit-distance.js';
import type {Preset} from '../core/types.js';

const extensions = ['.yaml', '.yml', '.json'];

/** The presets shipped with llmrace (`presets/` at the package root). */
export const shippedPresetDir = fileURLToPath(new URL('../../presets/', import.meta.url));

export function userPresetDir(env: NodeJS.ProcessEnv = process.env): string {
	const config = env['XDG_CONFIG_HOME'] || path.join(homedir(), '.config');
	return path.join(config, 'llmrace', 'presets');
}

export type PresetFile = {
	readonly name: string;
	readonly file: string;
	readonly origin: 'shipped' | 'user';
	/** A user preset with a shipped preset's name, which it replaces. */
	readonly replacesShipped?: boolean;
};

export function presetFilesIn(dir: string, origin: PresetFile['origin']): PresetFile[] {
	let entries: string[];
	try {
		entries = readdirSync(dir);
	} catch {
		return [];
	}

	return entries
		.filter(entry => extensions.includes(path.extname(entry).toLowerCase()))
		.sort()
		.map(entry => ({name: entry.slice(0, -path.extname(entry).length), file: path.join(dir, entry), origin}));
}

/**
 * Every preset that can be named, in the shipped order with the user's own after them. The user's folder is
 * searched first (docs/presets.md): a user preset with a shipped preset's name replaces it, in its place.
 */
export function listPresetFiles(env: NodeJS.ProcessEnv = process.env): PresetFile[] {
	const user = presetFilesIn(userPresetDir(env), 'user');
	const all: PresetFile[] = [];
	for (const candidate of [...presetFilesIn(shippedPresetDir, 'shipped'), ...user]) {
		if (all.some(known => known.name === candidate.name)) {
			continue;
		}

		const own = candidate.origin === 'shipped' ? user.find(file => file.name === candidate.name) : undefined;
		all.push(own ? {...own, replacesShipped: true} : candidate);
	}

	return all;
}

function looksLikePath(nameOrPath: string): boolean {
	return nameOrPath.includes('/') || nameOrPath.includes(path.sep) || extensions.includes(path.extname(nameOrPath).toLowerCase());
}

/** What the build writes: every shipped preset's text and the preset parsed from it (without its path). */
export type CompiledPresets = {
	readonly schema: typeof compiledSchema;
	readonly presets: Readonly<Record<string, {readonly text: string; readonly preset: Omit<Preset, 'file'>}>>;
};

export const compiledSchema = 'llmrace/compiled-presets@1';

/** Beside the compiled modules: distribution/presets.json (absent when running from source/). */
export const compiledPresetsFile = fileURLToPath(new URL('../presets.json', import.meta.url));

let compiled: CompiledPresets['presets'] | null | undefined;

/** distribution/presets.json, read once; null when it is absent or of another schema (then every preset is parsed). */
function compiledPresets(): CompiledPresets['presets'] | null {
	if (compiled === undefined) {
		try {
			const data = JSON.parse(readFileSync(compiledPresetsFile, 'utf8')) as CompiledPresets;
			compiled = data.schema === compiledSchema ? data.presets : null;
		} catch {
			compiled = null;
		}
	}

	return compiled;
}

/** The compiled preset of a shipped file, when the file still has the very text it was compiled from. */
export function compiledPreset(file: string, text: string, presets?: CompiledPresets['presets'] | null): Preset | undefined {
	if (path.resolve(path.dirname(file)) !== path.resolve(shippedPresetDir)) {
		return undefined;
	}

	const known = presets === undefined ? compiledPresets() : presets;
	const entry = known && Object.hasOwn(known, path.basename(file)) ? known[path.basename(file)] : undefined;
	return entry?.text === text ? {...entry.preset, file} : undefined;
}

export async function readPresetFile(file: string): Promise<Preset> {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		throw new PresetError(`${file}: cannot read preset file${code ? ` (${code})` : ''}`);
	}

	return compiledPreset(file, text) ?? (await import('../core/presets/schema.js')).parsePresetText(text, file);
}

/** Load a preset by name (the user's folder, then the shipped ones) or by file path. */
export async function loadPreset(nameOrPath: string, env: NodeJS.ProcessEnv = process.env): Promise<Preset> {
	if (looksLikePath(nameOrPath) && existsSync(nameOrPath)) {
		return await readPresetFile(nameOrPath);
	}

	const known = listPresetFiles(env);
	const match = known.find(candidate => candidate.name === nameOrPath);
	if (match) {
		return await readPresetFile(match.file);
	}

	if (looksLikePath(nameOrPath)) {
		throw new PresetError(`preset file not found: ${nameOrPath}`);
	}

	const names = known.map(candidate => candidate.name);
	const nearest = nearestWord(nameOrPath, names, nameOrPath.length <= 5 ? 1 : 2);
	throw new PresetError(
		`unknown preset "${nameOrPath}"${nearest ? ` (did you mean ${nearest}?)` : ''}\nvalid: ${names.join(', ')} (or a path to a YAML/JSON file)`,
	);
}
