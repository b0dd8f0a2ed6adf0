import {Box, Text, useApp, useInput} from 'ink';
import {useEffect, useRef, useState} from 'react';
import {truncate} from '../../core/text/cells.js';
import type {SortKey} from '../../core/stats/ranking.js';
import {sanitizeLine} from '../../core/text/sanitize.js';
import type {BracketName, Transcript} from '../../core/types.js';
import {boardReducer, initialBoard, selectedModel, visibleModels, type BoardState} from './state.js';
import {ChartView} from '../chart/chart-view.js';
import {HelpBar} from '../components/help-bar.js';
import {KeyGuidePanel} from '../components/key-guide-panel.js';
import {BracketTabs, Leaderboard} from './leaderboard-table.js';
import {RaceHeader} from '../components/race-header.js';
import type {RaceMeta} from '../header.js';
import {maxScroll, TranscriptView} from './answer-view.js';
import {useTerminalSize, type TerminalSize} from '../hooks/use-terminal-size.js';
import {inkKeys} from '../keys.js';
import {helpLine, keyToAction, type Action, type Screen} from '../keymap.js';
import {colourOf, type Tone} from '../theme.js';

export type SaveOutcome = {readonly ok: boolean; readonly message: string};

/** The line under the leaderboard: where the race was saved, that it was stopped, a failed save. */
export type Message = {readonly text: string; readonly tone: Tone};

export type AppProps = {
	readonly meta: RaceMeta;
	/** The finished (or stopped) race to explore. */
	readonly transcript: Transcript;
	/** Save the transcript (the runner picks the path); says what happened. */
	readonly save: (transcript: Transcript) => SaveOutcome;
	/** A first message under the table (where the race was saved, that it was stopped). */
	readonly message?: Message | null | undefined;
	/** `r`: race again (absent when reopening a saved transcript). The runner unmounts the app and starts the race screen. */
	readonly onRaceAgain?: (() => void) | undefined;
	readonly sort: SortKey;
	readonly bracket: BracketName | null;
	readonly runs: number;
	readonly noColor: boolean;
	/** False when stdin is not a TTY: no keys, and the app exits once the leaderboard is drawn. */
	readonly interactive: boolean;
	/** Fixed size (tests); else the terminal's. */
	readonly size?: TerminalSize | undefined;
};

function elapsed(ms: number): string {
	return `${(ms / 1000).toFixed(1)} s`;
}

/** Rows of the screen the header, the help line and the spare last row take. */
const headerRows = 1;
const helpRows = 1;
const spare = 1;

/** The board's state, read and written through a ref too: keys can come faster than renders (paste, key repeat). */
function useBoard(props: AppProps) {
	const [screen, setScreen] = useState<Screen>('leaderboard');
	const [board, setBoard] = useState<BoardState>(() => initialBoard(props.sort, props.bracket));
	const latest = useRef({screen, board});
	const update = (next: BoardState) => {
		latest.current = {screen: next.view, board: next};
		setBoard(next);
		setScreen(next.view);
	};

	return {screen, board, latest, update};
}

/** Quit after the first frame when nobody can navigate (no keyboard). */
function useExitWhenNotInteractive(interactive: boolean, exit: () => void) {
	useEffect(() => {
		if (!interactive) {
			const timer = setTimeout(() => {
				exit();
			}, 50);
			return () => {
				clearTimeout(timer);
			};
		}

		return undefined;
	}, [interactive]);
}

/** The leaderboard, chart and answer screens of a finished race (the live race screen is ui/race/screen.ts, drawn without Ink). */
export function App(props: AppProps) {
	const {exit} = useApp();
	const terminal = useTerminalSize();
	const {columns, rows} = props.size ?? terminal;
	const {transcript} = props;
	const {models} = transcript;
	const {screen, board, latest, update} = useBoard(props);
	const [message, setMessage] = useState<Message | null>(props.message ?? null);
	useExitWhenNotInteractive(props.interactive, exit);
	const transcriptRows = rows - headerRows - helpRows - spare;

	const dispatch = (action: Action) => {
		const {board} = latest.current;
		// The `?` list is over the screen: any key closes it (q and Ctrl-C still quit).
		if (board.keyGuide && action.type !== 'quit') {
			update({...board, keyGuide: false});
			return;
		}

		switch (action.type) {
			case 'stop':
			case 'toggle-view': {
				return;
			}

			case 'quit': {
				exit();
				return;
			}

			case 'save': {
				const outcome = props.save(transcript);
				setMessage({text: outcome.message, tone: outcome.ok ? 'ok' : 'error'});
				return;
			}

			case 'race-again': {
				props.onRaceAgain?.();
				return;
			}

			default: {
				const next = boardReducer(board, action, models, Math.max(1, transcriptRows - 1));
				const model = selectedModel(models, next);
				update(next.view === 'transcript' && model ? {...next, scroll: Math.min(next.scroll, maxScroll(model, columns, transcriptRows, next.run))} : next);
			}
		}
	};

	useInput(
		(input, key) => {
			for (const name of inkKeys(input, key)) {
				dispatch(keyToAction(latest.current.screen, name));
			}
		},
		{isActive: props.interactive},
	);

	const selected = selectedModel(models, board);
	const help = (
		<HelpBar
			text={helpLine(screen, {
				interactive: props.interactive,
				columns,
				raceAgain: props.onRaceAgain !== undefined,
				pickRun: (selected?.runs.length ?? 0) > 1,
			})}
			columns={columns}
			noColor={props.noColor}
		/>
	);
	const header = (
		<RaceHeader
			meta={props.meta}
			status={`${transcript.aborted ? 'stopped' : 'finished'} · ${elapsed(Date.parse(transcript.finishedAt) - Date.parse(transcript.startedAt))}`}
			columns={columns}
			noColor={props.noColor}
		/>
	);
	return (
		<Box flexDirection="column">
			{header}
			{board.keyGuide ? (
				<KeyGuidePanel screen={screen} columns={columns} rows={rows - headerRows - helpRows - spare} raceAgain={props.onRaceAgain !== undefined} />
			) : (
				<ScreenBody {...props} screen={screen} board={board} message={message} columns={columns} rows={rows} />
			)}
			{help}
		</Box>
	);
}

type BodyProps = AppProps & {
	readonly screen: Screen;
	readonly board: BoardState;
	readonly message: Message | null;
	readonly columns: number;
	readonly rows: number;
};

/** What is between the header and the help line: the answer, the chart, or the leaderboard and its message. */
function ScreenBody({screen, board, message, transcript, columns, rows, noColor, runs}: BodyProps) {
	const {models} = transcript;
	if (screen === 'transcript') {
		const model = selectedModel(models, board);
		return model ? (
			<TranscriptView
				model={model}
				scroll={board.scroll}
				run={board.run}
				columns={columns}
				rows={rows - headerRows - helpRows - spare}
				noColor={noColor}
				measurement={transcript.measurement}
			/>
		) : (
			<Text>no model selected</Text>
		);
	}

	if (screen === 'chart') {
		// The bracket tabs, then the chart: with the header and the help line, rows - 1 lines in all (the chart draws `rows - 1` of the rows it is given).
		const tabRows = 1;
		return (
			<>
				<Box width={columns - 1}>
					<BracketTabs models={models} active={board.bracket ?? 'all'} width={columns - 1} noColor={noColor} />
				</Box>
				<ChartView
					models={visibleModels(models, board)}
					xAxis={board.chartAxis}
					selectedId={selectedModel(models, board)?.id ?? null}
					columns={columns}
					rows={rows - headerRows - tabRows - helpRows}
					noColor={noColor}
					bracketLabel={board.bracket ?? 'all models'}
				/>
			</>
		);
	}

	return (
		<>
			<Leaderboard models={models} state={board} runs={runs} columns={columns} rows={rows - headerRows - helpRows - spare - 1} noColor={noColor} />
			<Text color={message ? colourOf(message.tone, noColor) : undefined} wrap="truncate">
				{message ? truncate(sanitizeLine(message.text), columns - 1) : ' '}
			</Text>
		</>
	);
}
