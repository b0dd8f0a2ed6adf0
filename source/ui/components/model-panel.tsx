import {Box, Text} from 'ink';
import {formatMs, formatTokens, formatUsd, ordinal} from '../../core/format.js';
import type {ModelView} from '../../core/race.js';
import {formatShownRate, shownRate, stateLabel, stopwatchMs, thinkingLabel, thinkingMs} from '../figures.js';
import {fitSegments, sparkline, tailLines, truncate, wrapLines, type Segment} from '../text.js';
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
	const measured = shownRate(model);
	const rate = measured ? `${formatShownRate(measured)} tok/s` : '';
	const error = model.state === 'error' || (model.lastError && model.lastError.kind !== 'aborted') ? model.lastError : null;
	const reasoningOnly = live !== null && live.ttfaMs === null && model.reasoningText.length > 0;
	const shown = reasoningOnly ? model.reasoningText : model.text;
	const body = error ? wrapLines(`${error.kind}: ${error.message}`, inner).slice(0, Math.max(1, textLines)) : tailLines(shown, inner, textLines);
	const figures = fitSegments([
		{text: stateLabel(model), tone: stateTones[model.state] ?? 'dim'},
		...(stopwatch.ms === null ? [] : [{text: ' TTFT '}, {text: formatMs(stopwatch.ms), tone: ttftTone(stopwatch.ms), bold: stopwatch.frozen}]),
		...(thinking === null ? [] : [{text: ` ${thinkingLabel(thinking)}`}]),
	], inner);
	const rates = fitSegments([
		{text: `${rate}${rate ? ' ' : ''}`},
		{text: anyTokens ? sparkline(history, Math.min(12, Math.max(0, inner - 40))) : '', tone: 'accent'},
		{text: `${tokens ? `  ${tokens} tok` : ''}${anyTokens && model.costSoFarUSD !== null ? `  ${formatUsd(model.costSoFarUSD)}` : ''}`},
	], inner);
	// Every line is cut to the panel's width here, so Ink never has to wrap or clip (both cost per character).
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={colourOf(model.state === 'done' ? 'ok' : (model.state === 'error' ? 'error' : 'dim'), noColor)} width={width} height={height} paddingX={1}>
			<Text bold>{`${truncate(title, inner - place.length - 1).padEnd(inner - place.length)}${place}`}</Text>
			<Segments segments={figures} noColor={noColor}/>
			<Segments segments={rates} noColor={noColor}/>
			{body.length > 0 ? <Text dimColor={reasoningOnly && !error} color={error ? colourOf('error', noColor) : undefined}>{body.join('\n')}</Text> : null}
		</Box>
	);
}

/** One line of coloured pieces, already cut to width. */
function Segments({segments, noColor}: {readonly segments: readonly Segment[]; readonly noColor: boolean}) {
	return (
		<Text>
			{segments.map((segment, index) => (segment.tone || segment.bold
				? <Text key={index} bold={segment.bold} color={segment.tone ? colourOf(segment.tone, noColor) : undefined}>{segment.text}</Text>
				: segment.text))}
		</Text>
	);
}
