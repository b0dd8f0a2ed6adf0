// Writing files atomically: a temporary file beside the target, then a rename.
import {randomBytes} from 'node:crypto';
import {renameSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';

/** Write `text` to `file` atomically. Throws an Error whose message names the file and the reason. */
export function writeFileAtomic(file: string, text: string): void {
	const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
	try {
		writeFileSync(temporary, text, {flag: 'wx'});
		renameSync(temporary, file);
	} catch (error) {
		rmSync(temporary, {force: true});
		const code = (error as NodeJS.ErrnoException).code;
		const reasons: Record<string, string> = {
			ENOENT: 'the folder does not exist',
			EACCES: 'permission denied',
			EPERM: 'permission denied',
			ENOSPC: 'no space left on the device',
			EROFS: 'read-only file system',
			EISDIR: 'it is a folder',
			ENOTDIR: 'a part of the path is not a folder',
		};
		throw new Error(`cannot save ${file}: ${(code && reasons[code]) ?? (error as Error).message}`);
	}
}

/** The default transcript name: llmrace-YYYYMMDD-HHMMSS.json (local time). */
export function defaultTranscriptName(date: Date): string {
	const pad = (value: number) => String(value).padStart(2, '0');
	return `llmrace-${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}.json`;
}
