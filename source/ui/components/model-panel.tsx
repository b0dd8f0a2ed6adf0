import {Box, Text} from 'ink';
import {formatMs, formatTokens, formatUsd, ordinal} from '../../core/format.js';
import type {ModelView} from '../../core/race.js';
import {stateLabel, stopwatchMs, thinkingLabel, thinkingMs} from '../figures.js';
import {sparkline, tailLines, truncate} from '../text.js';
import {colourOf, ttftTone, type Tone} from '../theme.js';

export type ModelPanelProps = {
	readonly model: ModelView;
	readonly now: number;
	readonly history: readonly number[];
	readonly width: number;
	readonly height: number;
	readonly noColor: boolean;
};

const stateTones: Partial<Record<ModelView['state'], Tone>> = {done: 'ok', error: 'error', aborted: 'warn', thinking: 'accent', streaming: 'accent'};

export function ModelPanel({model, now, history, width, height, noColor}: ModelPanelProps) {
	const inner = Math.max(10, width - 4);
	const textLines = Math.max(0, height - 5);
	const stopwatch = stopwatchMs(model, now);
	const thinking = thinkingMs(model, now);
	const live = model.live;
	const place = model.place === null ? '' : ordinal(model.place);
	const title = [model.spec.name, model.spec.provider, model.bracket].filter(Boolean).join(' · ');

	const anyTokens = live !== null && live.tokens > 0;
	const tokens = anyTokens ? formatTokens(live.tokens, live.tokensEstimated && model.endedAt === null) : '';
	let rate = '';
	if (anyTokens && model.endedAt === null) {
		rate = `${live.rollingTokensPerSecond.toFixed(0)} tok/s`;
	} else if (model.summary.tokensPerSecond) {
		rate = `${model.summary.tokensPerSecond.median.toFixed(1)} tok/s`;
	}
	const error = model.state === 'error' || (model.lastError && model.lastError.kind !== 'aborted') ? model.lastError : null;
	const reasoningOnly = live !== null && live.ttfaMs === null && model.reasoningText.length > 0;
	const shown = reasoningOnly ? model.reasoningText : model.text;
	const tail = error ? [] : tailLines(shown, inner, textLines);
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={colourOf(model.state === 'done' ? 'ok' : (model.state === 'error' ? 'error' : 'dim'), noColor)} width={width} height={height} paddingX={1} overflow="hidden">
			<Box justifyContent="space-between">
				<Text bold wrap="truncate">{truncate(title, inner - place.length - 1)}</Text>
				<Text bold color={colourOf('ok', noColor)}>{place}</Text>
			</Box>
			<Text wrap="truncate">
				<Text color={colourOf(stateTones[model.state] ?? 'dim', noColor)}>{stateLabel(model)}</Text>
				{stopwatch.ms === null ? '' : ' TTFT '}
				{stopwatch.ms === null ? null : <Text bold={stopwatch.frozen} color={colourOf(ttftTone(stopwatch.ms), noColor)}>{formatMs(stopwatch.ms)}</Text>}
				{thinking === null ? '' : ` ${thinkingLabel(thinking)}`}
			</Text>
			<Text wrap="truncate">
				{rate}
				{rate ? ' ' : ''}
				<Text color={colourOf('accent', noColor)}>{anyTokens ? sparkline(history, Math.min(12, Math.max(0, inner - 40))) : ''}</Text>
				{tokens ? `  ${tokens} tok` : ''}
				{anyTokens && model.costSoFarUSD !== null ? `  ${formatUsd(model.costSoFarUSD)}` : ''}
			</Text>
			{error
				? <Text color={colourOf('error', noColor)} wrap="truncate-end">{truncate(`${error.kind}: ${error.message}`, inner * Math.max(1, textLines))}</Text>
				: tail.map((line, index) => <Text key={index} dimColor={reasoningOnly} wrap="truncate">{line || ' '}</Text>)}
		</Box>
	);
}
