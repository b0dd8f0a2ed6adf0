// `node bench/global-install.js`: the packed package installed as a user installs it, then run where
// there is no clone. Packs this checkout (npm pack: prepare builds it), installs the .tgz with
// `npm install -g --prefix <tmp>` (its dependencies come from the registry: needs the network, so it
// is not part of npm test; test/cli/package.test.ts checks the packed file list offline), then, from an
// empty folder, runs `<tmp>/bin/llmrace --version` and a short headless race of the simulator.
// Prints each step's wall time; exits non-zero when a step fails.
import {execFileSync, spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {root} from './lib.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const work = mkdtempSync(path.join(tmpdir(), 'llmrace-global-'));
const prefix = path.join(work, 'prefix');
const empty = path.join(work, 'empty');
mkdirSync(empty);
const {version} = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

function step(name, run) {
	const startedAt = performance.now();
	try {
		const result = run();
		console.log(`ok    ${name}  (${((performance.now() - startedAt) / 1000).toFixed(1)} s)`);
		return result;
	} catch (error) {
		console.log(
			`FAIL  ${name}: ${String(error.stderr ?? error.message)
				.trim()
				.split('\n')
				.slice(-3)
				.join(' / ')}`,
		);
		process.exitCode = 1;
		return undefined;
	}
}

try {
	const packed = step('npm pack', () => {
		const output = execFileSync(npm, ['pack', '--json', '--pack-destination', work], {cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
		// prepare's build prints lines before npm's JSON.
		const [pack] = JSON.parse(output.slice(output.indexOf('[')));
		console.log(
			`      ${pack.filename}: ${pack.entryCount} files, ${(pack.size / 1024).toFixed(0)} kB packed, ${(pack.unpackedSize / 1024).toFixed(0)} kB unpacked`,
		);
		return path.join(work, pack.filename);
	});
	if (packed) {
		step(`npm install -g --prefix ${prefix} ${path.basename(packed)}`, () =>
			execFileSync(npm, ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', packed], {
				cwd: empty,
				encoding: 'utf8',
				stdio: ['ignore', 'pipe', 'pipe'],
			}),
		);
		const bin = path.join(prefix, 'bin', 'llmrace');
		step('llmrace --version in an empty folder', () => {
			const printed = execFileSync(bin, ['--version'], {cwd: empty, encoding: 'utf8'}).trim();
			if (printed !== version) {
				throw new Error(`printed ${JSON.stringify(printed)}, expected ${version}`);
			}
		});
		step('llmrace --json (the simulator, 2 models) in an empty folder', () => {
			const result = spawnSync(bin, ['--json', '-m', 'qwen3-8b,glm-5', '--max-tokens', '5', '--seed', '1', 'Explain recursion in 200 words'], {
				cwd: empty,
				encoding: 'utf8',
			});
			const transcript = JSON.parse(result.stdout);
			if (result.status !== 0 || transcript.tool.name !== 'llmrace' || transcript.models.length !== 2) {
				throw new Error(`exit ${result.status}: ${result.stderr}`);
			}
		});
	}
} finally {
	rmSync(work, {recursive: true, force: true});
}
