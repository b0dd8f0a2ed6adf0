// The chart view: the models of the current bracket as a speed map (tok/s against TTFT, or against price).
// Draws what chartLayout describes; no keys here (the leaderboard owns `c`, `p` and `Esc`).
import {Box, Text} from 'ink';
import {useMemo} from 'react';
import {chartLayout, type ChartInput} from './layout.js';

/** What the layout takes (ChartInput), sized by the terminal instead of by cells and lines. */
export type ChartViewProps = Pick<ChartInput, 'models' | 'xAxis' | 'selectedId' | 'noColor'> & {
	/** The view draws at most `rows - 1` lines of at most `columns - 1` cells. */
	readonly columns: number;
	readonly rows: number;
	/** What `models` are, for the line shown when none can be plotted: "budget", "all models". */
	readonly bracketLabel: string;
};

export function ChartView({models, xAxis, selectedId, columns, rows, noColor, bracketLabel}: ChartViewProps) {
	const layout = useMemo(
		() => chartLayout({models, xAxis, selectedId, width: columns - 1, height: rows - 1, noColor, bracketLabel}),
		[models, xAxis, selectedId, columns, rows, noColor, bracketLabel],
	);
	return (
		<Box flexDirection="column">
			{layout.lines.map((line, index) => (
				// Lines are fixed positions of a fixed-size view: the index is their identity.
				<Text key={index} wrap="truncate">
					{line.length === 0
						? ' '
						: line.map((segment, part) => (
								<Text key={part} color={segment.color} bold={segment.bold} inverse={segment.inverse}>
									{segment.text}
								</Text>
							))}
				</Text>
			))}
		</Box>
	);
}
