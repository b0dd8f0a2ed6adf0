import {Box, Text, useApp, useInput} from 'ink';
import {useEffect, useRef, useState} from 'react';
import type {SortKey} from '../core/leaderboard.js';
import type {Race} from '../core/race.js';
import type {BracketName, Transcript} from '../core/types.js';
import {boardReducer, initialBoard, selectedModel, type BoardState} from './board.js';
import {HelpBar} from './components/help-bar.js';
import {Leaderboard} from './components/leaderboard.js';
import {RaceHeader, type RaceMeta} from './components/race-header.js';
import {RaceView} from './components/race-view.js';
import {maxScroll, TranscriptView} from './components/transcript-view.js';
import {useSampled} from './hooks/use-sampled.js';
import {useTerminalSize, type TerminalSize} from './hooks/use-terminal-size.js';
import {helpLine, keyToAction, type Action, type Screen} from './keymap.js';
import {colourOf, type Tone} from './theme.js';

export type SaveOutcome = {readonly ok: boolean; readonly message: string};

export type AppProps = {
	readonly meta: RaceMeta;
	/** Starts a race (absent when reopening a saved transcript: no race again then). */
	readonly start?: (() => Race) | undefined;
	/** A finished race to show (llmrace show). */
	readonly initialTranscript?: Transcript | undefined;
	/** Save the transcript (the runner picks the path); says what happened. */
	readonly save: (transcript: Transcript) => SaveOutcome;
	/** Save automatically when a race ends (--save). */
	readonly autoSave: boolean;
	readonly sort: SortKey;
	readonly bracket: BracketName | null;
	readonly runs: number;
	readonly maxFps: number;
	readonly noColor: boolean;
	/** False when stdin is not a TTY: no keys, and the app exits once the leaderboard is drawn. */
	readonly interactive: boolean;
	readonly onTranscript?: ((transcript: Transcript) => void) | undefined;
	/** Fixed size (tests); else the terminal's. */
	readonly size?: TerminalSize | undefined;
};

let commits = 0;

/** How many times the root has rendered (React commits of the app), for the benchmark. */
export function commitCount(): number {
	return commits;
}

function elapsed(ms: number): string {
	return `${(ms / 1000).toFixed(1)} s`;
}

export function App(props: AppProps) {
	commits++;
	const {exit} = useApp();
	const terminal = useTerminalSize();
	const {columns, rows} = props.size ?? terminal;
	const [race, setRace] = useState<Race | null>(null);
	const [transcript, setTranscript] = useState<Transcript | null>(props.initialTranscript ?? null);
	const [screen, setScreen] = useState<Screen>(props.initialTranscript ? 'leaderboard' : 'race');
	const [board, setBoard] = useState<BoardState>(() => initialBoard(props.sort, props.bracket));
	const [lanes, setLanes] = useState(false);
	const [message, setMessage] = useState<{text: string; tone: Tone} | null>(null);
	const sample = useSampled(screen === 'race' ? race : null, Math.round(1000 / props.maxFps));
	// Keys can come faster than renders (paste, key repeat): handlers read and write the latest state here.
	const latest = useRef({screen, board, race, transcript});
	latest.current.race = race;
	latest.current.transcript = transcript;
	const show = (next: Screen) => {
		latest.current.screen = next;
		setScreen(next);
	};

	const updateBoard = (next: BoardState) => {
		latest.current.board = next;
		setBoard(next);
	};

	useEffect(() => {
		if (!props.initialTranscript && props.start) {
			setRace(props.start());
		}
	}, []);

	useEffect(() => {
		if (!race) {
			return;
		}

		let current = true;
		void race.done.then(finished => {
			if (!current) {
				return;
			}

			latest.current.transcript = finished;
			setTranscript(finished);
			props.onTranscript?.(finished);
			show('leaderboard');
			updateBoard({...latest.current.board, view: 'leaderboard', scroll: 0});
			if (props.autoSave) {
				const outcome = props.save(finished);
				setMessage({text: outcome.message, tone: outcome.ok ? 'ok' : 'error'});
			} else if (finished.aborted) {
				setMessage({text: 'race stopped: the figures cover what arrived', tone: 'warn'});
			}
		});
		return () => {
			current = false;
		};
	}, [race]);

	// Without a keyboard nobody can navigate: show the leaderboard once, then leave.
	useEffect(() => {
		if (!props.interactive && screen === 'leaderboard') {
			const timer = setTimeout(() => {
				exit();
			}, 50);
			return () => {
				clearTimeout(timer);
			};
		}

		return undefined;
	}, [screen, props.interactive]);

	const headerRows = 1;
	const helpRows = 1;
	const spare = 1;
	const models = transcript?.models ?? [];
	const transcriptRows = rows - headerRows - helpRows - spare;

	const dispatch = (action: Action) => {
		const {race, transcript, board} = latest.current;
		const models = transcript?.models ?? [];
		switch (action.type) {
			case 'stop': {
				race?.abort();
				return;
			}

			case 'quit': {
				race?.abort();
				exit();
				return;
			}

			case 'toggle-view': {
				setLanes(value => !value);
				return;
			}

			case 'save': {
				if (transcript) {
					const outcome = props.save(transcript);
					setMessage({text: outcome.message, tone: outcome.ok ? 'ok' : 'error'});
				}

				return;
			}

			case 'race-again': {
				if (props.start) {
					const next = props.start();
					latest.current.race = next;
					latest.current.transcript = null;
					setTranscript(null);
					setMessage(null);
					show('race');
					setRace(next);
				}

				return;
			}

			default: {
				const next = boardReducer(board, action, models, Math.max(1, transcriptRows - 1));
				const model = selectedModel(models, next);
				const clamped = next.view === 'transcript' && model ? {...next, scroll: Math.min(next.scroll, maxScroll(model, columns, transcriptRows))} : next;
				updateBoard(clamped);
				show(clamped.view);
			}
		}
	};

	useInput((input, key) => {
		dispatch(keyToAction(latest.current.screen, input, key));
	}, {isActive: props.interactive});

	const help = <HelpBar text={helpLine(screen, {interactive: props.interactive})} columns={columns} noColor={props.noColor}/>;
	if (screen === 'race') {
		const snapshot = sample?.snapshot;
		const now = sample?.now ?? 0;
		const running = snapshot ? snapshot.models.filter(model => model.endedAt === null && model.t0 !== null).length : 0;
		const status = snapshot
			? `${snapshot.aborted ? 'stopping' : `${snapshot.models.filter(model => model.state === 'done' || model.state === 'error').length}/${snapshot.models.length} done`} · ${running} live · ${props.runs > 1 ? `${props.runs} runs · ` : ''}${elapsed(now - snapshot.startedAt)}`
			: 'starting';
		return (
			<Box flexDirection="column">
				<RaceHeader meta={props.meta} status={status} columns={columns} noColor={props.noColor}/>
				{snapshot
					? <RaceView models={snapshot.models} now={now} history={sample.history} columns={columns} rows={rows - headerRows - helpRows - spare} lanes={lanes} noColor={props.noColor}/>
					: <Text>starting…</Text>}
				{help}
			</Box>
		);
	}

	const finishedStatus = transcript ? `${transcript.aborted ? 'stopped' : 'finished'} · ${elapsed(Date.parse(transcript.finishedAt) - Date.parse(transcript.startedAt))}` : '';
	if (screen === 'transcript') {
		const model = selectedModel(models, board);
		return (
			<Box flexDirection="column">
				<RaceHeader meta={props.meta} status={finishedStatus} columns={columns} noColor={props.noColor}/>
				{model ? <TranscriptView model={model} scroll={board.scroll} columns={columns} rows={transcriptRows} noColor={props.noColor}/> : <Text>no model selected</Text>}
				{help}
			</Box>
		);
	}

	return (
		<Box flexDirection="column">
			<RaceHeader meta={props.meta} status={finishedStatus} columns={columns} noColor={props.noColor}/>
			<Leaderboard models={models} state={board} runs={props.runs} columns={columns} rows={rows - headerRows - helpRows - spare - 1} noColor={props.noColor}/>
			<Text color={message ? colourOf(message.tone, props.noColor) : undefined} wrap="truncate">{message?.text ?? ' '}</Text>
			{help}
		</Box>
	);
}
