// The Markdown report: the report's blocks as GitHub-flavoured Markdown. Every cell, heading and
// paragraph is escaped (markdownCell), so no model name or error message can add a column or markup.
import type {Labelled} from './compare.js';
import {markdownCell} from './escape.js';
import {reportDocument, type Block} from './report-doc.js';

export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, numeric: ReadonlySet<number> = new Set()): string {
	const align = header.map((_, index) => (numeric.has(index) ? '---:' : '---'));
	const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
	return [line(header.map(value => markdownCell(value))), line(align), ...rows.map(row => line(header.map((_, index) => markdownCell(row[index] ?? ''))))].join('\n');
}

function blockMarkdown(block: Block): string | null {
	switch (block.kind) {
		case 'heading': {
			return `${'#'.repeat(block.level)} ${markdownCell(block.text)}`;
		}

		case 'table': {
			return markdownTable(block.header, block.rows, block.numeric);
		}

		case 'paragraph': {
			return markdownCell(block.text);
		}

		case 'list': {
			return block.items.map(item => `- ${markdownCell(item)}`).join('\n');
		}

		case 'chart':
		case 'answers': {
			return null;
		}
	}
}

export function reportMarkdown(races: readonly Labelled[]): string {
	const parts = reportDocument(races).map(block => blockMarkdown(block)).filter((part): part is string => part !== null);
	return `${parts.join('\n\n')}\n`;
}
