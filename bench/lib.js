// Shared helpers of the benchmarks.
import {spawn, spawnSync} from 'node:child_process';
import {once} from 'node:events';
import {fileURLToPath} from 'node:url';
import {percentile as corePercentile} from '../distribution/core/stats/stats.js';

export const root = fileURLToPath(new URL('..', import.meta.url));

export async function startSimProcess(config) {
	const child = spawn(process.execPath, [fileURLToPath(new URL('sim-child.js', import.meta.url)), JSON.stringify(config)], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const [data] = await once(child.stdout, 'data');
	return {
		baseURL: data.toString().trim(),
		async close() {
			child.kill('SIGTERM');
			await once(child, 'exit');
		},
	};
}

/** The core's percentile (linear between closest ranks); NaN for no values. */
export function percentile(values, p) {
	return values.length === 0 ? Number.NaN : corePercentile(values, p);
}

export function table(header, rows) {
	const widths = header.map((title, column) => Math.max(title.length, ...rows.map(row => String(row[column]).length)));
	const line = cells => cells.map((cell, column) => String(cell).padStart(widths[column])).join('  ');
	return [line(header), line(widths.map(width => '-'.repeat(width))), ...rows.map(row => line(row))].join('\n');
}

export function timeCommand(args, times) {
	const wall = [];
	for (let index = 0; index < times; index++) {
		const start = performance.now();
		spawnSync(process.execPath, args, {cwd: root, stdio: 'ignore'});
		wall.push(performance.now() - start);
	}

	return wall;
}
