import {Box, Text} from 'ink';
import type {ModelResult} from '../../core/types.js';
import {transcriptLines} from '../transcript-lines.js';
import {colourOf} from '../theme.js';

export type TranscriptViewProps = {
	readonly model: ModelResult;
	readonly scroll: number;
	readonly columns: number;
	readonly rows: number;
	readonly noColor: boolean;
};

export function maxScroll(model: ModelResult, columns: number, rows: number): number {
	return Math.max(0, transcriptLines(model, columns - 1).length - rows);
}

export function TranscriptView({model, scroll, columns, rows, noColor}: TranscriptViewProps) {
	const lines = transcriptLines(model, columns - 1);
	const top = Math.min(scroll, Math.max(0, lines.length - rows));
	return (
		<Box flexDirection="column">
			{lines.slice(top, top + rows).map((line, index) => (
				<Text key={top + index} wrap="truncate" bold={line.bold} color={line.tone ? colourOf(line.tone, noColor) : undefined}>{line.text || ' '}</Text>
			))}
		</Box>
	);
}
