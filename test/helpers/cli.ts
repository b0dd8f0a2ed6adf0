// Runs the built binary as a child process, with CI=true and NO_COLOR like CI.
import {spawn} from 'node:child_process';
import {tmpdir} from 'node:os';
import {quietHistory} from './quiet-history.js';

const builtCli = new URL('../../distribution/cli.js', import.meta.url).pathname;

type Result = {code: number | null; stdout: string; stderr: string};

export async function runCli(
	args: readonly string[],
	options: {
		stdin?: string;
		env?: NodeJS.ProcessEnv;
		cwd?: string;
		/** Another install's cli.js (default: this clone's distribution/cli.js). */
		cli?: string;
		/** Close the reading end of the child's stdout at once, as `| head -0` would. */
		closeStdout?: boolean;
		onStderr?: (text: string, child: ReturnType<typeof spawn>) => void;
		onStdout?: (text: string, child: ReturnType<typeof spawn>) => void;
	} = {},
): Promise<Result> {
	return new Promise(resolve => {
		const child = spawn(process.execPath, [options.cli ?? builtCli, ...args], {
			cwd: options.cwd ?? tmpdir(),
			env: {...process.env, ...quietHistory, NO_COLOR: '1', CI: 'true', ...options.env},
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		if (options.closeStdout) {
			child.stdout.destroy();
		}

		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (data: Buffer) => {
			stdout += data.toString();
			options.onStdout?.(stdout, child);
		});
		child.stderr.on('data', (data: Buffer) => {
			stderr += data.toString();
			options.onStderr?.(stderr, child);
		});
		child.stdin.end(options.stdin ?? '');
		child.on('close', code => {
			resolve({code, stdout, stderr});
		});
	});
}
