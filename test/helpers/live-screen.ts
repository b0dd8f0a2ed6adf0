// llmrace in a real pseudo-terminal (node-pty), its screen read through a real terminal emulator
// (@xterm/headless): what a user sees, as text, with no timing but the order things appear in.
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';
import {quietHistory} from './quiet-history.js';

const cli = new URL('../../distribution/cli.js', import.meta.url).pathname;

/** Every child spawned, killed after each test (a failed one must not leave a race running). */
const children: pty.IPty[] = [];

export type Screen = {
	/** The screen's rows as text. */
	readonly text: () => string;
	/** Resolves when `seen(screen text)` holds; rejects when the process exits first. */
	readonly waitFor: (seen: (text: string) => boolean, what: string) => Promise<string>;
	readonly type: (keys: string) => void;
	readonly signal: (name: string) => void;
	/** `alternate` while a full-screen view is up, `normal` once the terminal is given back. */
	readonly buffer: () => 'normal' | 'alternate';
	readonly exited: Promise<number>;
};

/** Spawn llmrace in a `cols`×`rows` pseudo-terminal and follow its screen. */
export function spawnScreen(
	args: readonly string[],
	{cols = 160, rows = 40, env = {}, cwd}: {cols?: number; rows?: number; env?: NodeJS.ProcessEnv; cwd?: string} = {},
): Screen {
	const terminal = new xterm.Terminal({cols, rows, allowProposedApi: true});
	const child = pty.spawn(process.execPath, [cli, ...args], {
		cols,
		rows,
		cwd: cwd ?? mkdtempSync(path.join(tmpdir(), 'llmrace-screen-')),
		env: Object.fromEntries(
			Object.entries({...process.env, ...quietHistory, CI: 'false', NO_COLOR: '1', ...env}).filter(([, value]) => value !== undefined),
		) as Record<string, string>,
	});
	const text = () =>
		Array.from({length: terminal.buffer.active.length}, (_, index) => terminal.buffer.active.getLine(index)?.translateToString(true) ?? '').join('\n');
	children.push(child);
	const waiters = new Set<() => void>();
	child.onData(data => {
		terminal.write(data, () => {
			for (const waiter of waiters) {
				waiter();
			}
		});
	});
	let exitCode: number | undefined;
	const exited = new Promise<number>(resolve => {
		child.onExit(({exitCode: code}) => {
			exitCode = code;
			for (const waiter of waiters) {
				waiter();
			}

			resolve(code);
		});
	});
	return {
		text,
		exited,
		type(keys) {
			child.write(keys);
		},
		signal(name) {
			child.kill(name);
		},
		buffer: () => terminal.buffer.active.type,
		async waitFor(seen, what) {
			return new Promise((resolve, reject) => {
				const check = () => {
					const screen = text();
					if (seen(screen)) {
						waiters.delete(check);
						resolve(screen);
					} else if (exitCode !== undefined) {
						waiters.delete(check);
						reject(new Error(`llmrace exited (${exitCode}) before ${what}:\n${screen}`));
					}
				};

				waiters.add(check);
				check();
			});
		},
	};
}

/** Kill every llmrace still running (after each test: a failed one must not leave a race behind). */
export function killScreens(): void {
	for (const child of children.splice(0)) {
		try {
			child.kill('SIGKILL');
		} catch {}
	}
}
