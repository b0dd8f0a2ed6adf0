// Listing a server's models (`models: discover`, `--discover`, `--base-url` without -p) as real servers behave:
// self-signed TLS with --insecure, errors named by their code, a listing too large to trust refused.
import {createServer as createHttpServer, type Server} from 'node:http';
import {createServer as createHttpsServer} from 'node:https';
import type {AddressInfo} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {discoverModels, listingLimitBytes} from '../../source/io/discover.js';
import type {Preset} from '../../source/core/types.js';
import {testCertificate} from '../helpers/tls.js';

const servers: Server[] = [];
afterEach(async () => {
	for (const server of servers.splice(0)) {
		server.closeAllConnections();
		await new Promise(resolve => {
			server.close(resolve);
		});
	}
});

async function listen(server: Server): Promise<number> {
	servers.push(server);
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	return (server.address() as AddressInfo).port;
}

const listing = JSON.stringify({object: 'list', data: [{id: 'local-a'}, {id: 'local-b'}, {id: 'local-a'}]});
const preset = (baseURL: string): Preset => ({
	name: 'local',
	description: null,
	file: 'local.yaml',
	simulated: false,
	baseURL,
	apiKeyEnv: null,
	headers: {},
	brackets: {ultraBudget: 0.15, budget: 0.3, mid: 0.8},
	models: [],
	discover: true,
});

describe('discovering models', () => {
	it('lists a self-signed HTTPS server with --insecure, and refuses it without', async () => {
		const {key, cert} = await testCertificate();
		const port = await listen(
			createHttpsServer({key, cert}, (_request, response) => {
				response.writeHead(200, {'content-type': 'application/json'}).end(listing);
			}),
		);
		const models = await discoverModels(preset(`https://127.0.0.1:${port}/v1`), {}, {insecure: true});
		expect(models.map(model => model.id)).toEqual(['local-a', 'local-b']);
		await expect(discoverModels(preset(`https://127.0.0.1:${port}/v1`), {})).rejects.toThrow(
			/cannot list models: https:\/\/127\.0\.0\.1:\d+\/v1\/models is unreachable \(DEPTH_ZERO_SELF_SIGNED_CERT\)/,
		);
	});

	it('names the error code of an unreachable server', async () => {
		const port = await listen(createHttpServer());
		const server = servers.pop()!;
		await new Promise(resolve => {
			server.close(resolve);
		});
		await expect(discoverModels(preset(`http://127.0.0.1:${port}/v1`), {})).rejects.toThrow(/unreachable \(ECONNREFUSED\); is the server running\?$/);
	});

	it('refuses a listing over its limit without reading it whole', async () => {
		let written = 0;
		const port = await listen(
			createHttpServer((_request, response) => {
				response.writeHead(200, {'content-type': 'application/json'});
				response.write('{"data":[');
				const chunk = `${JSON.stringify({id: 'x'.repeat(1000)})},`.repeat(64);
				const more = () => {
					while (written < listingLimitBytes * 4) {
						written += chunk.length;
						if (!response.write(chunk)) {
							response.once('drain', more);
							return;
						}
					}

					response.end('{"id":"last"}]}');
				};

				more();
			}),
		);
		await expect(discoverModels(preset(`http://127.0.0.1:${port}/v1`), {})).rejects.toThrow(
			/^cannot list models: GET http:\/\/127\.0\.0\.1:\d+\/v1\/models: the listing is over 8 MiB: not read further$/,
		);
		// The server was cut off long before it had written four times the limit.
		expect(written).toBeLessThan(listingLimitBytes * 4);
	});

	it('says when a server answers with an error status or lists nothing', async () => {
		const port = await listen(
			createHttpServer((request, response) => {
				if (request.url === '/v1/models') {
					response.writeHead(503).end('busy');
				} else {
					response.writeHead(200, {'content-type': 'application/json'}).end('{"data":[]}');
				}
			}),
		);
		await expect(discoverModels(preset(`http://127.0.0.1:${port}/v1`), {})).rejects.toThrow(/answered HTTP 503/);
		await expect(discoverModels(preset(`http://127.0.0.1:${port}/empty`), {})).rejects.toThrow(/listed no models/);
	});
});
