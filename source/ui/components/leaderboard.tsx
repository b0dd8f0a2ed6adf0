import {Box, Text} from 'ink';
import {bracketCounts} from '../../core/leaderboard.js';
import {lastErrorLine} from '../../core/plain-table.js';
import {bracketNames, type ModelResult} from '../../core/types.js';
import {selectedModel, visibleModels, type BoardState} from '../board.js';
import {fitColumns, leaderboardColumns} from '../columns.js';
import {truncate} from '../text.js';
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

const tabTitles: Record<string, string> = {all: 'All', 'ultra-budget': 'Ultra-budget', budget: 'Budget', mid: 'Mid', premium: 'Premium'};

export function BracketTabs({models, active, noColor}: {readonly models: readonly ModelResult[]; readonly active: string; readonly noColor: boolean}) {
	const counts = bracketCounts(models);
	return (
		<Box>
			{(['all', ...bracketNames] as const).map((name, index) => (
				<Text key={name} inverse={name === active} color={name === active ? colourOf('selected', noColor) : undefined}>
					{` ${index}:${tabTitles[name]} ${counts[name]} `}
				</Text>
			))}
		</Box>
	);
}

export function Leaderboard({models, state, runs, columns, rows, noColor}: LeaderboardProps) {
	const visible = visibleModels(models, state);
	const selected = selectedModel(models, state);
	const all = leaderboardColumns(models, runs);
	const cells = visible.map((model, index) => all.map(column => column.cell(model, index + 1)));
	// One column of gutter for the selection marker, visible without colour too.
	const fitted = fitColumns(all, cells, columns - 3);
	const sortLabel = `sorted by ${state.sort}${state.reverse ? ' ↓' : ''}`;
	const selectedError = selected ? lastErrorLine(selected) : null;
	const tableRows = Math.max(1, rows - 3 - (selectedError ? 1 : 0));
	const selectedIndex = Math.max(0, visible.findIndex(model => model.id === selected?.id));
	const first = Math.min(Math.max(0, selectedIndex - tableRows + 1), Math.max(0, visible.length - tableRows));
	const line = (row: readonly string[]) => fitted
		.map(entry => {
			const text = truncate(row[entry.index]!, entry.width);
			return entry.column.align === 'right' ? text.padStart(entry.width) : text.padEnd(entry.width);
		})
		.join('  ');
	return (
		<Box flexDirection="column">
			<Box justifyContent="space-between" width={columns - 1}>
				<BracketTabs models={models} active={state.bracket ?? 'all'} noColor={noColor}/>
				<Text color={colourOf('dim', noColor)} wrap="truncate">{sortLabel}</Text>
			</Box>
			<Text bold wrap="truncate">{`  ${line(all.map(column => column.title))}`}</Text>
			{visible.length === 0 ? <Text color={colourOf('dim', noColor)}>no model in this bracket</Text> : null}
			{visible.slice(first, first + tableRows).map((model, offset) => {
				const isSelected = model.id === selected?.id;
				const failed = model.summary.ok === 0;
				return (
					<Text key={model.id} wrap="truncate" inverse={isSelected} color={isSelected ? colourOf('selected', noColor) : (failed ? colourOf('error', noColor) : undefined)}>
						{`${isSelected ? '›' : ' '} ${line(cells[first + offset]!)}`}
					</Text>
				);
			})}
			{selectedError ? <Text color={colourOf('error', noColor)} wrap="truncate">{truncate(`${selected!.name}: ${selectedError}`, columns - 1)}</Text> : null}
		</Box>
	);
}
