// The usage error on its own, so a command that needs only it (history) does not load options.ts's
// validators and what they import (docs/history.md "Cost").

/** A user mistake: exit 2, one line naming the problem, maybe a second with the valid choices. */
export class UsageError extends Error {
	override name = 'UsageError';
}
