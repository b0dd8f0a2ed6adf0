// An install whose better-sqlite3 never ran its install script (npm 12 blocks unapproved ones; a global
// install has no package.json of the user's to approve them in): the race still runs and is printed, and
// the history says in one line what is wrong and the command that mends it. The install is a real one in a
// temporary folder: llmrace's built files, every package of this clone linked in, and a better-sqlite3
// without its build/ (what npm leaves when the script is skipped). No mock of the driver or of `bindings`.
import {cpSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, symlinkSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {addonProblem} from '../../source/store/sqlite.js';
import {runCli} from '../helpers/cli.js';

const clone = new URL('../..', import.meta.url).pathname;

/** A copy of llmrace's install whose better-sqlite3 has no built addon; returns its folder. */
function installWithoutAddon(): string {
	const folder = realpathSync(mkdtempSync(path.join(tmpdir(), 'llmrace-unbuilt-')));
	for (const part of ['distribution', 'presets', 'data', 'package.json']) {
		cpSync(path.join(clone, part), path.join(folder, part), {recursive: true});
	}

	mkdirSync(path.join(folder, 'node_modules'));
	for (const name of readdirSync(path.join(clone, 'node_modules'))) {
		if (name !== 'better-sqlite3') {
			symlinkSync(path.join(clone, 'node_modules', name), path.join(folder, 'node_modules', name));
		}
	}

	const driver = path.join(folder, 'node_modules', 'better-sqlite3');
	for (const part of ['package.json', 'lib']) {
		cpSync(path.join(clone, 'node_modules', 'better-sqlite3', part), path.join(driver, part), {recursive: true});
	}

	return folder;
}

/** llmrace from that install, recording on, into the default store under the install's own HOME. */
async function run(folder: string, args: readonly string[]) {
	return runCli(args, {
		cli: path.join(folder, 'distribution', 'cli.js'),
		cwd: folder,
		env: {HOME: path.join(folder, 'home'), XDG_DATA_HOME: undefined, LLMRACE_NO_HISTORY: ''},
	});
}

describe('better-sqlite3 installed without its native addon', () => {
	it('races and prints as ever; the history says the addon is not built and where to run npm rebuild, in one line', async () => {
		const folder = installWithoutAddon();
		const mend = `run \`npm rebuild better-sqlite3\` in ${folder}`;

		const race = await run(folder, ['--json', '-m', 'qwen3-8b', '--max-tokens', '5', 'hi']);
		expect(race.code).toBe(0);
		expect(JSON.parse(race.stdout)).toMatchObject({schema: 'llmrace/transcript@1'});
		const said = race.stderr.split('\n').filter(line => line.startsWith('llmrace: history:'));
		expect(said).toEqual([
			`llmrace: history: this race was not recorded (cannot open ~/.local/share/llmrace/history.sqlite: the SQLite driver's native module (better-sqlite3) is not built (its install script did not run): ${mend}); nothing else is lost`,
		]);
		expect(race.stderr).not.toContain('Tried:');

		const history = await run(folder, ['history']);
		expect(history.code).toBe(1);
		expect(history.stderr.trim().split('\n')).toEqual([
			`llmrace: cannot open ~/.local/share/llmrace/history.sqlite: the SQLite driver's native module (better-sqlite3) is not built (its install script did not run): ${mend}`,
		]);
	});
});

describe('addonProblem', () => {
	const require = createRequire(path.join(clone, 'node_modules', 'better-sqlite3', 'package.json'));
	const Database = require('better-sqlite3') as typeof import('better-sqlite3');

	/** The error `fail` throws. */
	function thrown(fail: () => unknown): unknown {
		try {
			fail();
		} catch (error) {
			return error;
		}

		throw new Error('it did not throw');
	}

	it('names an addon that was never built: the bindings package found none, or the path given is not there', () => {
		const bindings = require('bindings') as (name: string) => unknown;
		expect(addonProblem(thrown(() => bindings('llmrace_no_such_addon.node')))).toBe('is not built (its install script did not run)');
		const missing = thrown(() => new Database(':memory:', {nativeBinding: path.join(tmpdir(), 'llmrace-none', 'better_sqlite3.node')}));
		expect(addonProblem(missing)).toBe('is not built (its install script did not run)');
	});

	it('names an addon that does not load in this Node, and nothing else', () => {
		const fake = path.join(mkdtempSync(path.join(tmpdir(), 'llmrace-addon-')), 'better_sqlite3.node');
		writeFileSync(fake, 'not a shared object');
		expect(addonProblem(thrown(() => new Database(':memory:', {nativeBinding: fake})))).toBe(
			'does not load in this Node (built for another version or platform)',
		);
		expect(addonProblem(Object.assign(new Error('unable to open database file'), {code: 'SQLITE_CANTOPEN'}))).toBeUndefined();
		expect(addonProblem(thrown(() => require('llmrace-no-such-package')))).toBeUndefined();
		expect(addonProblem(undefined)).toBeUndefined();
	});
});
