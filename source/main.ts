// Dispatch a parsed command line; turn user mistakes into one or two lines on stderr and exit 2.
import {readFileSync} from 'node:fs';
import process from 'node:process';
import {loadCellWidths} from './core/cells.js';
import {PresetError} from './core/presets.js';
import {TranscriptError} from './core/transcript-error.js';
import {UsageError, type Flags} from './options.js';

/** The type lives in options.ts; re-exported for modules that still import it from here. */

const commands = new Set(['show', 'report', 'compare', 'presets', 'sim']);

async function readStdin(): Promise<string> {
	const parts: Buffer[] = [];
	for await (const part of process.stdin) {
		parts.push(part as Buffer);
	}

	return Buffer.concat(parts).toString('utf8');
}

/** The prompt: the positional argument, else --prompt-file, else stdin when it is not a TTY. */
async function resolvePrompt(input: readonly string[], flags: Flags): Promise<string> {
	if (input.length > 0) {
		return input.join(' ');
	}

	if (flags.promptFile !== undefined) {
		try {
			return readFileSync(flags.promptFile, 'utf8').trim();
		} catch (error) {
			throw new UsageError(`cannot read --prompt-file ${flags.promptFile} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
		}
	}

	if (!process.stdin.isTTY) {
		return (await readStdin()).trim();
	}

	return '';
}

export async function main(input: readonly string[], flags: Flags): Promise<number> {
	try {
		const [command, ...rest] = input;
		if (command !== undefined && commands.has(command)) {
			// The race screen's first frame alone may come before string-width has loaded (core/cells.ts).
			const [{runCommand}] = await Promise.all([import('./commands/other.js'), loadCellWidths()]);
			return await runCommand(command, rest, flags);
		}

		const prompt = await resolvePrompt(input, flags);
		if (!prompt) {
			throw new UsageError('no prompt: give one as an argument, with --prompt-file, or on standard input\nexample: llmrace "Explain recursion in 200 words"');
		}

		const {runRace} = await import('./commands/race.js');
		return await runRace(prompt, flags);
	} catch (error) {
		if (error instanceof UsageError || error instanceof PresetError || error instanceof TranscriptError) {
			process.stderr.write(`llmrace: ${error.message}\n`);
			return 2;
		}

		const message = error instanceof Error ? error.message : String(error);
		process.stderr.write(`llmrace: ${message}\n`);
		if (process.env['LLMRACE_DEBUG'] && error instanceof Error) {
			process.stderr.write(`${error.stack}\n`);
		}

		return 1;
	}
}
