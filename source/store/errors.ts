// What can go wrong with the history store, as one line each (docs/history.md "When the store cannot be used").

/**
 * `usage`: the user named a store that cannot be (a bad `--db` URL): exit 2.
 * `unavailable`: the store exists in principle but cannot be opened, read or written now (read-only or
 * full disk, PostgreSQL down or refusing the login, a newer schema, a driver that cannot load): exit 1
 * for a history command; a race is still printed and saved, and says so in one line.
 */
export class StoreError extends Error {
	override name = 'StoreError';

	readonly kind: 'usage' | 'unavailable';

	constructor(message: string, kind: 'usage' | 'unavailable' = 'unavailable') {
		super(message);
		this.kind = kind;
	}
}

/** The first line of an error's message, with any password of `url` taken out. */
export function oneLine(error: unknown, secret?: string | null): string {
	const text = error instanceof Error ? error.message : String(error);
	const first = text.split('\n')[0]!.trim() || (error instanceof Error ? error.name : 'error');
	return secret ? first.replaceAll(secret, '***') : first;
}
