// `llmrace report <t.json>...` and `llmrace compare <a.json> <b.json>...`.
import process from 'node:process';
import {compareMetrics, compareRaces, comparisonText, labelRaces, reportCsv, reportMarkdown, reportRows} from '../core/report/report.js';
import {toJsonText} from '../core/transcript/build.js';
import {exportNumbers} from '../core/text/format.js';
import {writeFileAtomic} from '../io/save.js';
import {readTranscriptFile} from '../io/transcript-file.js';
import {UsageError, oneOf, outputWidth, type Flags} from '../options.js';

function load(files: readonly string[]) {
	return labelRaces(files.map(file => ({file, transcript: readTranscriptFile(file)})));
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
	const races = load(files);
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

	const metric = oneOf('--metric', flags.metric ?? 'ttft', compareMetrics);

	const comparison = compareRaces(load(files), metric);
	if (comparison.rows.length === 0) {
		process.stderr.write('llmrace: no model is in every race\n');
		return 1;
	}

	process.stdout.write(flags.json ? toJsonText(exportNumbers(comparison)) : comparisonText(comparison, outputWidth(process.stdout, process.env)));
	return 0;
}
