// `npm run bench -- history`: what the history costs (docs/history.md). Targets: recording adds at most 50 ms
// to a race's end (against the same race with --no-history); `history <model>` over 10,000 stored races
// answers within 300 ms on SQLite.
import {spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {buildTranscript} from '../distribution/core/transcript/build.js';
import {resolveStoreLocation} from '../distribution/store/location.js';
import {openStore} from '../distribution/store/store.js';
import {percentile, root, table} from './lib.js';

const cli = path.join(root, 'distribution', 'cli.js');

function wallOf(args, env) {
	return timedRun(args, env).wall;
}

/**
 * One llmrace process: its wall time, and for a race (--json) the time from spawn to the race's start and
 * from the race's end to the process's exit, read against the transcript's own startedAt and finishedAt
 * (the same clock, Date.now, in both processes).
 */
function timedRun(args, env) {
	const spawned = Date.now();
	const start = performance.now();
	const result = spawnSync(process.execPath, [cli, ...args], {cwd: root, env: {...process.env, ...env}, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024});
	const wall = performance.now() - start;
	const exited = Date.now();
	if (result.status !== 0) {
		throw new Error(`llmrace ${args.join(' ')} failed: ${result.stderr}`);
	}

	if (!args.includes('--json') || args[0] === 'history') {
		return {wall};
	}

	const {startedAt, finishedAt} = JSON.parse(result.stdout);
	return {wall, head: Date.parse(startedAt) - spawned, tail: exited - Date.parse(finishedAt)};
}

/** The same simulated race with and without recording, interleaved (a busy moment falls on both alike). */
function endOfRace(rounds) {
	const data = mkdtempSync(path.join(tmpdir(), 'llmrace-bench-history-'));
	const env = {XDG_DATA_HOME: data, LLMRACE_NO_HISTORY: ''};
	const race = ['--json', '-n', '3', '--max-tokens', '30', '--seed', '5', 'Explain recursion'];
	// The store exists before the timed rounds (its creation is a one-time cost, measured apart).
	const first = wallOf(race, env);
	const recorded = [];
	const off = [];
	for (let round = 0; round < rounds; round++) {
		// Which goes first alternates, so neither always follows the other.
		const pair = [() => off.push(timedRun([...race, '--no-history'], env)), () => recorded.push(timedRun(race, env))];
		for (const run of round % 2 === 0 ? pair : pair.reverse()) {
			run();
		}
	}

	rmSync(data, {recursive: true, force: true});
	return {first, recorded, off};
}

/** The recording step alone, in a fresh process each time (module load, open, migrate check, insert, close). */
function recordingStep(rounds) {
	const data = mkdtempSync(path.join(tmpdir(), 'llmrace-bench-history-'));
	const script = `
		const {readFileSync} = await import('node:fs');
		const {recordInHistory} = await import(${JSON.stringify(path.join(root, 'distribution', 'session', 'history.js'))});
		const transcript = JSON.parse(readFileSync(0, 'utf8'));
		const start = performance.now();
		await recordInHistory({kind: 'race', transcript}, {enabled: true, db: undefined});
		process.stdout.write(String(performance.now() - start));
	`;
	const transcript = spawnSync(process.execPath, [cli, '--json', '--no-history', '-n', '3', '--max-tokens', '30', '--seed', '5', 'Explain recursion'], {
		cwd: root,
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
	}).stdout;
	const times = [];
	for (let round = 0; round < rounds; round++) {
		const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
			cwd: root,
			env: {...process.env, XDG_DATA_HOME: data, LLMRACE_NO_HISTORY: ''},
			input: transcript.replace(/"id": "[^"]+"/, `"id": "bench-${round}"`),
			encoding: 'utf8',
		});
		times.push(Number(child.stdout));
	}

	rmSync(data, {recursive: true, force: true});
	return times;
}

function generatedRace(index, start) {
	const startedAt = new Date(start + index * 3_600_000);
	const spec = (id, baseURL) => ({
		id,
		name: id,
		provider: null,
		baseURL,
		apiKeyEnv: null,
		headers: {},
		price: {inputPerM: null, outputPerM: 0.2},
		reasoning: false,
		reference: null,
	});
	const run = (runIndex, ttftMs) => ({
		index: runIndex,
		warmup: false,
		status: 'ok',
		error: null,
		ttftMs,
		ttfaMs: ttftMs,
		totalMs: ttftMs + 2000,
		promptTokens: 14,
		outputTokens: 150,
		tokenSource: 'usage',
		reasoningTokens: null,
		hiddenReasoning: false,
		serverTimings: null,
		tokensPerSecond: 70 + (runIndex % 5),
		interChunkMs: null,
		costUSD: 0.00003,
		finishReason: 'stop',
		truncated: false,
		phases: {dnsMs: 1, connectMs: 20, tlsMs: 45, sentMs: 46, headersMs: 100, reused: false},
		flags: [],
		servedModel: null,
		reconnected: false,
		text: '',
		reasoningText: '',
		chunks: [],
	});
	const models = ['step-3.5-flash', 'glm-5', 'qwen3-8b', 'kimi-k2.5', 'deepseek-v4-flash'];
	return buildTranscript({
		id: `gen-${index}`,
		toolVersion: '0.1.0',
		startedAt,
		finishedAt: new Date(startedAt.getTime() + 9000),
		region: index % 2 === 0 ? 'us-east' : 'singapore',
		prompt: 'Explain recursion in 200 words',
		preset: 'demo',
		simulated: false,
		settings: {runs: 3, warmup: 0, maxTokens: 512, temperature: null, concurrency: null, timeoutMs: 120_000, seed: null},
		aborted: false,
		models: models.map((id, position) => ({
			spec: spec(id, 'https://api.example.com/v1'),
			bracket: null,
			runs: [0, 1, 2].map(runIndex => run(runIndex, 100 + position * 50 + ((index * 7 + runIndex * 13) % 40))),
		})),
	});
}

async function trendOver(races, rounds) {
	const folder = mkdtempSync(path.join(tmpdir(), 'llmrace-bench-history-'));
	const db = `sqlite:${path.join(folder, 'history.sqlite')}`;
	const store = await openStore(resolveStoreLocation(db, {}));
	const start = Date.parse('2025-01-01T00:00:00.000Z');
	const generateStart = performance.now();
	for (let index = 0; index < races; index++) {
		await store.recordRace(`gen-${index}`, generatedRace(index, start), index % 3 === 0 ? 'box-a' : 'box-b');
	}

	const generateMs = performance.now() - generateStart;
	await store.close();
	const bare = [];
	const plain = [];
	const json = [];
	for (let round = 0; round < rounds; round++) {
		bare.push(wallOf(['--version'], {}));
		plain.push(wallOf(['history', 'step-3.5-flash', '--db', db], {}));
		json.push(wallOf(['history', 'step-3.5-flash', '--by', 'race', '--json', '--db', db], {}));
	}

	rmSync(folder, {recursive: true, force: true});
	return {generateMs, bare, plain, json};
}

const fmt = value => value.toFixed(1);

const median = values => percentile(values, 50);
const column = (runs, key) => runs.map(run => run[key]);
/** Each round's recorded figure minus its --no-history twin's. */
const paired = (end, key) => end.recorded.map((run, index) => run[key] - end.off[index][key]);

export function endOfRaceTable(rounds) {
	const end = endOfRace(rounds);
	const step = recordingStep(rounds);
	const row = (label, runs) => [label, ...['head', 'tail', 'wall'].flatMap(key => [fmt(median(column(runs, key))), fmt(percentile(column(runs, key), 95))])];
	const tail = paired(end, 'tail');
	const head = paired(end, 'head');
	return [
		`### The same simulated race (15 models × 3 runs, --json) with and without recording: ${rounds} rounds each, interleaved (ms)\n`,
		"head: spawn → the race's startedAt; tail: the race's finishedAt → the process has exited; wall: the whole process\n",
		table(
			['', 'head median', 'head p95', 'tail median', 'tail p95', 'wall median', 'wall p95'],
			[row('--no-history', end.off), row('recorded (SQLite)', end.recorded)],
		),
		`\nadded to the race's end (tail, recorded − --no-history, paired by round): median ${fmt(median(tail))} ms, p95 ${fmt(percentile(tail, 95))} ms (target ≤ 50 ms)`,
		`added before the race (head, paired): median ${fmt(median(head))} ms (the store opens while the session does)`,
		`open + record + close alone, in a fresh process (what recording cost when all of it came after the race): median ${fmt(median(step))} ms, p95 ${fmt(percentile(step, 95))} ms`,
		`first race into a new store (creates it): ${fmt(end.first)} ms wall`,
	].join('\n');
}

export async function trendTable({rounds = 10, races = 10_000} = {}) {
	const trend = await trendOver(races, rounds);
	const bare = median(trend.bare);
	return [
		`### history <model> over ${races.toLocaleString('en')} stored races on SQLite (generated in ${fmt(trend.generateMs / 1000)} s; wall ms, median of ${rounds}, interleaved)\n`,
		table(
			['command', 'median', 'p95', 'median − bare'],
			[
				['llmrace --version (bare start)', fmt(bare), fmt(percentile(trend.bare, 95)), '—'],
				['history step-3.5-flash', fmt(median(trend.plain)), fmt(percentile(trend.plain, 95)), fmt(median(trend.plain) - bare)],
				['history step-3.5-flash --by race --json', fmt(median(trend.json)), fmt(percentile(trend.json, 95)), fmt(median(trend.json) - bare)],
			],
		),
		'\ntarget: history <model> within 300 ms',
	].join('\n');
}

export async function historyBench({rounds = 10, races = 10_000} = {}) {
	return `${endOfRaceTable(rounds)}\n\n${await trendTable({rounds, races})}`;
}
