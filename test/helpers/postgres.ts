// A throwaway PostgreSQL cluster for the store tests (Debian's postgresql): initdb in a temporary folder as
// the `postgres` user when running as root, started on a free loopback port with its socket in that folder,
// stopped and removed in teardown. No PostgreSQL on the machine: the tests skip with one line, except under
// LLMRACE_REQUIRE_REAL_PARTS=1 (.ci/run), where a missing part fails the run.
import {execFileSync} from 'node:child_process';
import {chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import path from 'node:path';
import process from 'node:process';
import pg from 'pg';

export type PgCluster = {
	/** postgres://postgres@127.0.0.1:<port>/<database> of a new, empty database. */
	createDatabase(name: string): Promise<string>;
	readonly port: number;
	/** A role that must log in with a password (scram-sha-256), for the wrong-password test. */
	readonly passwordUser: {readonly name: string; readonly password: string};
	stop(): void;
};

export const requireRealParts = process.env['LLMRACE_REQUIRE_REAL_PARTS'] === '1';

function binDir(): string | null {
	const debian = '/usr/lib/postgresql';
	if (existsSync(debian)) {
		const versions = readdirSync(debian)
			.filter(name => /^\d+$/.test(name) && existsSync(path.join(debian, name, 'bin', 'initdb')))
			.sort((a, b) => Number(b) - Number(a));
		if (versions[0]) {
			return path.join(debian, versions[0], 'bin');
		}
	}

	for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
		if (dir && existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl'))) {
			return dir;
		}
	}

	return null;
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address() as {port: number};
			server.close(() => {
				resolve(port);
			});
		});
	});
}

/** Why PostgreSQL cannot be used here, or null when it can. */
export function postgresMissing(): string | null {
	if (!binDir()) {
		return 'PostgreSQL is not installed (no initdb): the PostgreSQL store tests skip (apt-get install postgresql)';
	}

	const root = process.getuid?.() === 0;
	if (root) {
		try {
			execFileSync('id', ['postgres'], {stdio: 'ignore'});
		} catch {
			return 'running as root without a postgres user: the PostgreSQL store tests skip';
		}
	}

	return null;
}

/** runuser lives in /usr/sbin, which a PATH without the sbin folders (env -i, some CI shells) misses. */
function runuserPath(): string {
	return ['/usr/sbin/runuser', '/sbin/runuser'].find(candidate => existsSync(candidate)) ?? 'runuser';
}

export async function startPostgres(): Promise<PgCluster> {
	const bin = binDir()!;
	const root = process.getuid?.() === 0;
	// Under /tmp itself: the test run's own temporary folder is private to root, where `postgres` cannot enter.
	const dir = mkdtempSync(path.join('/tmp', 'llmrace-pg-'));
	const data = path.join(dir, 'data');
	const asOwner = (command: string, args: readonly string[]) =>
		root
			? execFileSync(runuserPath(), ['-u', 'postgres', '--', path.join(bin, command), ...args], {stdio: 'pipe'})
			: execFileSync(path.join(bin, command), args, {stdio: 'pipe'});
	if (root) {
		chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), Number(execFileSync('id', ['-g', 'postgres']).toString().trim()));
	}

	asOwner('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
	const passwordUser = {name: 'llmrace_pw', password: 'right-password'};
	writeFileSync(
		path.join(data, 'pg_hba.conf'),
		`local all all trust\nhost all ${passwordUser.name} 127.0.0.1/32 scram-sha-256\nhost all all 127.0.0.1/32 trust\n`,
	);
	if (root) {
		execFileSync('chown', ['postgres:postgres', path.join(data, 'pg_hba.conf')]);
	}

	const port = await freePort();
	asOwner('pg_ctl', ['-w', '-D', data, '-l', path.join(dir, 'log'), '-o', `-p ${port} -k ${dir} -h 127.0.0.1 -c fsync=off`, 'start']);
	const admin = new pg.Client({host: '127.0.0.1', port, user: 'postgres', database: 'postgres'});
	await admin.connect();
	await admin.query(`CREATE ROLE ${passwordUser.name} LOGIN PASSWORD '${passwordUser.password}'`);
	await admin.end();
	let stopped = false;
	return {
		port,
		passwordUser,
		async createDatabase(name) {
			const client = new pg.Client({host: '127.0.0.1', port, user: 'postgres', database: 'postgres'});
			await client.connect();
			await client.query(`CREATE DATABASE ${name}`);
			await client.query(`GRANT ALL ON DATABASE ${name} TO ${passwordUser.name}`);
			await client.query(`ALTER DATABASE ${name} OWNER TO ${passwordUser.name}`);
			await client.end();
			return `postgres://postgres@127.0.0.1:${port}/${name}`;
		},
		stop() {
			if (stopped) {
				return;
			}

			stopped = true;
			try {
				asOwner('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
			} finally {
				rmSync(dir, {recursive: true, force: true});
			}
		},
	};
}
