#!/usr/bin/env node
// The command: its line is read (command-parse.ts), a race's engine starts booting (early-boot.ts),
// then the command runs (command-line.tsx: --help, --version, the dispatch to main.ts).
import process from 'node:process';
import {parseCommandLine} from './command-parse.js';
import {bootEarly} from './early-boot.js';

const commandLine = parseCommandLine(process.argv.slice(2));
if ('error' in commandLine) {
	process.stderr.write(`llmrace: ${commandLine.error}\n`);
	process.exitCode = 2;
} else {
	bootEarly(commandLine);
	const {runCommandLine} = await import('./command-line.js');
	await runCommandLine(commandLine);
}
