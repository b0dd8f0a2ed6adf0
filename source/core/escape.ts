// Escaping for the files other programs open: Markdown cells, CSV fields, HTML text. Pure.
// Text from a server (model ids, names, error messages, answers) is untrusted: none of these lets it
// break a table, run a spreadsheet formula, or become markup or script.

/** C0 and C1 control characters (escape sequences, BEL, CR...) and the bidirectional overrides and isolates. */
const inert = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
const controlsButLines = /[\u0000-\u0009\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** One line of inert text: every control character (newlines and tabs included) a space, bidi overrides gone. */
export function inertLine(text: string): string {
	return text.replaceAll(/\r\n?|\n/g, ' ').replaceAll(inert, character => (/[\u202A-\u202E\u2066-\u2069]/.test(character) ? '' : ' '));
}

/** Inert text that keeps its lines: CR LF and CR become LF; other controls a space; bidi overrides gone. */
export function inertLines(text: string): string {
	return text.replaceAll(/\r\n?/g, '\n').replaceAll(controlsButLines, character => (/[\u202A-\u202E\u2066-\u2069]/.test(character) ? '' : ' '));
}

/**
 * A Markdown table cell (or inline text): one line, with `\`, `|`, backticks and the characters that open
 * inline markup or HTML (`* _ [ ] < >`) backslash-escaped, so no text can add a column, a code span, a link or a tag.
 */
export function markdownCell(text: string): string {
	return inertLine(text).replaceAll(/[\\|`*_[\]<>]/g, character => `\\${character}`);
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

	text = text.replaceAll(/\r\n?/g, '\n').replaceAll(controlsButLines, character => (/[\u202A-\u202E\u2066-\u2069]/.test(character) ? '' : ' '));
	return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A CSV record: fields joined by commas, ended by CRLF as RFC 4180 says. */
export function csvRecord(values: readonly unknown[]): string {
	return `${values.map(value => csvField(value)).join(',')}\r\n`;
}

const htmlEntities: Record<string, string> = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;'};

/** Text for an HTML element or a quoted attribute: `& < > " '` as entities, controls as spaces (lines kept). */
export function escapeHtml(text: string): string {
	return inertLines(text).replaceAll(/[&<>"']/g, character => htmlEntities[character]!);
}
