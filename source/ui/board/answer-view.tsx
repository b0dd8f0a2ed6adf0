import {Table} from '@alcalzone/ink-table';
import {Box, Text} from 'ink';
import type {Measurement, ModelResult} from '../../core/types.js';
import {colourOf} from '../theme.js';
import {contentHeight, measurementLine, transcriptContent, type Line} from './answer-lines.js';

export type TranscriptViewProps = {
	readonly model: ModelResult;
	readonly scroll: number;
	readonly columns: number;
	readonly rows: number;
	readonly noColor: boolean;
	/** The race's `measurement` (SPEC §2), shown in the footer; "—" when missing (older transcripts). */
	readonly measurement?: Measurement | null | undefined;
};

/** Rows of the screen the footer (the client's event-loop delay) takes; the content scrolls in the rest. */
const footerRows = 1;

export function maxScroll(model: ModelResult, columns: number, rows: number): number {
	return Math.max(0, contentHeight(transcriptContent(model, columns - 1)) - Math.max(1, rows - footerRows));
}

function LineText({line, noColor}: {readonly line: Line; readonly noColor: boolean}) {
	return (
		<Text wrap="truncate" bold={line.bold} color={colourOf(line.tone, noColor)}>
			{line.text || ' '}
		</Text>
	);
}

/**
 * The answer screen, scrolled to `scroll`: the model line, the per-run figures as an ink-table
 * (a bordered table suits a few runs; the leaderboard draws its own rows), then gaps, errors and
 * the answer. The table scrolls with the lines: the part of it in view is clipped. The last row is
 * a footer that stays: the client's own event-loop delay in this race (every stamp may be late by it).
 */
export function TranscriptView({model, scroll, columns, rows: screenRows, noColor, measurement}: TranscriptViewProps) {
	const content = transcriptContent(model, columns - 1);
	const rows = Math.max(1, screenRows - footerRows);
	const top = Math.min(scroll, Math.max(0, contentHeight(content) - rows));
	const bottom = top + rows;
	const tableStart = content.before.length;
	const tableEnd = tableStart + content.table.height;
	const from = Math.max(top, tableStart);
	const to = Math.min(bottom, tableEnd);
	const window = (lines: readonly Line[], offset: number) =>
		lines
			.map((line, index) => ({line, at: offset + index}))
			.filter(({at}) => at >= top && at < bottom)
			.map(({line, at}) => <LineText key={at} line={line} noColor={noColor} />);
	return (
		<Box flexDirection="column">
			{window(content.before, 0)}
			{to > from ? (
				<Box height={to - from} overflow="hidden" flexDirection="column" flexShrink={0}>
					<Box marginTop={tableStart - from} flexDirection="column" flexShrink={0}>
						<Table data={content.table.rows.map(row => ({...row}))} columns={content.table.columns.map(column => ({...column}))} />
					</Box>
				</Box>
			) : null}
			{window(content.after, tableEnd)}
			{Array.from({length: Math.max(0, rows - (Math.min(bottom, contentHeight(content)) - top))}, (_, index) => (
				<Text key={`pad-${index}`}> </Text>
			))}
			<Text wrap="truncate" color={colourOf('dim', noColor)}>
				{measurementLine(measurement, columns - 1)}
			</Text>
		</Box>
	);
}
