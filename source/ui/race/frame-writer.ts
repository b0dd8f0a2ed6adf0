// Draws frames of lines on the terminal's alternate screen, rewriting only the lines that changed.
// One write per frame, inside a synchronized update, so a frame never shows half-drawn.

const beginUpdate = '\u001B[?2026h';
const endUpdate = '\u001B[?2026l';
/** Alternate screen, cursor hidden, screen cleared; leaving restores the screen and scrollback as they were. */
export const enterScreen = '\u001B[?1049h\u001B[?25l\u001B[H\u001B[2J';
export const leaveScreen = '\u001B[?25h\u001B[?1049l';

export type FrameWriter = {
	/** Draw `lines` from the top row; returns whether anything was written. */
	readonly draw: (lines: readonly string[]) => boolean;
	/** The next frame repaints the whole screen (after a resize, or when something else wrote to it). */
	readonly invalidate: () => void;
};

export function createFrameWriter(write: (data: string) => void): FrameWriter {
	let previous: readonly string[] = [];
	let whole = true;
	return {
		draw(lines) {
			let out = whole ? '\u001B[H\u001B[2J' : '';
			for (let index = 0; index < lines.length; index++) {
				if (whole || lines[index] !== previous[index]) {
					out += `\u001B[${index + 1};1H${lines[index]!}\u001B[K`;
				}
			}

			for (let index = lines.length; index < previous.length; index++) {
				if (!whole) {
					out += `\u001B[${index + 1};1H\u001B[K`;
				}
			}

			whole = false;
			previous = lines;
			if (!out) {
				return false;
			}

			write(beginUpdate + out + endUpdate);
			return true;
		},
		invalidate() {
			whole = true;
		},
	};
}
