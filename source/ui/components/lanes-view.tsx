import {Box, Text} from 'ink';
import {formatMs, formatTokens, ordinal} from '../../core/format.js';
import type {ModelView} from '../../core/race.js';
import {formatShownRate, shownRate, stopwatchMs} from '../figures.js';
import {truncate} from '../text.js';
import {colourOf, ttftTone} from '../theme.js';

const stateMarks: Record<ModelView['state'], string> = {queued: '·', connecting: '…', thinking: '?', streaming: '»', done: '✓', error: '✗', aborted: '■'};

export type LanesViewProps = {
	readonly models: readonly ModelView[];
	readonly now: number;
	readonly columns: number;
	readonly noColor: boolean;
};

/** One line per model: place, name, a bar that grows with its tokens, TTFT and tok/s. */
export function LanesView({models, now, columns, noColor}: LanesViewProps) {
	const nameWidth = Math.min(18, Math.max(8, ...models.map(model => model.spec.name.length)));
	const most = Math.max(1, ...models.map(model => model.live?.tokens ?? 0));
	const figuresWidth = 28;
	const barWidth = Math.max(4, columns - 1 - nameWidth - figuresWidth - 8);
	return (
		<Box flexDirection="column">
			{models.map(model => {
				const stopwatch = stopwatchMs(model, now);
				const tokens = model.live?.tokens ?? 0;
				const filled = Math.round((tokens / most) * barWidth);
				const rate = formatShownRate(shownRate(model));
				const error = model.state === 'error' ? model.lastError : null;
				return (
					<Text key={model.spec.id} wrap="truncate">
						<Text color={colourOf('ok', noColor)}>{(model.place === null ? '' : ordinal(model.place)).padStart(4)}</Text>
						{' '}
						<Text color={colourOf(model.state === 'error' ? 'error' : 'dim', noColor)}>{stateMarks[model.state]}</Text>
						{' '}
						{truncate(model.spec.name, nameWidth).padEnd(nameWidth)}
						{' '}
						{error
							? <Text color={colourOf('error', noColor)}>{truncate(`${error.kind}: ${error.message}`, barWidth + figuresWidth)}</Text>
							: (
								<>
									<Text color={colourOf('accent', noColor)}>{'█'.repeat(filled)}</Text>
									<Text color={colourOf('dim', noColor)}>{'░'.repeat(barWidth - filled)}</Text>
									{' '}
									<Text color={stopwatch.ms === null ? undefined : colourOf(ttftTone(stopwatch.ms), noColor)} bold={stopwatch.frozen}>{(stopwatch.ms === null ? '—' : formatMs(stopwatch.ms)).padStart(8)}</Text>
									{` ${rate.padStart(6)} tok/s ${formatTokens(model.live?.tokens, model.live?.tokensEstimated ?? false).padStart(5)}`}
								</>
							)}
					</Text>
				);
			})}
		</Box>
	);
}
