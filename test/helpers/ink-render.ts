// ink-testing-library at a chosen width, and ticks that really wait for Ink.
import {render} from 'ink-testing-library';
import type {ReactElement} from 'react';

/** One real macrotask: Ink flushes a pending Escape in a setImmediate; other keys it handles synchronously. */
export async function tick(): Promise<void> {
	await new Promise(resolve => {
		setImmediate(resolve);
	});
	await new Promise(resolve => {
		setTimeout(resolve, 0);
	});
}

/**
 * ink-testing-library's `render` on a terminal `columns` wide: its fake stdout says 100 columns, so
 * say otherwise and tell Ink, as a terminal's resize would. `ready()` waits until the app listens to
 * its keys (useInput attaches in an effect, after the first frame): keys typed before are lost.
 */
export function renderAt(tree: ReactElement, columns: number) {
	const instance = render(tree);
	Object.defineProperty(instance.stdout, 'columns', {value: columns});
	instance.stdout.emit('resize');
	const ready = async () => {
		for (let waited = 0; instance.stdin.listenerCount('readable') === 0; waited++) {
			if (waited > 5000) {
				throw new Error('the app never listened to its keys');
			}

			await tick();
		}
	};

	/**
	 * Type keys, then wait for the frame they cause: a macrotask, and on a loaded machine up to 200 ms more
	 * while the frame has not changed yet (Ink holds a lone Escape until it knows no sequence follows).
	 * A key that changes nothing costs those 200 ms.
	 */
	const press = async (keys: string) => {
		await ready();
		const before = instance.lastFrame();
		instance.stdin.write(keys);
		await tick();
		for (let waited = 0; waited < 20 && instance.lastFrame() === before; waited++) {
			await new Promise(resolve => {
				setTimeout(resolve, 10);
			});
		}
	};

	return {...instance, ready, press, frame: () => instance.lastFrame() ?? ''};
}
