// The first-run screen's state: three steps (preset, models, prompt) and what each key does there. Pure.
import {graphemes} from '../../core/text/cells.js';
import type {KeyName} from '../keys.js';

/** A model as the screen offers it (its text already sanitised by the caller). */
export type ModelChoice = {
	readonly id: string;
	readonly name: string;
	readonly provider: string | null;
	/** Its key is set (or none is needed): it can race. */
	readonly ready: boolean;
};

/** A preset as the screen offers it: plain data, no file or key value in it. */
export type PresetChoice = {
	/** What `-p` gets to race it: its name, or the path it was given by. */
	readonly ref: string;
	readonly name: string;
	readonly description: string;
	readonly simulated: boolean;
	/** The key variables and whether each is set (`$OPENAI_API_KEY not set`), never a value. */
	readonly keyStatus: string;
	/** Why it cannot race now (an invalid file, no key set), or null. */
	readonly blocked: string | null;
	readonly models: readonly ModelChoice[];
	/** Models come from the server's GET /models when the race starts: the text saying so, else null. */
	readonly discovered: string | null;
	/** Where the prompt goes and what pays for it (shown on the prompt step of a non-simulated preset). */
	readonly target: string;
};

export type Step = 'preset' | 'models' | 'prompt';

export type FirstRunState = {
	readonly step: Step;
	readonly preset: number;
	readonly model: number;
	/** Per model of the chosen preset: raced or not. */
	readonly selected: readonly boolean[];
	readonly prompt: string;
	/** The prompt cursor, in graphemes from the start. */
	readonly cursor: number;
	/** A one-line note (why Enter did nothing). */
	readonly note: string | null;
};

/** What the user decided: race this, or leave with nothing raced. */
export type FirstRunChoice =
	| {readonly type: 'race'; readonly preset: string; readonly models: readonly string[] | null; readonly prompt: string}
	| {readonly type: 'quit'};

export function initialFirstRun(presets: readonly PresetChoice[], prompt: string, preferred?: string): FirstRunState {
	const named = presets.findIndex(preset => preset.ref === preferred);
	const index = Math.max(0, named === -1 ? presets.findIndex(preset => preset.ref === 'demo') : named);
	return {step: 'preset', preset: index, model: 0, selected: [], prompt, cursor: graphemes(prompt).length, note: null};
}

const clamp = (value: number, length: number) => Math.min(Math.max(0, value), Math.max(0, length - 1));

/** The models that race: every selected one, or null for "all the preset has" (all selected, or discovered). */
export function chosenModels(preset: PresetChoice, state: FirstRunState): string[] | null {
	const ids = preset.models.filter((_, index) => state.selected[index]).map(model => model.id);
	return ids.length === preset.models.length ? null : ids;
}

function editPrompt(state: FirstRunState, key: KeyName): FirstRunState {
	const parts = graphemes(state.prompt).map(part => part.text);
	const {cursor} = state;
	const set = (next: string[], at: number): FirstRunState => ({...state, prompt: next.join(''), cursor: at, note: null});
	switch (key) {
		case 'left': {
			return {...state, cursor: Math.max(0, cursor - 1)};
		}

		case 'right': {
			return {...state, cursor: Math.min(parts.length, cursor + 1)};
		}

		case 'home': {
			return {...state, cursor: 0};
		}

		case 'end': {
			return {...state, cursor: parts.length};
		}

		case 'backspace': {
			return cursor === 0 ? state : set([...parts.slice(0, cursor - 1), ...parts.slice(cursor)], cursor - 1);
		}

		case 'delete': {
			return set([...parts.slice(0, cursor), ...parts.slice(cursor + 1)], cursor);
		}

		case 'ctrl-u': {
			return set(parts.slice(cursor), 0);
		}

		default: {
			// A printable character (keys.ts gives nothing else by that name); a pasted newline is a space.
			// Named keys (`page-up`, `tab`) are longer than one code point: they type nothing.
			const text = key === 'return' ? ' ' : key;
			if ([...text].length !== 1 || /\p{C}/u.test(text)) {
				return state;
			}

			const next = [...parts.slice(0, cursor), text, ...parts.slice(cursor)].join('');
			// A combining mark joins the character before it: the cursor stays within the text.
			return set([next], Math.min(cursor + 1, graphemes(next).length));
		}
	}
}

export type FirstRunResult = {readonly state: FirstRunState; readonly choice?: FirstRunChoice};

const quit: FirstRunResult['choice'] = {type: 'quit'};

function onPresetStep(presets: readonly PresetChoice[], state: FirstRunState, key: KeyName): FirstRunResult {
	switch (key) {
		case 'up':
		case 'k': {
			return {state: {...state, preset: clamp(state.preset - 1, presets.length), note: null}};
		}

		case 'down':
		case 'j': {
			return {state: {...state, preset: clamp(state.preset + 1, presets.length), note: null}};
		}

		case 'q':
		case 'escape': {
			return {state, choice: quit};
		}

		case 'return':
		case 'right':
		case 'tab': {
			const preset = presets[state.preset];
			if (!preset) {
				return {state};
			}

			if (preset.blocked) {
				return {state: {...state, note: preset.blocked}};
			}

			// Every model that can race, selected.
			return {state: {...state, step: 'models', model: 0, selected: preset.models.map(model => model.ready), note: null}};
		}

		default: {
			return {state};
		}
	}
}

function onModelsStep(preset: PresetChoice, state: FirstRunState, key: KeyName): FirstRunResult {
	const count = preset.models.length;
	switch (key) {
		case 'up':
		case 'k': {
			return {state: {...state, model: clamp(state.model - 1, count), note: null}};
		}

		case 'down':
		case 'j': {
			return {state: {...state, model: clamp(state.model + 1, count), note: null}};
		}

		case ' ':
		case 'x': {
			const model = preset.models[state.model];
			if (!model) {
				return {state};
			}

			if (!model.ready) {
				return {state: {...state, note: `${model.id}: its key is not set`}};
			}

			return {state: {...state, selected: state.selected.map((on, index) => (index === state.model ? !on : on)), note: null}};
		}

		case 'a': {
			const all = preset.models.every((model, index) => !model.ready || state.selected[index]);
			return {state: {...state, selected: preset.models.map(model => model.ready && !all), note: null}};
		}

		case 'q':
		case 'escape': {
			return {state, choice: quit};
		}

		case 'left':
		case 'backspace':
		case 'shift-tab': {
			return {state: {...state, step: 'preset', note: null}};
		}

		case 'return':
		case 'right':
		case 'tab': {
			if (count > 0 && !state.selected.some(Boolean)) {
				return {state: {...state, note: 'no model selected: Space selects one, a selects all'}};
			}

			return {state: {...state, step: 'prompt', note: null}};
		}

		default: {
			return {state};
		}
	}
}

/**
 * One key. `alone` is false for a key that came with others in one read (a paste): an Enter in a paste is
 * a space in the prompt, never the Enter that starts a race.
 */
export function firstRunKey(presets: readonly PresetChoice[], state: FirstRunState, key: KeyName, alone = true): FirstRunResult {
	if (key === 'ctrl-c') {
		return {state, choice: quit};
	}

	const preset = presets[state.preset];
	if (state.step === 'preset' || !preset) {
		return onPresetStep(presets, state, key);
	}

	if (state.step === 'models') {
		return onModelsStep(preset, state, key);
	}

	if (key === 'escape') {
		return {state, choice: quit};
	}

	if (key === 'shift-tab' || key === 'up') {
		return {state: {...state, step: 'models', note: null}};
	}

	if (key === 'return' && alone) {
		const prompt = state.prompt.trim();
		if (!prompt) {
			return {state: {...state, note: 'the prompt is empty: type one'}};
		}

		return {state, choice: {type: 'race', preset: preset.ref, models: chosenModels(preset, state), prompt}};
	}

	return {state: editPrompt(state, key)};
}
