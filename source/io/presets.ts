// Finding and reading preset files: shipped presets/, then the user's folder, or a path.
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {PresetError, parsePresetText} from '../core/presets.js';
import type {Preset} from '../core/types.js';

const extensions = ['.yaml', '.yml', '.json'];

/** The presets shipped with llmrace (`presets/` at the package root). */
export const shippedPresetDir = fileURLToPath(new URL('../../presets/', import.meta.url));

export function userPresetDir(env: NodeJS.ProcessEnv = process.env): string {
	const config = env['XDG_CONFIG_HOME'] || path.join(homedir(), '.config');
	return path.join(config, 'llmrace', 'presets');
}

export type PresetFile = {readonly name: string; readonly file: string; readonly origin: 'shipped' | 'user'};

function presetFilesIn(dir: string, origin: PresetFile['origin']): PresetFile[] {
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

/** Every preset that can be named: shipped ones first; a user preset of the same name is shadowed. */
export function listPresetFiles(env: NodeJS.ProcessEnv = process.env): PresetFile[] {
	const all: PresetFile[] = [];
	for (const candidate of [...presetFilesIn(shippedPresetDir, 'shipped'), ...presetFilesIn(userPresetDir(env), 'user')]) {
		if (!all.some(known => known.name === candidate.name)) {
			all.push(candidate);
		}
	}

	return all;
}

function looksLikePath(nameOrPath: string): boolean {
	return nameOrPath.includes('/') || nameOrPath.includes(path.sep) || extensions.includes(path.extname(nameOrPath).toLowerCase());
}

export function readPresetFile(file: string): Preset {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		throw new PresetError(`${file}: cannot read preset file${code ? ` (${code})` : ''}`);
	}

	return parsePresetText(text, file);
}

/** Load a preset by name (shipped, then user folder) or by file path. */
export function loadPreset(nameOrPath: string, env: NodeJS.ProcessEnv = process.env): Preset {
	if (looksLikePath(nameOrPath) && existsSync(nameOrPath)) {
		return readPresetFile(nameOrPath);
	}

	const known = listPresetFiles(env);
	const match = known.find(candidate => candidate.name === nameOrPath);
	if (match) {
		return readPresetFile(match.file);
	}

	if (looksLikePath(nameOrPath)) {
		throw new PresetError(`preset file not found: ${nameOrPath}`);
	}

	throw new PresetError(`unknown preset "${nameOrPath}"\nvalid: ${known.map(candidate => candidate.name).join(', ')} (or a path to a YAML/JSON file)`);
}
