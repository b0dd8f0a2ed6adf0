// `llmrace sim`: the simulator in the foreground on a fixed port, for other tools.
import process from 'node:process';
import {loadPreset} from '../io/presets.js';
import {parseRaceFlags, type Flags} from '../options.js';
import {simModelOf, startSimulator} from '../sim/index.js';

export async function runSimulator(presetName: string, port: number, flags: Flags): Promise<number> {
	const config = parseRaceFlags(flags);
	const preset = await loadPreset(presetName);
	const simulator = await startSimulator({models: preset.models.map(model => simModelOf(model, config.region)), seed: config.seed, port});
	process.stdout.write(
		`llmrace sim: ${preset.models.length} simulated models of preset ${preset.name} at ${simulator.baseURL} (seed ${config.seed}${config.region ? `, region ${config.region}` : ''})\n`,
	);
	process.stdout.write(
		`  try: curl -N ${simulator.baseURL}/chat/completions -H 'content-type: application/json' -d '{"model":"${preset.models[0]?.id ?? 'model'}","stream":true,"messages":[{"role":"user","content":"Explain recursion"}]}'\n`,
	);
	process.stdout.write('  Ctrl-C to stop\n');
	await new Promise<void>(resolve => {
		const stop = () => {
			resolve();
		};

		process.once('SIGINT', stop);
		process.once('SIGTERM', stop);
	});
	await simulator.close();
	return 0;
}
