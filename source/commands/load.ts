// `llmrace load [prompt]` (docs/load.md): the cost guard, then the live load view at a terminal, else
// progress on stderr and the plain load table (or the transcript JSON) on stdout.
import process from 'node:process';
import {createInterface} from 'node:readline/promises';
import {loadPlainTable} from '../core/load/plain-table.js';
import {formatSlo} from '../core/load/slo.js';
import {loadTranscriptToJson} from '../core/load/transcript.js';
import type {LoadMeta, LoadRun, LoadSnapshot, LoadTranscript} from '../core/load/types.js';
import {loadCellWidths} from '../core/text/cells.js';
import {formatCostUSD} from '../core/text/format.js';
import {redact} from '../core/text/redact.js';
import {sanitizeLine} from '../core/text/sanitize.js';
import {UsageError, parseLoadFlags, type Flags, type LoadConfig} from '../options.js';
import {defaultLoadTranscriptName, saveLoadTranscript} from '../io/load-transcript-file.js';
import {onStopSignal} from '../runtime/signals.js';
import {historySettings, recordInHistory} from '../session/history.js';
import {handOnLoadTranscript, openLoadSession, type LoadSession} from '../session/load.js';

type LiveView = (
	run: LoadRun,
	meta: LoadMeta,
	options?: {
		readonly save?: ((transcript: LoadTranscript) => Promise<string>) | undefined;
		readonly sort?: LoadConfig['loadSort'] | undefined;
		readonly bracket?: LoadConfig['bracket'] | undefined;
	},
) => Promise<{transcript: LoadTranscript; signalled: number}>;

/** A USD amount for the cost guard: cents, or more digits below a cent. */
function dollars(usd: number): string {
	return usd >= 0.01 ? `$${usd.toFixed(2)}` : `$${usd.toPrecision(2)}`;
}

/** What the cost guard shows before a load on models that are not simulated. */
export function costGuardText(session: Pick<LoadSession, 'estimate' | 'models' | 'settings'>): string {
	const {estimate, models, settings} = session;
	const count = models.length;
	const most = settings.sweep ? ', the most its 8 sweep steps could send' : '';
	const unknown =
		estimate.unpriced.length > 0
			? `\nllmrace: price unknown for ${estimate.unpriced.map(name => sanitizeLine(name)).join(', ')}: their cost is not in the estimate and could be anything`
			: '';
	const cap = settings.maxCostUSD === null ? '' : `; --max-cost stops the run before ${dollars(settings.maxCostUSD)}`;
	const priced =
		estimate.unpriced.length === count
			? 'unknown (no model has a price)'
			: `at most ${dollars(estimate.costUSD)} (${formatCostUSD(estimate.costUSD / Math.max(1, estimate.requests))} a request)`;
	return `llmrace: this load sends up to ${estimate.requests} requests to ${count} model${count === 1 ? '' : 's'} that ${count === 1 ? 'is' : 'are'} not simulated (${estimate.requestsPerModel} each${most})
llmrace: estimated cost ${priced}: prompt tokens × input price + --max-tokens ${settings.maxTokens} × output price, per request${cap}${unknown}`;
}

/** The cost guard: true to start. At a terminal it asks; without one, --yes is required (a usage error otherwise). */
async function confirmCost(session: LoadSession): Promise<boolean> {
	process.stderr.write(`${costGuardText(session)}\n`);
	if (session.config.yes) {
		return true;
	}

	if (!process.stdin.isTTY) {
		throw new UsageError('a load on models that are not simulated needs a yes: run it at a terminal to be asked, or add --yes\nnothing was sent');
	}

	const asker = createInterface({input: process.stdin, output: process.stderr});
	try {
		const answer = await asker.question('Start the load? [y/N] ');
		return /^y(es)?$/i.test(answer.trim());
	} finally {
		asker.close();
	}
}

function seconds(ms: number): string {
	const total = Math.max(0, Math.round(ms / 1000));
	return total >= 60 ? `${Math.floor(total / 60)}m ${total % 60}s` : `${total}s`;
}

/** One line per model and step as it starts: step k of at most n, its rate, and the scheduled time left at most. */
function progressLines(snapshot: LoadSnapshot, seen: Map<string, string>, simulated: boolean): string[] {
	const lines: string[] = [];
	for (const model of snapshot.models) {
		const key = model.state === 'done' || model.state === 'stopped' ? `end:${model.stopped ?? ''}` : `${model.step}`;
		if (model.step === 0 || seen.get(model.id) === key) {
			continue;
		}

		seen.set(model.id, key);
		const name = sanitizeLine(model.name);
		if (model.state === 'done' || model.state === 'stopped') {
			lines.push(
				`  ${name}: ${model.stopped ? `stopped (${model.stopped})` : 'done'} after ${model.step} step${model.step === 1 ? '' : 's'}, ${model.done} completed, ${model.failed} failed`,
			);
			continue;
		}

		const stepMs = model.durationMs ?? 0;
		const left = (model.stepsAtMost - model.step + 1) * stepMs - Math.min(model.elapsedMs, stepMs);
		lines.push(
			`  ${name}: step ${model.step} of at most ${model.stepsAtMost}, ${model.rate} req/s, at most ${seconds(left)} of arrivals left${simulated ? ' (simulated)' : ''}`,
		);
	}

	return lines;
}

async function runHeadless(session: LoadSession): Promise<{transcript: LoadTranscript; signalled: number}> {
	const {settings} = session;
	const count = session.models.length;
	const what = session.simulated
		? `${count} simulated model${count === 1 ? '' : 's'} (modelled load curves, not measured)`
		: `${count} model${count === 1 ? '' : 's'}`;
	const steps = settings.sweep ? `--sweep from ${settings.rates[0]} req/s (at most 8 steps each)` : `rates ${settings.rates.join(', ')} req/s`;
	const length = settings.requests === null ? `${seconds(settings.durationMs ?? 0)} a step` : `${settings.requests} requests a step`;
	process.stderr.write(
		`llmrace: load on ${what} of preset ${sanitizeLine(session.preset.name)}: ${steps}, ${length}, ${settings.arrivals} arrivals, SLO ${formatSlo(settings.slo)}\n`,
	);
	const run = await session.start();
	let signalled = 0;
	const stopListening = onStopSignal(code => {
		signalled ||= code;
		run.stop();
	});
	const seen = new Map<string, string>();
	const timer = setInterval(() => {
		const lines = progressLines(run.snapshot(), seen, session.simulated);
		if (lines.length > 0) {
			process.stderr.write(`${lines.join('\n')}\n`);
		}
	}, 250);
	try {
		const transcript = await run.done;
		const last = progressLines(run.snapshot(), seen, session.simulated);
		if (last.length > 0) {
			process.stderr.write(`${last.join('\n')}\n`);
		}

		return {transcript, signalled};
	} finally {
		clearInterval(timer);
		stopListening();
	}
}

/** `w` on the load leaderboard: to --save when given, else llmrace-load-YYYYMMDD-HHMMSS.json here; the path, or why not. */
async function saveFromView(transcript: LoadTranscript, session: LoadSession): Promise<string> {
	return saveLoadTranscript(transcript, session.config.save ?? defaultLoadTranscriptName(new Date(transcript.finishedAt)), session.secrets);
}

/** 0 when a model completed a request, else 1; the signal's status when one stopped the run. */
export function loadExitCode(transcript: LoadTranscript, signalled: number): number {
	if (signalled !== 0) {
		return signalled;
	}

	return transcript.models.some(model => model.steps.some(step => step.summary.completed > 0)) ? 0 : 1;
}

export async function runLoad(prompt: string, flags: Flags): Promise<number> {
	const config = parseLoadFlags(flags);
	// A bad --db is a usage error before anything is sent.
	const history = historySettings(flags, process.env);
	if (!prompt) {
		throw new UsageError(
			'no prompt: give one as an argument, with --prompt-file, or on standard input\nexample: llmrace load --sweep "Explain recursion in 200 words"',
		);
	}

	await loadCellWidths();
	const session = await openLoadSession(prompt, config);
	try {
		if (!session.simulated && !(await confirmCost(session))) {
			process.stderr.write('llmrace: declined: nothing was sent\n');
			return 1;
		}

		const view: LiveView | undefined = !config.json && process.stdout.isTTY ? (await import('../ui/load/live.js')).runLoadLive : undefined;
		const {transcript, signalled} = view
			? await view(await session.start(), session.meta, {save: async shown => saveFromView(shown, session), sort: config.loadSort, bracket: config.bracket})
			: await runHeadless(session);
		for (const line of handOnLoadTranscript(transcript, session)) {
			process.stderr.write(`${line}\n`);
		}

		if (config.json) {
			process.stdout.write(redact(loadTranscriptToJson(transcript), session.secrets));
		} else if (!view) {
			process.stdout.write(redact(loadPlainTable(transcript, config.loadSort), session.secrets));
		}

		// After the output, as for a race: a store that fails costs one line, never the run (docs/history.md).
		for (const line of await recordInHistory({kind: 'load', transcript}, history)) {
			process.stderr.write(`${line}\n`);
		}

		return loadExitCode(transcript, signalled);
	} finally {
		await session.close();
	}
}
