// Escaping for the files other programs open: Markdown cells, CSV fields, HTML text. Pure.
// Text from a server (model ids, names, error messages, answers) is untrusted: none of these lets it
// break a table, run a spreadsheet formula, or become markup or script.
import {sanitizeBlock, sanitizeLine} from './sanitize.js';

/**
 * A Markdown table cell (or inline text): one line, with `\`, `|`, backticks and the characters that open
 * inline markup or HTML (`* _ [ ] < >`) backslash-escaped, so no text can add a column, a code span, a link or a tag.
 */
export function markdownCell(text: string): string {
	return sanitizeLine(text).replaceAll(/[\\|`*_[\]<>]/g, character => `\\${character}`);
}

/** A leading character a spreadsheet reads as the start of a formula (OWASP CSV injection). */
const formulaStart = /^[=+\-@\t\r]/;

/**
 * One CSV field (RFC 4180): numbers as numbers (a negative figure stays a number), null as empty, text
 * with a `'` before a formula-leading character, quoted when it holds a quote, comma or line break.
 * Control characters other than line breaks become spaces (the file is often read in a terminal).
 */
export function csvField(value: unknown): string {
	if (value === null || value === undefined) {
		return '';
	}

	if (typeof value === 'number') {
		return Number.isFinite(value) ? String(value) : '';
	}

	if (typeof value === 'boolean') {
		return String(value);
	}

	let text = String(value);
	if (formulaStart.test(text)) {
		text = `'${text}`;
	}

	text = sanitizeBlock(text);
	return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A CSV record: fields joined by commas, ended by CRLF as RFC 4180 says. */
export function csvRecord(values: readonly unknown[]): string {
	return `${values.map(value => csvField(value)).join(',')}\r\n`;
}

const htmlEntities: Record<string, string> = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'};

/** Text for an HTML element or a quoted attribute: `& < > " '` as entities, controls as spaces (lines kept): the one sanitiser of core/text/sanitize.ts, then the entities. */
export function escapeHtml(text: string): string {
	return sanitizeBlock(text).replaceAll(/[&<>"']/g, character => htmlEntities[character]!);
}
