// `llmrace report <t.json>...` and `llmrace compare <a.json> <b.json>...`; load transcripts go to commands/load-files.ts.
import process from 'node:process';
import {compareMetrics, compareRaces, comparisonText, labelRaces, reportCsv, reportMarkdown, reportRows} from '../core/report/report.js';
import {toJsonText} from '../core/transcript/build.js';
import {exportNumbers} from '../core/text/format.js';
import {writeFileAtomic} from '../io/save.js';
import type {LoadTranscript} from '../core/load/types.js';
import type {Transcript} from '../core/types.js';
import {compareLoadFiles, readSameKind, reportLoads} from './load-files.js';
import {UsageError, oneOf, outputWidth, type Flags} from '../options.js';

/** The files as races, or null when they are load runs (a mix is a usage error). */
function read(files: readonly string[], command: string) {
	const {kind, files: read} = readSameKind(files, command);
	const entries = read.map((entry, index) => ({file: files[index]!, transcript: entry.transcript}));
	return kind === 'race'
		? {races: labelRaces(entries as Array<{file: string; transcript: Transcript}>), loads: null}
		: {races: null, loads: entries as Array<{file: string; transcript: LoadTranscript}>};
}

const formats = ['md', 'csv', 'json', 'html'] as const;
type Format = (typeof formats)[number];

/** The format: --format, else the extension of -o (race.html, rows.csv), else Markdown. */
function formatOf(flags: Flags): Format {
	if (flags.format === undefined) {
		const extension = /\.(md|markdown|csv|json|html?)$/i.exec(flags.save ?? '')?.[1]?.toLowerCase();
		return extension === undefined ? 'md' : (({markdown: 'md', htm: 'html'} as Record<string, Format>)[extension] ?? (extension as Format));
	}

	const format = flags.format.toLowerCase();
	if (format === 'markdown') {
		return 'md';
	}

	return oneOf('--format', format, formats);
}

export async function runReport(files: readonly string[], flags: Flags): Promise<number> {
	if (files.length === 0) {
		throw new UsageError('report needs at least one transcript file\nexample: llmrace report race.json');
	}

	const format = formatOf(flags);
	const {races, loads} = read(files, 'report');
	if (loads) {
		return reportLoads(loads, format, flags);
	}

	let text: string;
	switch (format) {
		case 'csv': {
			text = reportCsv(races);
			break;
		}

		case 'json': {
			text = toJsonText(reportRows(races));
			break;
		}

		case 'html': {
			// ECharts loads only here.
			const {reportHtml} = await import('../core/report/html.js');
			text = await reportHtml(races);
			break;
		}

		case 'md': {
			text = reportMarkdown(races);
			break;
		}
	}

	if (flags.save === undefined) {
		process.stdout.write(text);
	} else {
		writeFileAtomic(flags.save, text);
		process.stderr.write(`llmrace: wrote the ${format === 'md' ? 'Markdown' : format.toUpperCase()} report to ${flags.save}\n`);
	}

	return 0;
}

export function runCompare(files: readonly string[], flags: Flags): number {
	if (files.length < 2) {
		throw new UsageError('compare needs two or more transcript files\nexample: llmrace compare us.json sg.json');
	}

	const {races, loads} = read(files, 'compare');
	if (loads) {
		return compareLoadFiles(loads, flags);
	}

	const metric = oneOf('--metric', flags.metric ?? 'ttft', compareMetrics);

	const comparison = compareRaces(races, metric);
	if (comparison.rows.length === 0) {
		process.stderr.write('llmrace: no model is in every race\n');
		return 1;
	}

	process.stdout.write(flags.json ? toJsonText(exportNumbers(comparison)) : comparisonText(comparison, outputWidth(process.stdout, process.env)));
	return 0;
}
