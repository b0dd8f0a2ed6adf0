// Keys to actions, per screen (docs/cli.md#keys), and each screen's help line. Pure: (screen, key) → Action.
// Keys come named from keys.ts, from raw stdin (race screen) or Ink's useInput (the other screens).
import {cellWidth, truncate} from '../core/text/cells.js';
import type {BracketName} from '../core/types.js';
import type {KeyName} from './keys.js';

export type Screen = 'race' | 'leaderboard' | 'chart' | 'transcript' | LoadScreen;

/** The screens of a load run (docs/load.md): live, its leaderboard, a model's steps, the knee chart. */
export type LoadScreen = 'load' | 'load-board' | 'load-steps' | 'knee';

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
	/** `c` on the leaderboard: the chart view of the current bracket. */
	| {readonly type: 'chart'}
	/** `p` in the chart view: x = TTFT/TTFA ↔ $/M output. */
	| {readonly type: 'chart-axis'}
	/** `?`: the screen's keys, all of them, over the screen; any key closes it. */
	| {readonly type: 'help'}
	/** `[`/`]` on the answer screen: the run before / after the one shown. */
	| {readonly type: 'pick-run'; readonly by: 1 | -1}
	| {readonly type: 'none'};

const digitBrackets: Record<string, BracketName | null> = {0: null, 1: 'ultra-budget', 2: 'budget', 3: 'mid', 4: 'premium'};

const raceActions: Partial<Record<KeyName, Action>> = {
	q: {type: 'stop'},
	escape: {type: 'stop'},
	'ctrl-c': {type: 'stop'},
	v: {type: 'toggle-view'},
	'?': {type: 'help'},
};

const leaderboardActions: Partial<Record<KeyName, Action>> = {
	q: {type: 'quit'},
	'ctrl-c': {type: 'quit'},
	up: {type: 'move', by: -1},
	k: {type: 'move', by: -1},
	down: {type: 'move', by: 1},
	j: {type: 'move', by: 1},
	return: {type: 'open'},
	s: {type: 'next-sort'},
	S: {type: 'reverse-sort'},
	left: {type: 'cycle-bracket', by: -1},
	'shift-tab': {type: 'cycle-bracket', by: -1},
	right: {type: 'cycle-bracket', by: 1},
	tab: {type: 'cycle-bracket', by: 1},
	w: {type: 'save'},
	r: {type: 'race-again'},
	c: {type: 'chart'},
	'?': {type: 'help'},
};

// The chart view: the table's selection and bracket keys, `p` for the x axis, `c`/`Esc` back to the table.
const chartActions: Partial<Record<KeyName, Action>> = {
	q: {type: 'quit'},
	'ctrl-c': {type: 'quit'},
	c: {type: 'back'},
	escape: {type: 'back'},
	p: {type: 'chart-axis'},
	up: {type: 'move', by: -1},
	k: {type: 'move', by: -1},
	down: {type: 'move', by: 1},
	j: {type: 'move', by: 1},
	left: {type: 'cycle-bracket', by: -1},
	'shift-tab': {type: 'cycle-bracket', by: -1},
	right: {type: 'cycle-bracket', by: 1},
	tab: {type: 'cycle-bracket', by: 1},
	'?': {type: 'help'},
};

const transcriptActions: Partial<Record<KeyName, Action>> = {
	q: {type: 'quit'},
	'ctrl-c': {type: 'quit'},
	escape: {type: 'back'},
	backspace: {type: 'back'},
	delete: {type: 'back'},
	up: {type: 'scroll', by: -1},
	k: {type: 'scroll', by: -1},
	down: {type: 'scroll', by: 1},
	j: {type: 'scroll', by: 1},
	'page-up': {type: 'scroll', by: 'page-up'},
	'page-down': {type: 'scroll', by: 'page-down'},
	' ': {type: 'scroll', by: 'page-down'},
	g: {type: 'scroll', by: 'top'},
	home: {type: 'scroll', by: 'top'},
	G: {type: 'scroll', by: 'bottom'},
	end: {type: 'scroll', by: 'bottom'},
	'[': {type: 'pick-run', by: -1},
	']': {type: 'pick-run', by: 1},
	'?': {type: 'help'},
};

// The load run's screens: the live view stops the run as the race screen does (no `v`: it has lanes only);
// its leaderboard has the race leaderboard's keys but `r` (a load is not raced again from here); the steps
// scroll as a transcript (no `[`/`]`: a step is not a run); the knee chart keeps the selection and
// brackets, `c`/`Esc` back (no `p`: its x axis is the offered rate). Every one has `?`.
const without = (table: Partial<Record<KeyName, Action>>, ...keys: readonly KeyName[]): Partial<Record<KeyName, Action>> =>
	Object.fromEntries(Object.entries(table).filter(([key]) => !keys.includes(key as KeyName)));

const loadActions = without(raceActions, 'v');

const loadBoardActions = without(leaderboardActions, 'r');

const loadStepsActions = without(transcriptActions, '[', ']');

const kneeActions = without(chartActions, 'p');

const actions: Record<Screen, Partial<Record<KeyName, Action>>> = {
	race: raceActions,
	leaderboard: leaderboardActions,
	chart: chartActions,
	transcript: transcriptActions,
	load: loadActions,
	'load-board': loadBoardActions,
	'load-steps': loadStepsActions,
	knee: kneeActions,
};

export function keyToAction(screen: Screen, key: KeyName): Action {
	if ((screen === 'leaderboard' || screen === 'chart' || screen === 'load-board' || screen === 'knee') && Object.hasOwn(digitBrackets, key)) {
		return {type: 'bracket', bracket: digitBrackets[key]!};
	}

	return Object.hasOwn(actions[screen], key) ? actions[screen][key]! : {type: 'none'};
}

/** One entry of a help line; `rank` orders who goes first when the line is too long (lower first). */
type HelpKey = {readonly text: string; readonly rank: number};

/** Never dropped: the way out (docs/cli.md#keys). */
const wayOut = Number.POSITIVE_INFINITY;

/** `? keys`: every key of the screen, so it goes only after all the others (the way out stays). */
const allKeys: HelpKey = {text: '? keys', rank: 50};

function helpKeys(screen: Screen, raceAgain: boolean, pickRun: boolean): HelpKey[] {
	switch (screen) {
		case 'race': {
			return [{text: 'q/Esc/Ctrl-C stop the race (keeps what arrived)', rank: wayOut}, {text: 'v panels ↔ lanes', rank: 5}, allKeys];
		}

		case 'leaderboard': {
			return [
				{text: '↑↓/jk select', rank: 9},
				{text: 'Enter answer', rank: 8},
				{text: 's/S sort/reverse', rank: 7},
				{text: '0-4 ←→ Tab bracket', rank: 6},
				{text: 'w save', rank: 5},
				...(raceAgain ? [{text: 'r race again', rank: 3}] : []),
				// Kept before the bracket keys (the tabs above the table show their digits): at 80 columns the chart is what the line makes known.
				{text: 'c chart', rank: 6.5},
				allKeys,
				{text: 'q quit', rank: wayOut},
			];
		}

		case 'chart': {
			return [
				{text: '↑↓/jk select', rank: 9},
				{text: '0-4 ←→ Tab bracket', rank: 6},
				allKeys,
				{text: 'p x axis', rank: wayOut},
				{text: 'c/Esc table', rank: wayOut},
				{text: 'q quit', rank: wayOut},
			];
		}

		case 'load': {
			return [{text: 'q/Esc/Ctrl-C stop the run (keeps what arrived)', rank: wayOut}, allKeys];
		}

		case 'load-board': {
			return [
				{text: '↑↓/jk select', rank: 9},
				{text: 'Enter steps', rank: 8},
				{text: 's sort', rank: 7},
				{text: 'S reverse', rank: 2},
				// The tabs above the table show the bracket keys: their help goes before the knee chart and saving.
				{text: '0-4 ←→ Tab bracket', rank: 5},
				{text: 'w save', rank: 5.5},
				{text: 'c knee chart', rank: 6.5},
				allKeys,
				{text: 'q quit', rank: wayOut},
			];
		}

		case 'knee': {
			return [
				{text: '↑↓/jk select', rank: 9},
				{text: '0-4 ←→ Tab bracket', rank: 6},
				allKeys,
				{text: 'c/Esc table', rank: wayOut},
				{text: 'q quit', rank: wayOut},
			];
		}

		case 'load-steps':
		case 'transcript': {
			return [
				{text: '↑↓/jk scroll', rank: 9},
				{text: 'PgUp/PgDn page', rank: 6},
				{text: 'g/G top/end', rank: 4},
				...(pickRun ? [{text: '[ ] run', rank: 7}] : []),
				allKeys,
				{text: 'Esc/Backspace back', rank: wayOut},
				{text: 'q quit', rank: wayOut},
			];
		}
	}
}

const separator = ' · ';

export type HelpOptions = {
	/** False when stdin is not a terminal: no keys. */
	readonly interactive?: boolean | undefined;
	/** The terminal's width: the line fits `columns - 1` cells, the least-used keys dropped first. */
	readonly columns?: number | undefined;
	/** Whether `r race again` is on offer (not under `show`). */
	readonly raceAgain?: boolean | undefined;
	/** Whether `[`/`]` pick a run on the answer screen (the model has more than one). */
	readonly pickRun?: boolean | undefined;
};

/** The help line of a screen, fitted to the terminal: drops the least-used keys first, never the way out (`q`, `Esc`). */
export function helpLine(screen: Screen, options: HelpOptions = {}): string {
	const width = options.columns === undefined ? Number.POSITIVE_INFINITY : options.columns - 1;
	if (options.interactive === false) {
		return truncate('keys are off: standard input is not a terminal (the prompt was piped in)', width);
	}

	const keys = helpKeys(screen, options.raceAgain ?? true, options.pickRun ?? false);
	const line = () => keys.map(key => key.text).join(separator);
	while (cellWidth(line()) > width) {
		const lowest = keys.reduce<HelpKey | undefined>((low, key) => (key.rank !== wayOut && (!low || key.rank < low.rank) ? key : low), undefined);
		if (!lowest) {
			break;
		}

		keys.splice(keys.indexOf(lowest), 1);
	}

	return truncate(line(), width);
}
