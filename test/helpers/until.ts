// Wait for something a test cannot await directly (a snapshot's field, a child's screen): checked every
// 10 ms, and an error after 30 s (within the test timeout), so a condition that never holds fails the
// test with a message.
export async function until(condition: () => boolean): Promise<void> {
	for (let waited = 0; !condition(); waited += 10) {
		if (waited > 30_000) {
			throw new Error('condition never became true');
		}

		await new Promise(resolve => {
			setTimeout(resolve, 10);
		});
	}
}
