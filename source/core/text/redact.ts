/** Replace every occurrence of a secret in `text`; secrets shorter than 4 characters are left alone. */
export function redact(text: string, secrets: ReadonlyArray<string | null | undefined>): string {
	let result = text;
	for (const secret of secrets) {
		if (secret && secret.length >= 4) {
			result = result.replaceAll(secret, '[redacted]');
		}
	}

	return result;
}
