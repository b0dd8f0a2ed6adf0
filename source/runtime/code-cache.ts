// Compiling a bundled CommonJS file with the V8 code cache the build made for it (build/bundle-workers.ts):
// a thread that starts on it skips compiling the file and the functions its warm-up ran. V8 checks the
// cache against the source, its own version and its flags, and refuses one that does not fit (another
// Node, another build): the file is then compiled as usual, nothing else changes.
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import vm from 'node:vm';

export type CompiledFile = {
	/** `used`: V8 took the cache; `rejected`: it did not fit; `absent`: there was none. */
	readonly cache: 'used' | 'rejected' | 'absent';
	readonly script: vm.Script;
	/** Run the file as a CommonJS module; its exports. */
	readonly run: () => unknown;
};

function readCache(file: URL): Buffer | undefined {
	try {
		return readFileSync(file);
	} catch {
		return undefined;
	}
}

/** `file` (CommonJS), compiled with the code cache in `cacheFile` when there is one and it fits. */
export function compileWithCache(file: URL, cacheFile: URL): CompiledFile {
	const filename = fileURLToPath(file);
	const cachedData = readCache(cacheFile);
	const source = readFileSync(filename, 'utf8');
	const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {filename, cachedData});
	return {
		cache: cachedData === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'used',
		script,
		run() {
			const module = {exports: {}};
			const body = script.runInThisContext() as (...parameters: unknown[]) => void;
			body(module.exports, createRequire(filename), module, filename, path.dirname(filename));
			return module.exports;
		},
	};
}
