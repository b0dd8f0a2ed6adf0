// The Markdown report: the report's blocks as GitHub-flavoured Markdown. Every cell, heading and
// paragraph is escaped (markdownCell), so no model name or error message can add a column or markup.
import type {Labelled} from '../stats/compare.js';
import {markdownCell} from '../text/escape.js';
import {reportDocument, type Block} from './document.js';
import {keepPriority, markdownTable, type TableColumn} from '../text/table.js';

function blockMarkdown(block: Block): string | null {
	switch (block.kind) {
		case 'heading': {
			return `${'#'.repeat(block.level)} ${markdownCell(block.text)}`;
		}

		case 'table': {
			const columns = block.header.map(
				(title, index): TableColumn => ({key: String(index), title, align: block.numeric.has(index) ? 'right' : 'left', priority: keepPriority}),
			);
			return markdownTable(columns, block.rows);
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

/** A report's blocks as Markdown (charts and answers left out). */
export function blocksMarkdown(blocks: readonly Block[]): string {
	const parts = blocks.map(block => blockMarkdown(block)).filter((part): part is string => part !== null);
	return `${parts.join('\n\n')}\n`;
}

export function reportMarkdown(races: readonly Labelled[]): string {
	return blocksMarkdown(reportDocument(races));
}
