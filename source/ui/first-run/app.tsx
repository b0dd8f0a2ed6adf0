// The first-run screen (Ink): `llmrace` with no prompt at a terminal. Pick a preset, its models and the
// prompt; Enter on the prompt starts the race. It only draws and maps keys: loading the presets and
// racing are the command's (session/first-run.ts, main.ts).
import {Box, Text, useInput} from 'ink';
import {useRef, useState} from 'react';
import {cellWidth, graphemes, padCells, takeCells, truncate} from '../../core/text/cells.js';
import {sanitizeLine} from '../../core/text/sanitize.js';
import {HelpBar} from '../components/help-bar.js';
import {useTerminalSize, type TerminalSize} from '../hooks/use-terminal-size.js';
import {inkKeys, type InkKey, type KeyName} from '../keys.js';
import {colourOf} from '../theme.js';
import {firstRunHelp} from './help.js';
import {chosenModels, firstRunKey, initialFirstRun, type FirstRunChoice, type FirstRunState, type PresetChoice} from './state.js';

export type FirstRunProps = {
	readonly presets: readonly PresetChoice[];
	readonly prompt: string;
	/** The preset selected at first (the demo, or the one given with -p). */
	readonly preferred?: string | undefined;
	readonly noColor: boolean;
	readonly onChoice: (choice: FirstRunChoice) => void;
	/** Fixed size (tests); else the terminal's. */
	readonly size?: TerminalSize | undefined;
};

/** The rows of a list of `count` items that fit `height`, keeping `cursor` in view. */
export function listWindow(count: number, cursor: number, height: number): {start: number; end: number} {
	const shown = Math.max(1, Math.min(count, height));
	const start = Math.min(Math.max(0, cursor - Math.floor(shown / 2)), count - shown);
	return {start: Math.max(0, start), end: Math.max(0, start) + shown};
}

/** The prompt cut into lines of `width` cells, with the line and column of the cursor. */
export function promptLines(prompt: string, cursor: number, width: number): {lines: string[]; row: number; column: number} {
	const lines: string[] = [''];
	let used = 0;
	let row = 0;
	let column = 0;
	const parts = graphemes(prompt);
	for (const [index, part] of parts.entries()) {
		if (index === cursor) {
			row = lines.length - 1;
			column = used;
		}

		if (used + part.cells > width) {
			lines.push('');
			used = 0;
			if (index === cursor) {
				row = lines.length - 1;
				column = 0;
			}
		}

		lines[lines.length - 1] += part.text;
		used += part.cells;
	}

	if (cursor >= parts.length) {
		if (used + 1 > width) {
			lines.push('');
			used = 0;
		}

		row = lines.length - 1;
		column = used;
	}

	return {lines, row, column};
}

function Row({text, selected, noColor, tone}: {readonly text: string; readonly selected: boolean; readonly noColor: boolean; readonly tone?: 'dim' | 'warn'}) {
	return (
		<Text wrap="truncate" bold={selected} color={colourOf(selected ? 'selected' : tone, noColor)}>
			{text}
		</Text>
	);
}

function PresetList({
	presets,
	state,
	width,
	height,
	noColor,
}: {
	readonly presets: readonly PresetChoice[];
	readonly state: FirstRunState;
	readonly width: number;
	readonly height: number;
	readonly noColor: boolean;
}) {
	const nameWidth = Math.min(18, Math.max(...presets.map(preset => cellWidth(preset.name))));
	const {start, end} = listWindow(presets.length, state.preset, height);
	return (
		<Box flexDirection="column">
			{presets.slice(start, end).map((preset, offset) => {
				const index = start + offset;
				const models = preset.discovered ? 'models listed by the server' : `${preset.models.length} model${preset.models.length === 1 ? '' : 's'}`;
				const text = `${index === state.preset ? '›' : ' '} ${padCells(truncate(preset.name, nameWidth), nameWidth)}  ${preset.keyStatus} · ${models}${preset.description ? ` · ${preset.description}` : ''}`;
				return (
					<Row key={preset.ref} text={truncate(text, width)} selected={index === state.preset} noColor={noColor} tone={preset.blocked ? 'dim' : undefined} />
				);
			})}
		</Box>
	);
}

function ModelList({
	preset,
	state,
	width,
	height,
	noColor,
}: {
	readonly preset: PresetChoice;
	readonly state: FirstRunState;
	readonly width: number;
	readonly height: number;
	readonly noColor: boolean;
}) {
	if (preset.discovered) {
		return <Text wrap="truncate">{truncate(preset.discovered, width)}</Text>;
	}

	const idWidth = Math.min(28, Math.max(...preset.models.map(model => cellWidth(model.id))));
	const {start, end} = listWindow(preset.models.length, state.model, height);
	return (
		<Box flexDirection="column">
			{preset.models.slice(start, end).map((model, offset) => {
				const index = start + offset;
				const about = [model.name === model.id ? '' : model.name, model.provider ?? '', model.ready ? '' : 'key not set'].filter(Boolean).join(' · ');
				const text = `${index === state.model ? '›' : ' '} [${state.selected[index] ? 'x' : ' '}] ${padCells(truncate(model.id, idWidth), idWidth)}  ${about}`;
				return <Row key={model.id} text={truncate(text, width)} selected={index === state.model} noColor={noColor} tone={model.ready ? undefined : 'dim'} />;
			})}
		</Box>
	);
}

/** The prompt being edited, the cursor as an inverse cell; the lines around the cursor when it is long. */
function PromptEditor({
	state,
	width,
	height,
	noColor,
}: {
	readonly state: FirstRunState;
	readonly width: number;
	readonly height: number;
	readonly noColor: boolean;
}) {
	const {lines, row, column} = promptLines(state.prompt, state.cursor, width);
	const {start, end} = listWindow(lines.length, row, height);
	return (
		<Box flexDirection="column">
			{lines.slice(start, end).map((line, offset) => {
				if (start + offset !== row) {
					return <Text key={start + offset}>{line || ' '}</Text>;
				}

				const before = takeCells(line, column).text;
				const rest = graphemes(line.slice(before.length));
				return (
					<Text key={start + offset}>
						{before}
						<Text inverse color={colourOf('accent', noColor)}>
							{rest[0]?.text ?? ' '}
						</Text>
						{rest
							.slice(1)
							.map(part => part.text)
							.join('')}
					</Text>
				);
			})}
		</Box>
	);
}

/** `llmrace -p demo -m a,b "the prompt"`: what the screen is about to run, to type next time. */
export function equivalentCommand(preset: PresetChoice, state: FirstRunState): string {
	const models = chosenModels(preset, state);
	const prompt = state.prompt.trim().replaceAll(/\s+/g, ' ');
	return `llmrace -p ${sanitizeLine(preset.ref)}${models ? ` -m ${models.join(',')}` : ''} "${prompt.replaceAll(/(["\\$`])/g, '\\$1')}"`;
}

/** What Enter on the prompt will do, and for a real provider who is sent the prompt and bills for it. */
function raceLine(preset: PresetChoice, state: FirstRunState): string {
	const count = preset.discovered ? null : state.selected.filter(Boolean).length;
	const models = count === null ? 'every model the server lists' : `${count} model${count === 1 ? '' : 's'}`;
	return preset.simulated
		? `Enter races ${models} of ${preset.name}, simulated: no network, no key, no cost`
		: `Enter sends this prompt to ${models} of ${preset.name}: ${preset.target}`;
}

function stepTitle(presets: readonly PresetChoice[], state: FirstRunState): string {
	const preset = presets[state.preset];
	if (state.step === 'preset' || !preset) {
		return 'Pick a preset: which models race, and where';
	}

	if (state.step === 'models') {
		return preset.discovered
			? `Models of ${preset.name}`
			: `Models of ${preset.name}: ${state.selected.filter(Boolean).length} of ${preset.models.length} selected`;
	}

	return 'The prompt (type to change it)';
}

/** Map Ink's key report to named keys; Ctrl-U (clear to the start) is the one Ctrl key besides Ctrl-C. */
function keysOf(input: string, key: InkKey): KeyName[] {
	if (key.ctrl && input === 'u') {
		return ['ctrl-u'];
	}

	// Several keys in one read (typed fast, pasted) reach here whole: a Ctrl-U among them still clears.
	return input.split('\u0015').flatMap((part, index): KeyName[] => (index === 0 ? inkKeys(part, key) : ['ctrl-u', ...inkKeys(part, key)]));
}

export function FirstRunApp(props: FirstRunProps) {
	const terminal = useTerminalSize();
	const {columns, rows} = props.size ?? terminal;
	const {presets, noColor} = props;
	const [state, setState] = useState(() => initialFirstRun(presets, props.prompt, props.preferred));
	// Keys can come faster than renders (a paste): each one reads the state the previous one left.
	const latest = useRef(state);
	const done = useRef(false);
	useInput((input, key) => {
		if (done.current) {
			return;
		}

		const keys = keysOf(input, key);
		for (const name of keys) {
			const result = firstRunKey(presets, latest.current, name, keys.length === 1);
			latest.current = result.state;
			if (result.choice) {
				done.current = true;
				props.onChoice(result.choice);
				return;
			}
		}

		setState(latest.current);
	});
	const width = Math.max(10, columns - 1);
	const preset = presets[state.preset];
	// Header, blank, title, blank above the list; blank, note, help below (and the race line on the prompt step).
	const listHeight = Math.max(1, rows - 8 - (state.step === 'prompt' ? 3 : 0));
	const step = {preset: 1, models: 2, prompt: 3}[state.step];
	return (
		<Box flexDirection="column" width={width}>
			<Text wrap="truncate">
				<Text bold color={colourOf('accent', noColor)}>
					llmrace
				</Text>
				{truncate(`  first run · step ${step} of 3 · then the race`, width - 'llmrace'.length)}
			</Text>
			<Text> </Text>
			<Text bold wrap="truncate">
				{truncate(stepTitle(presets, state), width)}
			</Text>
			<Text> </Text>
			{state.step === 'preset' || !preset ? <PresetList presets={presets} state={state} width={width} height={listHeight} noColor={noColor} /> : null}
			{state.step === 'models' && preset ? <ModelList preset={preset} state={state} width={width} height={listHeight} noColor={noColor} /> : null}
			{state.step === 'prompt' && preset ? (
				<>
					<PromptEditor state={state} width={width} height={Math.min(6, listHeight)} noColor={noColor} />
					<Text> </Text>
					<Text wrap="truncate" color={colourOf(preset.simulated ? 'ok' : 'warn', noColor)}>
						{truncate(raceLine(preset, state), width)}
					</Text>
					<Text wrap="truncate" color={colourOf('dim', noColor)}>
						{truncate(`same as: ${equivalentCommand(preset, state)}`, width)}
					</Text>
				</>
			) : null}
			<Text> </Text>
			<Text wrap="truncate" color={colourOf('warn', noColor)}>
				{truncate(state.note ?? ' ', width)}
			</Text>
			<HelpBar text={firstRunHelp(state.step, columns)} columns={columns} noColor={noColor} />
		</Box>
	);
}
