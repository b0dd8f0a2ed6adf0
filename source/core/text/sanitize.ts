// The one sanitiser for display (docs/untrusted-text.md): text a server sent (answers, reasoning, error
// messages, model ids, served model names) made safe to print on a terminal. Pure.
//
// C0 and C1 control characters become spaces: that takes the introducer out of every escape
// sequence (ESC of CSI/OSC/DCS…, and the 8-bit introducers 0x9B CSI, 0x9D OSC, 0x90 DCS), so what
// is left of a sequence (`[2J`, `]0;title`) shows as inert text. BEL and a bare CR (which would
// overwrite a line) become spaces too. Bidirectional overrides and isolates (U+202A–U+202E,
// U+2066–U+2069, the "Trojan Source" characters) are removed. The transcript JSON keeps the exact text.

const unsafe = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;
const controlsButNewline = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/g;
const controls = /[\u0000-\u001F\u007F-\u009F]/g;
const bidi = /[\u202A-\u202E\u2066-\u2069]/g;

/** One line of server text, safe to print: every control character (newlines and tabs too) a space, bidi controls removed. */
export function sanitizeLine(text: string): string {
	if (!unsafe.test(text)) {
		return text;
	}

	return text.replaceAll(bidi, '').replaceAll(controls, ' ');
}

/** Multi-line server text, safe to print: as `sanitizeLine`, but newlines stay (CRLF becomes a newline). */
export function sanitizeBlock(text: string): string {
	if (!unsafe.test(text)) {
		return text;
	}

	return text.replaceAll('\r\n', '\n').replaceAll(bidi, '').replaceAll(controlsButNewline, ' ');
}
