// Dispatch a parsed command line; turn user mistakes into one or two lines on stderr and exit 2.
import {readFileSync} from 'node:fs';
import process from 'node:process';
import {UsageError, parseRaceFlags, type Flags} from './options.js';

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

/**
 * A race with the live UI ahead: start the engine's worker thread before anything else loads (the presets'
 * zod and yaml, the race screen), so that it boots on another core while this one draws the first frame.
 * Flags that do not parse start nothing here: the race reports them as before.
 */
async function startEngineEarly(flags: Flags): Promise<void> {
	if (flags.json || !process.stdout.isTTY) {
		return;
	}

	let maxFps: number;
	try {
		({maxFps} = parseRaceFlags(flags));
	} catch {
		return;
	}

	const {startEngineWorkerEarly} = await import('./worker/remote-race.js');
	startEngineWorkerEarly({frameMs: Math.round(1000 / maxFps)});
}

/** Errors that are the user's to fix: one or two lines, exit 2. Their modules load only when one is thrown. */
async function isUsageError(error: unknown): Promise<boolean> {
	if (error instanceof UsageError) {
		return true;
	}

	const [{PresetError}, {TranscriptError}] = await Promise.all([import('./core/presets.js'), import('./core/transcript-read.js')]);
	return error instanceof PresetError || error instanceof TranscriptError;
}

export async function main(input: readonly string[], flags: Flags): Promise<number> {
	try {
		const [command, ...rest] = input;
		if (command !== undefined && commands.has(command)) {
			const {runCommand} = await import('./commands/other.js');
			return await runCommand(command, rest, flags);
		}

		await startEngineEarly(flags);

		const prompt = await resolvePrompt(input, flags);
		if (!prompt) {
			throw new UsageError('no prompt: give one as an argument, with --prompt-file, or on standard input\nexample: llmrace "Explain recursion in 200 words"');
		}

		const {runRace} = await import('./commands/race.js');
		return await runRace(prompt, flags);
	} catch (error) {
		if (await isUsageError(error)) {
			process.stderr.write(`llmrace: ${(error as Error).message}\n`);
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
