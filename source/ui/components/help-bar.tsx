import {Text} from 'ink';
import {truncate} from '../../core/text/cells.js';
import {colourOf} from '../theme.js';

/** The help line at the bottom of a screen (already fitted by `helpLine`). */
export function HelpBar({text, columns, noColor}: {readonly text: string; readonly columns: number; readonly noColor: boolean}) {
	return (
		<Text color={colourOf('dim', noColor)} wrap="truncate">
			{truncate(text, columns - 1)}
		</Text>
	);
}
