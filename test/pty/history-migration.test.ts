// A long migration at a terminal: one line on stderr updated in place as the stored races are rewritten, then
// what it took; and a migration killed while that line counts (halfway through its one transaction) loses
// nothing: the old schema stays readable, and the next open migrates (docs/history.md "Migrations").
import {schemaVersion} from '../../source/store/schema.js';
import {afterEach, describe, expect, it} from 'vitest';
import {firstSchemaStore, storeFacts} from '../helpers/old-store.js';
import {spawnPty, type PtySession} from '../helpers/pty.js';

let pty: PtySession | undefined;
afterEach(() => {
	pty?.dispose();
	pty = undefined;
});

const halfway = new RegExp(String.raw`migrating .*old\.sqlite from schema v1 to v${schemaVersion}: ([1-9]\d?),\d{3}\/20,000 races`);

describe('a long migration at a terminal', () => {
	it('counts the races on one line, and killed halfway leaves the old schema whole; the next open migrates it', async () => {
		const file = firstSchemaStore(20_000);
		pty = spawnPty(['history', '--json', '--limit', '1', '--db', `sqlite:${file}`], {cols: 160});
		const screen = await pty.waitFor(halfway, 60_000);
		pty.kill('SIGKILL');
		await pty.exit;
		// Killed while the count stood between the first chunk and the last: inside the migration's transaction.
		const done = Number(halfway.exec(screen)![1]);
		expect(done).toBeGreaterThan(0);
		expect(done).toBeLessThan(20);
		const old = storeFacts(file);
		expect(old).toMatchObject({version: 1, races: 20_000});
		expect(old.tables).not.toContain('model_races');
		pty.dispose();

		pty = spawnPty(['history', '--json', '--limit', '1', '--db', `sqlite:${file}`], {cols: 160});
		const {exitCode} = await pty.exit;
		expect(exitCode).toBe(0);
		// The line was rewritten in place (carriage returns, no new line per chunk), and ends with what it took.
		const lines = pty
			.screen()
			.split('\n')
			.filter(line => line.includes('migrating'));
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatch(
			new RegExp(String.raw`^llmrace: history: migrating .*old\.sqlite from schema v1 to v${schemaVersion}: 20,000 races in \d+\.\d s$`),
		);
		expect(pty.raw().match(/\r[^\r\n]*\/20,000 races/g)!.length).toBeGreaterThan(5);
		expect(storeFacts(file)).toMatchObject({version: schemaVersion, races: 20_000});
	});
});
