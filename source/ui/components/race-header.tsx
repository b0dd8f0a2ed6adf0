import {Box, Text} from 'ink';
import {headerSegments, type RaceMeta} from '../header.js';
import {colourOf} from '../theme.js';

export type {RaceMeta} from '../header.js';

/** The header of the leaderboard and answer screens: the same segments the race screen paints. */
export function RaceHeader({
	meta,
	status,
	columns,
	noColor,
}: {
	readonly meta: RaceMeta;
	readonly status: string;
	readonly columns: number;
	readonly noColor: boolean;
}) {
	return (
		<Box width={columns - 1}>
			{headerSegments(meta, status, columns).map((segment, index) => (
				<Text key={index} wrap="truncate" bold={segment.bold} inverse={segment.inverse} color={colourOf(segment.tone, noColor)}>
					{segment.text}
				</Text>
			))}
		</Box>
	);
}
