// `llmrace history` and recording, end to end through the built binary, against real stores: SQLite files in
// temporary folders and a throwaway PostgreSQL cluster. A store that cannot be written never loses the race.
import {existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import stringWidth from 'string-width';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {schemaVersion} from '../../source/store/schema.js';
import {runCli} from '../helpers/cli.js';
import {postgresMissing, requireRealParts, startPostgres, type PgCluster} from '../helpers/postgres.js';

const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;
const recording = {LLMRACE_NO_HISTORY: ''};
const quickRace = ['-m', 'step-3.5-flash', '--max-tokens', '20', '--seed', '3'];
const freshDb = () => `sqlite:${path.join(mkdtempSync(path.join(tmpdir(), 'llmrace-hist-')), 'h.sqlite')}`;
const history = async (db: string, args: readonly string[]) => runCli(['history', ...args, '--db', db]);

const missing = postgresMissing();
let cluster: PgCluster | undefined;
beforeAll(async () => {
	if (missing && requireRealParts) {
		throw new Error(`LLMRACE_REQUIRE_REAL_PARTS=1 but ${missing}`);
	}

	if (!missing) {
		cluster = await startPostgres();
	}
}, 60_000);

afterAll(() => {
	cluster?.stop();
});

describe('recording races', () => {
	it('records every finished race in $XDG_DATA_HOME, says so the first time only, and not with --no-history', async () => {
		const data = mkdtempSync(path.join(tmpdir(), 'llmrace-xdg-'));
		const env = {...recording, XDG_DATA_HOME: data, LLMRACE_HOST: 'bench-box'};
		const first = await runCli([...quickRace, '--json', '--region', 'us-east', 'hello'], {env});
		expect(first.code).toBe(0);
		const notice = first.stderr.split('\n').filter(line => line.includes('history'));
		expect(notice).toEqual([
			`llmrace: history: recording every race in ${data}/llmrace/history.sqlite (prompts included; see them with \`llmrace history\`); turn it off with --no-history or LLMRACE_NO_HISTORY=1`,
		]);
		const id = (JSON.parse(first.stdout) as {id: string}).id;
		expect(id).toMatch(/^[\da-f]{8}-[\da-f]{4}-4[\da-f]{3}-[89ab][\da-f]{3}-[\da-f]{12}$/);
		// The plain table mode records too, silently now.
		const second = await runCli([...quickRace, 'hello'], {env});
		expect(second.code).toBe(0);
		expect(second.stderr).not.toContain('history');
		await runCli([...quickRace, '--no-history', 'hello'], {env});
		await runCli([...quickRace, 'hello'], {env: {...env, LLMRACE_NO_HISTORY: '1'}});
		const listed = await runCli(['history', '--json'], {env});
		expect(listed.code).toBe(0);
		const {races} = JSON.parse(listed.stdout) as {races: Array<{id: string; kind: string; host: string; region: string | null; models: string[]}>};
		expect(races).toHaveLength(2);
		expect(races[1]).toMatchObject({id, kind: 'race', host: 'bench-box', region: 'us-east', models: ['step-3.5-flash']});
		// Newest first.
		expect(races[0]!.region).toBeNull();
	});

	it('is never done by show or a replay', async () => {
		const db = freshDb();
		// `show` takes no --db (it never records): the store is named the other way, by LLMRACE_DB.
		const shown = await runCli(['show', fixture('us-east.json')], {env: {...recording, LLMRACE_DB: db}});
		expect(shown.code).toBe(0);
		expect(existsSync(db.slice('sqlite:'.length))).toBe(false);
	});
});

/** Stores that cannot be written, each with the words its one line must have. */
function brokenStores(): Array<{name: string; db: () => Promise<string>; says: RegExp; secret?: string}> {
	const stores: Array<{name: string; db: () => Promise<string>; says: RegExp; secret?: string}> = [
		{name: 'a read-only file system', db: async () => 'sqlite:/sys/llmrace/history.sqlite', says: /cannot open \/sys\/llmrace\/history\.sqlite/},
		{name: 'a full disk', db: async () => 'sqlite:/dev/full', says: /the disk is full/},
		{
			name: 'a store of a newer llmrace',
			async db() {
				const db = freshDb();
				await runCli(['history', '--db', db]);
				const database = new Database(db.slice('sqlite:'.length));
				database.exec("INSERT INTO schema_version VALUES (7, '2030-01-01')");
				database.close();
				return db;
			},
			says: new RegExp(`history schema version 7, written by a newer llmrace; this llmrace reads version ${schemaVersion}: upgrade llmrace`),
		},
		{name: 'a PostgreSQL that is down', db: async () => 'postgres://postgres@127.0.0.1:1/llmrace', says: /connection refused/},
	];
	if (process.getuid?.() !== 0) {
		stores.push({
			name: 'a read-only file',
			async db() {
				const db = freshDb();
				await runCli(['history', '--db', db]);
				const {chmodSync} = await import('node:fs');
				chmodSync(path.dirname(db.slice('sqlite:'.length)), 0o555);
				chmodSync(db.slice('sqlite:'.length), 0o444);
				return db;
			},
			says: /read-only|cannot write/,
		});
	}

	if (!missing || requireRealParts) {
		stores.push({
			name: 'a PostgreSQL refusing the login',
			async db() {
				const url = await cluster!.createDatabase(`refused_${process.pid}`);
				const port = new URL(url).port;
				return `postgres://${cluster!.passwordUser.name}:wrong-pass-777@127.0.0.1:${port}/refused_${process.pid}`;
			},
			says: /refused the login/,
			secret: 'wrong-pass-777',
		});
	}

	return stores;
}

describe('a store that cannot be written', () => {
	for (const store of brokenStores()) {
		it(`${store.name}: the race is printed and saved, one line says it was not recorded, the exit code stays; history exits 1`, async () => {
			const db = await store.db();
			const dir = mkdtempSync(path.join(tmpdir(), 'llmrace-saved-'));
			const saved = path.join(dir, 'race.json');
			const result = await runCli([...quickRace, '--json', '-o', saved, '--db', db, 'hello'], {env: recording});
			expect(result.code).toBe(0);
			expect((JSON.parse(result.stdout) as {models: unknown[]}).models).toHaveLength(1);
			expect(existsSync(saved)).toBe(true);
			const lines = result.stderr.split('\n').filter(line => line.includes('history'));
			expect(lines).toHaveLength(1);
			expect(lines[0]).toMatch(/^llmrace: history: this race was not recorded \(.*\); nothing else is lost$/);
			expect(lines[0]).toMatch(store.says);
			const listed = await history(db, []);
			expect(listed.code).toBe(1);
			expect(listed.stderr.trim().split('\n')).toHaveLength(1);
			expect(listed.stderr).toMatch(store.says);
			if (store.secret) {
				expect(result.stderr + listed.stderr).not.toContain(store.secret);
			}
		});
	}

	it('a bad --db is a usage error, before anything races', async () => {
		const result = await runCli([...quickRace, '--db', 'mysql://u:hunter2@x/db', 'hello']);
		expect(result.code).toBe(2);
		expect(result.stderr).toBe('llmrace: invalid --db: "mysql://u:***@x/db" (expected sqlite:<path> or postgres://user@host:5432/database)\n');
		expect((await history('nope', [])).code).toBe(2);
	});
});

describe('llmrace history', () => {
	it('imports transcripts once, lists them, shows the regions table, a trend, a stored race, exports, deletes and prunes', async () => {
		const db = freshDb();
		const imported = await history(db, ['import', fixture('us-east.json'), fixture('singapore.json')]);
		expect(imported.code).toBe(0);
		expect(imported.stdout).toMatch(/^imported 2 races into /);
		const again = await history(db, ['import', fixture('us-east.json')]);
		expect(again.stdout).toMatch(/^imported 0 races \(1 already stored\)/);

		const list = await history(db, []);
		expect(list.stdout).toMatch(/date \(UTC\) +id +kind +preset +region\/host +models +fastest/);
		const {races} = JSON.parse((await history(db, ['--json'])).stdout) as {races: Array<{id: string; region: string}>};
		expect(races.map(race => race.region).sort()).toEqual(['singapore', 'us-east']);
		expect((JSON.parse((await history(db, ['--json', '--region', 'singapore'])).stdout) as {races: unknown[]}).races).toHaveLength(1);
		expect((JSON.parse((await history(db, ['--json', '--limit', '1'])).stdout) as {races: unknown[]}).races).toHaveLength(1);

		const regions = await history(db, ['regions']);
		expect(regions.code).toBe(0);
		expect(regions.stdout).toMatch(/model +singapore \(ms\) +us-east \(ms\) +diff vs singapore +network +rest +real\?/);
		expect(regions.stdout).toMatch(/Kimi K2\.5 +30 +150 +\+120 \(\+400 %\)/);

		const trend = JSON.parse((await history(db, ['kimi-k2.5', '--json'])).stdout) as {
			model: {id: string};
			points: Array<{day: string; ttftMs: {median: number}}>;
			changes: unknown[];
		};
		expect(trend.model.id).toBe('kimi-k2.5');
		// Both races on 2026-05-20: 150 (us-east) and 30 (singapore), pooled → 90.
		expect(trend.points).toEqual([expect.objectContaining({day: '2026-05-20', races: 2, runs: 2, ttftMs: {median: 90, ci: null}})]);
		expect(trend.changes).toEqual([]);
		const table = await history(db, ['kimi-k2.5', '--by', 'race']);
		expect(table.stdout).toMatch(/Kimi K2\.5 \(kimi-k2\.5\) @ 127\.0\.0\.1: median per race/);

		const id = races.find(race => race.region === 'us-east')!.id;
		const shown = await history(db, ['show', id.slice(0, 14)]);
		expect(shown.code).toBe(0);
		expect(shown.stdout).toMatch(/Kimi K2\.5/);

		const csv = (await history(db, ['export', '--format', 'csv'])).stdout.trim().split('\r\n');
		expect(csv[0]).toBe(
			'race_id,kind,started_at,region,host,preset,simulated,aborted,model_id,model_name,base_url_host,step_rate,run,warmup,status,error_kind,ttft_ms,ttfa_ms,tokens_per_second,total_ms,queue_ms,output_tokens,token_source,flags',
		);
		expect(csv).toHaveLength(31);
		const json = JSON.parse((await history(db, ['export'])).stdout) as {races: Array<{kind: string; transcript: {models: unknown[]}}>};
		expect(json.races).toHaveLength(2);

		expect((await history(db, ['delete', id])).stdout).toMatch(/^deleted 1 race from/);
		expect((await history(db, ['prune', '--older-than', '1d'])).stdout).toMatch(/^deleted 1 race started before/);
		expect((JSON.parse((await history(db, ['--json'])).stdout) as {races: unknown[]}).races).toEqual([]);
	});

	it('says what it cannot do in one line and exit 2', async () => {
		const db = freshDb();
		const unknown = await history(db, ['no-such-model']);
		expect(unknown.code).toBe(2);
		expect(unknown.stderr).toMatch(/^llmrace: no stored race has a model "no-such-model"/);
		const since = await history(db, ['--since', 'yesterday']);
		expect(since.code).toBe(2);
		expect(since.stderr).toBe(
			'llmrace: invalid value for --since: "yesterday" (expected a number of hours, days or weeks (12h, 30d, 2w) or a UTC date (2026-05-01))\n',
		);
		expect((await history(db, ['prune'])).code).toBe(2);
		expect((await history(db, ['show', 'zzz'])).code).toBe(2);
		const help = await runCli(['history', '--help']);
		expect(help.code).toBe(0);
		expect(help.stdout).toContain('llmrace history regions');
	});

	it('measures cells outside the fast paths (CJK, emoji) in the list, loading string-width only then', async () => {
		const db = freshDb();
		const transcript = JSON.parse(readFileSync(fixture('us-east.json'), 'utf8')) as {preset: string; models: Array<{id: string}>};
		transcript.preset = '预设';
		transcript.models[0]!.id = '模型-🚀';
		const file = path.join(mkdtempSync(path.join(tmpdir(), 'llmrace-cjk-')), 'cjk.json');
		writeFileSync(file, JSON.stringify(transcript));
		expect((await history(db, ['import', file])).code).toBe(0);
		const listed = await history(db, []);
		expect(listed.code, listed.stderr).toBe(0);
		const [header, row] = listed.stdout.split('\n');
		// The column after the preset starts at the same cell in both lines (预设 is 4 cells, the emoji 2).
		const cellsBefore = (line: string, text: string) => stringWidth(line.slice(0, line.indexOf(text)));
		expect(cellsBefore(row!, 'us-east/')).toBe(cellsBefore(header!, 'region/host'));
		expect(row).toContain('模型-🚀 120 ms');
		expect((await history(db, ['模型-🚀'])).code).toBe(0);
	});

	it("rejects another command's flag, and another view's, in one usage line naming whose it is, before the store is opened", async () => {
		const db = freshDb();
		const file = db.slice('sqlite:'.length);
		const race = await history(db, ['--runs', '5']);
		expect(race).toMatchObject({code: 2, stdout: ''});
		expect(race.stderr).toMatch(/^llmrace: --runs is not a flag of history \(it is a flag of the race\)\nhistory takes: --db --since .*--no-history\n$/);
		const compare = await history(db, ['step-3.5-flash', '--metric', 'ttft']);
		expect(compare.code).toBe(2);
		expect(compare.stderr).toMatch(/^llmrace: --metric is not a flag of history \(it is a flag of compare\)\n/);
		const load = await history(db, ['regions', '--rate', '3']);
		expect(load.code).toBe(2);
		expect(load.stderr).toMatch(/^llmrace: --rate is not a flag of history \(it is a flag of load\)\n/);
		// A history flag given to the view that does not read it.
		expect(await history(db, ['export', '--by', 'race'])).toMatchObject({
			code: 2,
			stderr:
				'llmrace: --by is not a flag of history export (it is a flag of history <model>)\nhistory export takes: --db --since --region --host --preset --format\n',
		});
		expect(await history(db, ['--older-than', '90d'])).toMatchObject({
			code: 2,
			stderr:
				'llmrace: --older-than is not a flag of the history list (it is a flag of history prune)\nthe history list takes: --db --since --region --host --preset --json --limit\n',
		});
		const trend = await history(db, ['step-3.5-flash', '--limit', '3']);
		expect(trend.code).toBe(2);
		expect(trend.stderr).toMatch(/^llmrace: --limit is not a flag of history <model> \(it is a flag of the history list\)\n/);
		const show = await history(db, ['show', 'abc', '--format', 'csv']);
		expect(show.code).toBe(2);
		expect(show.stderr).toMatch(/^llmrace: --format is not a flag of history show \(it is a flag of history export\)\n/);
		// Nothing was opened, so nothing was created.
		expect(existsSync(file)).toBe(false);
		// --no-history goes with every view (history never records).
		expect((await history(db, ['regions', '--no-history'])).code).toBe(0);
	});
});
