// `--max-cost` across threads (docs/load.md "Cost guard"): one spend counter in shared memory.

/** Nano-dollars: integers, so every thread adds to one counter with Atomics. */
const nanoPerUSD = 1e9;

export type CostBudget = {
	/** Reserve `usd` for a request about to be sent: false (nothing reserved) when it would take the total past the limit. */
	readonly trySpend: (usd: number) => boolean;
	readonly spentUSD: () => number;
	/** The shared memory, to hand to another thread's `costBudget(memory, …)`. */
	readonly memory: SharedArrayBuffer;
};

/** A budget of `maxUSD` (null: no limit, only counted) over `memory` (new when not given: pass it to the other threads). */
export function costBudget(maxUSD: number | null, memory: SharedArrayBuffer = new SharedArrayBuffer(8)): CostBudget {
	const counter = new BigInt64Array(memory);
	const limit = maxUSD === null ? null : BigInt(Math.round(maxUSD * nanoPerUSD));
	return {
		trySpend(usd) {
			const amount = BigInt(Math.max(0, Math.round(usd * nanoPerUSD)));
			for (;;) {
				const before = Atomics.load(counter, 0);
				if (limit !== null && before + amount > limit) {
					return false;
				}

				if (Atomics.compareExchange(counter, 0, before, before + amount) === before) {
					return true;
				}
			}
		},
		spentUSD: () => Number(Atomics.load(counter, 0)) / nanoPerUSD,
		memory,
	};
}
