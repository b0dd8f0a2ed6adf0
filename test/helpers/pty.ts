// The real binary in a real pseudo-terminal, read back through a real terminal emulator, as a person would see it.
//
// `spawnPty(args, options)` runs `node distribution/cli.js ...args` (run `npm run build` first) in a pseudo-terminal
// from @lydell/node-pty, with CI=false (else Ink writes only its last frame) and NO_COLOR=1 (`env: {NO_COLOR: undefined}`
// keeps colours: an undefined value removes the variable), and feeds every byte it writes into @xterm/headless, VS Code's terminal emulator. Nothing but Node and `npm ci`.
//
//   const pty = spawnPty(['-p', preset, 'Explain recursion'], {cols: 120, rows: 40, cwd: dir});
//   await pty.waitFor(/sorted by ttft/);      // looks at every screen drawn until one matches; throws with the screen if none does
//   pty.write('s');                           // keys as bytes: '\r' Enter, '\u001B' Esc, '\u0003' Ctrl-C, '\u001B[B' down
//   pty.screen();                             // the visible lines, joined by '\n' (trailing spaces cut)
//   pty.isAlternate();                        // true while the app draws on the alternate screen
//   pty.raw();                                // every byte the child wrote, e.g. to assert that no OSC 52 ('\u001B]52;') went out
//   pty.titleChanges, pty.bells();            // what the emulator's onTitleChange / onBell saw: [] and 0 when nothing retitled or rang
//   const {exitCode, signal} = await pty.exit; // after the emulator has drawn everything the child wrote
//   pty.kill('SIGTERM'); pty.resize(80, 24); pty.dispose();
//
// `stdin: 'text'` pipes that text into the CLI's standard input (as `echo text | llmrace`) while its stdout and stderr
// stay on the terminal (the terminal is still the CLI's controlling one: `/dev/tty`; `noControllingTerminal: true`
// takes that away too, as under cron). `shell: true` runs the CLI the way a shell would, under a small Node launcher that prints
// `llmrace-pid=N` first (`await pty.cliPid()`: signal the CLI itself, not the launcher) and, after the CLI exits,
// `EXIT=<code>`, then reads one line from the terminal in its normal (cooked) mode and prints `read: <line>`: typing
// `hello\r` then shows `read: hello` only if the CLI gave the terminal back (echo, line editing, no raw mode).
// Use it for the hostile-server tests ("the title never changes": expect(pty.titleChanges).toEqual([])) and the
// CJK tests (every screen line within `cols` cells: `pty.wrappedRows()` lists the visible rows the emulator had to wrap
// onto, [] when none). `wideEmoji: true` measures characters as string-width does (emoji 2 cells, as kitty, iTerm2,
// WezTerm and VTE draw them) instead of xterm's default Unicode 6 table (emoji 1 cell). Always `dispose()` in afterEach:
// it kills a child still running.
import {closeSync, constants, existsSync, openSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {spawn as spawnPtyProcess, type IPty} from '@lydell/node-pty';
import xterm from '@xterm/headless';
import {quietHistory} from './quiet-history.js';
import stringWidth from 'string-width';

const cli = fileURLToPath(new URL('../../distribution/cli.js', import.meta.url));

/** Runs the CLI with stdio on the terminal (or its stdin piped), then reports how it ended and reads one line. */
const launcher = `
const {spawn} = require('node:child_process');
const [cli, stdinMode, shell, detached, ...args] = process.argv.slice(1);
const piped = stdinMode.startsWith('pipe:');
const child = spawn(process.execPath, [cli, ...args], {stdio: [piped ? 'pipe' : 'inherit', 'inherit', 'inherit'], detached: detached === '1'});
if (piped) child.stdin.end(stdinMode.slice(5));
if (shell === '1') process.stdout.write('llmrace-pid=' + child.pid + '\\r\\n');
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => {});
child.on('exit', (code, signal) => {
	if (shell !== '1') { process.exitCode = code ?? 1; return; }
	process.stdout.write('\\r\\nEXIT=' + (code ?? signal) + '\\r\\n');
	let line = '';
	process.stdin.on('data', data => {
		line += data.toString();
		if (line.includes('\\n')) { process.stdout.write('read: ' + line.trim() + '\\r\\n'); process.exit(code ?? 1); }
	});
});
`;

export type PtyOptions = {
	readonly cols?: number;
	readonly rows?: number;
	/** Added to process.env, after CI=false and NO_COLOR=1; an undefined value removes the variable. */
	readonly env?: Readonly<Record<string, string | undefined>>;
	readonly cwd?: string;
	/** Pipe this text into the CLI's standard input; its stdout and stderr stay on the terminal. */
	readonly stdin?: string;
	/** Run under the launcher that prints llmrace-pid=N, then EXIT=<code>, then reads a line in cooked mode. */
	readonly shell?: boolean;
	/** Measure each character as string-width does (emoji 2 cells wide) instead of by Unicode 6. */
	readonly wideEmoji?: boolean;
	/**
	 * Run the CLI in a session of its own (setsid), under the launcher: its output still goes to the terminal
	 * but it has no controlling terminal, so `/dev/tty` cannot be opened (cron, some CI runners).
	 */
	readonly noControllingTerminal?: boolean;
};

export type PtyExit = {readonly exitCode: number; readonly signal: number | undefined};

export type PtySession = {
	/** The visible lines of the active buffer, trailing spaces cut, joined by '\n' (always `rows` lines). */
	readonly screen: () => string;
	/** Look at every screen the child draws (and every 50 ms) until one matches; resolves with it, rejects with the last one. */
	readonly waitFor: (pattern: RegExp | ((screen: string) => boolean), timeoutMs?: number) => Promise<string>;
	readonly write: (keys: string) => void;
	readonly resize: (cols: number, rows: number) => void;
	/** Every byte the child wrote so far, exactly. */
	readonly raw: () => string;
	/** Each title an OSC 0/2 sequence set, in order. */
	readonly titleChanges: readonly string[];
	/** How many times BEL rang. */
	readonly bells: () => number;
	/** Resolves once the child exited and the emulator has processed all of its output. */
	readonly exit: Promise<PtyExit>;
	readonly kill: (signal?: string) => void;
	/** True while the alternate screen buffer is active. */
	readonly isAlternate: () => boolean;
	/** With `shell: true`: the pid of the llmrace process itself (the launcher prints it). */
	readonly cliPid: () => Promise<number>;
	/** The visible rows (0-based) that continue the row above: the emulator wrapped a line wider than the terminal. */
	readonly wrappedRows: () => number[];
	/** True when the last cursor show/hide sequence the child wrote showed it (or it never hid it). */
	readonly cursorVisible: () => boolean;
	/** Kill the child if it still runs and free the emulator. */
	readonly dispose: () => void;
	readonly pid: number;
};

const sleep = async (ms: number) =>
	new Promise<void>(resolve => {
		setTimeout(resolve, ms);
	});

export function spawnPty(args: readonly string[], options: PtyOptions = {}): PtySession {
	if (!existsSync(cli)) {
		throw new Error(`${cli} is missing: run \`npm run build\` first (npm test does)`);
	}

	const cols = options.cols ?? 120;
	const rows = options.rows ?? 40;
	const terminal = new xterm.Terminal({cols, rows, allowProposedApi: true, scrollback: 1000});
	if (options.wideEmoji) {
		// xterm's own provider packs (width << 1) | joins-the-preceding-character; a zero-width mark joins a visible one.
		terminal.unicode.register({
			version: 'string-width',
			wcwidth: codepoint => Math.min(2, stringWidth(String.fromCodePoint(codepoint))) as 0 | 1 | 2,
			charProperties(codepoint, preceding) {
				const width = Math.min(2, stringWidth(String.fromCodePoint(codepoint)));
				const joins = width === 0 && preceding !== 0 && ((preceding >> 1) & 3) !== 0;
				return ((joins ? (preceding >> 1) & 3 : width) << 1) | (joins ? 1 : 0);
			},
		});
		terminal.unicode.activeVersion = 'string-width';
	}

	const env: Record<string, string> = {};
	for (const [key, value] of Object.entries({...process.env, ...quietHistory, CI: 'false', NO_COLOR: '1', ...options.env})) {
		if (value !== undefined) {
			env[key] = value;
		}
	}

	const viaLauncher = options.stdin !== undefined || options.shell === true || options.noControllingTerminal === true;
	const argv = viaLauncher
		? [
				'-e',
				launcher,
				cli,
				options.stdin === undefined ? 'tty' : `pipe:${options.stdin}`,
				options.shell ? '1' : '0',
				options.noControllingTerminal ? '1' : '0',
				...args,
			]
		: [cli, ...args];
	const child: IPty = spawnPtyProcess(process.execPath, argv, {name: 'xterm-256color', cols, rows, cwd: options.cwd ?? process.cwd(), env});
	// The terminal's other end, held open as a terminal's shell holds it: when the CLI was the last process on it,
	// its exit hung the terminal up, and Linux could drop what the CLI had written last and this side had not read
	// yet (a listing cut at 3–8 KB, ~1 run in 100 on a busy machine). Held, node-pty reads on until it gives up
	// waiting for the hang-up (200 ms), then reports the exit; closed once the exit is reported.
	let held: number | undefined = openSync((child as IPty & {readonly ptsName: string}).ptsName, constants.O_RDWR | constants.O_NOCTTY);
	const release = () => {
		if (held !== undefined) {
			closeSync(held);
			held = undefined;
		}
	};

	let output = '';
	let bells = 0;
	let exited = false;
	const titleChanges: string[] = [];
	terminal.onTitleChange(title => titleChanges.push(title));
	terminal.onBell(() => {
		bells++;
	});
	// Answer the child's queries (cursor position, device attributes) as a terminal would.
	terminal.onData(data => {
		if (!exited) {
			child.write(data);
		}
	});
	/** Called each time the emulator has parsed a chunk the child wrote (waitFor looks at every screen). */
	const parsed = new Set<() => void>();
	child.onData(data => {
		output += data;
		terminal.write(data, () => {
			for (const waiter of parsed) {
				waiter();
			}
		});
	});
	const exit = new Promise<PtyExit>(resolve => {
		child.onExit(({exitCode, signal}) => {
			exited = true;
			release();
			// Writes are parsed in order: the callback of an empty write runs after every earlier one.
			terminal.write('', () => {
				resolve({exitCode, signal: signal || undefined});
			});
		});
	});

	const screen = () => {
		const buffer = terminal.buffer.active;
		const lines: string[] = [];
		for (let y = buffer.viewportY; y < buffer.viewportY + terminal.rows; y++) {
			lines.push(buffer.getLine(y)?.translateToString(true) ?? '');
		}

		return lines.join('\n');
	};

	const flush = async () =>
		new Promise<void>(resolve => {
			terminal.write('', resolve);
		});

	return {
		screen,
		async waitFor(pattern, timeoutMs = 20_000) {
			const matches = typeof pattern === 'function' ? pattern : (text: string) => pattern.test(text);
			await flush();
			if (matches(screen())) {
				return screen();
			}

			// Every screen the child draws is looked at, however briefly it stays (a fast replay's frames).
			return new Promise<string>((resolve, reject) => {
				const done = () => {
					parsed.delete(check);
					clearTimeout(timer);
					clearInterval(poll);
				};

				const check = () => {
					const text = screen();
					if (matches(text)) {
						done();
						resolve(text);
					}
				};

				const timer = setTimeout(() => {
					done();
					reject(new Error(`the screen never showed ${String(pattern)}${exited ? ' (the child exited)' : ''}:\n${screen()}`));
				}, timeoutMs);
				parsed.add(check);
				// And every 50 ms, for a pattern that also looks at something other than the screen.
				const poll = setInterval(check, 50);
			});
		},
		write(keys) {
			child.write(keys);
		},
		resize(newCols, newRows) {
			terminal.resize(newCols, newRows);
			child.resize(newCols, newRows);
		},
		raw: () => output,
		titleChanges,
		bells: () => bells,
		exit,
		kill(signal = 'SIGTERM') {
			if (!exited) {
				child.kill(signal);
			}
		},
		isAlternate: () => terminal.buffer.active.type === 'alternate',
		wrappedRows() {
			const buffer = terminal.buffer.active;
			const wrapped: number[] = [];
			for (let row = 0; row < terminal.rows; row++) {
				if (buffer.getLine(buffer.viewportY + row)?.isWrapped) {
					wrapped.push(row);
				}
			}

			return wrapped;
		},
		async cliPid() {
			for (let tries = 0; tries < 400; tries++) {
				const match = /llmrace-pid=(\d+)/.exec(output);
				if (match) {
					return Number(match[1]);
				}

				await sleep(50);
			}

			throw new Error(`no llmrace-pid line (shell: true?):\n${output.slice(0, 500)}`);
		},
		cursorVisible() {
			const marks = [...output.matchAll(/\u001B\[\?25([hl])/g)];
			return marks.length === 0 || marks.at(-1)![1] === 'h';
		},
		dispose() {
			if (!exited) {
				try {
					child.kill('SIGKILL');
				} catch {}
			}

			release();
			terminal.dispose();
		},
		pid: child.pid,
	};
}
