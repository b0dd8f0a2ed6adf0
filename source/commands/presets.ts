// `llmrace presets`: every preset, its models, prices (and where each comes from), brackets,
// and whether its key variables are set (never their values).
import {bracketOf} from '../core/presets/brackets.js';
import {keyStatus} from '../core/presets/key-status.js';
import {formatPrice} from '../core/text/format.js';
import {checkPriceProviders, needsPriceDatabase, resolvePrices, unpricedReason, type PriceDatabase} from '../core/presets/prices.js';
import type {Preset} from '../core/types.js';
import {loadPriceDatabase} from '../io/price-database.js';
import {sanitizeBlock, sanitizeLine} from '../core/text/sanitize.js';
import {listPresetFiles, readPresetFile} from '../io/presets.js';
import {fitTable, keepPriority, tableRow, type TableColumn} from '../core/text/table.js';
import {wrapCells} from '../core/text/cells.js';

function modelLines(preset: Preset, database: PriceDatabase | null, width: number | undefined): string[] {
	const rows = preset.models.map(model => {
		const priced = model.price.outputPerM !== null;
		const extras = [model.provider, model.reasoning ? 'reasoning' : null].filter(Boolean).join(', ');
		return {
			id: sanitizeLine(model.id),
			out: priced ? `${formatPrice(model.price.outputPerM)}/M out` : '',
			in: priced && model.price.inputPerM !== null ? `${formatPrice(model.price.inputPerM)}/M in` : '',
			bracket: bracketOf(model.price.outputPerM, preset.brackets) ?? '',
			source: priced ? sanitizeLine(model.price.source ?? 'an unknown source') : unpricedReason(model, database),
			extras: sanitizeLine(extras),
		};
	});
	// The one table formatter, without a title line: the listing reads as lines under each preset.
	// Narrow: the input price goes first, then the price's source, the provider, the bracket (as the leaderboard drops columns).
	const column = (key: string, align: TableColumn['align'], priority = keepPriority): TableColumn => ({key, title: '', align, priority});
	const columns = [
		column('id', 'left'),
		column('extras', 'left', 4),
		column('out', 'right'),
		column('in', 'right', 2),
		column('bracket', 'left', 5),
		column('source', 'left', 3),
	];
	const cells = rows.map(row => [row.id, row.extras, row.out, row.in, row.bracket, row.source]);
	const fitted = fitTable(columns, cells, {maxWidth: width === undefined ? undefined : width - 2});
	return cells.map(row => `  ${tableRow(fitted, row)}`);
}

/** The listing. The price database is imported only when some preset needs it. */
/** `width`: most cells a line takes (descriptions wrap, the model table fits); none: as wide as they are. */
export async function listPresets(env: NodeJS.ProcessEnv, loadDatabase: () => Promise<PriceDatabase> = loadPriceDatabase, width?: number): Promise<string> {
	const wrap = (text: string) => (width === undefined ? [text] : wrapCells(text, width, '    '));
	const lines: string[] = [];
	const files = listPresetFiles(env);
	const presets = await Promise.all(
		files.map(async file => {
			try {
				return {file, preset: await readPresetFile(file.file), error: null};
			} catch (error) {
				return {file, preset: null, error: (error as Error).message};
			}
		}),
	);
	const database = presets.some(entry => entry.preset && needsPriceDatabase(entry.preset.models)) ? await loadDatabase() : null;
	for (const entry of presets) {
		const {file} = entry;
		let {preset, error} = entry;
		if (preset && database) {
			try {
				checkPriceProviders(preset, database);
				preset = {...preset, models: resolvePrices(preset.models, database)};
			} catch (checkError) {
				error = (checkError as Error).message;
				preset = null;
			}
		}

		if (!preset) {
			lines.push(...wrap(`${file.name}  (invalid: ${sanitizeLine(error ?? '').replace(/\s+/g, ' ')})`), '');
			continue;
		}

		const origin = file.origin === 'user' ? (file.replacesShipped ? ' (yours, replaces the shipped one)' : ' (yours)') : '';
		lines.push(
			...wrap(`${sanitizeLine(preset.name)}${origin}  ${sanitizeLine(preset.description ?? '')}`.trimEnd()),
			...wrap(`  key: ${keyStatus(preset, env)}`),
		);
		if (preset.discover) {
			const prices = preset.priceProvider ? `; prices from the listing, else ${database?.source ?? 'the price database'} (${preset.priceProvider})` : '';
			lines.push(...wrap(`  models: discovered from ${preset.baseURL ?? '?'}/models at race time${prices}`));
		}

		lines.push(...modelLines(preset, database, width), '');
	}

	return sanitizeBlock(lines.join('\n'));
}
