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
