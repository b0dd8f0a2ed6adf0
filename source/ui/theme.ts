// The one theme: semantic tones → colours, for the Ink screens (colour names) and the race screen
// (ANSI, drawn without Ink). NO_COLOR (https://no-color.org) drops the colours, keeps bold/dim/inverse.

export type Tone = 'ok' | 'warn' | 'slow' | 'error' | 'dim' | 'accent' | 'selected';

/** How a piece of text looks, the same in both ways of drawing. */
export type Style = {
	readonly tone?: Tone | undefined;
	readonly bold?: boolean | undefined;
	readonly dim?: boolean | undefined;
	readonly inverse?: boolean | undefined;
};

/** A piece of a line and its style. */
export type Segment = Style & {readonly text: string};

const colours: Record<Tone, {readonly name: string; readonly sgr: string}> = {
	ok: {name: 'green', sgr: '32'},
	warn: {name: 'yellow', sgr: '33'},
	slow: {name: 'red', sgr: '31'},
	error: {name: 'red', sgr: '31'},
	dim: {name: 'gray', sgr: '90'},
	accent: {name: 'cyan', sgr: '36'},
	selected: {name: 'cyan', sgr: '36'},
};

/** `NO_COLOR` set to anything but the empty string. */
export function noColorFrom(env: NodeJS.ProcessEnv): boolean {
	return 'NO_COLOR' in env && env['NO_COLOR'] !== '';
}

/** The Ink colour of a tone; none under NO_COLOR. */
export function colourOf(tone: Tone | undefined, noColor: boolean): string | undefined {
	return noColor || !tone ? undefined : colours[tone].name;
}

/** docs/metrics.md's TTFT feel: green below 400 ms, yellow from 400 to 800 ms, red above. */
export function ttftTone(ms: number): Tone {
	if (ms < 400) {
		return 'ok';
	}

	return ms <= 800 ? 'warn' : 'slow';
}

/** `text` wrapped in one SGR sequence and a reset (the race screen); unchanged when there is nothing to apply. */
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
		codes.push(colours[style.tone].sgr);
	}

	return codes.length === 0 ? text : `\u001B[${codes.join(';')}m${text}\u001B[0m`;
}

/** Drop every SGR/CSI sequence (what a styled line shows). */
export function stripAnsi(text: string): string {
	return text.replaceAll(/\u001B\[[\d;?]*[A-Za-z]/g, '');
}

/** Cut a styled line to `width` columns, keeping its escape sequences (and resetting after the cut). */
export function clipStyled(line: string, width: number, widthOf: (text: string) => number): string {
	let out = '';
	let used = 0;
	let index = 0;
	while (index < line.length) {
		if (line.codePointAt(index) === 0x1b && line[index + 1] === '[') {
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
