// The signals that stop a race, and the exit status each leaves (128 + the signal's number).
import process from 'node:process';

const stopSignals = [
	['SIGINT', 130],
	['SIGTERM', 143],
	['SIGHUP', 129],
] as const;

/** Call `handler` with the exit status on SIGINT, SIGTERM or SIGHUP; returns the function that stops listening. */
export function onStopSignal(handler: (exitCode: number) => void): () => void {
	const removers = stopSignals.map(([signal, code]) => {
		const listener = () => {
			handler(code);
		};

		process.on(signal, listener);
		return () => process.off(signal, listener);
	});
	return () => {
		for (const remove of removers) {
			remove();
		}
	};
}
