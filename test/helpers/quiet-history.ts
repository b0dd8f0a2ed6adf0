// What every spawned llmrace gets unless its test is about the history: no recording, and a data folder that
// is never the real ~/.local/share (test/global-setup.ts points XDG_DATA_HOME into the run's temporary folder).
// A history test turns recording on with `env: {LLMRACE_NO_HISTORY: ''}` and its own XDG_DATA_HOME or --db.
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';

export const quietHistory: Readonly<Record<string, string | undefined>> = {
	LLMRACE_NO_HISTORY: '1',
	LLMRACE_DB: undefined,
	XDG_DATA_HOME: process.env['XDG_DATA_HOME'] ?? path.join(tmpdir(), 'llmrace-test-data'),
};
