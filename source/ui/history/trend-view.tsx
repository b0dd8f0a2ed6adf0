// The trend view (Ink), keyboard-driven like the leaderboard: the models a `history <model>` names, each
// with its sparklines; ↑↓ select, Enter for the selected model's races, Esc back, q quits. It only draws and
// maps keys: the trends come computed (core/history/trend.ts), the per-race one through `racesOf`.
import {Box, Text, useApp, useInput, useStdin} from 'ink';
import {useRef, useState} from 'react';
import {modelLabel, trendText} from '../../core/history/format.js';
import {sparkline, type Trend} from '../../core/history/trend.js';
import type {ModelKey} from '../../core/history/types.js';
import {formatMs} from '../../core/text/format.js';
import {fitCells} from '../../core/text/cells.js';
import {sanitizeLine} from '../../core/text/sanitize.js';
import {inkKeys} from '../keys.js';
import {colourOf} from '../theme.js';

export type ModelTrend = {readonly model: ModelKey; readonly trend: Trend};

export type TrendViewProps = {
	readonly trends: readonly ModelTrend[];
	readonly racesOf: (model: ModelKey) => Promise<Trend>;
	readonly columns: number;
	readonly rows: number;
	readonly noColor: boolean;
};

type Shown = {readonly mode: 'models'} | {readonly mode: 'races'; readonly model: ModelKey; readonly trend: Trend | null};

function lastMedian(trend: Trend): number | null {
	return trend.points.at(-1)?.ttftMs?.median ?? null;
}

/** One line per model: name @ host, points, the last median TTFT, TTFT and tok/s sparklines, changes. */
function modelLine(entry: ModelTrend, width: number, selected: boolean): string {
	const {trend} = entry;
	const ttft = sparkline(trend.points.slice(-20).map(point => point.ttftMs?.median ?? null));
	const tps = sparkline(trend.points.slice(-20).map(point => point.tokensPerSecond?.median ?? null));
	const changes = trend.changes.length > 0 ? ` · ${trend.changes.length} change${trend.changes.length === 1 ? '' : 's'}` : '';
	const text = `${modelLabel(entry.model)}  ${trend.points.length} day${trend.points.length === 1 ? '' : 's'}  TTFT ${formatMs(lastMedian(trend))} ${ttft}  tok/s ${tps}${changes}`;
	// `›` marks the selected row also where inverse video does not show (NO_COLOR terminals, screen readers).
	return fitCells(`${selected ? '›' : ' '} ${sanitizeLine(text)}`, width);
}

export function TrendView({trends, racesOf, columns, rows, noColor}: TrendViewProps) {
	const {exit} = useApp();
	const {isRawModeSupported} = useStdin();
	const [selected, setSelected] = useState(0);
	const [shown, setShown] = useState<Shown>({mode: 'models'});
	const [scroll, setScroll] = useState(0);
	// The state as last drawn: a key that arrives after a frame is written but before Ink swaps in this
	// render's handler must act on what the screen shows, not on the render before it.
	const latest = useRef({selected, shown});
	latest.current = {selected, shown};
	useInput(
		(input, key) => {
			// Keys typed fast arrive in one read: each acts on what the keys before it chose, not on the last render's state.
			let index = latest.current.selected;
			const {shown} = latest.current;
			for (const name of inkKeys(input, key)) {
				if (name === 'q' || name === 'ctrl-c') {
					exit();
					return;
				}

				if (shown.mode === 'races') {
					if (name === 'escape' || name === 'backspace' || name === 'left') {
						setShown({mode: 'models'});
						setScroll(0);
					} else if (name === 'down' || name === 'j') {
						setScroll(value => value + 1);
					} else if (name === 'up' || name === 'k') {
						setScroll(value => Math.max(0, value - 1));
					}

					continue;
				}

				if (name === 'down' || name === 'j') {
					index = Math.min(trends.length - 1, index + 1);
					setSelected(index);
				} else if (name === 'up' || name === 'k') {
					index = Math.max(0, index - 1);
					setSelected(index);
				} else if (name === 'return' || name === 'right') {
					const {model} = trends[index]!;
					setShown({mode: 'races', model, trend: null});
					void racesOf(model).then(trend => {
						setShown(current => (current.mode === 'races' && current.model === model ? {mode: 'races', model, trend} : current));
					});
				}
			}
		},
		{isActive: isRawModeSupported === true},
	);
	const width = Math.max(20, columns - 1);
	const accent = colourOf('accent', noColor);
	if (shown.mode === 'races') {
		// The first line names the model and says "per race".
		const lines = shown.trend
			? trendText(shown.model, shown.trend, width).trimEnd().split('\n')
			: [sanitizeLine(`${modelLabel(shown.model)}: reading its races…`)];
		const room = Math.max(1, rows - 2);
		const start = Math.min(scroll, Math.max(0, lines.length - room));
		return (
			<Box flexDirection="column">
				{lines.slice(start, start + room).map((line, row) => (
					<Text key={row} bold={row === 0 && start === 0} color={row === 0 && start === 0 ? accent : undefined}>
						{fitCells(line, width)}
					</Text>
				))}
				<Text dimColor>{fitCells('↑↓ scroll · Esc back · q quit', width)}</Text>
			</Box>
		);
	}

	const current = trends[selected];
	const detail = current ? trendText(current.model, current.trend, width).trimEnd().split('\n') : [];
	const room = Math.max(0, rows - trends.length - 4);
	return (
		<Box flexDirection="column">
			<Text bold color={accent}>
				{fitCells(`llmrace history · ${trends.length} model${trends.length === 1 ? '' : 's'} · median per UTC day`, width)}
			</Text>
			{trends.map((entry, index) => (
				<Text key={`${entry.model.id}@${entry.model.baseUrlHost}`} inverse={index === selected}>
					{modelLine(entry, width, index === selected)}
				</Text>
			))}
			<Text> </Text>
			{detail.slice(1, 1 + room).map((line, index) => (
				<Text key={index}>{fitCells(line, width)}</Text>
			))}
			<Text dimColor>{fitCells('↑↓ select · Enter its races · q quit', width)}</Text>
		</Box>
	);
}
