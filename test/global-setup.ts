// One temporary folder for the whole run (tests, their CLI children, the UI's fallback saves, the history store), removed at the end.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
	const dir = mkdtempSync(path.join(tmpdir(), 'llmrace-tests-'));
	process.env['TMPDIR'] = dir;
	// No test writes to the real history store (~/.local/share/llmrace): every child finds its data folder
	// here, and records nothing unless a test of the history turns recording on (LLMRACE_NO_HISTORY: '').
	process.env['XDG_DATA_HOME'] = path.join(dir, 'data');
	process.env['LLMRACE_NO_HISTORY'] = '1';
	delete process.env['LLMRACE_DB'];
	return () => {
		rmSync(dir, {recursive: true, force: true});
	};
}
