import {Box, Text} from 'ink';
import {cellWidth, truncate} from '../../core/text/cells.js';
import {bracketCounts} from '../../core/stats/ranking.js';
import {lastErrorLine, photoFinishMarks, photoFinishNote} from '../../core/report/plain-table.js';
import {flaggedFigures} from '../../core/meter/flag-meanings.js';
import {sanitizeLine} from '../../core/text/sanitize.js';
import {fitTable, keepPriority, tableHeader, tableRow} from '../../core/text/table.js';
import type {SortKey} from '../../core/stats/ranking.js';
import {bracketNames, type ModelResult} from '../../core/types.js';
import {selectedModel, visibleModels, type BoardState} from './state.js';
import {abortedRun, leaderboardColumns, type Column} from './columns.js';
import {colourOf} from '../theme.js';

export type LeaderboardProps = {
	readonly models: readonly ModelResult[];
	readonly state: BoardState;
	readonly runs: number;
	readonly columns: number;
	/** Rows for the tabs and the table. */
	readonly rows: number;
	readonly noColor: boolean;
};

const tabTitles: Record<string, readonly [string, string]> = {
	all: ['All', 'All'],
	'ultra-budget': ['Ultra-budget', 'Ultra'],
	budget: ['Budget', 'Bud'],
	mid: ['Mid', 'Mid'],
	premium: ['Premium', 'Prem'],
};

/** The bracket tabs, with short titles when the long ones do not fit `width` cells. */
export function tabLabels(models: ReadonlyArray<Pick<ModelResult, 'bracket'>>, width: number): string[] {
	const counts = bracketCounts(models);
	const labels = (short: 0 | 1) => (['all', ...bracketNames] as const).map((name, index) => ` ${index}:${tabTitles[name]![short]} ${counts[name]} `);
	const long = labels(0);
	return cellWidth(long.join('')) <= width ? long : labels(1);
}

export function BracketTabs({
	models,
	active,
	width,
	noColor,
}: {
	readonly models: ReadonlyArray<Pick<ModelResult, 'bracket'>>;
	readonly active: string;
	readonly width: number;
	readonly noColor: boolean;
}) {
	const names = ['all', ...bracketNames];
	return (
		<Box flexShrink={0}>
			{tabLabels(models, width).map((label, index) => (
				<Text key={names[index]} inverse={names[index] === active} color={names[index] === active ? colourOf('selected', noColor) : undefined}>
					{label}
				</Text>
			))}
		</Box>
	);
}

/** How a leaderboard row looks: the selection inverse, a failed model red, a model stopped by Ctrl-C dimmed. */
export function rowStyle(
	model: ModelResult,
	isSelected: boolean,
	noColor: boolean,
): {readonly inverse: boolean; readonly dimColor: boolean; readonly color: string | undefined} {
	const stopped = abortedRun(model) !== null;
	const failed = model.summary.ok === 0 && !stopped;
	return {
		inverse: isSelected,
		dimColor: stopped && !isSelected,
		color: isSelected ? colourOf('selected', noColor) : failed ? colourOf('error', noColor) : undefined,
	};
}

/**
 * The line under the table, when a row has a `≈` (a photo finish with the row above) or a `!` (a figure a
 * flag makes doubtful): what they mean, in one line of at most `width` cells (shorter words when the long
 * ones do not fit); null when no row has either.
 */
export function legendLine(anyTie: boolean, anyFlag: boolean, runs: number, width: number): string | null {
	const line = (tie: string, flag: string) => [...(anyTie ? [tie] : []), ...(anyFlag ? [flag] : [])].join(' · ');
	if (!anyTie && !anyFlag) {
		return null;
	}

	const choices = [
		line(photoFinishNote(runs), '! a flag makes the figure doubtful: Enter names it'),
		line(`≈ too close to call at ${runs} runs`, '! doubtful figure: Enter says why'),
		line(`≈ too close to call (${runs} runs)`, '! doubtful: Enter says why'),
	];
	return choices.find(choice => cellWidth(choice) <= width) ?? truncate(choices.at(-1)!, width);
}

/** The column a sort key sorts by (`name` sorts by the model's name). */
const sortColumns: Readonly<Record<SortKey, string>> = {ttft: 'ttft', ttfa: 'ttfa', tps: 'tps', total: 'total', price: 'price', cost: 'cost', name: 'model'};

/** The leaderboard's columns with the sorted one never dropped: a narrow terminal shows what the order is by. */
export function columnsSortedBy(models: readonly ModelResult[], runs: number, sort: SortKey): Column[] {
	return leaderboardColumns(models, runs).map(column =>
		column.key === sortColumns[sort] ? {...column, priority: Math.max(column.priority, keepPriority)} : column,
	);
}

/** The line under a table cut to fit: how many rows are above and below the ones shown. */
export function moreRowsLine(above: number, below: number): string {
	const parts = [...(below > 0 ? [`… ${below} more below`] : []), ...(above > 0 ? [`${above} above`] : [])];
	return `${parts.join(' · ')} (↑↓ select)`;
}

export function Leaderboard({models, state, runs, columns, rows, noColor}: LeaderboardProps) {
	const visible = visibleModels(models, state);
	const selected = selectedModel(models, state);
	const all = columnsSortedBy(models, runs, state.sort);
	const ties = photoFinishMarks(visible, state.sort);
	const cells = visible.map((model, index) => all.map(column => column.cell(model, index + 1, ties[index])));
	const note = legendLine(
		ties.includes(true),
		visible.some(model => flaggedFigures(model).size > 0),
		runs,
		columns - 1,
	);
	// Two cells of gutter for the selection marker, visible without colour too, and the terminal's last column left free.
	const fitted = fitTable(all, cells, {maxWidth: columns - 3});
	const sortLabel = `sorted by ${state.sort}${state.reverse ? ' ↓' : ''}`;
	// The tabs take their short titles when the long ones would leave no room for what the order is by.
	const tabsRoom =
		cellWidth(tabLabels(models, columns - 1).join('')) + cellWidth(sortLabel) + 2 <= columns - 1 ? columns - 1 : columns - 3 - cellWidth(sortLabel);
	const tabsWidth = cellWidth(tabLabels(models, tabsRoom).join(''));
	const selectedError = selected ? lastErrorLine(selected) : null;
	const room = Math.max(1, rows - 3 - (selectedError ? 1 : 0) - (note ? 1 : 0));
	// When the rows do not all fit, one line says how many are hidden.
	const tableRows = visible.length > room ? Math.max(1, room - 1) : room;
	const selectedIndex = Math.max(
		0,
		visible.findIndex(model => model.id === selected?.id),
	);
	const first = Math.min(Math.max(0, selectedIndex - tableRows + 1), Math.max(0, visible.length - tableRows));
	return (
		<Box flexDirection="column">
			<Box width={columns - 1}>
				<BracketTabs models={models} active={state.bracket ?? 'all'} width={tabsRoom} noColor={noColor} />
				{columns - 1 - tabsWidth > cellWidth(sortLabel) + 1 ? (
					<Box flexGrow={1} justifyContent="flex-end">
						<Text color={colourOf('dim', noColor)}>{sortLabel}</Text>
					</Box>
				) : null}
			</Box>
			<Text bold wrap="truncate">{`  ${tableHeader(fitted)}`}</Text>
			{visible.length === 0 ? <Text color={colourOf('dim', noColor)}>no model in this bracket</Text> : null}
			{visible.slice(first, first + tableRows).map((model, offset) => {
				const isSelected = model.id === selected?.id;
				return (
					<Text key={model.id} wrap="truncate" {...rowStyle(model, isSelected, noColor)}>
						{`${isSelected ? '›' : ' '} ${tableRow(fitted, cells[first + offset]!)}`}
					</Text>
				);
			})}
			{visible.length > tableRows ? (
				<Text color={colourOf('accent', noColor)} wrap="truncate">
					{truncate(moreRowsLine(first, visible.length - first - tableRows), columns - 1)}
				</Text>
			) : null}
			{note ? (
				<Text color={colourOf('dim', noColor)} wrap="truncate">
					{note}
				</Text>
			) : null}
			{selectedError ? (
				<Text color={colourOf('error', noColor)} wrap="truncate">
					{truncate(sanitizeLine(`${selected!.name}: ${selectedError}`), columns - 1)}
				</Text>
			) : null}
		</Box>
	);
}
