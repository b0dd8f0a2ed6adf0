import {mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {formatCostUSD, formatPrice} from '../../../../source/core/text/format.js';
import {rankModels} from '../../../../source/core/stats/ranking.js';
import {parsePresetText} from '../../../../source/core/presets/schema.js';
import {PresetError} from '../../../../source/core/presets/presets.js';
import {checkPriceProviders, listingPrice, resolvePrices, summarizePriceSources, type PriceDatabase} from '../../../../source/core/presets/prices.js';
import {runCostUSD} from '../../../../source/core/transcript/build.js';
import type {ModelResult, Preset} from '../../../../source/core/types.js';
import {discoverModels} from '../../../../source/io/discover.js';
import {loadPriceDatabase, pricePresets} from '../../../../source/io/price-database.js';
import {listPresetFiles, loadPreset, readPresetFile, shippedPresetDir} from '../../../../source/io/presets.js';
import {leaderboardColumns} from '../../../../source/ui/board/columns.js';
import {demoTranscript, fakeRun} from '../../../helpers/fixtures.js';
import {startServer, type TestServer} from '../../../helpers/server.js';

const servers: TestServer[] = [];
afterEach(async () => {
	await Promise.all(servers.splice(0).map(async server => server.close()));
});

const genaiVersion = (
	JSON.parse(readFileSync(new URL('../../../../node_modules/@pydantic/genai-prices/package.json', import.meta.url), 'utf8')) as {version: string}
).version;
const hosted = ['openai', 'anthropic', 'gemini', 'deepseek', 'groq', 'mistral', 'together', 'fireworks', 'openrouter'];

/** A database that knows two models under "acme" and counts its lookups. */
function fakeDatabase(): PriceDatabase & {lookups: string[]} {
	const lookups: string[] = [];
	return {
		source: 'fake-prices 1.0',
		providerIds: ['acme', 'other'],
		lookups,
		lookup(modelId, providerId) {
			lookups.push(`${providerId}:${modelId}`);
			if (providerId !== 'acme') {
				return null;
			}

			return {fast: {inputPerM: 0.1, outputPerM: 0.4}, big: {inputPerM: 3, outputPerM: 15}}[modelId] ?? null;
		},
	};
}

const preset = (text: string, file = 'mine.yaml'): Preset => parsePresetText(text, file);

describe('price resolution order', () => {
	it("keeps the preset's own price and source, then asks the database under the prices: provider, else no price", () => {
		const {models} = preset(`baseURL: http://127.0.0.1:1/v1
prices: acme
models:
  - {id: fast, price: {outputPerM: 0.2, source: "our contract of 2026-11"}}
  - {id: big, price: {outputPerM: 9}}
  - {id: fast-too, prices: other}
  - id: fast-2
    name: Fast again
    baseURL: http://127.0.0.1:2/v1
    prices: acme
  - {id: unknown-model}
`);
		const database = fakeDatabase();
		const priced = resolvePrices(models, database);
		expect(priced.map(model => model.price)).toEqual([
			{outputPerM: 0.2, inputPerM: null, source: 'our contract of 2026-11'},
			{outputPerM: 9, inputPerM: null, source: 'preset'},
			{outputPerM: null, inputPerM: null, source: null},
			{outputPerM: null, inputPerM: null, source: null},
			{outputPerM: null, inputPerM: null, source: null},
		]);
		// The preset's prices are never looked up; the others are, each under its own provider.
		expect(database.lookups).toEqual(['other:fast-too', 'acme:fast-2', 'acme:unknown-model']);
		const known = resolvePrices(preset('baseURL: http://127.0.0.1:1/v1\nprices: acme\nmodels: [{id: fast}, {id: big, prices: other}]\n').models, database);
		expect(known.map(model => model.price)).toEqual([
			{inputPerM: 0.1, outputPerM: 0.4, source: 'fake-prices 1.0'},
			{inputPerM: null, outputPerM: null, source: null},
		]);
		// No provider named: the database is not asked at all.
		const before = database.lookups.length;
		expect(resolvePrices(preset('baseURL: http://127.0.0.1:1/v1\nmodels: [{id: fast}]\n').models, database)[0]!.price.outputPerM).toBeNull();
		expect(database.lookups).toHaveLength(before);
	});

	it('prices from the bundled database carry its version, input prices included', async () => {
		const [priced] = await pricePresets([preset('baseURL: http://127.0.0.1:1/v1\nprices: openai\nmodels: [{id: gpt-4o-mini}, {id: not-a-model-xyz}]\n')]);
		expect(priced!.models[0]!.price).toEqual({inputPerM: 0.15, outputPerM: 0.6, source: `genai-prices ${genaiVersion}`});
		expect(priced!.models[1]!.price.outputPerM).toBeNull();
	});

	it('a prices: provider the database does not know is a preset error naming the file, the field and the valid ids', async () => {
		await expect(pricePresets([preset('baseURL: http://127.0.0.1:1/v1\nprices: opnai\nmodels: [{id: gpt-4o-mini}]\n', 'typo.yaml')])).rejects.toThrow(
			/^typo\.yaml: prices: unknown provider "opnai" in genai-prices [\d.]+\nvalid: .*\banthropic\b.*\bopenai\b/,
		);
		const database = fakeDatabase();
		expect(() => {
			checkPriceProviders(preset('baseURL: http://127.0.0.1:1/v1\nprices: acme\nmodels: [{id: a}, {id: b, prices: nope}]\n', 'two.yaml'), database);
		}).toThrow(new PresetError('two.yaml: models[1].prices: unknown provider "nope" in fake-prices 1.0\nvalid: acme, other'));
	});

	it('a preset whose models all have prices never loads the database', async () => {
		const demo = await loadPreset('demo');
		const [same] = await pricePresets([demo]);
		expect(same).toBe(demo);
	});
});

describe('a discovered listing with prices (OpenRouter /models)', () => {
	it("prices per token become prices per M with the listing as source; the preset's own price comes first, the database last", async () => {
		const server = await startServer((_request, response) => {
			response.writeHead(200, {'content-type': 'application/json'});
			response.end(
				JSON.stringify({
					data: [
						{id: 'openai/gpt-4o-mini', pricing: {prompt: '0.00000015', completion: '0.0000006'}},
						{id: 'qwen/qwen3-32b', pricing: {prompt: '0.0000001', completion: '0.0000003'}},
						{id: 'openrouter/auto', pricing: {prompt: '-1', completion: '-1'}},
						{id: 'meta-llama/llama-3.3-70b-instruct'},
						{id: 'nobody/knows-this'},
					],
				}),
			);
		});
		servers.push(server);
		const openrouter = preset(
			`name: openrouter
baseURL: ${server.baseURL}
prices: openrouter
models:
  - {id: qwen/qwen3-32b, price: {outputPerM: 0.5, source: "my deal"}}
`,
			'openrouter.yaml',
		);
		const listed = await discoverModels(openrouter, {}, {now: new Date('2026-12-01T09:00:00Z')});
		expect(server.requests.map(request => request.url)).toEqual(['/v1/models']);
		const [priced] = await pricePresets([{...openrouter, models: listed}]);
		expect(Object.fromEntries(priced!.models.map(model => [model.id, model.price]))).toEqual({
			'openai/gpt-4o-mini': {inputPerM: 0.15, outputPerM: 0.6, source: 'openrouter /models 2026-12-01'},
			'qwen/qwen3-32b': {outputPerM: 0.5, inputPerM: null, source: 'my deal'},
			// A router with a varying price lists -1: no price from the listing, none in the database either.
			'openrouter/auto': {inputPerM: null, outputPerM: null, source: null},
			'meta-llama/llama-3.3-70b-instruct': {inputPerM: 0.05, outputPerM: 0.24, source: `genai-prices ${genaiVersion}`},
			'nobody/knows-this': {inputPerM: null, outputPerM: null, source: null},
		});
	});

	it("reads OpenRouter's pricing strings exactly", () => {
		expect(listingPrice({prompt: '0.0000025', completion: '0.00001'}, 's')).toEqual({inputPerM: 2.5, outputPerM: 10, source: 's'});
		expect(listingPrice({prompt: '0', completion: '0'}, 's')).toEqual({inputPerM: 0, outputPerM: 0, source: 's'});
		expect(listingPrice({completion: 'free'}, 's')).toBeNull();
		expect(listingPrice('0.1', 's')).toBeNull();
	});
});

describe('shipped hosted presets', () => {
	it('name their price provider, and every model resolves to a price with a source (fails when an id stops matching)', async () => {
		const presets = await Promise.all(hosted.map(async name => readPresetFile(path.join(shippedPresetDir, `${name}.yaml`))));
		for (const shipped of presets) {
			expect(shipped.priceProvider, shipped.name).toBeTruthy();
		}

		const priced = await pricePresets(presets);
		const unpriced = priced.flatMap(shipped =>
			shipped.models.filter(model => model.price.outputPerM === null || !model.price.source).map(model => `${shipped.name}: ${model.id}`),
		);
		expect(unpriced).toEqual([]);
		for (const shipped of priced) {
			expect(shipped.models.length, shipped.name).toBeGreaterThanOrEqual(2);
			for (const model of shipped.models) {
				expect(model.price.source).toBe(`genai-prices ${genaiVersion}`);
				expect(model.price.inputPerM, model.id).not.toBeNull();
			}
		}
	});

	it("summarises where a race's prices come from", async () => {
		const [openai] = await pricePresets([await loadPreset('openai')]);
		const demo = await loadPreset('demo');
		expect(summarizePriceSources([...demo.models.slice(0, 2), ...openai!.models, {price: {inputPerM: null, outputPerM: null}}])).toBe(
			`prices: ${openai!.models.length} from genai-prices ${genaiVersion}, 2 from the preset, 1 without a price`,
		);
		expect(summarizePriceSources([])).toBe('prices: none');
	});
});

describe('user presets', () => {
	it('a user preset named openai replaces the shipped one', async () => {
		const home = mkdtempSync(path.join(tmpdir(), 'llmrace-prices-'));
		const dir = path.join(home, 'llmrace', 'presets');
		mkdirSync(dir, {recursive: true});
		writeFileSync(
			path.join(dir, 'openai.yaml'),
			'name: openai\nbaseURL: http://127.0.0.1:1/v1\nmodels: [{id: my-own, price: {outputPerM: 1, source: "mine"}}]\n',
		);
		const env = {XDG_CONFIG_HOME: home};
		expect((await loadPreset('openai', env)).models.map(model => model.id)).toEqual(['my-own']);
		const files = listPresetFiles(env).filter(file => file.name === 'openai');
		expect(files).toEqual([{name: 'openai', file: path.join(dir, 'openai.yaml'), origin: 'user', replacesShipped: true}]);
		// Without it, the shipped one.
		expect((await loadPreset('openai', {XDG_CONFIG_HOME: mkdtempSync(path.join(tmpdir(), 'llmrace-empty-'))})).file).toBe(
			path.join(shippedPresetDir, 'openai.yaml'),
		);
	});
});

describe('cost you can read', () => {
	it('shows costs per 1,000 runs, never in scientific notation', () => {
		expect(formatCostUSD(0.000_022_5)).toBe('$0.023/1k');
		expect(formatCostUSD(0.000_001_5)).toBe('$0.0015/1k');
		expect(formatCostUSD(7e-7)).toBe('$0.00070/1k');
		expect(formatCostUSD(0.000_009_24)).toBe('$0.0092/1k');
		expect(formatCostUSD(0.007_54)).toBe('$7.54/1k');
		expect(formatCostUSD(0.25)).toBe('$250/1k');
		expect(formatCostUSD(12.5)).toBe('$12,500/1k');
		expect(formatCostUSD(0)).toBe('$0/1k');
		expect(formatCostUSD(null)).toBe('—');
		for (let exponent = -12; exponent <= 2; exponent += 0.25) {
			const shown = formatCostUSD(10 ** exponent);
			expect(shown).toMatch(/^<?\$[\d,]+(\.\d+)?\/1k$/);
			expect(shown).not.toMatch(/e/i);
		}

		expect(formatPrice(0.075)).toBe('$0.075');
		expect(formatPrice(0.6)).toBe('$0.60');
		expect(formatPrice(15)).toBe('$15.00');
	});
});

describe('--sort cost', () => {
	it('orders by the shown run cost (the mean of completed runs), failed runs excluded, unpriced and all-failed last', () => {
		const base = demoTranscript({runs: 3});
		const byId = new Map(base.models.map(model => [model.id, model]));
		const withRuns = (id: string, runs: ModelResult['runs'], price = byId.get(id)!.price): ModelResult => {
			const model = byId.get(id)!;
			const ok = runs.filter(run => run.status === 'ok');
			const costUSD = price.outputPerM === null ? null : ok.reduce((sum, run) => sum + (run.costUSD ?? 0), 0);
			return {...model, price, runs, summary: {...model.summary, ok: ok.length, failed: runs.length - ok.length, costUSD}};
		};

		const spec = (id: string) => ({...byId.get(id)!, baseURL: 'x', apiKeyEnv: null, headers: {}, reasoning: false, reference: null});
		const failed = (id: string, index: number) => fakeRun(spec(id), index, {status: 'error', costUSD: null, outputTokens: null});
		const cost = (id: string, index: number, usd: number) => fakeRun(spec(id), index, {costUSD: usd});
		const models = [
			// Three cheap runs: a larger sum than one dearer run, but cheaper per run.
			withRuns('step-3.5-flash', [cost('step-3.5-flash', 0, 0.000_02), cost('step-3.5-flash', 1, 0.000_02), cost('step-3.5-flash', 2, 0.000_02)]),
			withRuns('glm-5', [cost('glm-5', 0, 0.000_03), failed('glm-5', 1), failed('glm-5', 2)]),
			withRuns('qwen3-8b', [failed('qwen3-8b', 0), failed('qwen3-8b', 1), failed('qwen3-8b', 2)]),
			withRuns('kimi-k2.5', [cost('kimi-k2.5', 0, 0.000_01), cost('kimi-k2.5', 1, 0.000_05), failed('kimi-k2.5', 2)]),
			withRuns('deepseek-r1', [cost('deepseek-r1', 0, 0.000_001)], {inputPerM: null, outputPerM: null}),
		];
		const ranked = rankModels(models, 'cost');
		expect(ranked.map(model => model.id)).toEqual(['step-3.5-flash', 'glm-5', 'kimi-k2.5', 'qwen3-8b', 'deepseek-r1']);
		const column = leaderboardColumns(models, 3).find(entry => entry.key === 'cost')!;
		const shown = ranked.map(model => runCostUSD(model.summary));
		expect(shown).toEqual([0.000_02, 0.000_03, 0.000_03, null, null]);
		expect(ranked.map(model => column.cell(model, 0))).toEqual(['$0.020/1k', '$0.030/1k', '$0.030/1k', '—', '—']);
		expect(
			rankModels(models, 'cost', true)
				.slice(0, 3)
				.map(model => model.id),
		).toEqual(['glm-5', 'kimi-k2.5', 'step-3.5-flash']);
	});

	it('ttfa sorts by the first visible token', () => {
		const {models} = demoTranscript();
		const ranked = rankModels(models, 'ttfa');
		const ttfa = ranked.map(model => model.summary.ttfaMs?.median ?? Number.POSITIVE_INFINITY);
		expect(ttfa).toEqual([...ttfa].sort((a, b) => a - b));
		// Kimi K2.5 thinks first: second by TTFT, far behind by TTFA.
		expect(rankModels(models, 'ttft').findIndex(model => model.id === 'kimi-k2.5')).toBeLessThan(ranked.findIndex(model => model.id === 'kimi-k2.5'));
	});
});

it('loads the price database once', async () => {
	expect(await loadPriceDatabase()).toBe(await loadPriceDatabase());
});
