// The one key parser: what the keyboard sent → named keys, for both ways of drawing. Pure.
// The race screen reads raw stdin bytes (it is drawn without Ink): `parseKeys`. The Ink screens
// get Ink's `useInput(input, key)`: `inkKeys`. Both give the same names to `keyToAction` (keymap.ts).

/** A named key: one of these, or the printable character typed (`q`, `S`, `3`, ` `). */
export type KeyName =
	| 'up'
	| 'down'
	| 'left'
	| 'right'
	| 'page-up'
	| 'page-down'
	| 'home'
	| 'end'
	| 'return'
	| 'escape'
	| 'backspace'
	| 'delete'
	| 'tab'
	| 'shift-tab'
	| 'ctrl-c'
	| (string & Record<never, never>);

/** The subset of Ink's `Key` that names keys. */
export type InkKey = {
	readonly upArrow?: boolean;
	readonly downArrow?: boolean;
	readonly leftArrow?: boolean;
	readonly rightArrow?: boolean;
	readonly pageUp?: boolean;
	readonly pageDown?: boolean;
	readonly home?: boolean;
	readonly end?: boolean;
	readonly return?: boolean;
	readonly escape?: boolean;
	readonly backspace?: boolean;
	readonly delete?: boolean;
	readonly tab?: boolean;
	readonly shift?: boolean;
	readonly ctrl?: boolean;
	readonly meta?: boolean;
};

const sequences: Record<string, KeyName> = {
	'[A': 'up',
	'[B': 'down',
	'[C': 'right',
	'[D': 'left',
	OA: 'up',
	OB: 'down',
	OC: 'right',
	OD: 'left',
	'[5~': 'page-up',
	'[6~': 'page-down',
	'[H': 'home',
	'[F': 'end',
	OH: 'home',
	OF: 'end',
	'[1~': 'home',
	'[4~': 'end',
	'[7~': 'home',
	'[8~': 'end',
	'[3~': 'delete',
	'[Z': 'shift-tab',
};

// An escape sequence: CSI (parameters, final byte), SS3 (one letter), or ESC and one character (Alt-x).
const escapeSequence = /^\u001B(\[[\d;?]*[\u0040-\u007E]|O[A-Za-z]|[^\u001B])/;

/**
 * The keys in one read of raw stdin: several keys typed fast or pasted, Ctrl-C as \u0003, a lone
 * ESC (or ESC before another ESC) as Escape. Sequences that name no key here, and other control
 * characters, are skipped.
 */
export function parseKeys(data: string): KeyName[] {
	const keys: KeyName[] = [];
	let index = 0;
	while (index < data.length) {
		const char = data[index]!;
		if (char === '\u001B') {
			const match = escapeSequence.exec(data.slice(index));
			if (!match) {
				keys.push('escape');
				index++;
				continue;
			}

			const name = sequences[match[1]!];
			if (name) {
				keys.push(name);
			}

			index += match[0].length;
			continue;
		}

		const code = char.codePointAt(0)!;
		if (char === '\r' || char === '\n') {
			keys.push('return');
		} else if (char === '\t') {
			keys.push('tab');
		} else if (char === '\u007F' || char === '\b') {
			keys.push('backspace');
		} else if (char === '\u0003') {
			keys.push('ctrl-c');
		} else if (code >= 0x20 && !(code >= 0x80 && code <= 0x9f)) {
			const point = String.fromCodePoint(data.codePointAt(index)!);
			keys.push(point);
			index += point.length;
			continue;
		}

		index++;
	}

	return keys;
}

/** The keys of one `useInput` call (a paste gives several characters at once). */
export function inkKeys(input: string, key: InkKey): KeyName[] {
	if (key.ctrl && input === 'c') {
		return ['ctrl-c'];
	}

	const named: Array<[boolean | undefined, KeyName]> = [
		[key.upArrow, 'up'],
		[key.downArrow, 'down'],
		[key.leftArrow, 'left'],
		[key.rightArrow, 'right'],
		[key.pageUp, 'page-up'],
		[key.pageDown, 'page-down'],
		[key.home, 'home'],
		[key.end, 'end'],
		[key.return, 'return'],
		[key.escape, 'escape'],
		[key.backspace, 'backspace'],
		// Ink reports the DEL byte most terminals send for Backspace as `delete`.
		[key.delete, 'backspace'],
		[key.tab && key.shift, 'shift-tab'],
		[key.tab, 'tab'],
	];
	const found = named.find(([pressed]) => pressed);
	if (found) {
		return [found[1]];
	}

	if (key.ctrl || key.meta) {
		return [];
	}

	return parseKeys(input);
}
