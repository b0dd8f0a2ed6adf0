import {mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {bracketOf} from '../../../../source/core/presets/brackets.js';
import {parsePresetText} from '../../../../source/core/presets/schema.js';
import {PresetError, selectModels} from '../../../../source/core/presets/presets.js';
import {compilePresets} from '../../../../source/build/compile-presets.js';
import {compiledPreset, loadPreset, listPresetFiles, shippedPresetDir, type CompiledPresets} from '../../../../source/io/presets.js';

/** The published benchmark, in the repository's own data folder (the project owns it; nothing outside the repository is read). */
const benchmarkFile = new URL('../../../../data/benchmark-2026-05-20.md', import.meta.url);

/** The results table of the published benchmark, read from the data file itself. */
function publishedFigures() {
	const text = readFileSync(benchmarkFile, 'utf8');
	const section = text.slice(text.indexOf('## Results (US East)'), text.indexOf('## Price brackets'));
	return section
		.split('\n')
		.filter(line => /^\| [^-m]/.test(line) && !line.startsWith('| model'))
		.map(line =>
			line
				.split('|')
				.slice(1, -1)
				.map(cell => cell.trim()),
		)
		.map(([name, id, ttft, tps, provider, price]) => ({name: name!, id: id!, ttft: Number(ttft), tps: Number(tps), provider: provider!, price: Number(price)}));
}

function regionFigures() {
	const text = readFileSync(benchmarkFile, 'utf8');
	const section = text.slice(text.indexOf('## By region'), text.indexOf('## Rules of thumb'));
	return section
		.split('\n')
		.filter(line => /^\| [A-Z]/.test(line) && !line.startsWith('| model'))
		.map(line =>
			line
				.split('|')
				.slice(1, -1)
				.map(cell => cell.trim()),
		)
		.map(([name, us, sg]) => ({name: name!, us: Number(us), sg: Number(sg)}));
}

describe('shipped presets', () => {
	const published = publishedFigures();

	it('reads the 15 published models', () => {
		expect(published).toHaveLength(15);
	});

	for (const presetName of ['demo', 'global-api']) {
		it(`${presetName} carries every published figure exactly`, async () => {
			const preset = await loadPreset(presetName);
			expect(preset.models.map(model => model.id)).toEqual(published.map(row => row.id));
			for (const row of published) {
				const model = preset.models.find(candidate => candidate.id === row.id)!;
				expect(model.name).toBe(row.name);
				expect(model.provider).toBe(row.provider);
				expect(model.price.outputPerM).toBe(row.price);
				expect(model.price.inputPerM).toBeNull();
				expect(model.reference?.ttftMs).toBe(row.ttft);
				expect(model.reference?.tokensPerSecond).toBe(row.tps);
			}

			for (const region of regionFigures()) {
				const model = preset.models.find(candidate => candidate.name === region.name)!;
				expect(model.reference?.regions?.['us-east']?.ttftMs).toBe(region.us);
				expect(model.reference?.regions?.['singapore']?.ttftMs).toBe(region.sg);
			}

			expect(
				preset.models
					.filter(model => model.reasoning)
					.map(model => model.id)
					.sort(),
			).toEqual(['deepseek-r1', 'kimi-k2.5']);
		});
	}

	it('demo is simulated; global-api points at the gateway with its key variable', async () => {
		expect((await loadPreset('demo')).simulated).toBe(true);
		const gateway = await loadPreset('global-api');
		expect(gateway.simulated).toBe(false);
		expect(new Set(gateway.models.map(model => model.baseURL))).toEqual(new Set(['https://global-apis.com/v1']));
		expect(new Set(gateway.models.map(model => model.apiKeyEnv))).toEqual(new Set(['GLOBAL_API_KEY']));
	});

	it('puts the published bracket members in their brackets', async () => {
		const preset = await loadPreset('demo');
		const of = (name: string) => bracketOf(preset.models.find(model => model.name === name)!.price.outputPerM, preset.brackets);
		expect(['Qwen3-8B', 'Step-3.5-Flash'].map(of)).toEqual(['ultra-budget', 'ultra-budget']);
		expect(['DeepSeek V4 Flash', 'Hunyuan-TurboS', 'Qwen3-32B'].map(of)).toEqual(['budget', 'budget', 'budget']);
		expect(['Doubao-Seed-Lite', 'GLM-4-32B', 'Hunyuan-Turbo', 'DeepSeek V4 Pro'].map(of)).toEqual(['mid', 'mid', 'mid', 'mid']);
		expect(['MiniMax M2.5', 'GLM-5', 'Kimi K2.5'].map(of)).toEqual(['premium', 'premium', 'premium']);
	});
});

describe('preset validation', () => {
	const reject = (text: string) => {
		try {
			parsePresetText(text, 'my.yaml');
		} catch (error) {
			expect(error).toBeInstanceOf(PresetError);
			return (error as Error).message;
		}

		throw new Error('expected a PresetError');
	};

	it('names the file, the field path and what was expected', () => {
		expect(reject('baseURL: http://x/v1\nmodels:\n  - id: a\n    price: {outputPerM: cheap}\n')).toBe(
			'my.yaml: models[0].price.outputPerM: expected number, got string',
		);
		expect(reject('baseURL: http://x/v1\nmodels:\n  - id: a\n    colour: red\n')).toBe('my.yaml: models[0]: unknown field "colour"');
		expect(reject('baseURL: http://x/v1\nmodels:\n  - id: a\n  - id: b\n  - id: a\n')).toBe('my.yaml: models[2].id: duplicate model id "a" (also models[0])');
		expect(reject('models:\n  - id: a\n')).toBe('my.yaml: models[0].baseURL: required (no baseURL at the top of the preset either)');
		expect(reject('baseURL: ftp://x\nmodels: [{id: a}]\n')).toBe('my.yaml: baseURL: expected an http(s) URL');
		expect(reject('baseURL: http://x/v1\nmodels: 3\n')).toBe('my.yaml: models: expected a list of models or "discover"');
		expect(reject('baseURL: http://x/v1\nmodels: [{id: a}]\nbrackets: {ultraBudget: 1, budget: 0.5, mid: 2}\n')).toBe(
			'my.yaml: brackets: expected ultraBudget < budget < mid',
		);
		expect(reject('models: [\n')).toMatch(/^my\.yaml: not valid YAML or JSON/);
	});

	it('checks every field in order, the first problem named, an unknown field after the known ones', () => {
		const preset = (model: string, top = '') => `baseURL: http://x/v1\n${top}models: [${model}]\n`;
		const cases: Array<[string, string]> = [
			[preset('{id: a}', 'zz: 1\nname: 5\n'), 'name: expected string, got number'],
			[preset('{id: a, colour: 1, name: 5}'), 'models[0].name: expected string, got number'],
			[preset('{id: a, colour: 1, size: 2}'), 'models[0]: unknown fields "colour", "size"'],
			[preset('{name: a}'), 'models[0].id: expected string, got undefined'],
			[preset('{id: ""}'), 'models[0].id: Too small: expected string to have >=1 characters'],
			[preset('{id: a}, null'), 'models[1]: expected object, got null'],
			[preset('{id: a, headers: {A: [1]}}'), 'models[0].headers.A: expected string, got a list'],
			[preset('{id: a}', 'headers: [a]\n'), 'headers: expected record, got a list'],
			[preset('{id: a, apiKeyEnv: "a-b"}'), 'models[0].apiKeyEnv: expected an environment variable name (letters, digits, _)'],
			[preset('{id: a, prices: "a b"}'), 'models[0].prices: expected a provider id of the price database (e.g. openai)'],
			[preset('{id: a, price: {outputPerM: -1}}'), 'models[0].price.outputPerM: Too small: expected number to be >=0'],
			[preset('{id: a, price: {outputPerM: .inf}}'), 'models[0].price.outputPerM: expected a finite number, got Infinity'],
			[preset('{id: a, price: {outputPerM: .nan}}'), 'models[0].price.outputPerM: expected a finite number, got NaN'],
			[preset('{id: a, reference: {regions: {us: {ttftMs: 0}}}}'), 'models[0].reference.regions.us.ttftMs: Too small: expected number to be >0'],
			[preset('{id: a, load: {sequences: 1.5}}'), 'models[0].load.sequences: expected a whole number, got 1.5'],
			[preset('{id: a, load: {}}'), 'models[0].load.sequences: expected number, got undefined'],
			[preset('{id: a}', 'brackets: {ultraBudget: 1, budget: 3}\n'), 'brackets.mid: expected number, got undefined'],
			[preset('{id: a}', 'brackets: {ultraBudget: 1, budget: 0.5, mid: 2, z: 1}\n'), 'brackets: unknown field "z"'],
			['[]', '(top level): expected object, got a list'],
			['', '(top level): expected object, got null'],
		];
		for (const [text, message] of cases) {
			expect(reject(text)).toBe(`my.yaml: ${message}`);
		}
	});

	it('keeps what was given and nothing else: nullable prices, a full model', () => {
		const preset = parsePresetText(
			'baseURL: http://x/v1\nmodels:\n  - {id: a, price: {outputPerM: null, inputPerM: 2}}\n  - {id: b, reasoning: true, load: {sequences: 4}, reference: {source: s, ttftMs: 100, regions: {us: {ttftMs: 90}}}}\n',
			'my.yaml',
		);
		expect(preset.models[0]!.price).toEqual({outputPerM: null, inputPerM: 2, source: null});
		expect(preset.models[1]).toMatchObject({reasoning: true, load: {sequences: 4}, reference: {source: 's', ttftMs: 100, regions: {us: {ttftMs: 90}}}});
		expect(Object.keys(preset.models[1]!.reference!)).toEqual(['source', 'ttftMs', 'regions']);
	});

	it('a header named __proto__ stays a header', () => {
		const preset = parsePresetText('{"baseURL": "http://x/v1", "headers": {"__proto__": "v", "A": "1"}, "models": [{"id": "a"}]}', 'p.json');
		expect(Object.keys(preset.models[0]!.headers)).toEqual(['__proto__', 'A']);
	});

	it('reads JSON as well, with per-model baseURL, key and headers overriding the preset', () => {
		const preset = parsePresetText(
			JSON.stringify({
				baseURL: 'http://a/v1',
				apiKeyEnv: 'A_KEY',
				headers: {'X-A': '1'},
				models: [{id: 'm1'}, {id: 'm2', baseURL: 'http://b/v1', apiKeyEnv: 'B_KEY', headers: {'X-B': '2'}}],
			}),
			'mixed.json',
		);
		expect(preset.name).toBe('mixed');
		expect(preset.models[0]).toMatchObject({baseURL: 'http://a/v1', apiKeyEnv: 'A_KEY', headers: {'X-A': '1'}});
		expect(preset.models[1]).toMatchObject({baseURL: 'http://b/v1', apiKeyEnv: 'B_KEY', headers: {'X-A': '1', 'X-B': '2'}});
		expect(preset.models[1]!.price.outputPerM).toBeNull();
	});

	it('selects models by id or display name, case-insensitive, and names unknown ones', async () => {
		const preset = await loadPreset('demo');
		expect(selectModels(preset, ['GLM-5', 'qwen3-8B']).map(model => model.id)).toEqual(['glm-5', 'qwen3-8b']);
		expect(() => selectModels(preset, ['gpt-9'])).toThrow(/unknown model "gpt-9" in preset demo\nvalid: step-3\.5-flash/);
	});

	it('finds user presets in $XDG_CONFIG_HOME/llmrace/presets and explains unknown names', async () => {
		const home = mkdtempSync(path.join(tmpdir(), 'llmrace-presets-'));
		const dir = path.join(home, 'llmrace', 'presets');
		mkdirSync(dir, {recursive: true});
		writeFileSync(path.join(dir, 'mine.yaml'), 'baseURL: http://127.0.0.1:1/v1\nmodels: [{id: local}]\n');
		const env = {XDG_CONFIG_HOME: home};
		expect((await loadPreset('mine', env)).models[0]!.id).toBe('local');
		expect(listPresetFiles(env).map(file => file.name)).toContain('mine');
		await expect(loadPreset('nope', env)).rejects.toThrow(/unknown preset "nope"\nvalid: .*demo.*mine/);
	});
});

describe('shipped presets compiled by the build (read without yaml and zod)', () => {
	// As the build writes them and a race reads them: through JSON.
	const compiled = JSON.parse(JSON.stringify(compilePresets())) as CompiledPresets;
	const shipped = listPresetFiles({XDG_CONFIG_HOME: mkdtempSync(path.join(tmpdir(), 'llmrace-none-'))});

	it('hold every shipped preset exactly as parsing its file gives it', () => {
		expect(Object.keys(compiled.presets).sort()).toEqual(shipped.map(file => path.basename(file.file)).sort());
		for (const {file} of shipped) {
			const text = readFileSync(file, 'utf8');
			expect(compiledPreset(file, text, compiled.presets), file).toStrictEqual(parsePresetText(text, file));
		}
	});

	it('are not used for a file whose text changed since the build, nor for a file of the same name elsewhere', () => {
		const file = path.join(shippedPresetDir, 'demo.yaml');
		const text = readFileSync(file, 'utf8');
		expect(compiledPreset(file, text, compiled.presets)?.name).toBe('demo');
		expect(compiledPreset(file, `${text}# edited\n`, compiled.presets)).toBeUndefined();
		expect(compiledPreset(file, text.replace('qwen3-8b', 'qwen3-9b'), compiled.presets)).toBeUndefined();
		expect(compiledPreset(path.join(tmpdir(), 'demo.yaml'), text, compiled.presets)).toBeUndefined();
		expect(compiledPreset(path.join(shippedPresetDir, 'toString.yaml'), text, compiled.presets)).toBeUndefined();
		expect(compiledPreset(file, text, null)).toBeUndefined();
	});

	it('the built distribution/presets.json is the current compilation (npm run build writes it)', () => {
		const built = JSON.parse(readFileSync(new URL('../../../../distribution/presets.json', import.meta.url), 'utf8')) as CompiledPresets;
		// Paths inside the presets are not stored: the compiled file is the same wherever the package lives.
		expect(built).toStrictEqual(compiled);
		expect(JSON.stringify(built)).not.toContain(shippedPresetDir);
	});
});
