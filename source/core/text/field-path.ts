/** A field path as people read it: models[3].price.outputPerM (empty for the top level). */
export function formatFieldPath(path: ReadonlyArray<PropertyKey>): string {
	let text = '';
	for (const key of path) {
		text += typeof key === 'number' ? `[${key}]` : text ? `.${String(key)}` : String(key);
	}

	return text;
}
