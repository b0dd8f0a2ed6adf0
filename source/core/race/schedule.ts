// How a race's requests are let out: a first-in-first-out limit on requests in flight, and one send at a time.
import {setImmediate as nextTurn} from 'node:timers/promises';

/** A first-in-first-out limit on requests in flight. */
export function createLimiter(limit: number | null) {
	let active = 0;
	const waiting: Array<() => void> = [];
	return {
		async acquire(): Promise<void> {
			if (limit === null || active < limit) {
				active++;
				return;
			}

			await new Promise<void>(resolve => {
				waiting.push(resolve);
			});
		},
		release(): void {
			const next = waiting.shift();
			if (next) {
				next();
			} else {
				active--;
			}
		},
		drain(): void {
			for (const next of waiting.splice(0)) {
				active++;
				next();
			}
		},
	};
}

/** Longest wait for a request to be on the wire before the next one is prepared anyway. */
export const handOffMs = 10;

/**
 * Requests go out one at a time: the next one's preparation starts when the previous request is on
 * the wire (or after `handOffMs`, so a slow TLS handshake does not hold the others back), and in
 * an event-loop turn of its own. So no request's preparation sits between another's t0 and its send.
 * Each call waits for its turn and returns what to call once its request is on the wire.
 */
export function createSendGate(): () => Promise<() => void> {
	let sendGate: Promise<void> = Promise.resolve();
	return async (): Promise<() => void> => {
		let written: () => void = () => {};
		const onWire = new Promise<void>(resolve => {
			written = resolve;
		});
		const previous = sendGate;
		sendGate = (async () => {
			await previous;
			await onWire;
		})();
		await previous;
		await nextTurn();
		setTimeout(written, handOffMs).unref?.();
		return written;
	};
}
