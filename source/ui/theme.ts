// Semantic colours; none at all when NO_COLOR is set (https://no-color.org).

export type Tone = 'ok' | 'warn' | 'slow' | 'error' | 'dim' | 'accent' | 'selected';

const colours: Record<Tone, string> = {
	ok: 'green',
	warn: 'yellow',
	slow: 'red',
	error: 'red',
	dim: 'gray',
	accent: 'cyan',
	selected: 'cyan',
};

export function colourOf(tone: Tone, noColor: boolean): string | undefined {
	return noColor ? undefined : colours[tone];
}

/** SPEC's TTFT feel: green below 400 ms, yellow from 400 to 800 ms, red above. */
export function ttftTone(ms: number): Tone {
	if (ms < 400) {
		return 'ok';
	}

	return ms <= 800 ? 'warn' : 'slow';
}
