import {Table} from '@alcalzone/ink-table';
import {Box, Text} from 'ink';
import {truncate} from '../../core/text/cells.js';
import type {Measurement, ModelResult} from '../../core/types.js';
import {colourOf} from '../theme.js';
import {contentHeight, measurementLine, transcriptContent, type Line} from './answer-lines.js';

export type TranscriptViewProps = {
	readonly model: ModelResult;
	readonly scroll: number;
	readonly columns: number;
	readonly rows: number;
	readonly noColor: boolean;
	/** The race's `measurement` (docs/metrics.md), shown in the footer; "—" when missing (older transcripts). */
	readonly measurement?: Measurement | null | undefined;
	/** The run whose answer is shown (an index into the model's runs); null: the last one with an answer. */
	readonly run?: number | null | undefined;
};

/** Rows of the screen the footer (the client's event-loop delay) takes; the content scrolls in the rest. */
const footerRows = 1;

/** Rows the content scrolls in: the screen's less the footer, and less the "N more" line when the content is taller. */
function contentRows(height: number, rows: number): number {
	const room = Math.max(1, rows - footerRows);
	return height > room ? Math.max(1, room - 1) : room;
}

export function maxScroll(model: ModelResult, columns: number, rows: number, run: number | null = null): number {
	const height = contentHeight(transcriptContent(model, columns - 1, run));
	return Math.max(0, height - contentRows(height, rows));
}

/** The line under clipped content: how much is above and below, and the keys that get there. */
export function moreLine(above: number, below: number): string {
	if (below > 0) {
		return `… ${below} more line${below === 1 ? '' : 's'} below (↓ PgDn G)${above > 0 ? ` · ${above} above` : ''}`;
	}

	return `${above} line${above === 1 ? '' : 's'} above (↑ PgUp g) · end`;
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
export function TranscriptView({model, scroll, columns, rows: screenRows, noColor, measurement, run = null}: TranscriptViewProps) {
	const content = transcriptContent(model, columns - 1, run);
	const height = contentHeight(content);
	const rows = contentRows(height, screenRows);
	const clipped = height > rows;
	const top = Math.min(scroll, Math.max(0, height - rows));
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
			{Array.from({length: Math.max(0, rows - (Math.min(bottom, height) - top))}, (_, index) => (
				<Text key={`pad-${index}`}> </Text>
			))}
			{clipped ? (
				<Text wrap="truncate" color={colourOf('accent', noColor)}>
					{truncate(moreLine(top, Math.max(0, height - bottom)), columns - 1)}
				</Text>
			) : null}
			<Text wrap="truncate" color={colourOf('dim', noColor)}>
				{measurementLine(measurement, columns - 1)}
			</Text>
		</Box>
	);
}
