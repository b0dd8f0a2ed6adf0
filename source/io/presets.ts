// Finding and reading preset files: the user's folder, then the shipped presets/, or a path.
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

export type PresetFile = {
	readonly name: string;
	readonly file: string;
	readonly origin: 'shipped' | 'user';
	/** A user preset with a shipped preset's name, which it replaces. */
	readonly replacesShipped?: boolean;
};

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

/**
 * Every preset that can be named, in the shipped order with the user's own after them. The user's folder is
 * searched first (SPEC §3): a user preset with a shipped preset's name replaces it, in its place.
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

/** Load a preset by name (the user's folder, then the shipped ones) or by file path. */
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
