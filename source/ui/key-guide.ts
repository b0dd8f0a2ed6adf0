// The `?` screen: every key of the current screen with what it does, the help line's keys and the
// ones it drops when the terminal is narrow. Pure: lines of text for both ways of drawing.
import {cellWidth, truncate} from '../core/text/cells.js';
import type {Screen} from './keymap.js';

export type KeyGuideOptions = {
	/** Whether `r race again` is on offer (not under `show`). */
	readonly raceAgain?: boolean | undefined;
};

type Entry = readonly [keys: string, what: string];

function entries(screen: Screen, options: KeyGuideOptions): Entry[] {
	switch (screen) {
		case 'race': {
			return [
				['q  Esc  Ctrl-C', 'stop the race, keeping what arrived (again: quit)'],
				['v', 'panels ↔ lanes (one line per model)'],
				['?', 'this list; any key closes it'],
			];
		}

		case 'leaderboard': {
			return [
				['↑ ↓  k j', 'select a model (the selection follows it when the order changes)'],
				['Enter', "the selected model's answer and per-run figures"],
				['s', 'next sort key: ttft, ttfa, tps, total, price, cost, name'],
				['S', 'reverse the sort'],
				['0', 'all brackets'],
				['1 2 3 4', 'ultra-budget, budget, mid, premium'],
				['← →  Tab', 'cycle the brackets'],
				['c', 'chart view: tok/s against TTFT (or price)'],
				['w', 'save the transcript and show its path'],
				...(options.raceAgain === false ? [] : ([['r', 'race again']] as Entry[])),
				['?', 'this list; any key closes it'],
				['q  Ctrl-C', 'quit'],
			];
		}

		case 'chart': {
			return [
				['↑ ↓  k j', 'select a model (in the table’s order)'],
				['0-4  ← →  Tab', 'brackets, as on the table'],
				['p', 'x axis: TTFT (TTFA when a model reasons) ↔ $/M output'],
				['c  Esc', 'back to the table'],
				['?', 'this list; any key closes it'],
				['q  Ctrl-C', 'quit'],
			];
		}

		case 'transcript': {
			return [
				['↑ ↓  k j', 'scroll a line'],
				['PgUp PgDn  Space', 'scroll a page'],
				['g G  Home End', 'top, end'],
				['[ ]', 'the run before / after (the answer shown is one run’s)'],
				['Esc  Backspace', 'back to the table'],
				['?', 'this list; any key closes it'],
				['q  Ctrl-C', 'quit'],
			];
		}

		case 'load': {
			return [
				['q  Esc  Ctrl-C', 'stop the run, keeping what arrived (again: quit)'],
				['?', 'this list; any key closes it (the run goes on)'],
			];
		}

		case 'load-board': {
			return [
				['↑ ↓  k j', 'select a model (the selection follows it when the order changes)'],
				['Enter', "the selected model's steps"],
				['s', 'next sort key: rate, ttfa, ttft, e2e, goodput, name'],
				['S', 'reverse the sort'],
				['0', 'all brackets'],
				['1 2 3 4', 'ultra-budget, budget, mid, premium'],
				['← →  Tab', 'cycle the brackets'],
				['c', 'the knee chart: p99 against offered rate, the SLO line'],
				['w', 'save the load transcript and show its path'],
				['?', 'this list; any key closes it'],
				['q  Ctrl-C', 'quit'],
			];
		}

		case 'knee': {
			return [
				['↑ ↓  k j', 'select a model (in the table’s order)'],
				['0-4  ← →  Tab', 'brackets, as on the table'],
				['c  Esc', 'back to the table'],
				['?', 'this list; any key closes it'],
				['q  Ctrl-C', 'quit'],
			];
		}

		case 'load-steps': {
			return [
				['↑ ↓  k j', 'scroll a line'],
				['PgUp PgDn  Space', 'scroll a page'],
				['g G  Home End', 'top, end'],
				['Esc  Backspace', 'back to the table'],
				['?', 'this list; any key closes it'],
				['q  Ctrl-C', 'quit'],
			];
		}
	}
}

const titles: Record<Screen, string> = {
	race: 'race',
	leaderboard: 'leaderboard',
	chart: 'chart',
	transcript: 'answer',
	load: 'load',
	'load-board': 'load leaderboard',
	'load-steps': 'steps',
	knee: 'knee chart',
};

/** The `?` screen's lines, each at most `width` cells: a title, then `keys  what they do`. */
export function keyGuideLines(screen: Screen, width: number, options: KeyGuideOptions = {}): string[] {
	const list = entries(screen, options);
	const keysWidth = Math.max(...list.map(([keys]) => cellWidth(keys)));
	return [
		truncate(`Keys of the ${titles[screen]} screen`, width),
		'',
		...list.map(([keys, what]) => truncate(`  ${keys}${' '.repeat(keysWidth - cellWidth(keys))}   ${what}`, width)),
	];
}
