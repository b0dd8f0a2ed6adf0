// A long migration of the history store, said on stderr (docs/history.md "Migrations"): never on stdout, so
// `--json` output stays clean. At a terminal one line updated in place as races are rewritten, then what it
// took; elsewhere (a log, a pipe) one plain line before, none per race. A store with few races migrates in a
// moment and says nothing.
import process from 'node:process';
import type {MigrationProgress} from '../store/schema.js';

/** Stored races from which a migration says what it does (~0.2 s of rewriting at 10,000 races in 2 s). */
export const migrationNoticeRaces = 1000;

type Stream = {readonly isTTY?: boolean; write(text: string): unknown};

const count = (value: number) => value.toLocaleString('en');

export function migrationProgress(where: string, stream: Stream = process.stderr): MigrationProgress {
	let total = 0;
	let startedAt = 0;
	let shown = false;
	let versions = '';
	return {
		start(from, to, races) {
			total = races;
			startedAt = performance.now();
			shown = races >= migrationNoticeRaces;
			versions = `llmrace: history: migrating ${where} from schema v${from} to v${to}`;
			if (!shown) {
				return;
			}

			stream.write(stream.isTTY ? `\r${versions}: 0/${count(total)} races` : `${versions} (${count(total)} races; this takes a moment)\n`);
		},
		advance(races) {
			if (shown && stream.isTTY) {
				stream.write(`\r${versions}: ${count(Math.min(races, total))}/${count(total)} races`);
			}
		},
		end() {
			if (shown && stream.isTTY) {
				stream.write(`\r\u001B[K${versions}: ${count(total)} races in ${((performance.now() - startedAt) / 1000).toFixed(1)} s\n`);
			}
		},
	};
}
