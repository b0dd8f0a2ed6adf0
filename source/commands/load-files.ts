// `show`, `report` and `compare` of load transcripts (`llmrace/load@1`, docs/load.md): the commands read a
// file's schema first (io/load-transcript-file.ts) and come here for a load run. A race transcript and a load
// transcript together is a usage error.
import process from 'node:process';
import type {LoadTranscript} from '../core/load/types.js';
import {labelLoads, loadReportCsv, loadReportDocument, loadReportRows} from '../core/report/load-report.js';
import {loadPlainTable} from '../core/load/plain-table.js';
import {blocksMarkdown} from '../core/report/markdown.js';
import {compareLoads, loadCompareMetrics, loadComparisonText, type LoadCompareMetric} from '../core/stats/load-compare.js';
import {defaultLoadSort, loadSortKeys, type LoadSortKey} from '../core/stats/load-ranking.js';
import {toJsonText} from '../core/transcript/build.js';
import {bracketNames, type BracketName} from '../core/types.js';
import {defaultLoadTranscriptName} from '../io/load-transcript-file.js';
import {saveLoadRun} from '../io/save-load.js';
import {readAnyTranscriptFile, type AnyTranscript} from '../io/transcript-file.js';
import {writeFileAtomic} from '../io/save.js';
import {UsageError, outputWidth, type Flags} from '../options.js';

/** Every file read, checked to be all races or all load runs. */
export function readSameKind(files: readonly string[], command: string): {kind: 'race'; files: AnyTranscript[]} | {kind: 'load'; files: AnyTranscript[]} {
	const read = files.map(file => readAnyTranscriptFile(file));
	const load = read.findIndex(entry => entry.kind === 'load');
	const race = read.findIndex(entry => entry.kind === 'race');
	if (load !== -1 && race !== -1) {
		throw new UsageError(
			`${command}: ${files[load]} is a load transcript and ${files[race]} a race transcript: ${command} races with races and load runs with load runs`,
		);
	}

	return {kind: load === -1 ? 'race' : 'load', files: read};
}

function oneOf<T extends string>(flag: string, value: string, choices: readonly T[]): T {
	if (!(choices as readonly string[]).includes(value)) {
		throw new UsageError(`invalid value for ${flag}: "${value}"\nvalid: ${choices.join(', ')}`);
	}

	return value as T;
}

function loadSort(flags: Flags, transcript: LoadTranscript): LoadSortKey {
	return flags.sort === undefined ? defaultLoadSort(transcript) : oneOf('--sort', flags.sort, loadSortKeys);
}

function loadBracket(flags: Flags): BracketName | null {
	return flags.bracket === undefined || flags.bracket === 'all' ? null : oneOf('--bracket', flags.bracket, bracketNames);
}

/** `show <load.json>`: the load leaderboard at a terminal, the plain load table when piped. */
export async function showLoad(file: string, transcript: LoadTranscript, flags: Flags): Promise<number> {
	if (flags.replay !== undefined) {
		throw new UsageError(`--replay plays a race back; ${file} is a load run (llmrace show ${file} opens its leaderboard)`);
	}

	const sort = loadSort(flags, transcript);
	const bracket = loadBracket(flags);
	if (!process.stdout.isTTY) {
		// The plain load table of `llmrace load` when piped, of the bracket's models.
		const shown = bracket === null ? transcript : {...transcript, models: transcript.models.filter(model => model.bracket === bracket)};
		process.stdout.write(loadPlainTable(shown, sort));
		return 0;
	}

	const {showLoadBoard} = await import('../ui/load/show-board.js');
	const {noColorFrom} = await import('../ui/theme.js');
	const view = showLoadBoard({
		meta: {prompt: transcript.prompt, preset: transcript.preset, region: transcript.region, simulated: transcript.simulated},
		transcript,
		// Here, by a name relative to the working directory: the message under the table stays short.
		async save(shown) {
			const saved = saveLoadRun(shown, flags.save ?? defaultLoadTranscriptName(new Date()), [], null);
			if (!saved.ok) {
				throw new Error(saved.error);
			}

			return saved.path;
		},
		sort,
		bracket,
		noColor: noColorFrom(process.env),
		interactive: process.stdin.isTTY === true,
	});
	await view.done;
	return 0;
}

type Format = 'md' | 'csv' | 'json' | 'html';

/** `report <load.json>…` in Markdown, CSV, JSON or HTML. */
export async function reportLoads(entries: ReadonlyArray<{file: string; transcript: LoadTranscript}>, format: Format, flags: Flags): Promise<number> {
	const loads = labelLoads(entries);
	const sort = flags.sort === undefined ? null : oneOf('--sort', flags.sort, loadSortKeys);
	let text: string;
	switch (format) {
		case 'csv': {
			text = loadReportCsv(loads);
			break;
		}

		case 'json': {
			text = toJsonText(loadReportRows(loads));
			break;
		}

		case 'html': {
			// ECharts loads only here.
			const {blocksHtml} = await import('../core/report/html.js');
			const [first] = loads;
			text = blocksHtml(
				loadReportDocument(loads, sort),
				`llmrace load report: ${loads.map(load => load.label).join(', ')}`,
				first ? `${first.transcript.tool.name} ${first.transcript.tool.version}` : 'llmrace',
			);
			break;
		}

		case 'md': {
			text = blocksMarkdown(loadReportDocument(loads, sort));
			break;
		}
	}

	if (flags.save === undefined) {
		process.stdout.write(text);
	} else {
		writeFileAtomic(flags.save, text);
		process.stderr.write(`llmrace: wrote the ${format === 'md' ? 'Markdown' : format.toUpperCase()} load report to ${flags.save}\n`);
	}

	return 0;
}

/** `compare <a.json> <b.json>` of two load runs: p99 per model at each rate both ran, with a Diff column. */
export function compareLoadFiles(entries: ReadonlyArray<{file: string; transcript: LoadTranscript}>, flags: Flags): number {
	if (entries.length !== 2) {
		throw new UsageError(`compare takes two load transcripts, not ${entries.length}\nexample: llmrace compare load-us.json load-sg.json`);
	}

	const metric: LoadCompareMetric = flags.metric === undefined ? 'ttfa' : oneOf('--metric', flags.metric, loadCompareMetrics);
	const [a, b] = labelLoads(entries);
	const comparison = compareLoads(a!, b!, metric);
	if (comparison.rows.length === 0) {
		process.stderr.write('llmrace: no model ran the same rate in both load runs\n');
		return 1;
	}

	process.stdout.write(flags.json ? toJsonText(comparison) : loadComparisonText(comparison, outputWidth(process.stdout, process.env)));
	return 0;
}
