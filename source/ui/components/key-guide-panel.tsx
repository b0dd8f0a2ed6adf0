// The `?` list drawn by Ink (the leaderboards, their charts, answer and steps screens): every key of the
// screen under the header (ui/key-guide.ts), cut to the rows there are, and how to go back.
import {Box, Text} from 'ink';
import {keyGuideLines, type KeyGuideOptions} from '../key-guide.js';
import type {Screen} from '../keymap.js';

export type KeyGuidePanelProps = KeyGuideOptions & {
	readonly screen: Screen;
	readonly columns: number;
	/** The rows between the header and the help line. */
	readonly rows: number;
};

export function KeyGuidePanel({screen, columns, rows, ...options}: KeyGuidePanelProps) {
	const lines = keyGuideLines(screen, columns - 1, options);
	return (
		<Box flexDirection="column">
			{[...lines.slice(0, Math.max(1, rows - 1)), '', 'any key: back'].slice(0, Math.max(1, rows)).map((line, index) => (
				// Lines are fixed positions of a fixed list: the index is their identity.
				<Text key={index} wrap="truncate" bold={index === 0}>
					{line || ' '}
				</Text>
			))}
		</Box>
	);
}
