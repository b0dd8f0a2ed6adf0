import {describe, expect, it} from 'vitest';
import {boardReducer, initialBoard, selectedModel, visibleModels} from '../../../source/ui/board/state.js';
import stringWidth from 'string-width';
import {cellWidth, graphemes, simpleWideRanges} from '../../../source/core/text/cells.js';
import {fitTable, formatTable, keepPriority, tableRow, type TableColumn} from '../../../source/core/text/table.js';
import {leaderboardColumns} from '../../../source/ui/board/columns.js';
import {helpLine, keyToAction} from '../../../source/ui/keymap.js';
import {inkKeys, parseKeys} from '../../../source/ui/keys.js';
import {layoutPanels} from '../../../source/ui/race/layout.js';
import {sparkline, tailLines, wrapLines} from '../../../source/ui/text.js';
import {ttftTone} from '../../../source/ui/theme.js';
import {demoTranscript} from '../../helpers/fixtures.js';

describe('keymap', () => {
	it('maps the documented keys per screen (docs/cli.md#keys)', () => {
		expect(keyToAction('race', 'q')).toEqual({type: 'stop'});
		expect(keyToAction('race', 'escape')).toEqual({type: 'stop'});
		expect(keyToAction('race', 'ctrl-c')).toEqual({type: 'stop'});
		expect(keyToAction('race', 'v')).toEqual({type: 'toggle-view'});
		expect(keyToAction('leaderboard', 'ctrl-c')).toEqual({type: 'quit'});
		expect(keyToAction('leaderboard', 'j')).toEqual({type: 'move', by: 1});
		expect(keyToAction('leaderboard', 'up')).toEqual({type: 'move', by: -1});
		expect(keyToAction('leaderboard', 'return')).toEqual({type: 'open'});
		expect(keyToAction('leaderboard', 's')).toEqual({type: 'next-sort'});
		expect(keyToAction('leaderboard', 'S')).toEqual({type: 'reverse-sort'});
		expect(keyToAction('leaderboard', '0')).toEqual({type: 'bracket', bracket: null});
		expect(keyToAction('leaderboard', '3')).toEqual({type: 'bracket', bracket: 'mid'});
		expect(keyToAction('leaderboard', 'tab')).toEqual({type: 'cycle-bracket', by: 1});
		expect(keyToAction('leaderboard', 'shift-tab')).toEqual({type: 'cycle-bracket', by: -1});
		expect(keyToAction('leaderboard', 'left')).toEqual({type: 'cycle-bracket', by: -1});
		expect(keyToAction('leaderboard', 'w')).toEqual({type: 'save'});
		expect(keyToAction('leaderboard', 'r')).toEqual({type: 'race-again'});
		expect(keyToAction('transcript', 'escape')).toEqual({type: 'back'});
		expect(keyToAction('transcript', 'backspace')).toEqual({type: 'back'});
		expect(keyToAction('transcript', 'G')).toEqual({type: 'scroll', by: 'bottom'});
		expect(keyToAction('transcript', 'page-down')).toEqual({type: 'scroll', by: 'page-down'});
		expect(keyToAction('race', 'x')).toEqual({type: 'none'});
		expect(keyToAction('leaderboard', 'toString')).toEqual({type: 'none'});
	});

	it('has a help line for every screen', () => {
		expect(helpLine('race')).toContain('v panels');
		expect(helpLine('leaderboard')).toContain('w save');
		expect(helpLine('leaderboard', {raceAgain: false})).not.toContain('r race again');
		expect(helpLine('transcript')).toContain('Esc');
		expect(helpLine('leaderboard', {interactive: false})).toContain('not a terminal');
	});

	it("maps the chart view's keys: c opens it, p switches x, c/Esc back, selection and bracket keys as on the table, q quits", () => {
		expect(keyToAction('leaderboard', 'c')).toEqual({type: 'chart'});
		expect(keyToAction('leaderboard', 'p')).toEqual({type: 'none'});
		expect(keyToAction('chart', 'p')).toEqual({type: 'chart-axis'});
		expect(keyToAction('chart', 'c')).toEqual({type: 'back'});
		expect(keyToAction('chart', 'escape')).toEqual({type: 'back'});
		expect(keyToAction('chart', 'q')).toEqual({type: 'quit'});
		expect(keyToAction('chart', 'ctrl-c')).toEqual({type: 'quit'});
		for (const [key, by] of [
			['up', -1],
			['k', -1],
			['down', 1],
			['j', 1],
		] as const) {
			expect(keyToAction('chart', key)).toEqual({type: 'move', by});
		}

		expect(keyToAction('chart', '0')).toEqual({type: 'bracket', bracket: null});
		expect(keyToAction('chart', '1')).toEqual({type: 'bracket', bracket: 'ultra-budget'});
		expect(keyToAction('chart', '4')).toEqual({type: 'bracket', bracket: 'premium'});
		expect(keyToAction('chart', 'tab')).toEqual({type: 'cycle-bracket', by: 1});
		expect(keyToAction('chart', 'right')).toEqual({type: 'cycle-bracket', by: 1});
		expect(keyToAction('chart', 'left')).toEqual({type: 'cycle-bracket', by: -1});
		expect(keyToAction('chart', 'shift-tab')).toEqual({type: 'cycle-bracket', by: -1});
		// Keys of the table that mean nothing on the chart.
		for (const key of ['return', 's', 'S', 'w', 'r', 'backspace', 'toString']) {
			expect(keyToAction('chart', key), key).toEqual({type: 'none'});
		}
	});

	it("the chart's help line keeps p, c/Esc and q at every width; the leaderboard's offers c chart", () => {
		expect(helpLine('chart')).toBe('↑↓/jk select · 0-4 ←→ Tab bracket · ? keys · p x axis · c/Esc table · q quit');
		for (let columns = 40; columns <= 200; columns++) {
			const line = helpLine('chart', {columns});
			expect(cellWidth(line), line).toBeLessThan(columns);
			expect(line, String(columns)).toContain('p x axis · c/Esc table · q quit');
			expect(line.includes('? keys') || columns < 60, String(columns)).toBe(true);
		}

		expect(helpLine('chart', {columns: 60})).not.toContain('bracket');
		for (const raceAgain of [true, false]) {
			expect(helpLine('leaderboard', {columns: 80, raceAgain})).toContain('c chart');
			expect(helpLine('leaderboard', {raceAgain})).toContain('c chart');
		}

		// Dropped after r race again and the bracket keys (the tabs show their digits), before s/S.
		const first = (text: string) => Array.from({length: 141}, (_, index) => 60 + index).find(columns => helpLine('leaderboard', {columns}).includes(text));
		expect(first('c chart')).toBeLessThanOrEqual(first('r race again')!);
		expect(first('c chart')).toBeLessThanOrEqual(first('bracket')!);
		expect(first('c chart')).toBeGreaterThanOrEqual(first('s/S sort/reverse')!);
	});
});

describe('key parser', () => {
	it('names the keys of raw stdin: arrows (CSI and SS3), pages, Enter, Tab, Shift-Tab, Backspace, Ctrl-C, a lone Escape', () => {
		expect(parseKeys('\u001B[A\u001B[B\u001BOC\u001B[D')).toEqual(['up', 'down', 'right', 'left']);
		expect(parseKeys('\u001B[5~\u001B[6~\r\t\u001B[Z\u007F\u0003')).toEqual(['page-up', 'page-down', 'return', 'tab', 'shift-tab', 'backspace', 'ctrl-c']);
		expect(parseKeys('\u001B')).toEqual(['escape']);
		expect(parseKeys('\u001B\u001B')).toEqual(['escape', 'escape']);
		expect(parseKeys('jjS3')).toEqual(['j', 'j', 'S', '3']);
		// Sequences that name no key and other control characters are skipped, not typed.
		expect(parseKeys('\u001B[15~\u001B[1;5Ax\u0001\u0085')).toEqual(['x']);
		expect(parseKeys('宽🙂')).toEqual(['宽', '🙂']);
	});

	it("names the keys of Ink's useInput the same way", () => {
		expect(inkKeys('', {upArrow: true})).toEqual(['up']);
		expect(inkKeys('c', {ctrl: true})).toEqual(['ctrl-c']);
		expect(inkKeys('', {tab: true, shift: true})).toEqual(['shift-tab']);
		expect(inkKeys('', {delete: true})).toEqual(['backspace']);
		expect(inkKeys('', {escape: true, meta: true})).toEqual(['escape']);
		expect(inkKeys('jjj', {})).toEqual(['j', 'j', 'j']);
		expect(inkKeys('x', {ctrl: true})).toEqual([]);
	});
});

describe('cell widths', () => {
	it('measures every character of the fast CJK path as string-width does', () => {
		for (const [from, to] of simpleWideRanges) {
			for (let code = from; code <= to; code++) {
				const char = String.fromCodePoint(code);
				if (cellWidth(char) !== stringWidth(char)) {
					expect(`U+${code.toString(16)} ${cellWidth(char)}`).toBe(`U+${code.toString(16)} ${stringWidth(char)}`);
				}
			}
		}
	});

	it('agrees with string-width on mixed text, combining marks, emoji sequences and Hangul jamo', () => {
		for (const text of ['递归 recursion', 'がぎ ガ', 'か\u3099', 'e\u0301', '👨‍👩‍👧 🇯🇵 👍🏽', '\u1100\u1161', 'ﾊﾝｶｸ', '한국어 텍스트']) {
			expect(cellWidth(text), text).toBe(stringWidth(text));
			expect(
				graphemes(text).reduce((sum, grapheme) => sum + grapheme.cells, 0),
				text,
			).toBe(stringWidth(text));
		}
	});
});

describe('table formatter', () => {
	const columns: TableColumn[] = [
		{key: 'name', title: 'Model', align: 'left', priority: keepPriority, shrink: 6},
		{key: 'ttft', title: 'TTFT', align: 'right', priority: keepPriority},
		{key: 'provider', title: 'Provider', align: 'left', priority: 2},
		{key: 'price', title: 'Price', align: 'right', priority: 5},
	];
	const rows = [
		['通义千问 Qwen3', '121', '阿里巴巴', '$0.15'],
		['Step-3.5-Flash', '1201', 'StepFun', '$2.34'],
		['🙂 Emoji', '9', '—', '—'],
	];

	it('measures cells in terminal cells: CJK and emoji columns line up', () => {
		const lines = formatTable(columns, rows);
		const at = (line: string, text: string) => cellWidth(line.slice(0, line.indexOf(text)));
		expect(lines[0]).toBe('Model           TTFT  Provider  Price');
		// Right-aligned: every TTFT ends in the same cell; every price too.
		const ends = lines.map(line => at(line, line.trim().split(/\s{2,}/)[1]!) + cellWidth(line.trim().split(/\s{2,}/)[1]!));
		expect(new Set(ends).size).toBe(1);
		expect(new Set(lines.map(line => cellWidth(line))).size).toBe(1);
	});

	it('drops the lowest priority first, then cuts the shrinking column, never a kept one', () => {
		expect(fitTable(columns, rows, {maxWidth: 32}).map(entry => entry.column.key)).toEqual(['name', 'ttft', 'price']);
		expect(fitTable(columns, rows, {maxWidth: 24}).map(entry => entry.column.key)).toEqual(['name', 'ttft']);
		const narrow = fitTable(columns, rows, {maxWidth: 14});
		expect(narrow.map(entry => entry.width)).toEqual([8, 4]);
		for (const row of rows) {
			expect(cellWidth(tableRow(narrow, row))).toBeLessThanOrEqual(14);
		}

		expect(tableRow(narrow, rows[0]!)).toBe('通义千…    121');
	});

	it('sanitises every cell', () => {
		const fitted = fitTable(columns, [['\u001B]0;x\u0007a\u202Eb', '1', '', '']]);
		expect(tableRow(fitted, ['\u001B]0;x\u0007a\u202Eb', '1', '', ''])).toBe(' ]0;x ab     1');
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
		for (const [columns, rows, count] of [
			[119, 37, 15],
			[160, 50, 20],
			[79, 21, 3],
			[100, 30, 6],
		] as const) {
			const layout = layoutPanels(columns, rows, count);
			if (layout.mode === 'panels') {
				expect(Math.ceil(count / layout.columns) * layout.panelHeight).toBeLessThanOrEqual(rows);
				expect(layout.columns * layout.panelWidth).toBeLessThanOrEqual(columns);
			}
		}
	});
});

describe('text helpers', () => {
	it('wraps in terminal cells: CJK without spaces, emoji, mixed scripts', () => {
		expect(wrapLines('宽宽宽宽宽', 4)).toEqual(['宽宽', '宽宽', '宽']);
		expect(wrapLines('日本語のテキスト abc', 7)).toEqual(['日本語', 'のテキ', 'スト', 'abc']);
		expect(wrapLines('🙂🙂🙂', 5)).toEqual(['🙂🙂', '🙂']);
		for (const line of wrapLines('递归是一个函数调用它自己，直到遇到基本情况。Recursion 🙂 is fun.', 9)) {
			expect(cellWidth(line)).toBeLessThanOrEqual(9);
		}

		expect(tailLines('中文'.repeat(100), 10, 2).map(line => cellWidth(line))).toEqual([10, 10]);
	});

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

	it("c opens the chart with the table's selection, p switches x and is kept, Esc goes back with the selection moved in the chart", () => {
		let state = boardReducer(initialBoard('ttft', null), {type: 'move', by: 3}, models, 10);
		const chosen = selectedModel(models, state)!.id;
		state = boardReducer(state, {type: 'chart'}, models, 10);
		expect(state.view).toBe('chart');
		expect(state.chartAxis).toBe('ttft');
		expect(state.selectedId).toBe(chosen);
		state = boardReducer(state, {type: 'chart-axis'}, models, 10);
		expect(state.chartAxis).toBe('price');
		// ↓ in the chart moves in the table's order.
		const order = visibleModels(models, state).map(model => model.id);
		state = boardReducer(state, {type: 'move', by: 1}, models, 10);
		expect(state.selectedId).toBe(order[order.indexOf(chosen) + 1]);
		state = boardReducer(state, {type: 'back'}, models, 10);
		expect(state.view).toBe('leaderboard');
		expect(selectedModel(models, state)!.id).toBe(order[order.indexOf(chosen) + 1]);
		state = boardReducer(state, {type: 'chart'}, models, 10);
		expect(state.chartAxis).toBe('price');
		state = boardReducer(state, {type: 'chart-axis'}, models, 10);
		expect(state.chartAxis).toBe('ttft');
	});

	it('bracket keys in the chart filter its models and keep the selection when it stays visible', () => {
		let state = boardReducer(initialBoard('ttft', null), {type: 'chart'}, models, 10);
		state = boardReducer(state, {type: 'bracket', bracket: 'ultra-budget'}, models, 10);
		expect(state.view).toBe('chart');
		expect(visibleModels(models, state).map(model => model.id)).toEqual(['step-3.5-flash', 'qwen3-8b']);
		state = boardReducer(state, {type: 'move', by: 1}, models, 10);
		expect(state.selectedId).toBe('qwen3-8b');
		state = boardReducer(state, {type: 'bracket', bracket: null}, models, 10);
		expect(state.selectedId).toBe('qwen3-8b');
		state = boardReducer(state, {type: 'cycle-bracket', by: 1}, models, 10);
		expect(state.bracket).toBe('ultra-budget');
		expect(state.selectedId).toBe('qwen3-8b');
		state = boardReducer(state, {type: 'cycle-bracket', by: 1}, models, 10);
		expect(state.bracket).toBe('budget');
		expect(state.view).toBe('chart');
		expect(visibleModels(models, state).some(model => model.id === state.selectedId)).toBe(true);
	});

	it('p does nothing outside the chart', () => {
		const state = initialBoard('ttft', null);
		expect(boardReducer(state, {type: 'chart-axis'}, models, 10)).toBe(state);
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
		const wide = fitTable(columns, cells, {maxWidth: 119}).map(entry => entry.column.key);
		const narrow = fitTable(columns, cells, {maxWidth: 77});
		expect(wide).toContain('provider');
		expect(narrow.map(entry => entry.column.key)).toEqual(expect.arrayContaining(['place', 'model', 'ttft', 'tps', 'price', 'status']));
		expect(narrow.map(entry => entry.column.key)).not.toContain('bracket');
		expect(narrow.reduce((sum, entry) => sum + entry.width + 2, -2)).toBeLessThanOrEqual(77);
	});
});
