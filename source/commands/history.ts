// `llmrace history`: past races and load runs from the history store (docs/history.md): the list, a model's
// trend, the regions table, import, show, delete, prune, export. A store that cannot be used: one line, exit 1.
import process from 'node:process';
import {misplacedHistoryFlag, type HistoryView} from '../command-flags.js';
import {CellWidthsNotLoaded, loadCellWidths} from '../core/text/cells.js';
import {ageForms, parseAge} from '../core/history/filter.js';
import {exportCsvRecords, exportColumns, listJson, listText, loadText, trendJson, trendText} from '../core/history/format.js';
import {trendOfGroups, trendOfRaces, type Trend, type TrendBy} from '../core/history/trend.js';
import type {HistoryFilter, ModelKey} from '../core/history/types.js';
import {csvRecord} from '../core/text/escape.js';
import type {Flags} from '../options.js';
import {UsageError} from '../usage-error.js';
import {resolveStoreLocation} from '../store/location.js';
import {openStore, type HistoryStore} from '../store/store.js';
import {migrationProgress} from '../session/migration-progress.js';

const subcommands = ['regions', 'import', 'show', 'delete', 'prune', 'export'] as const;

function filterOf(flags: Flags, now: Date): HistoryFilter {
	let since: string | null = null;
	if (flags.since !== undefined) {
		const date = parseAge(flags.since, now);
		if (!date) {
			throw new UsageError(`invalid value for --since: "${flags.since}" (expected ${ageForms})`);
		}

		since = date.toISOString();
	}

	const text = (value: string | undefined) => (value?.trim() ? value.trim() : null);
	return {since, region: text(flags.region), host: text(flags.host), preset: text(flags.preset)};
}

function limitOf(flags: Flags): number | null {
	if (flags.limit === undefined) {
		return 20;
	}

	const limit = Number(flags.limit);
	if (!Number.isInteger(limit) || limit < 0) {
		throw new UsageError(`invalid value for --limit: "${flags.limit}" (expected a whole number ≥ 0; 0 lists every race)`);
	}

	return limit === 0 ? null : limit;
}

function byOf(flags: Flags): TrendBy {
	if (flags.by === undefined || flags.by === 'day') {
		return 'day';
	}

	if (flags.by === 'race') {
		return 'race';
	}

	throw new UsageError(`invalid value for --by: "${flags.by}"\nvalid: day, race`);
}

const write = (text: string) => {
	process.stdout.write(text);
};

/** JSON as transcripts are written (core/transcript/build.ts), loaded by the views that print it: not by a trend. */
const jsonText = async (value: unknown) => (await import('../core/transcript/build.js')).toJsonText(value);

/**
 * Text drawn by `draw`, measured without string-width when every cell is one of the fast paths' (ASCII,
 * the sparkline's blocks, dashes: core/text/cells.ts), else once string-width has loaded: its grapheme
 * segmenter costs ~35 ms to start, a tenth of `history <model>`'s budget (docs/history.md "Cost").
 */
async function measured(draw: () => string): Promise<string> {
	try {
		return draw();
	} catch (error) {
		if (!(error instanceof CellWidthsNotLoaded)) {
			throw error;
		}

		await loadCellWidths();
		return draw();
	}
}

const terminalWidth = () => (process.stdout.isTTY ? Math.max(40, (process.stdout.columns ?? 80) - 1) : undefined);

/** `model` or `model@host` → the stored models it names; a usage error when it names none. */
async function resolveModels(store: HistoryStore, query: string): Promise<ModelKey[]> {
	const at = query.lastIndexOf('@');
	const [name, host] = at > 0 ? [query.slice(0, at), query.slice(at + 1)] : [query, null];
	const found = (await store.findModels(name)).filter(model => host === null || model.baseUrlHost.toLowerCase() === host.toLowerCase());
	if (found.length === 0) {
		const known = (await store.listRaces({since: null, region: null, host: null, preset: null}, 50)).flatMap(race => race.models);
		const choices = [...new Set(known)].slice(0, 12);
		throw new UsageError(
			`no stored race has a model "${query}"${choices.length > 0 ? `\nrecent models: ${choices.join(', ')}` : '\nrace first (llmrace "…"), or import transcripts (llmrace history import race.json)'}`,
		);
	}

	return found;
}

/** A model's trend: per day from the days the database gathered, per race from each race's runs. */
async function trendFor(store: HistoryStore, model: ModelKey, filter: HistoryFilter, by: TrendBy): Promise<Trend> {
	return by === 'day' ? trendOfGroups(await store.trendDays(model, filter), 'day') : trendOfRaces(await store.trendRaces(model, filter), 'race');
}

async function runTrend(store: HistoryStore, query: string, flags: Flags, filter: HistoryFilter): Promise<number> {
	const models = await resolveModels(store, query);
	const by = byOf(flags);
	if (flags.json) {
		if (models.length > 1) {
			throw new UsageError(
				`"${query}" names ${models.length} models: name one as id@host\nvalid: ${models.map(model => `${model.id}@${model.baseUrlHost}`).join(', ')}`,
			);
		}

		write(trendJson(models[0]!, await trendFor(store, models[0]!, filter, by)));
		return 0;
	}

	const trends = await Promise.all(models.map(async model => ({model, trend: await trendFor(store, model, filter, by)})));
	if (process.stdout.isTTY && process.stdin.isTTY) {
		await loadCellWidths();
		const {showTrendView} = await import('../ui/history/show-trend.js');
		await showTrendView({
			trends,
			racesOf: async model => trendOfRaces(await store.trendRaces(model, filter), 'race'),
			noColor: Boolean(process.env['NO_COLOR']),
		});
		return 0;
	}

	write(await measured(() => trends.map(({model, trend}) => trendText(model, trend, terminalWidth())).join('\n')));
	return 0;
}

/** Full ids from what the user typed (a prefix is enough when it names one race). */
async function resolveIds(store: HistoryStore, given: readonly string[]): Promise<string[]> {
	const ids: string[] = [];
	for (const prefix of given) {
		const matches = await store.matchIds(prefix);
		if (matches.length === 0) {
			throw new UsageError(`no stored race has the id "${prefix}" (see the ids with llmrace history)`);
		}

		if (matches.length > 1) {
			throw new UsageError(`"${prefix}" starts ${matches.length} stored ids: give more of it\nmatches: ${matches.slice(0, 5).join(', ')}`);
		}

		ids.push(matches[0]!);
	}

	return ids;
}

async function runImport(store: HistoryStore, files: readonly string[]): Promise<number> {
	if (files.length === 0) {
		throw new UsageError('history import takes one or more transcript files\nexample: llmrace history import races/*.json');
	}

	// Every file is read and checked before anything is stored (the checker, zod, loads only here; and the
	// transcript's hash, node:crypto, which the other views do without).
	const [{readAnyTranscriptFile}, {transcriptIdentity}, {hostLabelOf}] = await Promise.all([
		import('../io/transcript-file.js'),
		import('../core/transcript/identity.js'),
		import('../session/history.js'),
	]);
	const runs = files.map(file => readAnyTranscriptFile(file));
	const host = hostLabelOf(process.env);
	let added = 0;
	for (const [index, run] of runs.entries()) {
		const id = transcriptIdentity(run.transcript);
		const outcome = run.kind === 'race' ? await store.recordRace(id, run.transcript, host) : await store.recordLoad(id, run.transcript, host);
		added += outcome === 'recorded' ? 1 : 0;
		if (process.stderr.isTTY && runs.length > 5) {
			process.stderr.write(`\rimporting ${index + 1}/${runs.length}`);
		}
	}

	if (process.stderr.isTTY && runs.length > 5) {
		process.stderr.write('\n');
	}

	write(
		`imported ${added} race${added === 1 ? '' : 's'}${runs.length - added > 0 ? ` (${runs.length - added} already stored)` : ''} into ${store.location.display}\n`,
	);
	return 0;
}

async function runShowStored(store: HistoryStore, args: readonly string[], flags: Flags): Promise<number> {
	if (args.length !== 1) {
		throw new UsageError('history show takes one id\nexample: llmrace history show 3f2a9c1e');
	}

	const [id] = await resolveIds(store, args);
	const stored = (await store.getRace(id!))!;
	if (flags.json) {
		write(await jsonText(stored.transcript));
		return 0;
	}

	if (stored.kind === 'load') {
		write(loadText(stored.transcript));
		return 0;
	}

	const {showTranscript} = await import('./show.js');
	return showTranscript(stored.transcript, flags);
}

async function runExport(store: HistoryStore, flags: Flags, filter: HistoryFilter): Promise<number> {
	const format = flags.format ?? 'json';
	if (format !== 'csv' && format !== 'json') {
		throw new UsageError(`invalid value for --format: "${format}"\nvalid: csv, json`);
	}

	const ids = await store.raceIds(filter);
	if (format === 'csv') {
		write(csvRecord(exportColumns));
		for (const id of ids) {
			const stored = await store.getRace(id);
			if (stored) {
				write(exportCsvRecords(stored));
			}
		}

		return 0;
	}

	const races: unknown[] = [];
	for (const id of ids) {
		const stored = await store.getRace(id);
		if (stored) {
			races.push({kind: stored.kind, host: stored.host, transcript: stored.transcript});
		}
	}

	write(await jsonText({races}));
	return 0;
}

async function runSubcommand(store: HistoryStore, command: string | undefined, args: readonly string[], flags: Flags, filter: HistoryFilter): Promise<number> {
	switch (command) {
		case undefined: {
			const races = await store.listRaces(filter, limitOf(flags));
			write(flags.json ? listJson(races) : await measured(() => listText(races, terminalWidth())));
			return 0;
		}

		case 'regions': {
			// Loaded here only: the regions' comparison is the one view that needs it.
			const [{compareRegions}, {comparisonText}] = await Promise.all([import('../core/history/regions.js'), import('../core/stats/compare.js')]);
			const comparison = compareRegions(await store.regionRuns(filter), 'ttft');
			if (flags.json) {
				write(await jsonText(comparison));
			} else if (comparison.races.length < 2) {
				write(
					`The regions table needs races from two regions or more (found ${comparison.races.length}: ${comparison.races.join(', ') || 'none'}); race with --region <label>.\n`,
				);
			} else {
				write(comparisonText(comparison));
			}

			return 0;
		}

		case 'import': {
			return runImport(store, args);
		}

		case 'show': {
			return runShowStored(store, args, flags);
		}

		case 'delete': {
			if (args.length === 0) {
				throw new UsageError('history delete takes one or more ids\nexample: llmrace history delete 3f2a9c1e');
			}

			const deleted = await store.deleteRaces(await resolveIds(store, args));
			write(`deleted ${deleted} race${deleted === 1 ? '' : 's'} from ${store.location.display}\n`);
			return 0;
		}

		case 'prune': {
			const before = flags.olderThan === undefined ? null : parseAge(flags.olderThan, new Date());
			if (!before) {
				throw new UsageError(
					flags.olderThan === undefined
						? 'history prune needs --older-than\nexample: llmrace history prune --older-than 90d'
						: `invalid value for --older-than: "${flags.olderThan}" (expected ${ageForms})`,
				);
			}

			const deleted = await store.pruneBefore(before.toISOString());
			write(`deleted ${deleted} race${deleted === 1 ? '' : 's'} started before ${before.toISOString().slice(0, 10)} from ${store.location.display}\n`);
			return 0;
		}

		case 'export': {
			return runExport(store, flags, filter);
		}

		default: {
			if (args.length > 0) {
				throw new UsageError(
					`history takes one model, not ${args.length + 1}\nvalid subcommands: ${subcommands.join(', ')}; or a model id (history step-3.5-flash)`,
				);
			}

			return runTrend(store, command, flags, filter);
		}
	}
}

/** Which history view the first word names. */
function viewOf(command: string | undefined): HistoryView {
	if (command === undefined) {
		return 'list';
	}

	return (subcommands as readonly string[]).includes(command) ? (command as HistoryView) : '<model>';
}

export async function runHistory(args: readonly string[], flags: Flags): Promise<number> {
	const [command, ...rest] = args;
	const view = viewOf(command);
	// A flag of another view is a usage error before the store is opened (or created).
	const stray = misplacedHistoryFlag(view, flags);
	if (stray) {
		throw new UsageError(stray);
	}

	// The list and a trend measure their cells lazily (measured above); the other views draw with widths loaded.
	if (view !== 'list' && view !== '<model>') {
		await loadCellWidths();
	}

	const filter = filterOf(flags, new Date());
	const location = resolveStoreLocation(flags.db, process.env);
	const store = await openStore(location, {progress: migrationProgress(location.display)});
	try {
		return await runSubcommand(store, command, rest, flags, filter);
	} finally {
		await store.close().catch(() => undefined);
	}
}
