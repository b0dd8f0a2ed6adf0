import {describe, expect, it} from 'vitest';
import {StoreError} from '../../../source/store/errors.js';
import {resolveStoreLocation} from '../../../source/store/location.js';
import {numberPlaceholders, describePostgresError} from '../../../source/store/postgres.js';

describe('resolveStoreLocation', () => {
	it('defaults to $XDG_DATA_HOME/llmrace/history.sqlite, else ~/.local/share', () => {
		expect(resolveStoreLocation(undefined, {XDG_DATA_HOME: '/data', HOME: '/home/u'})).toMatchObject({kind: 'sqlite', path: '/data/llmrace/history.sqlite'});
		expect(resolveStoreLocation(undefined, {HOME: '/home/u'})).toMatchObject({
			path: '/home/u/.local/share/llmrace/history.sqlite',
			display: '~/.local/share/llmrace/history.sqlite',
		});
	});

	it('takes --db over LLMRACE_DB, and never shows a password', () => {
		const env = {LLMRACE_DB: 'sqlite:env.sqlite', HOME: '/home/u'};
		expect(resolveStoreLocation(undefined, env, '/work')).toMatchObject({kind: 'sqlite', path: '/work/env.sqlite'});
		const pg = resolveStoreLocation('postgres://bench:s3cr%40t@db.example.com:5432/llmrace', env);
		expect(pg).toMatchObject({kind: 'postgres', password: 's3cr@t'});
		expect(pg.display).not.toContain('s3cr');
		expect(pg.display).toContain('db.example.com');
	});

	it('refuses anything else as a usage error naming the forms', () => {
		const error = (() => {
			try {
				resolveStoreLocation('mysql://u:hunter2@x/db', {});
			} catch (caught) {
				return caught as StoreError;
			}

			return undefined;
		})();
		expect(error).toBeInstanceOf(StoreError);
		expect(error?.kind).toBe('usage');
		expect(error?.message).toContain('sqlite:<path> or postgres://');
		expect(error?.message).not.toContain('hunter2');
	});
});

describe('postgres helpers', () => {
	it('numbers placeholders and says a refused login without the password', () => {
		expect(numberPlaceholders('a = ? AND b IN (?, ?)')).toBe('a = $1 AND b IN ($2, $3)');
		const refused = describePostgresError(Object.assign(new Error('password authentication failed for user "x" pw-123'), {code: '28P01'}), 'pw-123');
		expect(refused).toMatch(/refused the login/);
		expect(refused).not.toContain('pw-123');
	});
});
