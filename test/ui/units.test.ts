import {describe, expect, it} from 'vitest';
import {boardReducer, initialBoard, selectedModel, visibleModels} from '../../source/ui/board.js';
import {fitColumns, leaderboardColumns} from '../../source/ui/columns.js';
import {helpLine, keyToAction} from '../../source/ui/keymap.js';
import {layoutPanels} from '../../source/ui/layout.js';
import {sparkline, tailLines, wrapLines} from '../../source/ui/text.js';
import {ttftTone} from '../../source/ui/theme.js';
import {demoTranscript} from '../helpers/fixtures.js';

describe('keymap', () => {
	it('maps SPEC keys per screen', () => {
		expect(keyToAction('race', 'q', {})).toEqual({type: 'stop'});
		expect(keyToAction('race', '', {escape: true})).toEqual({type: 'stop'});
		expect(keyToAction('race', 'c', {ctrl: true})).toEqual({type: 'stop'});
		expect(keyToAction('race', 'v', {})).toEqual({type: 'toggle-view'});
		expect(keyToAction('leaderboard', 'c', {ctrl: true})).toEqual({type: 'quit'});
		expect(keyToAction('leaderboard', 'j', {})).toEqual({type: 'move', by: 1});
		expect(keyToAction('leaderboard', '', {upArrow: true})).toEqual({type: 'move', by: -1});
		expect(keyToAction('leaderboard', '', {return: true})).toEqual({type: 'open'});
		expect(keyToAction('leaderboard', 's', {})).toEqual({type: 'next-sort'});
		expect(keyToAction('leaderboard', 'S', {shift: true})).toEqual({type: 'reverse-sort'});
		expect(keyToAction('leaderboard', '0', {})).toEqual({type: 'bracket', bracket: null});
		expect(keyToAction('leaderboard', '3', {})).toEqual({type: 'bracket', bracket: 'mid'});
		expect(keyToAction('leaderboard', '', {tab: true})).toEqual({type: 'cycle-bracket', by: 1});
		expect(keyToAction('leaderboard', '', {leftArrow: true})).toEqual({type: 'cycle-bracket', by: -1});
		expect(keyToAction('leaderboard', 'w', {})).toEqual({type: 'save'});
		expect(keyToAction('leaderboard', 'r', {})).toEqual({type: 'race-again'});
		expect(keyToAction('transcript', '', {escape: true})).toEqual({type: 'back'});
		expect(keyToAction('transcript', '', {backspace: true})).toEqual({type: 'back'});
		expect(keyToAction('transcript', 'G', {})).toEqual({type: 'scroll', by: 'bottom'});
		expect(keyToAction('transcript', '', {pageDown: true})).toEqual({type: 'scroll', by: 'page-down'});
		expect(keyToAction('race', 'x', {})).toEqual({type: 'none'});
	});

	it('has a help line for every screen', () => {
		expect(helpLine('race')).toContain('v panels');
		expect(helpLine('leaderboard')).toContain('w save');
		expect(helpLine('transcript')).toContain('Esc');
		expect(helpLine('leaderboard', {interactive: false})).toContain('not a terminal');
	});
});

describe('layout', () => {
	it('puts 15 panels on a large terminal and falls back to lanes on 80×24', () => {
		expect(layoutPanels(119, 37, 15)).toMatchObject({mode: 'panels', columns: 3});
		expect(layoutPanels(79, 21, 15)).toEqual({mode: 'lanes'});
		expect(layoutPanels(160, 40, 32)).toEqual({mode: 'lanes'});
		expect(layoutPanels(200, 60, 32)).toMatchObject({mode: 'panels', columns: 5});
		expect(layoutPanels(79, 21, 2)).toMatchObject({mode: 'panels', columns: 2});
	});

	it('never lays out more rows than it was given', () => {
		for (const [columns, rows, count] of [[119, 37, 15], [160, 50, 20], [79, 21, 3], [100, 30, 6]] as const) {
			const layout = layoutPanels(columns, rows, count);
			if (layout.mode === 'panels') {
				expect(Math.ceil(count / layout.columns) * layout.panelHeight).toBeLessThanOrEqual(rows);
				expect(layout.columns * layout.panelWidth).toBeLessThanOrEqual(columns);
			}
		}
	});
});

describe('text helpers', () => {
	it('wraps and keeps the tail', () => {
		expect(wrapLines('one two three four', 9)).toEqual(['one two', 'three', 'four']);
		expect(wrapLines('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
		expect(tailLines('one two three four five six', 9, 2)).toEqual(['four five', 'six']);
		expect(tailLines('x'.repeat(10_000), 10, 2)).toEqual(['x'.repeat(10), 'x'.repeat(10)]);
	});

	it('draws sparklines scaled to the maximum', () => {
		expect(sparkline([0, 5, 10], 3)).toBe('▁▅█');
		expect(sparkline([0, 0], 2)).toBe('▁▁');
		expect(sparkline([1, 2, 3, 4], 2)).toBe('▆█');
	});

	it('colours TTFT by feel', () => {
		expect([120, 399, 400, 800, 801].map(ms => ttftTone(ms))).toEqual(['ok', 'ok', 'warn', 'warn', 'slow']);
	});
});

describe('leaderboard state', () => {
	const {models} = demoTranscript();

	it('keeps the selection on the same model when the order changes', () => {
		let state = initialBoard('ttft', null);
		state = boardReducer(state, {type: 'move', by: 2}, models, 10);
		const chosen = selectedModel(models, state)!.id;
		state = boardReducer(state, {type: 'next-sort'}, models, 10);
		expect(state.sort).toBe('ttfa');
		state = boardReducer(state, {type: 'next-sort'}, models, 10);
		expect(state.sort).toBe('tps');
		expect(selectedModel(models, state)!.id).toBe(chosen);
		state = boardReducer(state, {type: 'reverse-sort'}, models, 10);
		expect(selectedModel(models, state)!.id).toBe(chosen);
	});

	it('filters by bracket and cycles through brackets', () => {
		let state = boardReducer(initialBoard('ttft', null), {type: 'bracket', bracket: 'ultra-budget'}, models, 10);
		expect(visibleModels(models, state).map(model => model.id)).toEqual(['step-3.5-flash', 'qwen3-8b']);
		state = boardReducer(state, {type: 'cycle-bracket', by: 1}, models, 10);
		expect(state.bracket).toBe('budget');
		state = boardReducer(state, {type: 'cycle-bracket', by: -1}, models, 10);
		state = boardReducer(state, {type: 'cycle-bracket', by: -1}, models, 10);
		expect(state.bracket).toBeNull();
		state = boardReducer(state, {type: 'cycle-bracket', by: -1}, models, 10);
		expect(state.bracket).toBe('premium');
	});

	it('finds the cheapest fast model: bracket, then sort by tok/s', () => {
		let state = initialBoard('ttft', null);
		state = boardReducer(state, {type: 'bracket', bracket: 'ultra-budget'}, models, 10);
		state = boardReducer(state, {type: 'next-sort'}, models, 10);
		state = boardReducer(state, {type: 'next-sort'}, models, 10);
		expect(state.sort).toBe('tps');
		expect(selectedModel(models, state)!.name).toBe('Step-3.5-Flash');
	});

	it('drops low-priority columns on narrow terminals, never the model or its TTFT', () => {
		const columns = leaderboardColumns(models, 1);
		const cells = models.map((model, index) => columns.map(column => column.cell(model, index + 1)));
		const wide = fitColumns(columns, cells, 119).map(entry => entry.column.key);
		const narrow = fitColumns(columns, cells, 79).map(entry => entry.column.key);
		expect(wide).toContain('provider');
		expect(narrow).toEqual(expect.arrayContaining(['place', 'model', 'ttft', 'tps', 'price', 'status']));
		expect(narrow).not.toContain('bracket');
		const width = fitColumns(columns, cells, 79).reduce((sum, entry) => sum + entry.width + 2, -2);
		expect(width).toBeLessThanOrEqual(79);
	});
});
