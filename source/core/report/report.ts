// Reports (Markdown, CSV, JSON; HTML in report/html.ts, loaded only for --format html) and comparisons
// across races. Pure: transcripts in, text out. One entry point for the commands.
export {
	compareMetrics,
	compareRaces,
	comparisonHeader,
	comparisonRows,
	comparisonText,
	labelRaces,
	metricValue,
	type CompareMetric,
	type Comparison,
	type Labelled,
} from '../stats/compare.js';
export {reportCsv, reportRows, type ReportRow} from './csv.js';
export {reportMarkdown} from './markdown.js';
export {reportDocument, type Block, type ChartRequest} from './document.js';
