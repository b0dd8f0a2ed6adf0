// Mount the first-run screen, resolve with what the user chose, unmount. On a race, the terminal stays in
// raw mode for the race screen (a Ctrl-C in between is a key it reads, never a SIGINT), as after `r`.
import {render} from 'ink';
import {holdKeys} from '../race/screen.js';
import {FirstRunApp} from './app.js';
import type {FirstRunChoice, PresetChoice} from './state.js';

export type {FirstRunChoice, PresetChoice} from './state.js';

export type FirstRunOptions = {
	readonly presets: readonly PresetChoice[];
	readonly prompt: string;
	readonly preferred?: string | undefined;
	readonly noColor: boolean;
	readonly stdin?: NodeJS.ReadStream | undefined;
	readonly stdout?: NodeJS.WriteStream | undefined;
};

export async function showFirstRun(options: FirstRunOptions): Promise<FirstRunChoice> {
	const stdin = options.stdin ?? process.stdin;
	let choice: FirstRunChoice = {type: 'quit'};
	const app = render(
		<FirstRunApp
			presets={options.presets}
			prompt={options.prompt}
			preferred={options.preferred}
			noColor={options.noColor}
			onChoice={chosen => {
				choice = chosen;
				// The screen makes way for the race (or for the shell): erase it, then leave Ink.
				app.clear();
				app.unmount();
				if (chosen.type === 'race') {
					holdKeys(stdin);
				}
			}}
		/>,
		{exitOnCtrlC: false, patchConsole: false, stdin, stdout: options.stdout ?? process.stdout},
	);
	await app.waitUntilExit();
	return choice;
}
