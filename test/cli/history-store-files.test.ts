// The history store's file on disk, end to end through the built binary: a run that fails before anything
// is recorded leaves no store behind (docs/history.md "Where"), and a long migration says so on stderr and,
// killed halfway, loses nothing (docs/history.md "Migrations").
import {schemaVersion} from '../../source/store/schema.js';
import {spawn} from 'node:child_process';
import {mkdtempSync, readdirSync, writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {runCli} from '../helpers/cli.js';
import {firstSchemaStore, storeFacts} from '../helpers/old-store.js';
import {quietHistory} from '../helpers/quiet-history.js';

const cli = new URL('../../distribution/cli.js', import.meta.url).pathname;

const recording = {LLMRACE_NO_HISTORY: ''};
const quickRace = ['-m', 'step-3.5-flash', '--max-tokens', '20', '--seed', '3'];
const folder = () => mkdtempSync(path.join(tmpdir(), 'llmrace-store-files-'));

const servers: Server[] = [];
afterEach(() => {
	for (const server of servers.splice(0)) {
		server.closeAllConnections();
		server.close();
	}
});

/** A loopback server that answers every request with `status`, or (null) never answers. */
async function startServer(status: number | null, onRequest?: () => void): Promise<string> {
	const server = createServer((_request, response) => {
		onRequest?.();
		if (status !== null) {
			response.writeHead(status, {'content-type': 'application/json'}).end('{"error":{"message":"no"}}');
		}
	});
	servers.push(server);
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

describe('a run that fails before anything is recorded', () => {
	it('leaves no store, no -wal or -shm and no folder where there was none; a finished race creates a whole store', async () => {
		const data = folder();
		const env = {...recording, XDG_DATA_HOME: data};
		const refusing = await startServer(401);
		const failures = [
			['--json', '--base-url', refusing, 'hello'],
			['--json', '--base-url', 'http://127.0.0.1:1/v1', 'hello'],
			['--json', '-p', 'no-such-preset', 'hello'],
			['-m', 'no-such-model', 'hello'],
		];
		for (const args of failures) {
			const result = await runCli(args, {env});
			expect(result.code, args.join(' ')).not.toBe(0);
			expect(readdirSync(data), args.join(' ')).toEqual([]);
		}

		const dir = folder();
		const db = path.join(dir, 'h.sqlite');
		expect((await runCli(['--json', '--base-url', refusing, '--db', `sqlite:${db}`, 'hello'], {env: recording})).code).not.toBe(0);
		expect(readdirSync(dir)).toEqual([]);
		// The first race to finish creates the store, migrated, and says where it is.
		const done = await runCli([...quickRace, '--json', '--db', `sqlite:${db}`, 'hello'], {env: recording});
		expect(done.code).toBe(0);
		expect(done.stderr).toContain(`recording every race in ${db}`);
		expect(readdirSync(dir)).toEqual(['h.sqlite']);
		expect(storeFacts(db)).toMatchObject({version: schemaVersion, races: 1});
	});

	it('a new store appears whole; what a creation killed midway left beside it goes with the next creation', async () => {
		const dir = folder();
		const db = path.join(dir, 'h.sqlite');
		// A process that has exited: its pid names the creation it abandoned.
		const gone = spawn(process.execPath, ['-e', '0']);
		await new Promise(resolve => {
			gone.on('close', resolve);
		});
		for (const name of [`h.sqlite.creating-${gone.pid}`, `h.sqlite.creating-${gone.pid}-wal`, 'other.sqlite.creating-1']) {
			writeFileSync(path.join(dir, name), '');
		}

		const listed = await runCli(['history', '--json', '--db', `sqlite:${db}`]);
		expect(listed.code).toBe(0);
		expect(JSON.parse(listed.stdout)).toEqual({races: []});
		expect(readdirSync(dir).sort()).toEqual(['h.sqlite', 'other.sqlite.creating-1']);
		expect(storeFacts(db)).toMatchObject({version: schemaVersion, races: 0});
	});

	it('stopped with Ctrl-C while the server has not answered: no store', async () => {
		const data = folder();
		let asked!: () => void;
		const request = new Promise<void>(resolve => {
			asked = resolve;
		});
		const silent = await startServer(null, () => asked());
		const child = spawn(process.execPath, [cli, '--json', '--base-url', silent, 'hello'], {
			cwd: tmpdir(),
			env: {...process.env, ...quietHistory, ...recording, XDG_DATA_HOME: data, CI: 'true'},
			stdio: ['ignore', 'ignore', 'pipe'],
		});
		const exited = new Promise<number | null>(resolve => {
			child.on('close', code => {
				resolve(code);
			});
		});
		// Its first request (GET /models) is waiting on the server: interrupted as a user would.
		await request;
		child.kill('SIGINT');
		expect(await exited).not.toBe(0);
		expect(readdirSync(data)).toEqual([]);
	});
});

describe('a long migration', () => {
	const migrating = new RegExp(
		String.raw`^llmrace: history: migrating .*old\.sqlite from schema v1 to v${schemaVersion} \(([\d,]+) races; this takes a moment\)$`,
	);

	it('says so in one plain line on stderr when stderr is not a terminal, none per race, and stdout stays JSON', async () => {
		const file = firstSchemaStore(1500);
		const result = await runCli(['history', '--json', '--limit', '0', '--db', `sqlite:${file}`]);
		expect(result.code).toBe(0);
		const lines = result.stderr.trim().split('\n');
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatch(migrating);
		expect(migrating.exec(lines[0]!)?.[1]).toBe('1,500');
		expect((JSON.parse(result.stdout) as {races: unknown[]}).races).toHaveLength(1500);
		expect(storeFacts(file).version).toBe(schemaVersion);
		// Migrated: the next open says nothing; nor does a migration of a few races, over in a moment.
		expect((await runCli(['history', '--db', `sqlite:${file}`])).stderr).toBe('');
		const few = firstSchemaStore(20);
		const quick = await runCli(['history', '--json', '--db', `sqlite:${few}`]);
		expect(quick.stderr).toBe('');
		expect(storeFacts(few)).toMatchObject({version: schemaVersion, races: 20});
	});

	it('killed once it has begun leaves the old schema readable with every race, and the next open migrates it', async () => {
		const file = firstSchemaStore(8000);
		const killed = await runCli(['history', 'step-3.5-flash', '--json', '--db', `sqlite:${file}`], {
			onStderr(text, child) {
				// The line comes once the migration's transaction holds the store (test/pty/history-migration.test.ts
				// kills one further in, while the line counts).
				if (migrating.test(text.trim())) {
					child.kill('SIGKILL');
				}
			},
		});
		expect(killed.code).toBeNull();
		expect(killed.stdout).toBe('');
		const old = storeFacts(file);
		expect(old).toMatchObject({version: 1, races: 8000});
		expect(old.tables).not.toContain('model_races');
		const again = await runCli(['history', 'step-3.5-flash', '--json', '--db', `sqlite:${file}`]);
		expect(again.code).toBe(0);
		expect(again.stderr.trim()).toMatch(migrating);
		const trend = JSON.parse(again.stdout) as {points: Array<{races: number}>};
		expect(trend.points.reduce((total, point) => total + point.races, 0)).toBe(8000);
		expect(storeFacts(file)).toMatchObject({version: schemaVersion, races: 8000});
	});
});
