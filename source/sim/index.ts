// Start the simulator for a preset's models, in a worker thread.
import {closeWorker, startWorker} from '../runtime/workers.js';
import type {ModelSpec} from '../core/types.js';
import type {SimFault, SimModel} from './server.js';

export type Simulator = {
	readonly baseURL: string;
	/** Exercise the server's request path once (GET /models, a 404) so the first raced request is not its first. */
	readonly warmUp: () => Promise<void>;
	readonly close: () => Promise<void>;
};

/** The simulator's profile of a model: its published figures, for a region where the preset has them. */
export function simModelOf(model: ModelSpec, region: string | null, fault?: SimFault): SimModel {
	const regional = region ? model.reference?.regions?.[region] : undefined;
	const baseTtft = model.reference?.ttftMs ?? 500;
	return {
		id: model.id,
		ttftMs: regional?.ttftMs ?? baseTtft,
		// Thinking happens on the server: the same from every region.
		...(model.reasoning ? {thinkingMs: baseTtft * 0.75} : {}),
		tokensPerSecond: regional?.tokensPerSecond ?? model.reference?.tokensPerSecond ?? 50,
		reasoning: model.reasoning,
		...(model.load ? {load: model.load} : {}),
		...(fault ? {fault} : {}),
	};
}

export type StartOptions = {
	readonly models: readonly SimModel[];
	readonly seed: number;
	readonly jitter?: number | undefined;
	readonly port?: number | undefined;
	readonly host?: string | undefined;
};

export async function startSimulator(options: StartOptions): Promise<Simulator> {
	const worker = startWorker('sim/worker.js', {
		config: {models: options.models, seed: options.seed, jitter: options.jitter},
		port: options.port ?? 0,
		host: options.host ?? '127.0.0.1',
	});
	const baseURL = await new Promise<string>((resolve, reject) => {
		worker.once('message', (message: {type: string; baseURL?: string; message?: string}) => {
			if (message.type === 'ready' && message.baseURL) {
				resolve(message.baseURL);
			} else {
				reject(new Error(message.message ?? 'the simulator failed to start'));
			}
		});
		worker.once('error', reject);
	}).catch(async (error: unknown) => {
		// A worker that could not listen stays alive (its parentPort is open) and would keep the process running.
		await worker.terminate();
		throw error;
	});
	return {
		baseURL,
		async warmUp() {
			for (let round = 0; round < 3; round++) {
				await (await fetch(`${baseURL}/models`)).text();
				await (
					await fetch(`${baseURL}/chat/completions`, {
						method: 'POST',
						headers: {'content-type': 'application/json'},
						body: '{"model":"__warm_up__","stream":true,"messages":[]}',
					})
				).text();
			}
		},
		async close() {
			await closeWorker(worker, 'close');
		},
	};
}
