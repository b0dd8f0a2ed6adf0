// Scheduling priority of the calling thread: the threads that stamp win the CPU over those that do not.
import {stat} from 'node:fs/promises';
import {getPriority, setPriority} from 'node:os';
import process from 'node:process';

let lowered = false;

/**
 * Lower the calling thread's scheduling priority (nice + 10, once per thread). On Linux this applies
 * to the calling thread only, so threads started before (the stamping threads, the simulator's) keep
 * theirs and win the CPU when the cores are busy. Threads created later inherit the lower priority:
 * libuv's pool (DNS lookups, files), shared by every thread, is made to exist first. Elsewhere, or
 * where the system refuses, nothing changes.
 */
export async function yieldToStamping(): Promise<void> {
	if (lowered) {
		return;
	}

	lowered = true;
	await stat(process.cwd()).catch(() => undefined);
	try {
		setPriority(0, Math.min(19, getPriority(0) + 10));
	} catch {}
}
