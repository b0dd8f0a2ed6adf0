// The first-run screen's help line, one per step, fitted to the terminal: the least-used keys are dropped
// first, the way out never (as keymap.ts does for the other screens).
import {cellWidth, truncate} from '../../core/text/cells.js';
import type {Step} from './state.js';

type HelpKey = {readonly text: string; readonly rank: number};

const wayOut = Number.POSITIVE_INFINITY;

const keys: Record<Step, readonly HelpKey[]> = {
	preset: [
		{text: '↑↓/jk select', rank: 9},
		{text: 'Enter choose', rank: wayOut},
		{text: 'q/Esc quit', rank: wayOut},
	],
	models: [
		{text: '↑↓/jk move', rank: 9},
		{text: 'Space toggle', rank: 8},
		{text: 'a all/none', rank: 6},
		{text: 'Enter next', rank: wayOut},
		{text: '← back', rank: 5},
		{text: 'q/Esc quit', rank: wayOut},
	],
	prompt: [
		{text: 'type to edit', rank: 7},
		{text: '←→ move', rank: 4},
		{text: 'Ctrl-U clear', rank: 5},
		{text: 'Enter race', rank: wayOut},
		{text: '↑ back', rank: 6},
		{text: 'Esc/Ctrl-C quit', rank: wayOut},
	],
};

export function firstRunHelp(step: Step, columns: number): string {
	const width = columns - 1;
	const shown = [...keys[step]];
	const line = () => shown.map(key => key.text).join(' · ');
	while (cellWidth(line()) > width) {
		const lowest = shown.reduce<HelpKey | undefined>((low, key) => (key.rank !== wayOut && (!low || key.rank < low.rank) ? key : low), undefined);
		if (!lowest) {
			break;
		}

		shown.splice(shown.indexOf(lowest), 1);
	}

	return truncate(line(), width);
}
