// The subcommands besides the race: presets, sim (and show, report, compare).
import process from 'node:process';
import {UsageError, defaultPreset, parsePort, type Flags} from '../options.js';

export async function runCommand(command: string, args: readonly string[], flags: Flags): Promise<number> {
	switch (command) {
		case 'presets': {
			const {listPresets} = await import('./presets.js');
			process.stdout.write(await listPresets(process.env));
			return 0;
		}

		case 'sim': {
			const {runSimulator} = await import('./sim.js');
			return runSimulator(flags.preset ?? defaultPreset, parsePort(flags.port, 8787), flags);
		}

		case 'show': {
			const {runShow} = await import('./show.js');
			return runShow(args, flags);
		}

		case 'report': {
			const {runReport} = await import('./report.js');
			return runReport(args, flags);
		}

		case 'compare': {
			const {runCompare} = await import('./report.js');
			return runCompare(args, flags);
		}

		default: {
			throw new UsageError(`unknown command "${command}"`);
		}
	}
}
