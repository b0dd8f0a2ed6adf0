import {Box, Text} from 'ink';
import {headerParts, type RaceMeta} from '../race-frame.js';
import {colourOf} from '../theme.js';

export type {RaceMeta} from '../race-frame.js';

/** The header of the leaderboard and answer screens; the live race screen draws the same parts itself. */
export function RaceHeader({meta, status, columns, noColor}: {readonly meta: RaceMeta; readonly status: string; readonly columns: number; readonly noColor: boolean}) {
	const {prompt, badge, right} = headerParts(meta, status, columns);
	return (
		<Box width={columns - 1}>
			<Text bold color={colourOf('accent', noColor)}>llmrace</Text>
			<Text wrap="truncate"> “{prompt}” </Text>
			{badge ? <Text inverse color={colourOf('warn', noColor)}>{badge}</Text> : null}
			<Text color={colourOf('dim', noColor)} wrap="truncate"> {right}</Text>
		</Box>
	);
}
