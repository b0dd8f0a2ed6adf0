// Module hooks for a child llmrace (node:module register, through NODE_OPTIONS): every module URL it
// resolves is logged, and the packages named in `hold` wait to resolve until `open()` is called.
import {existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';

export type ModuleHooks = {
	/** Give the child these (NODE_OPTIONS=--import=…). */
	readonly env: {NODE_OPTIONS: string};
	/** Every module URL the child resolved so far, in order. */
	readonly resolved: () => string[];
	/** Let the held packages resolve. */
	readonly open: () => void;
};

export function moduleHooks({hold = []}: {hold?: readonly string[]} = {}): ModuleHooks {
	const dir = mkdtempSync(path.join(tmpdir(), 'llmrace-hooks-'));
	const gate = path.join(dir, 'open');
	const log = path.join(dir, 'resolved.log');
	writeFileSync(
		path.join(dir, 'hooks.mjs'),
		`import {appendFileSync, existsSync} from 'node:fs';
const held = new Set(${JSON.stringify(hold)});
export async function resolve(specifier, context, next) {
	if (held.has(specifier)) {
		while (!existsSync(${JSON.stringify(gate)})) await new Promise(done => setTimeout(done, 10));
	}
	const result = await next(specifier, context);
	appendFileSync(${JSON.stringify(log)}, result.url + '\\n');
	return result;
}
`,
	);
	const preload = path.join(dir, 'register.mjs');
	writeFileSync(preload, `import {register} from 'node:module';\nregister(${JSON.stringify(pathToFileURL(path.join(dir, 'hooks.mjs')).href)});\n`);
	return {
		env: {NODE_OPTIONS: `--import=${pathToFileURL(preload).href}`},
		resolved: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []),
		open() {
			writeFileSync(gate, '');
		},
	};
}
