// The first-run screen's keys, step by step, and the prompt editor's widths in cells.
import {beforeAll, describe, expect, it} from 'vitest';
import {cellWidth, loadCellWidths} from '../../../../source/core/text/cells.js';
import {equivalentCommand, listWindow, promptLines} from '../../../../source/ui/first-run/app.js';
import {firstRunHelp} from '../../../../source/ui/first-run/help.js';
import {chosenModels, firstRunKey, initialFirstRun, type FirstRunState, type PresetChoice} from '../../../../source/ui/first-run/state.js';

const model = (id: string, ready = true) => ({id, name: id, provider: null, ready});
const presets: PresetChoice[] = [
	{
		ref: 'anthropic',
		name: 'anthropic',
		description: '',
		simulated: false,
		keyStatus: '$ANTHROPIC_API_KEY not set',
		blocked: 'anthropic needs $ANTHROPIC_API_KEY',
		models: [model('claude', false)],
		discovered: null,
		target: 'api.anthropic.com',
	},
	{
		ref: 'demo',
		name: 'demo',
		description: '',
		simulated: true,
		keyStatus: 'simulated, no key needed',
		blocked: null,
		models: [model('a'), model('b'), model('c')],
		discovered: null,
		target: '',
	},
	{
		ref: 'mixed',
		name: 'mixed',
		description: '',
		simulated: false,
		keyStatus: '$A set, $B not set',
		blocked: null,
		models: [model('x'), model('y', false)],
		discovered: null,
		target: 'h with $A',
	},
];

/** Press keys one by one; the state after them and the choice, if one was made. */
function press(state: FirstRunState, ...keys: string[]) {
	let current = state;
	for (const key of keys) {
		const result = firstRunKey(presets, current, key);
		current = result.state;
		if (result.choice) {
			return {state: current, choice: result.choice};
		}
	}

	return {state: current, choice: undefined};
}

beforeAll(async () => {
	await loadCellWidths();
});

describe('first-run state', () => {
	it('selects the demo first, or the preset given with -p', () => {
		expect(initialFirstRun(presets, 'p').preset).toBe(1);
		expect(initialFirstRun(presets, 'p', 'mixed').preset).toBe(2);
		expect(initialFirstRun(presets, 'p', 'nope').preset).toBe(1);
	});

	it('will not pick a preset whose key is not set, and says why', () => {
		const {state} = press(initialFirstRun(presets, 'p'), 'up', 'return');
		expect(state.step).toBe('preset');
		expect(state.note).toBe('anthropic needs $ANTHROPIC_API_KEY');
	});

	it('selects every model that can race; toggles; refuses none', () => {
		let {state} = press(initialFirstRun(presets, 'p', 'mixed'), 'return');
		expect(state.selected).toEqual([true, false]);
		({state} = press(state, 'down', ' '));
		expect(state.note).toBe('y: its key is not set');
		({state} = press(state, 'up', ' ', 'return'));
		expect(state.step).toBe('models');
		expect(state.note).toMatch(/no model selected/);
		({state} = press(state, 'a'));
		expect(state.selected).toEqual([true, false]);
	});

	it('races the demo with all its models as -p demo alone, and with some as -m', () => {
		const all = press(initialFirstRun(presets, 'Explain'), 'return', 'return', 'return');
		expect(all.choice).toEqual({type: 'race', preset: 'demo', models: null, prompt: 'Explain'});
		const some = press(initialFirstRun(presets, 'Explain'), 'return', 'down', ' ', 'return', 'return');
		expect(some.choice).toEqual({type: 'race', preset: 'demo', models: ['a', 'c'], prompt: 'Explain'});
		expect(chosenModels(presets[1]!, some.state)).toEqual(['a', 'c']);
		expect(equivalentCommand(presets[1]!, {...some.state, prompt: 'say "hi" $HOME'})).toBe('llmrace -p demo -m a,c "say \\"hi\\" \\$HOME"');
	});

	it('edits the prompt at the cursor, by graphemes; named keys type nothing; an Enter in a paste is a space', () => {
		let {state} = press(initialFirstRun(presets, 'ab'), 'return', 'return');
		expect(state.step).toBe('prompt');
		({state} = press(state, 'left', '字', 'page-up', 'tab'));
		expect(state.prompt).toBe('a字b');
		({state} = press(state, 'backspace'));
		expect(state.prompt).toBe('ab');
		expect(firstRunKey(presets, state, 'return', false).state.prompt).toBe('a b');
		expect(firstRunKey(presets, state, 'return', false).choice).toBeUndefined();
		({state} = press(state, 'right', 'ctrl-u'));
		expect(state).toMatchObject({prompt: '', cursor: 0});
		expect(press(state, 'return').state.note).toMatch(/empty/);
		// q is a letter here; Esc and Ctrl-C leave.
		expect(press(state, 'q').state.prompt).toBe('q');
		expect(press(state, 'escape').choice).toEqual({type: 'quit'});
		expect(press(state, 'ctrl-c').choice).toEqual({type: 'quit'});
		expect(press(initialFirstRun(presets, 'p'), 'q').choice).toEqual({type: 'quit'});
	});

	it('wraps the prompt in cells, wide characters whole, the cursor where it is', () => {
		const {lines, row, column} = promptLines('你好世界ab', 2, 5);
		expect(lines).toEqual(['你好', '世界a', 'b']);
		expect(lines.every(line => cellWidth(line) <= 5)).toBe(true);
		expect({row, column}).toEqual({row: 1, column: 0});
		expect(promptLines('abcde', 5, 5)).toEqual({lines: ['abcde', ''], row: 1, column: 0});
	});

	it('keeps the cursor in the list window; fits the help line, never dropping the way out', () => {
		expect(listWindow(15, 0, 5)).toEqual({start: 0, end: 5});
		expect(listWindow(15, 14, 5)).toEqual({start: 10, end: 15});
		expect(listWindow(3, 2, 10)).toEqual({start: 0, end: 3});
		for (const step of ['preset', 'models', 'prompt'] as const) {
			for (const columns of [40, 60, 80]) {
				const line = firstRunHelp(step, columns);
				expect(cellWidth(line)).toBeLessThanOrEqual(columns - 1);
				expect(line).toMatch(/quit/);
			}
		}
	});
});
