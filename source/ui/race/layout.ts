// Where the panels go: a pure function of the terminal's size and the number of models.

export type Layout = {readonly mode: 'panels'; readonly columns: number; readonly panelWidth: number; readonly panelHeight: number} | {readonly mode: 'lanes'};

export const minPanelWidth = 34;
/** Border (2) + title line + figures line + at least two lines of text. */
export const minPanelHeight = 6;
export const maxPanelHeight = 12;

/**
 * Panels when they fit in `rows` (already less the header and help lines),
 * else lanes: one line per model.
 */
export function layoutPanels(columns: number, rows: number, count: number): Layout {
	if (count === 0) {
		return {mode: 'lanes'};
	}

	for (let perRow = Math.min(count, Math.max(1, Math.floor(columns / minPanelWidth))); perRow >= 1; perRow--) {
		const panelRows = Math.ceil(count / perRow);
		const panelHeight = Math.min(maxPanelHeight, Math.floor(rows / panelRows));
		const panelWidth = Math.floor(columns / perRow);
		if (panelHeight >= minPanelHeight && panelWidth >= minPanelWidth) {
			return {mode: 'panels', columns: perRow, panelWidth, panelHeight};
		}
	}

	return {mode: 'lanes'};
}
