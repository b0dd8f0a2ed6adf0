import {Text} from 'ink';
import {truncate} from '../text.js';
import {colourOf} from '../theme.js';

export function HelpBar({text, columns, noColor}: {readonly text: string; readonly columns: number; readonly noColor: boolean}) {
	return <Text color={colourOf('dim', noColor)} wrap="truncate">{truncate(text, columns - 1)}</Text>;
}
