import {Box, Text} from 'ink';
import {colourOf} from '../theme.js';
import type {ModelView} from '../../core/race.js';
import {layoutPanels} from '../layout.js';
import {LanesView} from './lanes-view.js';
import {ModelPanel} from './model-panel.js';

export type RaceViewProps = {
	readonly models: readonly ModelView[];
	readonly now: number;
	readonly history: ReadonlyMap<string, readonly number[]>;
	readonly columns: number;
	/** Rows available to the panels (the terminal less header, help and one spare line). */
	readonly rows: number;
	readonly lanes: boolean;
	readonly noColor: boolean;
};

export function RaceView({models, now, history, columns, rows, lanes, noColor}: RaceViewProps) {
	const layout = lanes ? {mode: 'lanes' as const} : layoutPanels(columns - 1, rows, models.length);
	if (layout.mode === 'lanes') {
		if (models.length <= rows) {
			return <LanesView models={models} now={now} columns={columns} noColor={noColor}/>;
		}

		// Too many for the terminal: as many lanes as fit, and say how many are not shown.
		const shown = Math.max(1, rows - 1);
		return (
			<Box flexDirection="column">
				<LanesView models={models.slice(0, shown)} now={now} columns={columns} noColor={noColor}/>
				<Text color={colourOf('dim', noColor)}>{`  … and ${models.length - shown} more: a taller terminal shows them`}</Text>
			</Box>
		);
	}

	const grid: ModelView[][] = [];
	for (let index = 0; index < models.length; index += layout.columns) {
		grid.push(models.slice(index, index + layout.columns));
	}

	return (
		<Box flexDirection="column">
			{grid.map((row, rowIndex) => (
				<Box key={rowIndex}>
					{row.map(model => (
						<ModelPanel key={model.spec.id} model={model} now={now} history={history.get(model.spec.id) ?? []} width={layout.panelWidth} height={layout.panelHeight} noColor={noColor}/>
					))}
				</Box>
			))}
		</Box>
	);
}
