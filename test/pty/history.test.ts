// The history in a real terminal: the live race records each race it runs (and says so after the leaderboard
// closes, never under it), and `history <model>` is keyboard-driven.
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {runCli} from '../helpers/cli.js';
import {spawnPty, type PtySession} from '../helpers/pty.js';

const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;

describe('history in a terminal', () => {
	let term: PtySession | undefined;
	afterEach(() => {
		term?.dispose();
		term = undefined;
	});

	it('records every race of the live UI, a race again too, and says so once the terminal is back', async () => {
		const data = mkdtempSync(path.join(tmpdir(), 'llmrace-live-history-'));
		const env = {LLMRACE_NO_HISTORY: '', XDG_DATA_HOME: data};
		term = spawnPty(['-m', 'step-3.5-flash', '--max-tokens', '20', 'hello'], {cols: 140, rows: 30, env});
		await term.waitFor(/r race again/);
		expect(term.screen()).not.toContain('recording every race');
		term.write('r');
		await term.waitFor(screen => !screen.includes('r race again'));
		await term.waitFor(/r race again/);
		term.write('q');
		expect((await term.exit).exitCode).toBe(0);
		expect(term.screen()).toContain(`llmrace: history: recording every race in ${data}/llmrace/history.sqlite`);
		expect(term.screen().match(/recording every race/g)).toHaveLength(1);
		const listed = await runCli(['history', '--json'], {env});
		const {races} = JSON.parse(listed.stdout) as {races: Array<{id: string}>};
		expect(races).toHaveLength(2);
		expect(new Set(races.map(race => race.id)).size).toBe(2);
	});

	it('history <model>: ↑↓ select a model, Enter for its races, Esc back, q quits', async () => {
		const db = `sqlite:${path.join(mkdtempSync(path.join(tmpdir(), 'llmrace-trend-view-')), 'h.sqlite')}`;
		expect((await runCli(['history', 'import', fixture('us-east.json'), fixture('singapore.json'), '--db', db])).code).toBe(0);
		term = spawnPty(['history', 'flash', '--db', db], {cols: 140, rows: 30});
		const models = await term.waitFor(/Enter its races/);
		expect(models).toMatch(/llmrace history · 2 models/);
		expect(models).toMatch(/DeepSeek V4 Flash \(deepseek-v4-flash\) @ 127\.0\.0\.1/);
		expect(models).toMatch(/Step-3\.5-Flash \(step-3\.5-flash\) @ 127\.0\.0\.1/);
		expect(models).toMatch(/› DeepSeek V4 Flash/);
		term.write('\u001B[B');
		await term.waitFor(/› Step-3\.5-Flash/);
		term.write('\r');
		const races = await term.waitFor(screen => /Esc back/.test(screen) && /2026-05-20 10:00 sha256:/.test(screen));
		expect(races).toMatch(/Step-3\.5-Flash \(step-3\.5-flash\) @ 127\.0\.0\.1: median per race/);
		expect(races).toMatch(/2026-05-20 10:00 sha256:/);
		term.write('\u001B');
		await term.waitFor(/Enter its races/);
		term.write('q');
		expect((await term.exit).exitCode).toBe(0);
	});
});
