// Like ink-testing-library's render, with a terminal of a chosen width (its own is always 100 columns).
import {EventEmitter} from 'node:events';
import {render as inkRender} from 'ink';
import type {ReactElement} from 'react';

class FakeStdout extends EventEmitter {
	frames: string[] = [];
	readonly columns: number;
	readonly rows: number;
	constructor(columns: number, rows: number) {
		super();
		this.columns = columns;
		this.rows = rows;
	}

	write = (frame: string) => {
		this.frames.push(frame);
		return true;
	};
}

class FakeStdin extends EventEmitter {
	isTTY = true;
	data: string | null = null;
	write = (data: string) => {
		this.data = data;
		this.emit('readable');
		this.emit('data', data);
	};

	read = () => {
		const {data} = this;
		this.data = null;
		return data;
	};

	setEncoding() {}
	setRawMode() {}
	resume() {}
	pause() {}
	ref() {}
	unref() {}
}

export function renderAt(tree: ReactElement, columns: number, rows = 40) {
	const stdout = new FakeStdout(columns, rows);
	const stdin = new FakeStdin();
	const instance = inkRender(tree, {
		stdout: stdout as unknown as NodeJS.WriteStream,
		stderr: new FakeStdout(columns, rows) as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		debug: true,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	/** Type keys, then wait for the frame they cause (at most 3 s, for loaded machines). */
	const press = async (keys: string) => {
		const before = stdout.frames.length;
		stdin.write(keys);
		for (let waited = 0; stdout.frames.length === before && waited < 3000; waited += 10) {
			await new Promise(resolve => {
				setTimeout(resolve, 10);
			});
		}
	};

	return {
		stdin,
		press,
		lastFrame: () => stdout.frames.at(-1) ?? '',
		frameCount: () => stdout.frames.length,
		unmount: instance.unmount,
	};
}
