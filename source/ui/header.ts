// The one header of every screen: `llmrace “prompt” SIMULATED preset · region · status`. Pure.
// The race screen paints its segments as ANSI (ui/race/frame.ts), the Ink screens as <Text> (race-header.tsx).
import {cellWidth, truncate} from '../core/text/cells.js';
import {sanitizeLine} from '../core/text/sanitize.js';
import type {Segment} from './theme.js';

export type RaceMeta = {
	readonly prompt: string;
	readonly preset: string;
	readonly simulated: boolean;
	readonly region: string | null;
};

/** The header's pieces with their styles, together at most `columns - 1` cells wide; the prompt is cut first. */
export function headerSegments(meta: RaceMeta, status: string, columns: number): Segment[] {
	const width = columns - 1;
	const badge = meta.simulated ? ' SIMULATED ' : '';
	const right = ` ${sanitizeLine(`${meta.preset}${meta.region ? ` · ${meta.region}` : ''}`)} · ${status}`;
	const fixed = 'llmrace'.length + cellWidth(badge) + cellWidth(right) + 4;
	const prompt = truncate(sanitizeLine(meta.prompt).replaceAll(/\s+/g, ' ').trim(), Math.max(10, width - fixed));
	const head = ` “${prompt}” `;
	const used = 'llmrace'.length + cellWidth(head) + cellWidth(badge);
	const segments: Segment[] = [
		{text: 'llmrace', tone: 'accent', bold: true},
		{text: truncate(head, Math.max(0, width - 'llmrace'.length))},
		...(badge && used <= width ? [{text: badge, tone: 'warn' as const, inverse: true}] : []),
		{text: truncate(right, Math.max(0, width - used)), tone: 'dim'},
	];
	return segments.filter(segment => segment.text);
}

/** The client's own health during a load run: each stamping thread's event-loop delay p99, the send lag p99. */
export type ClientHealth = {
	readonly threadDelayP99Ms: readonly number[];
	readonly sendLagP99Ms: number | null;
};

/** Above this send lag p99 a load step is marked client-limited (docs/load.md). */
export const clientLimitMs = 5;

const delay = (ms: number) => (ms < 10 ? ms.toFixed(1) : Math.round(ms).toString());

/**
 * The second header line of a load run: `client: loop p99 0.4 · 0.6 ms · send lag p99 0.3 ms` (warn when
 * either is over 5 ms: then the client, not the server, may set the figures), and for a simulated run that
 * the curve is modelled, not measured. At most `columns - 1` cells; the longer wordings make way first.
 */
export function clientHealthSegments(client: ClientHealth, simulated: boolean, columns: number): Segment[] {
	const width = columns - 1;
	const threads = client.threadDelayP99Ms;
	const loop = threads.length === 0 ? '—' : `${threads.map(ms => delay(ms)).join(' · ')} ms`;
	const lag = client.sendLagP99Ms === null ? '—' : `${delay(client.sendLagP99Ms)} ms`;
	const slow = threads.some(ms => ms > clientLimitMs) || (client.sendLagP99Ms ?? 0) > clientLimitMs;
	const choices = [
		[`client: event-loop delay p99 ${loop}`, ` · send lag p99 ${lag}`, ' · SIMULATED: the load curve is modelled, not measured'],
		[`client: loop p99 ${loop}`, ` · send lag p99 ${lag}`, ' · modelled, not measured'],
		[`loop ${loop}`, ` · lag ${lag}`, ' · modelled'],
	].map(([head, tail, note]) => [head!, tail!, simulated ? note! : ''] as const);
	const [head, tail, note] = choices.find(parts => cellWidth(parts.join('')) <= width) ?? choices.at(-1)!;
	const segments: Segment[] = [
		{text: truncate(head + tail, width), tone: slow ? 'warn' : 'dim'},
		...(note && cellWidth(head + tail + note) <= width ? [{text: note, tone: 'warn' as const}] : []),
	];
	return segments.filter(segment => segment.text);
}
