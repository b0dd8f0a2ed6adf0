// Extra request headers (a gateway that routes by header): the preset's, a model's and --header's,
// `${VAR}` expanded from the environment, and which of them are secrets (docs: README "Presets").
import {PresetError} from './presets.js';

export type Headers = Readonly<Record<string, string>>;

const variable = /\$\{([A-Za-z_]\w*)\}/g;

/** A header whose value is a secret by its name: redacted like an API key wherever it could show. */
export function secretHeaderName(name: string): boolean {
	return /^(authorization|proxy-authorization|cookie)$|[-_](key|token)$/i.test(name);
}

/**
 * Merge header sets, later ones winning, names compared without case (HTTP's rule); names kept in
 * lower case, as the HTTP stack sends them.
 */
export function mergeHeaders(...sets: ReadonlyArray<Headers | undefined>): Record<string, string> {
	const merged: Record<string, string> = {};
	for (const set of sets) {
		for (const [name, value] of Object.entries(set ?? {})) {
			merged[name.toLowerCase()] = value;
		}
	}

	return merged;
}

/**
 * `${VAR}` anywhere in a value, from `env`; an unset (or empty) variable is a usage error naming it
 * and the header. Returns the values a user must never see: those that used a variable, and those of
 * Authorization, Cookie and `*-key`/`*-token` headers.
 */
export function expandHeaders(headers: Headers, env: NodeJS.ProcessEnv, where: string): {headers: Record<string, string>; secrets: string[]} {
	const expanded: Record<string, string> = {};
	const secrets: string[] = [];
	for (const [name, value] of Object.entries(headers)) {
		let usesVariable = false;
		expanded[name] = value.replaceAll(variable, (_match, key: string) => {
			usesVariable = true;
			const set = env[key];
			if (!set) {
				throw new PresetError(`header ${name} of ${where} uses \${${key}}, which is not set\nset ${key}, or leave the header out`);
			}

			return set;
		});
		if ((usesVariable || secretHeaderName(name)) && expanded[name]!.length > 0) {
			secrets.push(expanded[name]!);
		}
	}

	return {headers: expanded, secrets};
}
