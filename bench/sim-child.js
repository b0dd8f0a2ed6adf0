// A simulator in its own process for benchmarks: argv[2] is the SimConfig as JSON; prints the base URL.
import {createSimServer, listen} from '../distribution/sim/server.js';

const config = JSON.parse(process.argv[2]);
const server = createSimServer(config);
const baseURL = await listen(server);
process.stdout.write(`${baseURL}\n`);
process.on('SIGTERM', () => {
	server.closeAllConnections();
	server.close(() => process.exit(0));
});
