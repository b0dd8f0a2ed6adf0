// The load leaderboard (Ink, docs/load.md): after a load run, or `show <load.json>`. The race leaderboard's
// keys (ui/keymap.ts 'load-board'); `Enter` a model's steps, `c` the knee chart. It only draws and maps keys:
// saving is the caller's (`save`), which ui/ cannot do itself (no files here).
import {Box, Text, useApp, useInput} from 'ink';
import {useEffect, useRef, useState} from 'react';
import type {LoadMeta, LoadTranscript} from '../../core/load/types.js';
import {loadColumns, loadTableNote} from '../../core/report/load-table.js';
import {commonRate, type LoadSortKey} from '../../core/stats/load-ranking.js';
import {cellWidth, truncate} from '../../core/text/cells.js';
import {sanitizeLine} from '../../core/text/sanitize.js';
import {fitTable, tableHeader, tableRow} from '../../core/text/table.js';
import type {BracketName} from '../../core/types.js';
import {BracketTabs, tabLabels} from '../board/leaderboard-table.js';
import type {ChartLine} from '../chart/types.js';
import {HelpBar} from '../components/help-bar.js';
import {KeyGuidePanel} from '../components/key-guide-panel.js';
import {RaceHeader} from '../components/race-header.js';
import {useTerminalSize, type TerminalSize} from '../hooks/use-terminal-size.js';
import {inkKeys} from '../keys.js';
import {helpLine, keyToAction, type Action} from '../keymap.js';
import {colourOf, type Tone} from '../theme.js';
import {initialLoadBoard, loadBoardReducer, selectedLoadModel, visibleLoadModels, type LoadBoardState} from './board-state.js';
import {kneeLines} from './knee.js';
import {stepsLines} from './steps.js';

/** The line under the table: where the run was saved, that it was stopped, a failed save. */
export type LoadMessage = {readonly text: string; readonly tone: Tone};

/** Save the transcript; resolves to the path written, rejects with an Error saying why not. */
export type SaveLoad = (transcript: LoadTranscript) => Promise<string>;

export type LoadBoardProps = {
	readonly meta: Pick<LoadMeta, 'prompt' | 'preset' | 'region' | 'simulated'>;
	readonly transcript: LoadTranscript;
	/** `w`; absent: `w` says saving is not offered here. */
	readonly save?: SaveLoad | undefined;
	readonly message?: LoadMessage | null | undefined;
	readonly sort: LoadSortKey;
	readonly bracket?: BracketName | null | undefined;
	readonly noColor: boolean;
	/** False when stdin is not a TTY: no keys, and the board exits once drawn. */
	readonly interactive: boolean;
	/** Fixed size (tests); else the terminal's. */
	readonly size?: TerminalSize | undefined;
};

function Lines({lines}: {readonly lines: readonly ChartLine[]}) {
	return (
		<Box flexDirection="column">
			{lines.map((line, index) => (
				// Lines are fixed positions of a fixed-size view: the index is their identity.
				<Text key={index} wrap="truncate">
					{line.length === 0
						? ' '
						: line.map((segment, part) => (
								<Text key={part} color={segment.color} bold={segment.bold} inverse={segment.inverse}>
									{segment.text}
								</Text>
							))}
				</Text>
			))}
		</Box>
	);
}

function LoadTable({
	transcript,
	state,
	columns,
	rows,
	noColor,
}: {
	transcript: LoadTranscript;
	state: LoadBoardState;
	columns: number;
	rows: number;
	noColor: boolean;
}) {
	const visible = visibleLoadModels(transcript, state);
	const selected = selectedLoadModel(transcript, state);
	const rate = commonRate(transcript.models);
	const all = loadColumns(transcript, rate);
	const cells = visible.map((model, index) => all.map(column => column.cell(model, index + 1)));
	const fitted = fitTable(all, cells, {maxWidth: columns - 3});
	const sortLabel = `sorted by ${state.sort}${state.reverse ? ' ↓' : ''}`;
	const tabsWidth = cellWidth(tabLabels(transcript.models, columns - 1).join(''));
	const tableRows = Math.max(1, rows - 3);
	const selectedIndex = Math.max(
		0,
		visible.findIndex(model => model.id === selected?.id),
	);
	const first = Math.min(Math.max(0, selectedIndex - tableRows + 1), Math.max(0, visible.length - tableRows));
	return (
		<Box flexDirection="column">
			<Box width={columns - 1}>
				<BracketTabs models={transcript.models} active={state.bracket ?? 'all'} width={columns - 1} noColor={noColor} />
				{columns - 1 - tabsWidth > cellWidth(sortLabel) + 1 ? (
					<Box flexGrow={1} justifyContent="flex-end">
						<Text color={colourOf('dim', noColor)}>{sortLabel}</Text>
					</Box>
				) : null}
			</Box>
			<Text bold wrap="truncate">{`  ${tableHeader(fitted)}`}</Text>
			{visible.length === 0 ? <Text color={colourOf('dim', noColor)}>no model in this bracket</Text> : null}
			{visible.slice(first, first + tableRows).map((model, offset) => {
				const isSelected = model.id === selected?.id;
				const failed = model.steps.length > 0 && model.steps.every(step => step.summary.completed === 0);
				return (
					<Text
						key={model.id}
						wrap="truncate"
						inverse={isSelected}
						color={isSelected ? colourOf('selected', noColor) : failed ? colourOf('error', noColor) : undefined}
					>
						{`${isSelected ? '›' : ' '} ${tableRow(fitted, cells[first + offset]!)}`}
					</Text>
				);
			})}
			<Text color={colourOf('dim', noColor)} wrap="truncate">
				{truncate(loadTableNote(transcript, rate), columns - 1)}
			</Text>
		</Box>
	);
}

/** The leaderboard, steps and knee-chart screens of a finished (or stopped) load run. */
export function LoadBoard(props: LoadBoardProps) {
	const {exit} = useApp();
	const terminal = useTerminalSize();
	const {columns, rows} = props.size ?? terminal;
	const {transcript} = props;
	const [board, setBoard] = useState<LoadBoardState>(() => initialLoadBoard(props.sort, props.bracket ?? null));
	const [message, setMessage] = useState<LoadMessage | null>(props.message ?? null);
	// Keys can come faster than renders (paste, key repeat): handlers read and write the latest state here.
	const latest = useRef(board);
	const bodyRows = rows - 3;

	useEffect(() => {
		if (!props.interactive) {
			const timer = setTimeout(() => {
				exit();
			}, 50);
			return () => {
				clearTimeout(timer);
			};
		}

		return undefined;
	}, [props.interactive]);

	const dispatch = (action: Action) => {
		// The `?` list is over the view: any key closes it (q and Ctrl-C still quit).
		if (latest.current.keyGuide && action.type !== 'quit') {
			latest.current = {...latest.current, keyGuide: false};
			setBoard(latest.current);
			return;
		}

		switch (action.type) {
			case 'quit': {
				exit();
				return;
			}

			case 'save': {
				if (!props.save) {
					setMessage({text: 'saving is not offered here', tone: 'warn'});
					return;
				}

				setMessage({text: 'saving…', tone: 'dim'});
				props.save(transcript).then(
					path => {
						setMessage({text: `saved ${path}`, tone: 'ok'});
					},
					(error: unknown) => {
						setMessage({text: error instanceof Error ? error.message : String(error), tone: 'error'});
					},
				);
				return;
			}

			default: {
				const next = loadBoardReducer(latest.current, action, transcript, Math.max(1, bodyRows - 1));
				latest.current = next;
				setBoard(next);
			}
		}
	};

	useInput(
		(input, key) => {
			for (const name of inkKeys(input, key)) {
				dispatch(keyToAction(latest.current.view, name));
			}
		},
		{isActive: props.interactive},
	);

	const status = `load ${transcript.aborted ? 'stopped' : 'finished'} · ${((Date.parse(transcript.finishedAt) - Date.parse(transcript.startedAt)) / 1000).toFixed(1)} s`;
	const header = <RaceHeader meta={props.meta} status={status} columns={columns} noColor={props.noColor} />;
	const help = <HelpBar text={helpLine(board.view, {interactive: props.interactive, columns})} columns={columns} noColor={props.noColor} />;
	const selected = selectedLoadModel(transcript, board);
	if (board.keyGuide) {
		return (
			<Box flexDirection="column">
				{header}
				<KeyGuidePanel screen={board.view} columns={columns} rows={bodyRows} />
				{help}
			</Box>
		);
	}

	if (board.view === 'load-steps' && selected) {
		const all = stepsLines(selected, transcript, columns - 1);
		const top = Math.min(board.scroll, Math.max(0, all.length - bodyRows));
		return (
			<Box flexDirection="column">
				{header}
				<Box flexDirection="column" height={bodyRows}>
					{all.slice(top, top + bodyRows).map((line, index) => (
						<Text key={index} wrap="truncate">
							{line || ' '}
						</Text>
					))}
				</Box>
				{help}
			</Box>
		);
	}

	if (board.view === 'knee') {
		const lines = kneeLines({
			transcript,
			models: visibleLoadModels(transcript, board),
			selectedId: selected?.id ?? null,
			width: columns - 1,
			height: bodyRows - 1,
			noColor: props.noColor,
		});
		return (
			<Box flexDirection="column">
				{header}
				<Box width={columns - 1}>
					<BracketTabs models={transcript.models} active={board.bracket ?? 'all'} width={columns - 1} noColor={props.noColor} />
				</Box>
				<Lines lines={lines} />
				{help}
			</Box>
		);
	}

	return (
		<Box flexDirection="column">
			{header}
			<LoadTable transcript={transcript} state={board} columns={columns} rows={bodyRows - 1} noColor={props.noColor} />
			<Text color={message ? colourOf(message.tone, props.noColor) : undefined} wrap="truncate">
				{message ? truncate(sanitizeLine(message.text), columns - 1) : ' '}
			</Text>
			{help}
		</Box>
	);
}
