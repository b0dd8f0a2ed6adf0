// One temporary folder for the whole run (tests, their CLI children and the UI's fallback saves), removed at the end.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
	const dir = mkdtempSync(path.join(tmpdir(), 'llmrace-tests-'));
	process.env['TMPDIR'] = dir;
	return () => {
		rmSync(dir, {recursive: true, force: true});
	};
}
