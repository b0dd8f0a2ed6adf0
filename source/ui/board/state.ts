// Leaderboard state and its reducer: sort, filter, selection that follows the model, transcript scroll,
// the chart view and its x axis. Pure.
import {nextSortKey, rankModels, type SortKey} from '../../core/stats/ranking.js';
import {bracketNames, type BracketName, type ModelResult} from '../../core/types.js';
import type {ChartAxis} from '../chart/layout.js';
import type {Action} from '../keymap.js';
import {answeredRun} from './answer-lines.js';

export type BoardState = {
	readonly sort: SortKey;
	readonly reverse: boolean;
	readonly bracket: BracketName | null;
	/** The selected model's id: the selection follows the model when the order changes. */
	readonly selectedId: string | null;
	readonly view: 'leaderboard' | 'chart' | 'transcript';
	readonly scroll: number;
	/** The chart view's x axis (`p`), kept when the view is left and opened again. */
	readonly chartAxis: ChartAxis;
	/** The answer screen's run (an index into the model's runs, `[`/`]`); null: the last run with an answer. */
	readonly run: number | null;
	/** `?`: the current screen's keys shown over it. */
	readonly keyGuide: boolean;
};

export function initialBoard(sort: SortKey, bracket: BracketName | null): BoardState {
	return {sort, reverse: false, bracket, selectedId: null, view: 'leaderboard', scroll: 0, chartAxis: 'ttft', run: null, keyGuide: false};
}

export function visibleModels(models: readonly ModelResult[], state: BoardState): ModelResult[] {
	return rankModels(models, state.sort, state.reverse, state.bracket);
}

/** The selected model among the visible ones: the remembered one if visible, else the first. */
export function selectedModel(models: readonly ModelResult[], state: BoardState): ModelResult | undefined {
	const visible = visibleModels(models, state);
	return visible.find(model => model.id === state.selectedId) ?? visible[0];
}

const cycle: ReadonlyArray<BracketName | null> = [null, ...bracketNames];

export function boardReducer(state: BoardState, action: Action, models: readonly ModelResult[], pageLines: number): BoardState {
	const withSelection = (next: BoardState): BoardState => ({...next, selectedId: selectedModel(models, next)?.id ?? null});
	switch (action.type) {
		case 'move': {
			const visible = visibleModels(models, state);
			if (visible.length === 0) {
				return state;
			}

			const current = Math.max(
				0,
				visible.findIndex(model => model.id === selectedModel(models, state)?.id),
			);
			const index = Math.min(visible.length - 1, Math.max(0, current + action.by));
			return {...state, selectedId: visible[index]!.id};
		}

		case 'next-sort': {
			return withSelection({...state, sort: nextSortKey(state.sort), reverse: false, selectedId: selectedModel(models, state)?.id ?? null});
		}

		case 'reverse-sort': {
			return withSelection({...state, reverse: !state.reverse, selectedId: selectedModel(models, state)?.id ?? null});
		}

		case 'bracket': {
			return withSelection({...state, bracket: action.bracket, selectedId: selectedModel(models, state)?.id ?? null});
		}

		case 'cycle-bracket': {
			const index = cycle.indexOf(state.bracket);
			const bracket = cycle[(index + action.by + cycle.length) % cycle.length]!;
			return withSelection({...state, bracket, selectedId: selectedModel(models, state)?.id ?? null});
		}

		case 'open': {
			const selected = selectedModel(models, state);
			return selected ? {...state, view: 'transcript', selectedId: selected.id, scroll: 0, run: null} : state;
		}

		case 'pick-run': {
			const selected = selectedModel(models, state);
			if (state.view !== 'transcript' || !selected || selected.runs.length === 0) {
				return state;
			}

			const current = state.run ?? answeredRun(selected);
			return {...state, run: Math.min(selected.runs.length - 1, Math.max(0, current + action.by)), scroll: 0};
		}

		case 'help': {
			return {...state, keyGuide: !state.keyGuide};
		}

		case 'chart': {
			return {...state, view: 'chart', selectedId: selectedModel(models, state)?.id ?? state.selectedId};
		}

		case 'chart-axis': {
			return state.view === 'chart' ? {...state, chartAxis: state.chartAxis === 'ttft' ? 'price' : 'ttft'} : state;
		}

		case 'back': {
			return {...state, view: 'leaderboard'};
		}

		case 'scroll': {
			let scroll: number;
			switch (action.by) {
				case 'page-up': {
					scroll = state.scroll - pageLines;
					break;
				}

				case 'page-down': {
					scroll = state.scroll + pageLines;
					break;
				}

				case 'top': {
					scroll = 0;
					break;
				}

				case 'bottom': {
					scroll = Number.MAX_SAFE_INTEGER;
					break;
				}

				default: {
					scroll = state.scroll + action.by;
				}
			}

			// The view clamps the top end, which depends on the content's height.
			return {...state, scroll: Math.max(0, scroll)};
		}

		default: {
			return state;
		}
	}
}
