// Keys to actions, per screen (SPEC section 6). Pure: (screen, input, key) → Action.
import type {BracketName} from '../core/types.js';

export type Screen = 'race' | 'leaderboard' | 'transcript';

export type KeyInfo = {
	readonly upArrow?: boolean;
	readonly downArrow?: boolean;
	readonly leftArrow?: boolean;
	readonly rightArrow?: boolean;
	readonly pageUp?: boolean;
	readonly pageDown?: boolean;
	readonly return?: boolean;
	readonly escape?: boolean;
	readonly backspace?: boolean;
	readonly delete?: boolean;
	readonly tab?: boolean;
	readonly shift?: boolean;
	readonly ctrl?: boolean;
};

export type Action =
	| {readonly type: 'stop'}
	| {readonly type: 'quit'}
	| {readonly type: 'toggle-view'}
	| {readonly type: 'move'; readonly by: number}
	| {readonly type: 'open'}
	| {readonly type: 'next-sort'}
	| {readonly type: 'reverse-sort'}
	| {readonly type: 'bracket'; readonly bracket: BracketName | null}
	| {readonly type: 'cycle-bracket'; readonly by: 1 | -1}
	| {readonly type: 'save'}
	| {readonly type: 'race-again'}
	| {readonly type: 'scroll'; readonly by: number | 'page-up' | 'page-down' | 'top' | 'bottom'}
	| {readonly type: 'back'}
	| {readonly type: 'none'};

const digitBrackets: Record<string, BracketName | null> = {0: null, 1: 'ultra-budget', 2: 'budget', 3: 'mid', 4: 'premium'};

export function keyToAction(screen: Screen, input: string, key: KeyInfo): Action {
	const ctrlC = key.ctrl === true && input === 'c';
	switch (screen) {
		case 'race': {
			if (ctrlC || input === 'q' || key.escape) {
				return {type: 'stop'};
			}

			return input === 'v' ? {type: 'toggle-view'} : {type: 'none'};
		}

		case 'leaderboard': {
			if (ctrlC || input === 'q') {
				return {type: 'quit'};
			}

			if (key.upArrow || input === 'k') {
				return {type: 'move', by: -1};
			}

			if (key.downArrow || input === 'j') {
				return {type: 'move', by: 1};
			}

			if (key.return) {
				return {type: 'open'};
			}

			if (input === 's') {
				return {type: 'next-sort'};
			}

			if (input === 'S') {
				return {type: 'reverse-sort'};
			}

			if (input in digitBrackets) {
				return {type: 'bracket', bracket: digitBrackets[input]!};
			}

			if (key.leftArrow || (key.tab && key.shift)) {
				return {type: 'cycle-bracket', by: -1};
			}

			if (key.rightArrow || key.tab) {
				return {type: 'cycle-bracket', by: 1};
			}

			if (input === 'w') {
				return {type: 'save'};
			}

			return input === 'r' ? {type: 'race-again'} : {type: 'none'};
		}

		case 'transcript': {
			if (ctrlC || input === 'q') {
				return {type: 'quit'};
			}

			if (key.escape || key.backspace || key.delete) {
				return {type: 'back'};
			}

			if (key.upArrow || input === 'k') {
				return {type: 'scroll', by: -1};
			}

			if (key.downArrow || input === 'j') {
				return {type: 'scroll', by: 1};
			}

			if (key.pageUp) {
				return {type: 'scroll', by: 'page-up'};
			}

			if (key.pageDown || input === ' ') {
				return {type: 'scroll', by: 'page-down'};
			}

			if (input === 'g') {
				return {type: 'scroll', by: 'top'};
			}

			return input === 'G' ? {type: 'scroll', by: 'bottom'} : {type: 'none'};
		}
	}
}

/**
 * The actions of what one read of raw stdin holds on the race screen (drawn without Ink, so its
 * keys are parsed here): several keys typed fast or pasted, Ctrl-C as \u0003, a lone ESC as Escape.
 * Other escape sequences (arrows, function keys) mean nothing there and are skipped.
 */
export function raceKeys(data: string): Action[] {
	if (data === '\u001B') {
		return [keyToAction('race', '', {escape: true})];
	}

	const actions: Action[] = [];
	for (const input of data.replaceAll(/\u001B(?:\[[\d;?]*[A-Za-z~]|O[A-Za-z]|.)?/g, '')) {
		const action = input === '\u0003' ? keyToAction('race', 'c', {ctrl: true}) : keyToAction('race', input, {});
		if (action.type !== 'none') {
			actions.push(action);
		}
	}

	return actions;
}

/** The help line of each screen. */
export function helpLine(screen: Screen, options: {readonly interactive: boolean} = {interactive: true}): string {
	if (!options.interactive) {
		return 'keys are off: standard input is not a terminal (the prompt was piped in)';
	}

	switch (screen) {
		case 'race': {
			return 'q/Esc/Ctrl-C stop the race (keeps what arrived) · v panels ↔ lanes';
		}

		case 'leaderboard': {
			return '↑↓/jk select · Enter answer · s sort · S reverse · 0-4 ←→ Tab bracket · w save · r race again · q quit';
		}

		case 'transcript': {
			return '↑↓/jk PgUp/PgDn g/G scroll · Esc/Backspace back · q quit';
		}
	}
}
