// The live load view as lines of text (docs/load.md): a pure function of a LoadSnapshot and the terminal's
// size, drawn by ui/race/frame-writer.ts on a timer, as the race screen is. One lane per model: step and
// rate, elapsed of duration, in flight, done/failed, p50/p99 of TTFT and e2e over the last 10 s, a sparkline
// of p99 TTFT per second, SLO status. Widths in terminal cells; never wider than `columns - 1` nor taller than `rows - 1`.
import type {LoadMeta, LoadModelLive, LoadSnapshot} from '../../core/load/types.js';
import {formatRate} from '../../core/report/load-table.js';
import {cellWidth, fitCells, truncate} from '../../core/text/cells.js';
import {sanitizeLine} from '../../core/text/sanitize.js';
import {clientHealthSegments, headerSegments} from '../header.js';
import {keyGuideLines} from '../key-guide.js';
import {helpLine} from '../keymap.js';
import {sparkline} from '../text.js';
import {clipStyled, paint, stripAnsi, type Segment, type Tone} from '../theme.js';

export type LoadFrameInput = {
	readonly meta: LoadMeta;
	readonly snapshot: LoadSnapshot;
	readonly columns: number;
	readonly rows: number;
	readonly noColor: boolean;
	/** False when stdin is not a terminal: the help line says the keys are off. */
	readonly interactive: boolean;
	/** q/Esc/Ctrl-C pressed: the run is stopping. */
	readonly stopping?: boolean | undefined;
	/** `?` pressed: the live view's keys instead of the lanes (the run goes on). */
	readonly keyGuide?: boolean | undefined;
};

/** A duration in whole units, as short as it reads: "12s", "4m", "2h". */
export function shortDuration(ms: number): string {
	const seconds = Math.max(0, ms) / 1000;
	if (seconds < 100) {
		return `${Math.floor(seconds)}s`;
	}

	return seconds < 6000 ? `${Math.floor(seconds / 60)}m` : `${Math.floor(seconds / 3600)}h`;
}

/** Time left, to the second: "1m05s", "42s", "2h10m". */
export function timeLeft(ms: number): string {
	const seconds = Math.ceil(Math.max(0, ms) / 1000);
	if (seconds < 60) {
		return `${seconds}s`;
	}

	if (seconds < 3600) {
		return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
	}

	return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}

/** A latency in at most 4 cells: "230", "1.2s", "12s". */
export function shortMs(ms: number | null): string {
	if (ms === null) {
		return '—';
	}

	if (ms < 999.5) {
		return String(Math.round(ms));
	}

	return ms < 9950 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms / 1000)}s`;
}

/** The most time the run may still take: the steps each model may still run, and what is left of its current one. */
export function mostTimeLeftMs(models: readonly LoadModelLive[]): number | null {
	let most = 0;
	for (const model of models) {
		if (model.state === 'done' || model.state === 'stopped') {
			continue;
		}

		if (model.durationMs === null) {
			return null;
		}

		most = Math.max(most, (model.stepsAtMost - model.step) * model.durationMs + Math.max(0, model.durationMs - model.elapsedMs));
	}

	return most;
}

/** The header's status: `step 3 of ≤8 · ≤ 1m20s left · 12.3 s`, `stopping`, `finished`. */
export function loadStatus(meta: LoadMeta, snapshot: LoadSnapshot, stopping: boolean): string {
	const elapsed = `${(snapshot.elapsedMs / 1000).toFixed(1)} s`;
	if (snapshot.finished) {
		return `finished · ${elapsed}`;
	}

	if (stopping) {
		return `stopping (keeps what arrived) · ${elapsed}`;
	}

	const live = snapshot.models.filter(model => model.state === 'running' || model.state === 'waiting');
	const steps = live.map(model => model.step);
	const most = Math.max(1, ...snapshot.models.map(model => model.stepsAtMost));
	const least = Math.min(...steps);
	const highest = Math.max(...steps);
	const step =
		steps.length === 0 || most <= 1 ? '' : `step${least === highest ? ` ${least}` : `s ${least}–${highest}`} of ${meta.settings.sweep ? '≤' : ''}${most} · `;
	const left = mostTimeLeftMs(snapshot.models);
	return `${step}${left === null ? '' : `≤ ${timeLeft(left)} left · `}${elapsed}`;
}

/** A field of a lane: its title, width in cells, and how much it matters when the terminal is narrow. */
type Field = {
	readonly key: 'step' | 'rate' | 'time' | 'fly' | 'queued' | 'done' | 'ttft' | 'e2e' | 'slo';
	readonly title: string;
	readonly width: number;
	readonly priority: number;
	readonly cell: (model: LoadModelLive) => Segment;
};

const fields: readonly Field[] = [
	{key: 'step', title: 'step', width: 4, priority: 6, cell: model => ({text: `${model.step}/${model.stepsAtMost}`})},
	{key: 'rate', title: 'rate', width: 5, priority: 9, cell: model => ({text: formatRate(model.rate)})},
	{
		key: 'time',
		title: 'time',
		width: 7,
		priority: 7,
		cell: model => ({text: `${shortDuration(model.elapsedMs)}${model.durationMs === null ? '' : `/${shortDuration(model.durationMs)}`}`}),
	},
	{key: 'fly', title: 'fly', width: 3, priority: 7.5, cell: model => ({text: String(model.inFlight)})},
	{key: 'queued', title: 'queue', width: 5, priority: 3, cell: model => ({text: String(model.queued), tone: model.queued > 0 ? 'warn' : undefined})},
	{
		key: 'done',
		title: 'ok/fail',
		width: 7,
		priority: 8,
		cell: model => ({text: `${model.done}/${model.failed}`, tone: model.failed > 0 ? 'error' : undefined}),
	},
	{
		key: 'ttft',
		title: 'TTFT50/99',
		width: 9,
		priority: 8.5,
		cell: model => ({text: `${shortMs(model.recent.ttftP50Ms)}/${shortMs(model.recent.ttftP99Ms)}`}),
	},
	{key: 'e2e', title: 'e2e 50/99', width: 9, priority: 7.2, cell: model => ({text: `${shortMs(model.recent.e2eP50Ms)}/${shortMs(model.recent.e2eP99Ms)}`})},
	{
		key: 'slo',
		title: 'SLO',
		width: 4,
		priority: 10,
		cell: model => (model.sloPass === null ? {text: '—', tone: 'dim'} : model.sloPass ? {text: 'pass', tone: 'ok'} : {text: 'FAIL', tone: 'error', bold: true}),
	},
];

/** A name is cut to `least` cells only when dropping fields leaves no more; `wanted` is what fields make way for. */
const nameWidth = {least: 8, wanted: 15, most: 24};
const sparkWidth = {least: 5, most: 60};
const markWidth = 2;

/** Which fields fit `width` cells beside the name and the sparkline, the least important dropped first. */
export function laneFields(width: number): {readonly fields: readonly Field[]; readonly name: number; readonly spark: number} {
	const kept = [...fields];
	const used = () => markWidth + kept.reduce((sum, field) => sum + field.width + 1, 0);
	while (kept.length > 1 && used() + nameWidth.wanted + sparkWidth.least + 1 > width) {
		const lowest = kept.reduce((low, field) => (field.priority < low.priority ? field : low));
		if (lowest.priority >= 10) {
			break;
		}

		kept.splice(kept.indexOf(lowest), 1);
	}

	const room = Math.max(0, width - used() - 1);
	const name = Math.min(nameWidth.most, Math.max(nameWidth.least, room - sparkWidth.least, Math.floor(room * 0.35)));
	const spark = Math.max(0, Math.min(sparkWidth.most, room - name));
	return {fields: kept, name, spark};
}

const stateMarks: Record<LoadModelLive['state'], {readonly mark: string; readonly tone: Tone}> = {
	waiting: {mark: '·', tone: 'dim'},
	running: {mark: '»', tone: 'accent'},
	done: {mark: '✓', tone: 'ok'},
	stopped: {mark: '■', tone: 'warn'},
};

function laneLine(model: LoadModelLive, layout: ReturnType<typeof laneFields>, noColor: boolean): string {
	const state = stateMarks[model.state];
	let line = `${paint(state.mark, {tone: state.tone}, noColor)} ${fitCells(sanitizeLine(model.name), layout.name)}`;
	for (const field of layout.fields) {
		if (field.key === 'slo') {
			continue;
		}

		const cell = field.cell(model);
		line += ` ${paint(fitCells(cell.text, field.width, 'right'), cell, noColor)}`;
	}

	if (layout.spark > 0) {
		const stopped = model.stopped !== null && model.stopped !== 'aborted';
		line += ` ${
			stopped
				? paint(fitCells(`stopped: ${model.stopped}`, layout.spark), {tone: 'warn'}, noColor)
				: paint(fitCells(sparkline(model.spark, layout.spark), layout.spark), {tone: 'accent'}, noColor)
		}`;
	}

	const slo = fields.find(field => field.key === 'slo')!;
	const cell = slo.cell(model);
	return `${line} ${paint(fitCells(cell.text, slo.width), cell, noColor)}`;
}

function titleLine(layout: ReturnType<typeof laneFields>): string {
	let line = `${' '.repeat(markWidth)}${fitCells('model', layout.name)}`;
	for (const field of layout.fields) {
		if (field.key !== 'slo') {
			line += ` ${fitCells(field.title, field.width, 'right')}`;
		}
	}

	if (layout.spark > 0) {
		line += ` ${fitCells(layout.spark >= 14 ? 'p99 TTFT per s' : 'p99/s', layout.spark)}`;
	}

	return `${line} SLO`;
}

function paintSegments(segments: readonly Segment[], noColor: boolean): string {
	return segments.map(segment => paint(segment.text, segment, noColor)).join('');
}

/** The whole live load view: header, client health, lane titles, one lane per model, a note, the help line. */
export function loadFrame(input: LoadFrameInput): string[] {
	const {meta, snapshot, columns, noColor} = input;
	const width = columns - 1;
	const layout = laneFields(width);
	const status = loadStatus(meta, snapshot, input.stopping === true);
	const body = Math.max(1, input.rows - 5);
	const models = snapshot.models;
	const shown = models.length <= body ? models : models.slice(0, Math.max(1, body - 1));
	const lanes = shown.map(model => laneLine(model, layout, noColor));
	if (shown.length < models.length) {
		lanes.push(paint(truncate(`  … and ${models.length - shown.length} more: a taller terminal shows them`, width), {tone: 'dim'}, noColor));
	}

	const note = 'TTFT and e2e: p50/p99 of the last 10 s, queue-inclusive (ms unless marked)';
	// The header and the client's health stay above the `?` list: the run goes on under it.
	const middle = input.keyGuide
		? keyGuideLines('load', width).slice(0, body + 1)
		: [paint(titleLine(layout), {bold: true}, noColor), ...lanes, ...(lanes.length < body ? [paint(truncate(note, width), {tone: 'dim'}, noColor)] : [])];
	const lines = [
		paintSegments(headerSegments(meta, status, columns), noColor),
		paintSegments(clientHealthSegments(snapshot.client, meta.simulated, columns), noColor),
		...middle,
		paint(helpLine('load', {interactive: input.interactive, columns}), {tone: 'dim'}, noColor),
	];
	return lines.map(line => (cellWidth(stripAnsi(line)) <= width ? line : clipStyled(line, width, cellWidth)));
}
