// The subcommands besides the race: presets, sim (and show, report, compare).
import process from 'node:process';
import {UsageError, parsePort} from '../options.js';
import type {Flags} from '../main.js';

export async function runCommand(command: string, args: readonly string[], flags: Flags): Promise<number> {
	switch (command) {
		case 'presets': {
			const {listPresets} = await import('./presets.js');
			process.stdout.write(listPresets(process.env));
			return 0;
		}

		case 'sim': {
			const {runSimulator} = await import('./sim.js');
			return runSimulator(flags.preset, parsePort(flags.port, 8787), flags);
		}

		default: {
			throw new UsageError(`"${command}" ${args.length > 0 ? '' : ''}is not available in this version`);
		}
	}
}
