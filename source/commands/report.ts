// `llmrace report <t.json>...` and `llmrace compare <a.json> <b.json>...`.
import process from 'node:process';
import {compareMetrics, compareRaces, comparisonText, labelRaces, reportCsv, reportMarkdown, reportRows, type CompareMetric} from '../core/report.js';
import {readTranscriptFile} from '../io/transcripts.js';
import type {Flags} from '../main.js';
import {UsageError} from '../options.js';

function load(files: readonly string[]) {
	return labelRaces(files.map(file => ({file, transcript: readTranscriptFile(file)})));
}

export function runReport(files: readonly string[], flags: Flags): number {
	if (files.length === 0) {
		throw new UsageError('report needs at least one transcript file\nexample: llmrace report race.json');
	}

	const format = flags.format ?? 'md';
	if (!['md', 'markdown', 'csv', 'json'].includes(format)) {
		throw new UsageError(`invalid value for --format: "${format}"\nvalid: md, csv, json`);
	}

	const races = load(files);
	if (format === 'csv') {
		process.stdout.write(reportCsv(races));
	} else if (format === 'json') {
		process.stdout.write(`${JSON.stringify(reportRows(races), null, 2)}\n`);
	} else {
		process.stdout.write(reportMarkdown(races));
	}

	return 0;
}

export function runCompare(files: readonly string[], flags: Flags): number {
	if (files.length < 2) {
		throw new UsageError('compare needs two or more transcript files\nexample: llmrace compare us.json sg.json');
	}

	const metric = (flags.metric ?? 'ttft') as CompareMetric;
	if (!compareMetrics.includes(metric)) {
		throw new UsageError(`invalid value for --metric: "${flags.metric}"\nvalid: ${compareMetrics.join(', ')}`);
	}

	const comparison = compareRaces(load(files), metric);
	if (comparison.rows.length === 0) {
		process.stderr.write('llmrace: no model is in every race\n');
		return 1;
	}

	process.stdout.write(flags.json ? `${JSON.stringify(comparison, null, 2)}\n` : comparisonText(comparison));
	return 0;
}
