// ANSI styling for the race screen, which is drawn without Ink. Tones as in theme.ts; NO_COLOR drops the colours only.
import type {Tone} from './theme.js';

export type Style = {
	readonly tone?: Tone | undefined;
	readonly bold?: boolean | undefined;
	readonly dim?: boolean | undefined;
	readonly inverse?: boolean | undefined;
};

const toneCodes: Record<Tone, string> = {
	ok: '32',
	warn: '33',
	slow: '31',
	error: '31',
	dim: '90',
	accent: '36',
	selected: '36',
};

/** `text` wrapped in one SGR sequence and a reset; unchanged when there is nothing to apply. */
export function paint(text: string, style: Style, noColor: boolean): string {
	if (!text) {
		return '';
	}

	const codes: string[] = [];
	if (style.bold) {
		codes.push('1');
	}

	if (style.dim) {
		codes.push('2');
	}

	if (style.inverse) {
		codes.push('7');
	}

	if (style.tone && !noColor) {
		codes.push(toneCodes[style.tone]);
	}

	return codes.length === 0 ? text : `\u001B[${codes.join(';')}m${text}\u001B[0m`;
}

/** Drop every ANSI escape sequence (what a styled line shows). */
export function stripAnsi(text: string): string {
	return text.replaceAll(/\u001B\[[\d;?]*[A-Za-z]/g, '');
}

/** Cut a styled line to `width` columns, keeping its escape sequences (and resetting after the cut). */
export function clipStyled(line: string, width: number, widthOf: (text: string) => number): string {
	let out = '';
	let used = 0;
	let index = 0;
	while (index < line.length) {
		if (line.codePointAt(index) === 0x1B && line[index + 1] === '[') {
			let end = index + 2;
			while (end < line.length && !/[A-Za-z]/.test(line[end]!)) {
				end++;
			}

			out += line.slice(index, end + 1);
			index = end + 1;
			continue;
		}

		const char = String.fromCodePoint(line.codePointAt(index)!);
		const cells = widthOf(char);
		if (used + cells > width) {
			return `${out}\u001B[0m`;
		}

		out += char;
		used += cells;
		index += char.length;
	}

	return out;
}
