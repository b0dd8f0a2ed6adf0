// Runs the simulator off the main thread, so rendering never shifts its timing.
import {parentPort, workerData} from 'node:worker_threads';
import {createSimServer, listen, type SimConfig} from './server.js';

type WorkerInput = {readonly config: SimConfig; readonly port: number; readonly host: string};

const input = workerData as WorkerInput;
const server = createSimServer(input.config);
try {
	const baseURL = await listen(server, input.port, input.host);
	parentPort?.postMessage({type: 'ready', baseURL});
} catch (error) {
	const code = (error as NodeJS.ErrnoException).code;
	parentPort?.postMessage({type: 'error', message: code === 'EADDRINUSE' ? `port ${input.port} is already in use` : String((error as Error).message)});
}

parentPort?.on('message', (message: unknown) => {
	if (message === 'close') {
		server.closeAllConnections();
		server.close(() => {
			parentPort?.close();
		});
	}
});
