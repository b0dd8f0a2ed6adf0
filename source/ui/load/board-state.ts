// The load leaderboard's state and its reducer: sort, bracket, a selection that follows the model, the
// steps view's scroll, the knee chart. Pure (the same actions as the race leaderboard: ui/keymap.ts).
import type {LoadModelResult, LoadTranscript} from '../../core/load/types.js';
import {commonRate, nextLoadSortKey, rankLoadModels, type LoadSortKey} from '../../core/stats/load-ranking.js';
import {bracketNames, type BracketName} from '../../core/types.js';
import type {Action} from '../keymap.js';

export type LoadBoardState = {
	readonly sort: LoadSortKey;
	readonly reverse: boolean;
	readonly bracket: BracketName | null;
	/** The selected model's id: the selection follows the model when the order changes. */
	readonly selectedId: string | null;
	readonly view: 'load-board' | 'load-steps' | 'knee';
	readonly scroll: number;
	/** `?`: the view's keys over it; any key closes the list. */
	readonly keyGuide: boolean;
};

export function initialLoadBoard(sort: LoadSortKey, bracket: BracketName | null = null): LoadBoardState {
	return {sort, reverse: false, bracket, selectedId: null, view: 'load-board', scroll: 0, keyGuide: false};
}

export function visibleLoadModels(transcript: Pick<LoadTranscript, 'models' | 'settings'>, state: LoadBoardState): LoadModelResult[] {
	return rankLoadModels(transcript.models, state.sort, {
		reverse: state.reverse,
		bracket: state.bracket,
		rate: commonRate(transcript.models),
		slo: transcript.settings.slo,
	});
}

/** The selected model among the visible ones: the remembered one if visible, else the first. */
export function selectedLoadModel(transcript: Pick<LoadTranscript, 'models' | 'settings'>, state: LoadBoardState): LoadModelResult | undefined {
	const visible = visibleLoadModels(transcript, state);
	return visible.find(model => model.id === state.selectedId) ?? visible[0];
}

const cycle: ReadonlyArray<BracketName | null> = [null, ...bracketNames];

export function loadBoardReducer(
	state: LoadBoardState,
	action: Action,
	transcript: Pick<LoadTranscript, 'models' | 'settings'>,
	pageLines: number,
): LoadBoardState {
	const current = selectedLoadModel(transcript, state)?.id ?? null;
	const withSelection = (next: LoadBoardState): LoadBoardState => ({...next, selectedId: selectedLoadModel(transcript, next)?.id ?? null});
	switch (action.type) {
		case 'move': {
			const visible = visibleLoadModels(transcript, state);
			if (visible.length === 0) {
				return state;
			}

			const index = Math.max(
				0,
				visible.findIndex(model => model.id === current),
			);
			return {...state, selectedId: visible[Math.min(visible.length - 1, Math.max(0, index + action.by))]!.id};
		}

		case 'next-sort': {
			return withSelection({...state, sort: nextLoadSortKey(state.sort), reverse: false, selectedId: current});
		}

		case 'reverse-sort': {
			return withSelection({...state, reverse: !state.reverse, selectedId: current});
		}

		case 'bracket': {
			return withSelection({...state, bracket: action.bracket, selectedId: current});
		}

		case 'cycle-bracket': {
			const index = cycle.indexOf(state.bracket);
			return withSelection({...state, bracket: cycle[(index + action.by + cycle.length) % cycle.length]!, selectedId: current});
		}

		case 'open': {
			return current === null ? state : {...state, view: 'load-steps', selectedId: current, scroll: 0};
		}

		case 'chart': {
			return {...state, view: 'knee', selectedId: current ?? state.selectedId};
		}

		case 'back': {
			return {...state, view: 'load-board'};
		}

		case 'help': {
			return {...state, keyGuide: !state.keyGuide};
		}

		case 'scroll': {
			const by = action.by;
			const scroll =
				by === 'page-up'
					? state.scroll - pageLines
					: by === 'page-down'
						? state.scroll + pageLines
						: by === 'top'
							? 0
							: by === 'bottom'
								? Number.MAX_SAFE_INTEGER
								: state.scroll + by;
			// The view clamps the top end, which depends on the content's height.
			return {...state, scroll: Math.max(0, scroll)};
		}

		default: {
			return state;
		}
	}
}
