// Where keys come from: standard input when it is a terminal, else the controlling terminal itself
// (`/dev/tty`), as `less` and `fzf` do, so `echo hi | llmrace` can still be navigated. Null when there
// is no terminal at all (a pipe under cron, CI): the screens then say that keys are off.
import {openSync} from 'node:fs';
import process from 'node:process';
import tty from 'node:tty';

let keyboard: NodeJS.ReadStream | null | undefined;

/** The keyboard of this process (opened once): stdin when it is a TTY, else `/dev/tty`, else null. */
export function openKeyboard(): NodeJS.ReadStream | null {
	if (keyboard !== undefined) {
		return keyboard;
	}

	if (process.stdin.isTTY) {
		keyboard = process.stdin;
		return keyboard;
	}

	keyboard = null;
	if (process.platform !== 'win32') {
		try {
			const stream = new tty.ReadStream(openSync('/dev/tty', 'r'));
			// Only read while a screen listens: an idle keyboard never keeps the process alive.
			stream.unref();
			keyboard = stream;
		} catch {}
	}

	return keyboard;
}
