// The rules that keep the layout (docs/architecture.md) bite: dependency-cruiser with the repository's own
// config fails a copy of source/ where a core module imports the UI, the UI imports the HTTP stack, or the
// simulator imports the UI, and passes the tree as it is; Biome fails a function over 120 lines in source/.
import {spawnSync} from 'node:child_process';
import {appendFileSync, cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

const repo = new URL('../..', import.meta.url).pathname;
const bin = (name: string) => join(repo, 'node_modules', '.bin', name);

/** A copy of the files the rules read, in a fresh folder, with the repository's node_modules linked in. */
function copyOfTheRepository(): string {
	const folder = mkdtempSync(join(tmpdir(), 'llmrace-layering-'));
	cpSync(join(repo, 'source'), join(folder, 'source'), {recursive: true});
	for (const file of ['.dependency-cruiser.cjs', 'tsconfig.json', 'biome.json', 'package.json']) {
		cpSync(join(repo, file), join(folder, file));
	}

	symlinkSync(join(repo, 'node_modules'), join(folder, 'node_modules'), 'dir');
	// The repository's rules as they are; only the link above is kept as a link, so a package resolves to
	// node_modules/<name>/… as in the repository itself.
	writeFileSync(
		join(folder, 'rules.cjs'),
		"const config = require('./.dependency-cruiser.cjs');\nmodule.exports = {...config, options: {...config.options, preserveSymlinks: true}};\n",
	);
	return folder;
}

/** What `npm run lint` runs: its exit code and its error lines (`rule: from → to`). */
function cruise(folder: string): {code: number | null; violations: string[]} {
	const result = spawnSync(bin('depcruise'), ['source', '--config', 'rules.cjs'], {cwd: folder, encoding: 'utf8'});
	const violations = [...result.stdout.matchAll(/^\s*error (\S+: \S+ → \S+)$/gm)].map(match => match[1] ?? '');
	return {code: result.status, violations};
}

function addImport(folder: string, module: string, specifier: string): void {
	appendFileSync(join(folder, module), `\nimport '${specifier}';\n`);
}

describe('the layering rules', () => {
	let clean: string;
	let broken: string;

	beforeAll(() => {
		clean = copyOfTheRepository();
		broken = copyOfTheRepository();
		addImport(broken, 'source/core/stats/stats.ts', '../../ui/theme.js');
		addImport(broken, 'source/core/text/format.ts', 'ink');
		addImport(broken, 'source/ui/theme.ts', '../core/http/sse.js');
		addImport(broken, 'source/sim/text.ts', '../ui/theme.js');
	});

	afterAll(() => {
		rmSync(clean, {recursive: true, force: true});
		rmSync(broken, {recursive: true, force: true});
	});

	it('pass the source tree as it is', () => {
		const {code, violations} = cruise(clean);
		expect(violations).toEqual([]);
		expect(code).toBe(0);
	});

	it('fail a core module that imports the UI or Ink, a UI module that imports the HTTP stack, and the simulator importing the UI', () => {
		const {code, violations} = cruise(broken);
		expect(code).not.toBe(0);
		expect(violations).toEqual(
			expect.arrayContaining([
				'core-is-pure: source/core/stats/stats.ts → source/ui/theme.ts',
				'core-no-ui-no-files-no-sql: source/core/text/format.ts → node_modules/ink/build/index.js',
				'ui-no-http-no-sql: source/ui/theme.ts → source/core/http/sse.ts',
				'sim-no-ui: source/sim/text.ts → source/ui/theme.ts',
			]),
		);
	});
});

describe('the function-length rule', () => {
	let folder: string;

	beforeAll(() => {
		folder = copyOfTheRepository();
	});

	afterAll(() => {
		rmSync(folder, {recursive: true, force: true});
	});

	function lint(lines: number): {code: number | null; output: string} {
		const body = Array.from({length: lines}, (_, index) => `\ttotal += ${index};`).join('\n');
		writeFileSync(join(folder, 'source/core/stats/long.ts'), `export function long(): number {\n\tlet total = 0;\n${body}\n\treturn total;\n}\n`);
		const result = spawnSync(bin('biome'), ['lint', '--vcs-enabled=false', 'source/core/stats/long.ts'], {cwd: folder, encoding: 'utf8'});
		return {code: result.status, output: result.stdout + result.stderr};
	}

	it('fails a function over 120 lines in source/', () => {
		const {code, output} = lint(130);
		expect(output).toContain('noExcessiveLinesPerFunction');
		expect(code).not.toBe(0);
	});

	it('passes one that fits', () => {
		const {code, output} = lint(100);
		expect(output).not.toContain('noExcessiveLinesPerFunction');
		expect(code).toBe(0);
	});
});
