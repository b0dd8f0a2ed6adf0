// What a newcomer hits on the command line (issue 23): a busy port, a pipe closed early, mistyped
// commands, flags of another command, brackets, widths, units.
import net from 'node:net';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {runCli} from '../helpers/cli.js';

const fixtures = path.join(import.meta.dirname, '../fixtures');
const fast = ['-m', 'step-3.5-flash,qwen3-8b,kimi-k2.5', '--seed', '7', '--max-tokens', '12'];

describe('sim on a port in use', () => {
	it('says so in one line and exits 1 instead of hanging', async () => {
		const busy = net.createServer();
		await new Promise<void>(resolve => {
			busy.listen(0, '127.0.0.1', resolve);
		});
		const {port} = busy.address() as net.AddressInfo;
		try {
			const result = await runCli(['sim', '--port', String(port)]);
			expect(result.code).toBe(1);
			expect(result.stderr).toBe(`llmrace: port ${port} is already in use\n`);
		} finally {
			busy.close();
		}
	}, 20_000);
});

describe('stdout closed early by its reader (| head)', () => {
	it('--json, the plain table and report: exit 0, no message, no stack trace', async () => {
		for (const args of [
			['--json', ...fast, 'Explain recursion'],
			[...fast, 'Explain recursion'],
			['report', path.join(fixtures, 'us-east.json')],
		]) {
			const result = await runCli(args, {closeStdout: true});
			expect(result.code).toBe(0);
			expect(result.stderr).not.toMatch(/EPIPE|Error|\bat /);
		}
	}, 30_000);
});
