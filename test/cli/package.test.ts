// What `npm pack` ships: what a user needs to run llmrace, and nothing else (no tests, no sources, no
// benchmarks, no examples, no source maps, no build steps, no module left behind by an older build).
// The global install of the packed file needs the registry for its dependencies: that check is
// `node bench/global-install.js` (README, "Install"), never part of npm test.
import {execFileSync} from 'node:child_process';
import {existsSync, readFileSync, readdirSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import type {Transcript} from '../../source/core/types.js';
import {runCli} from '../helpers/cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const packageJson = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as {
	name: string;
	version: string;
	bin: Record<string, string>;
	files: string[];
};

type PackedFile = {readonly path: string; readonly size: number};

/** The file list `npm pack` would write (no scripts: npm test has just built distribution/). */
function packedFiles(): PackedFile[] {
	const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
	const output = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], {cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']});
	const [pack] = JSON.parse(output) as Array<{files: PackedFile[]}>;
	return pack!.files;
}

/** Where a compiled module comes from: distribution/ui/x.js ← source/ui/x.ts or .tsx. */
function sourceOf(compiled: string): string | undefined {
	const stem = compiled.replace(/^distribution\//, 'source/').replace(/\.js$/, '');
	return [`${stem}.ts`, `${stem}.tsx`].find(candidate => existsSync(`${root}${candidate}`));
}

describe('the npm package', () => {
	const files = packedFiles();
	const paths = files.map(file => file.path);

	it('is named llmrace-cli (llmrace on npm is another tool); its command is llmrace', () => {
		expect(packageJson.name).toBe('llmrace-cli');
		expect(packageJson.bin).toEqual({llmrace: 'distribution/cli.js'});
	});

	it('holds the command, its modules, the compiled and the shipped presets, the README and package.json', () => {
		expect(paths).toContain('package.json');
		expect(paths).toContain('README.md');
		expect(paths).toContain('distribution/cli.js');
		expect(paths).toContain('distribution/main.js');
		expect(paths).toContain('distribution/presets.json');
		// The worker threads are started by path, never imported: they must be there too.
		expect(paths).toContain('distribution/worker/engine-worker.js');
		expect(paths).toContain('distribution/sim/worker.js');
		const shipped = readdirSync(`${root}presets`).filter(name => /\.(ya?ml|json)$/.test(name));
		expect(shipped.length).toBeGreaterThan(0);
		for (const preset of shipped) {
			expect(paths).toContain(`presets/${preset}`);
		}
	});

	it('holds nothing else: no tests, sources, benchmarks, examples, maps, build steps or stale modules', () => {
		const allowed =
			/^(package\.json|README\.md|LICENSE(\.\w+)?|distribution\/presets\.json|distribution\/[\w/-]+\.js|distribution\/worker\/stamp-thread\.(cjs|cache)|presets\/[\w-]+\.(ya?ml|json))$/;
		expect(paths.filter(path => !allowed.test(path))).toEqual([]);
		expect(paths.filter(path => path.startsWith('distribution/build/'))).toEqual([]);
		// Every compiled module has its source: a module deleted from source/ does not live on in the package.
		const compiled = paths.filter(path => path.startsWith('distribution/') && path.endsWith('.js'));
		expect(compiled.filter(path => sourceOf(path) === undefined)).toEqual([]);
	});

	it('has no file over 1 MB, and stays small', () => {
		expect(files.filter(file => file.size > 1024 * 1024).map(file => file.path)).toEqual([]);
		const total = files.reduce((sum, file) => sum + file.size, 0);
		expect(total).toBeLessThan(3 * 1024 * 1024);
	});

	it('names itself llmrace in transcripts, whatever the package is called', async () => {
		const result = await runCli(['--json', '-m', 'qwen3-8b', '--max-tokens', '3', '--seed', '1', 'Explain recursion']);
		expect(result.code).toBe(0);
		const transcript = JSON.parse(result.stdout) as Transcript;
		expect(transcript.tool).toEqual({name: 'llmrace', version: packageJson.version});
	});
});
