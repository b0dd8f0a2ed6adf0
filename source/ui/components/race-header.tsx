import {Box, Text} from 'ink';
import {truncate} from '../text.js';
import {colourOf} from '../theme.js';

export type RaceMeta = {
	readonly prompt: string;
	readonly preset: string;
	readonly simulated: boolean;
	readonly region: string | null;
};

export function RaceHeader({meta, status, columns, noColor}: {readonly meta: RaceMeta; readonly status: string; readonly columns: number; readonly noColor: boolean}) {
	const badge = meta.simulated ? ' SIMULATED ' : '';
	const right = `${meta.preset}${meta.region ? ` · ${meta.region}` : ''} · ${status}`;
	const promptWidth = Math.max(10, columns - right.length - badge.length - 14);
	return (
		<Box width={columns - 1}>
			<Text bold color={colourOf('accent', noColor)}>llmrace</Text>
			<Text wrap="truncate"> “{truncate(meta.prompt.replaceAll(/\s+/g, ' '), promptWidth)}” </Text>
			{meta.simulated ? <Text inverse color={colourOf('warn', noColor)}>{badge}</Text> : null}
			<Text color={colourOf('dim', noColor)} wrap="truncate"> {right}</Text>
		</Box>
	);
}
